"""Writing an import into this Roost through its core: the storage and media providers the
core holds, with the same parsing and checks the SDK's write path gets (history lines are
parsed by ``core.history`` and appended by ``apply_file_stream``, which keeps the rollups and
history keys; files go to the media store), plus the import-only storage methods that set
what a client never sets (times, user, state: plugins/sql/import_store.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from roost.core import history
from roost.core.artifacts import blobs, manifest
from roost.core.errors import InvalidArgument, NotFound
from roost.core.media import CHUNK_SIZE
from roost.core.run_files import check_run_file_name

# Lines per write transaction: a history page is split so no transaction grows unbounded.
APPEND_CHUNK = 5000


def read_chunks(path: Path):
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


class ImportTarget:
    def __init__(self, core, fallback_user: str):
        self.core = core
        self.storage = core.storage
        self.media = core.media
        fallback = self.storage.get_user(fallback_user)
        if fallback is None:
            raise NotFound(f"user {fallback_user!r} does not exist here; runs whose user is not "
                           "found are attributed to it (--user NAME)")
        self.fallback = fallback
        self._emails = self.storage.users_by_email()
        self._users: dict[tuple[str, str], tuple[dict, bool]] = {}

    # -- users and entities ------------------------------------------------------------------
    def user_for(self, username: str, email: str) -> tuple[dict, bool]:
        """The local user for a source user (by username, else e-mail) and whether it was
        found; else the fallback user and False."""
        key = (username or "", (email or "").lower())
        if key not in self._users:
            found = self.storage.get_user(username) if username else None
            if found is None and key[1] in self._emails:
                found = self.storage.get_user(self._emails[key[1]])
            self._users[key] = (found, True) if found else (self.fallback, False)
        return self._users[key]

    def check_entity(self, entity: str) -> None:
        if self.storage.get_entity(entity) is None:
            raise NotFound(f"entity {entity!r} does not exist here: create it first "
                           f"(`roost user add {entity}` or a team in the console) or import "
                           "into another one with --into ENTITY")

    # -- runs --------------------------------------------------------------------------------
    def find_run(self, entity: str, project: str, name: str) -> dict | None:
        return self.storage.get_run(entity, project, name, tails=False)

    def upsert_run(self, entity: str, project: str, name: str, fields: dict[str, Any],
                   user_id: str) -> dict:
        for key in ("config",):
            if key in fields:
                history.parse_line(fields[key], key, 0)
        run, _ = self.storage.upsert_run(entity, project, name, None, fields, user_id)
        return run

    def append(self, run_id: str, stream: str, offset: int, lines: list[str]) -> dict:
        """Append lines of history, events or console at ``offset`` (a retry of lines stored
        already stores nothing twice); returns the run."""
        run = None
        for start in range(0, len(lines), APPEND_CHUNK):
            part = lines[start:start + APPEND_CHUNK]
            name = {"history": history.HISTORY, "events": history.EVENTS,
                    "console": history.CONSOLE}[stream]
            update = history.build_update({name: (offset + start, part)}, [], False, None, False)
            run = self.storage.apply_file_stream(run_id, update)
        return run or self.storage.get_run_by_id(run_id, tails=False)

    def finish_run(self, run_id: str, fields: dict[str, Any]) -> None:
        if "summary" in fields:
            history.parse_line(fields["summary"], "summary", 0)
        self.storage.set_run_imported_fields(run_id, fields)

    def run_files(self, run_id: str) -> dict[str, dict]:
        files, _, _ = self.storage.list_run_files(run_id, [], "", 0, "")
        return {record["name"]: record for record in files}

    def put_run_file(self, run_id: str, name: str, path: Path) -> int:
        check_run_file_name(name)
        record = self.storage.register_run_files(run_id, [name])[0]
        size, md5 = self.media.put(record["key"], read_chunks(path),
                                   max(self.core.config.max_upload_bytes, path.stat().st_size))
        self.storage.mark_run_file_uploaded(record["key"], size, md5)
        return size

    # -- sweeps ------------------------------------------------------------------------------
    def put_sweep(self, entity: str, project: str, fields: dict, user_id: str) -> dict:
        found = self.storage.get_sweep(entity, project, fields["name"])
        if found is None:
            return self.storage.create_sweep(entity, project, fields, user_id)
        return self.storage.update_sweep(found["id"], {k: v for k, v in fields.items()
                                                       if k in ("state", "display_name",
                                                                "description")})

    # -- artifacts ---------------------------------------------------------------------------
    def has_blob(self, md5_hex: str) -> bool:
        blob = self.storage.get_blobs([md5_hex]).get(md5_hex)
        return bool(blob and blob["stored"]) and self.media.exists(blobs.blob_key(md5_hex))

    def put_blob(self, md5_hex: str, path: Path) -> int:
        """Store a file's bytes at their content address (checked against the MD5)."""
        sizes: list[int] = []
        self.media.put(blobs.blob_key(md5_hex),
                       blobs.checked_md5(read_chunks(path), md5_hex, sizes),
                       max(self.core.config.max_upload_bytes, path.stat().st_size))
        return sizes[0]

    def put_artifact(self, entity: str, project: str, type_name: str, collection: str,
                     run_id: str | None, fields: dict, contents: dict[str, dict],
                     stored: dict[str, int], policy: str, policy_config: dict) -> dict:
        """Create and commit one version from its manifest ``contents``: its blobs must be in
        the media store already (``stored``: md5 hex -> size)."""
        artifact, _ = self.storage.create_artifact(entity, project, type_name, collection,
                                                   run_id, fields, False, None, None)
        if artifact["state"] == "COMMITTED":
            return artifact
        rows = manifest.entry_rows(contents)
        files = [(row["path"], row["digest"]) for row in rows if row["blob_md5"]]
        for start in range(0, len(files), 500):
            self.storage.register_blobs(artifact["id"], files[start:start + 500])
        for md5_hex, size in stored.items():
            self.storage.mark_blob_stored(md5_hex, size)
        for row in rows:  # this server's ids: a download asks by birth artifact
            if row["blob_md5"]:
                row["birth_artifact_id"] = artifact["id"]
        for path in contents:
            if not contents[path].get("ref"):
                contents[path] = dict(contents[path], birthArtifactID=artifact["id"])
        key = f"{blobs.MANIFEST_PREFIX}{artifact['id']}/current.json"
        data = manifest.render(policy, policy_config, contents)
        self.media.put(key, [data], max(self.core.config.max_upload_bytes, len(data)))
        digest = manifest.artifact_digest(contents)
        if digest != fields["digest"]:
            raise InvalidArgument(f"the manifest of {collection} gives digest {digest}, but the "
                                  f"source says {fields['digest']}; not imported")
        return self.storage.commit_artifact(artifact["id"], rows, digest, key)

    def set_aliases(self, artifact: dict, aliases: list[str]) -> None:
        current = {a["alias"] for a in artifact["aliases"]
                   if a["collection_id"] == artifact["collection_id"]}
        wanted = set(aliases)
        if current == wanted:
            return
        self.storage.set_aliases(artifact["id"],
                                 [(artifact["collection_id"], a) for a in sorted(wanted - current)],
                                 [(artifact["collection_id"], a) for a in sorted(current - wanted)])

    def metadata_text(self, metadata: Any) -> str:
        return json.dumps(metadata or {})
