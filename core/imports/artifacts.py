"""Import a project's artifacts (each version with its manifest, digest, aliases, tags and
metadata, files stored once per content, lineage) and its sweeps.

A version is imported whole or not at all: its blobs are stored first (those this Roost holds
already are not downloaded again), then the version is created and committed from its manifest
in one go, and only then recorded as imported. Aliases and tags are brought up to date on every
pass, since the source may move them without adding a version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from roost.core.artifacts.manifest import md5_b64_to_hex
from roost.core.imports.runs import Clash, parse_time, record_id
from roost.core.imports.source import Scratch, Source

ARTIFACT_KIND = "artifact"
COLLECTION_KIND = "collection"
SWEEP_KIND = "sweep"
VERSION_ALIASES = ("latest",)


@dataclass
class ArtifactOutcome:
    versions: int = 0
    unchanged: int = 0
    blobs: int = 0
    reused: int = 0
    bytes: int = 0
    failures: list[str] = field(default_factory=list)


def _contents(artifact) -> dict[str, dict]:
    contents = {}
    for path, entry in artifact.manifest.entries.items():
        item: dict[str, Any] = {"digest": entry.digest, "size": entry.size or 0}
        if entry.ref:
            item["ref"] = entry.ref
        if entry.extra:
            item["extra"] = entry.extra
        contents[path] = item
    return contents


class ArtifactImporter:
    def __init__(self, source: Source, target, source_key: str,
                 run_ids: dict[str, str], on_bytes=lambda nbytes: None):
        """``run_ids``: source run path (entity/project/name) -> target run id."""
        self.source = source
        self.target = target
        self.source_key = source_key
        self.run_ids = run_ids
        self.on_bytes = on_bytes
        self._claimed: set[str] = set()

    def _target_run(self, run) -> str | None:
        if run is None:
            return None
        return self.run_ids.get(f"{run.entity}/{run.project}/{run.id}")

    def import_project(self, src: tuple[str, str], dst: tuple[str, str],
                       scratch: Scratch) -> ArtifactOutcome:
        outcome = ArtifactOutcome()
        records = self.target.storage.import_records(self.source_key, ARTIFACT_KIND)
        for artifact in self.source.artifact_versions(*src):
            source_id = record_id(src, dst, artifact.source_name)
            try:
                self._version(src, dst, artifact, source_id, records.get(source_id), scratch,
                              outcome)
            except Exception as exc:  # reported, and the next version is tried
                outcome.failures.append(f"artifact {source_id}: {exc}")
        return outcome

    def _version(self, src, dst, artifact, source_id: str, record: dict | None,
                 scratch: Scratch, outcome: ArtifactOutcome) -> None:
        aliases = [a for a in artifact.aliases if a not in VERSION_ALIASES]
        if record and record["complete"]:
            stored = self.target.storage.get_artifact(record["target_id"])
            if stored is not None:
                self.target.set_aliases(stored, list(artifact.aliases))
                self._lineage(artifact, stored["id"])
                outcome.unchanged += 1
                return
        collection = artifact.source_name.split(":")[0]
        self._claim(src, dst, collection)
        contents = _contents(artifact)
        stored_blobs = {}
        for path, entry in contents.items():
            md5_hex = None if entry.get("ref") else md5_b64_to_hex(entry["digest"])
            if md5_hex is None or md5_hex in stored_blobs:
                continue
            if self.target.has_blob(md5_hex):
                stored_blobs[md5_hex] = int(entry["size"])
                outcome.reused += 1
                continue
            local = self.source.download_entry(artifact, path, scratch.path / "artifact")
            try:
                size = self.target.put_blob(md5_hex, local)
            finally:
                local.unlink(missing_ok=True)
            stored_blobs[md5_hex] = size
            outcome.blobs += 1
            outcome.bytes += size
            self.on_bytes(size)
        creator = self._target_run(self.source.retry(
            f"reading who logged {source_id}", artifact.logged_by))
        ttl = getattr(artifact, "ttl", None)
        fields = {"digest": artifact.digest, "description": artifact.description or "",
                  "metadata": json.dumps(artifact.metadata or {}), "aliases": aliases,
                  "tags": list(getattr(artifact, "tags", []) or []),
                  "history_step": getattr(artifact, "history_step", None),
                  "ttl_duration_seconds": int(ttl.total_seconds()) if ttl else None}
        policy = artifact.manifest.storage_policy
        policy_config = getattr(policy, "config", None)
        policy_config = policy_config() if callable(policy_config) else policy_config
        committed = self.target.put_artifact(
            dst[0], dst[1], artifact.type, collection, creator, fields, contents, stored_blobs,
            policy.name(), policy_config or {"storageLayout": "V2"})
        version = str(artifact.version)
        self.target.storage.set_artifact_imported_fields(
            committed["id"], parse_time(artifact.created_at) or committed["created_at"],
            int(version[1:]) if version[1:].isdigit() else None)
        committed = self.target.storage.get_artifact(committed["id"])
        self.target.set_aliases(committed, list(artifact.aliases))
        self._lineage(artifact, committed["id"])
        self.target.storage.put_import_record(self.source_key, ARTIFACT_KIND, source_id,
                                              committed["id"], artifact.digest, True)
        outcome.versions += 1

    def _claim(self, src, dst, collection: str) -> None:
        """Refuse a collection of that name this source did not create here; record the ones
        it does create before their first version, so a failed version does not turn the
        collection into a clash on the next pass."""
        source_id = record_id(src, dst, collection)
        if source_id in self._claimed:
            return
        records = self.target.storage.import_records(self.source_key, COLLECTION_KIND)
        found = self.target.storage.get_collection(entity=dst[0], project=dst[1], name=collection)
        if found is not None and source_id not in records:
            raise Clash(f"artifact collection {dst[0]}/{dst[1]}/{collection} already exists "
                        "here and was not imported from this source; use --into")
        if source_id not in records:
            self.target.storage.put_import_record(self.source_key, COLLECTION_KIND, source_id,
                                                  "", "", True)
        self._claimed.add(source_id)

    def _lineage(self, artifact, artifact_id: str) -> None:
        users = self.source.retry(f"reading the users of {artifact.source_name}",
                                  artifact.used_by)
        for run in users:
            run_id = self._target_run(run)
            if run_id is not None:
                self.target.storage.use_artifact(run_id, artifact_id, "")


def import_sweeps(source: Source, target, source_key: str, src: tuple[str, str],
                  dst: tuple[str, str]) -> tuple[int, list[str]]:
    """Sweeps with their config and state; their runs join them through the runs'
    ``sweepName``. Returns (sweeps imported, notes)."""
    count, notes = 0, []
    for node in source.sweeps(*src):
        user = node.get("user") or {}
        local, found = target.user_for(user.get("username") or "", user.get("email") or "")
        if not found and user:
            notes.append(f"sweep {node['name']}: user {user.get('username')!r} is not known "
                         f"here; attributed to {local['username']!r}")
        fields = {"name": node["name"], "method": node.get("method") or "grid",
                  "config": node.get("config") or "", "state": node.get("state") or "FINISHED",
                  "description": node.get("description") or "",
                  "display_name": node.get("displayName") or ""}
        sweep = target.put_sweep(dst[0], dst[1], fields, local["id"])
        target.storage.put_import_record(source_key, SWEEP_KIND, record_id(src, dst, node["name"]),
                                         sweep["id"], "", True)
        count += 1
    return count, notes
