"""Logging an artifact version: create, manifests, file uploads (single and multipart), commit."""

from __future__ import annotations

import json
import re
from itertools import chain
from typing import Iterable

from roost.core.artifacts import blobs, manifest
from roost.core.artifacts.blobs import BLOB_KEY, PART_KEY, ObjectStoreFeatures
from roost.core.auth import Principal
from roost.core.errors import Conflict, InvalidArgument, NotFound, PermissionDenied, TooLarge

NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
VERSION_ALIAS = re.compile(r"^v(\d+)$")
TYPE_NAME = re.compile(r"^[-\w]+([ ]*[-.\w]+)*$")
MANIFEST_KINDS = ("FULL", "INCREMENTAL", "PATCH")
STORAGE_POLICY = "wandb-storage-policy-v1"


def check_collection_name(name: str) -> str:
    if not isinstance(name, str) or not NAME.match(name):
        raise InvalidArgument(f"invalid artifact name {name!r}: use 1-128 letters, digits, "
                              "'_', '-' or '.'")
    return name


def check_alias(alias: str) -> str:
    if not isinstance(alias, str) or not alias or len(alias) > 128 or "/" in alias or ":" in alias:
        raise InvalidArgument(f"invalid alias {alias!r}: use 1-128 characters without '/' or ':'")
    if VERSION_ALIAS.match(alias):
        raise InvalidArgument(f"alias {alias!r} is reserved: 'v<number>' names a version")
    return alias


def check_type_name(name: str) -> str:
    if not isinstance(name, str) or not 0 < len(name) <= 128 or not TYPE_NAME.match(name):
        raise InvalidArgument(f"invalid artifact type {name!r}")
    return name


def check_metadata(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidArgument("artifact metadata must be JSON text") from None
    if not isinstance(value, dict):
        raise InvalidArgument("artifact metadata must be a JSON object")
    return text


class ArtifactUploads:
    """The half of ArtifactService that receives versions. Needs ``core``, ``storage``,
    ``media``, ``_authorize_artifact`` and ``_project_access`` from the service."""

    # -- create ------------------------------------------------------------------------------
    def create_artifact(self, principal: Principal, entity: str, project: str, type_name: str,
                        collection: str, run: str, fields: dict, dedup: bool, client_id: str,
                        sequence_client_id: str) -> tuple[dict, bool]:
        entity = entity or principal.default_entity
        self._project_access(principal, "artifact:write", entity, project)
        check_collection_name(collection)
        check_type_name(type_name)
        check_metadata(fields.get("metadata"))
        if not re.fullmatch(r"[0-9a-f]{32}", fields.get("digest") or ""):
            raise InvalidArgument(f"artifact digest {fields.get('digest')!r} is not a hex MD5 "
                                  "(Roost serves MANIFEST_MD5 digests)")
        for alias in fields.get("aliases") or []:
            check_alias(alias)
        run_id = None
        if run:
            found = self.storage.get_run(entity, project, run)
            if found is None:
                raise NotFound(f"run {entity}/{project}/{run} does not exist")
            run_id = found["id"]
        if self.storage.get_entity(entity) is None:
            raise NotFound(f"entity {entity!r} does not exist")
        return self.storage.create_artifact(entity, project, type_name, collection, run_id,
                                            fields, dedup, client_id, sequence_client_id)

    def _pending(self, principal: Principal, artifact_id: str) -> dict:
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:write")
        if artifact["state"] != "PENDING":
            raise Conflict(f"artifact {artifact['collection']}:v{artifact['version_index']} is "
                           "already committed; log a new version instead")
        return artifact

    # -- manifests ---------------------------------------------------------------------------
    def prepare_manifest(self, principal: Principal, artifact_id: str, manifest_id: str,
                         name: str, kind: str, digest: str, base_artifact_id: str,
                         base_url: str) -> dict:
        if manifest_id:
            record = self.storage.get_manifest(manifest_id)
            if record is None:
                raise NotFound(f"artifact manifest {manifest_id} does not exist")
            self._pending(principal, record["artifact_id"])
            record = self.storage.update_manifest(manifest_id, digest or None,
                                                  base_artifact_id or None)
        else:
            self._pending(principal, artifact_id)
            if kind not in MANIFEST_KINDS:
                raise InvalidArgument(f"unknown manifest type {kind!r}")
            if base_artifact_id:
                self._authorize_artifact(principal, base_artifact_id, "artifact:read")
            record = self.storage.create_manifest(artifact_id, name or "wandb_manifest.json",
                                                  kind, digest, base_artifact_id or None)
        reply = {"id": record["id"], "file_id": record["id"], "upload_url": "",
                 "upload_headers": []}
        if record["digest"]:
            url, headers = self.media.upload_url(record["key"], base_url, self.config.url_expiry)
            reply["upload_url"], reply["upload_headers"] = url, headers
        return reply

    # -- files -------------------------------------------------------------------------------
    def prepare_files(self, principal: Principal, specs: list[dict], base_url: str) -> list[dict]:
        by_artifact: dict[str, list[int]] = {}
        for index, spec in enumerate(specs):
            by_artifact.setdefault(spec["artifact_id"], []).append(index)
            if manifest.md5_b64_to_hex(spec["md5"]) is None:
                raise InvalidArgument(f"file {spec['name']!r}: md5 {spec['md5']!r} is not a "
                                      "base64 MD5 digest")
            if not spec["name"] or len(spec["name"]) > manifest.MAX_PATH:
                raise InvalidArgument(f"invalid artifact file name {spec['name']!r}")
        replies: list[dict] = [{} for _ in specs]
        ttl = self.config.url_expiry
        for artifact_id, indexes in by_artifact.items():
            self._pending(principal, artifact_id)
            records = self.storage.register_blobs(
                artifact_id, [(specs[i]["name"], specs[i]["md5"]) for i in indexes])
            for i, blob in zip(indexes, records):
                key = blobs.blob_key(blob["md5"])
                reply = {"storage_path": key, "upload_url": "", "upload_headers": [],
                         "birth_artifact_id": blob["birth_artifact_id"] or artifact_id,
                         "upload_id": "", "parts": []}
                if not blob["stored"]:
                    parts = specs[i].get("parts") or []
                    if parts:
                        reply["upload_id"], reply["parts"] = self._start_multipart(
                            key, parts, base_url, ttl)
                    else:
                        url, headers = self.media.upload_url(key, base_url, ttl)
                        reply["upload_url"] = url
                        reply["upload_headers"] = headers + [f"Content-MD5:{specs[i]['md5']}"]
                replies[i] = reply
        return replies

    def _start_multipart(self, key: str, parts: list[dict], base_url: str,
                         ttl: int) -> tuple[str, list[dict]]:
        numbers = sorted(int(p["part_number"]) for p in parts)
        if numbers != list(range(1, len(numbers) + 1)) or len(numbers) > blobs.S3_MAX_PARTS:
            raise InvalidArgument("multipart parts must be numbered 1..N (N <= 10000)")
        if isinstance(self.media, ObjectStoreFeatures):
            upload_id = self.media.start_multipart(key)
            urls = [self.media.part_upload_url(key, upload_id, n, ttl) for n in numbers]
        else:
            upload_id = blobs.new_upload_id()
            urls = [self.media.upload_url(blobs.part_key(upload_id, n), base_url, ttl)[0]
                    for n in numbers]
        return upload_id, [{"part_number": n, "upload_url": u} for n, u in zip(numbers, urls)]

    def complete_multipart(self, principal: Principal, artifact_id: str, storage_path: str,
                           upload_id: str, parts: list[tuple[int, str]]) -> str:
        self._pending(principal, artifact_id)
        match = BLOB_KEY.match(storage_path)
        if not match:
            raise InvalidArgument(f"storage path {storage_path!r} is not one Roost handed out")
        md5_hex = match.group(1)
        blob = self.storage.get_blobs([md5_hex]).get(md5_hex)
        if blob is None:
            raise NotFound(f"no upload was started for {storage_path!r}")
        parts = sorted(parts)
        if isinstance(self.media, ObjectStoreFeatures):
            etag = self.media.complete_multipart(storage_path, upload_id, parts)
            size = self._stat_size(storage_path)
            if size > self.config.max_upload_bytes:
                self.media.delete(storage_path)
                raise TooLarge(f"upload is larger than the limit of "
                               f"{self.config.max_upload_bytes} bytes")
            self.storage.mark_blob_stored(md5_hex, size)
            return etag
        keys = [blobs.part_key(upload_id, n) for n, _ in parts]
        for key in keys:
            if not self.media.exists(key):
                raise InvalidArgument(f"part {key.rsplit('/', 1)[1]} of upload {upload_id} was "
                                      "never uploaded")
        sizes: list[int] = []
        stream = chain.from_iterable(self.media.open(key)[1] for key in keys)
        self.media.put(storage_path, blobs.checked_md5(stream, md5_hex, sizes),
                       self.config.max_upload_bytes)
        for key in keys:
            self.media.delete(key)
        self.storage.mark_blob_stored(md5_hex, sizes[0])
        return blobs.multipart_etag([etag.strip('"') for _, etag in parts])

    def _stat_size(self, key: str) -> int:
        found = self.media.stat(key)
        if found is None:
            raise NotFound(f"object {key!r} is missing from the bucket")
        return found[0]

    # -- bytes through Roost (local store) ---------------------------------------------------
    def receive_upload(self, key: str, chunks: Iterable[bytes]) -> tuple[int, str]:
        """A signed PUT for an artifact key. Blobs are verified against their key."""
        limit = self.config.max_upload_bytes
        match = BLOB_KEY.match(key)
        if match:
            md5_hex = match.group(1)
            blob = self.storage.get_blobs([md5_hex]).get(md5_hex)
            sizes: list[int] = []
            if blob is not None and blob["stored"] and self.media.exists(key):
                # Stored already (a retried PUT): check the bytes, keep the stored copy.
                for _ in blobs.checked_md5(chunks, md5_hex, sizes):
                    if sizes and sizes[0] > limit:
                        break
                return sizes[0] if sizes else 0, manifest.hex_to_md5_b64(md5_hex)
            size, md5 = self.media.put(key, blobs.checked_md5(chunks, md5_hex, sizes), limit)
            self.storage.mark_blob_stored(md5_hex, size)
            return size, md5
        if key.startswith(blobs.MANIFEST_PREFIX) or PART_KEY.match(key):
            return self.media.put(key, chunks, limit)
        raise PermissionDenied(f"{key!r} is not an artifact upload location")

    # -- commit ------------------------------------------------------------------------------
    def _read(self, key: str, what: str) -> bytes:
        try:
            _, chunks = self.media.open(key)
        except NotFound:
            raise Conflict(f"the {what} was never uploaded; upload it before committing") from None
        return b"".join(chunks)

    def commit_artifact(self, principal: Principal, artifact_id: str) -> dict:
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:write")
        if artifact["state"] == "COMMITTED":
            return artifact
        if artifact["state"] != "PENDING":
            raise Conflict(f"artifact {artifact_id} was deleted")
        manifests = [m for m in self.storage.list_manifests(artifact_id) if m["digest"]]
        if not manifests:
            raise Conflict("no manifest was uploaded for this artifact; upload "
                           "wandb_manifest.json before committing")
        contents: dict[str, dict] = {}
        policy, policy_config, raw_full = STORAGE_POLICY, {"storageLayout": "V2"}, None
        for record in manifests:
            data = self._read(record["key"], f"manifest {record['name']}")
            if manifest.hex_to_md5_b64(blobs.md5_of([data])[0]) != record["digest"]:
                raise Conflict(f"manifest {record['name']} does not match the digest declared "
                               "for it; upload it again")
            document = manifest.parse(data, record["name"])
            policy = document.get("storagePolicy") or policy
            policy_config = document.get("storagePolicyConfig") or policy_config
            if record["kind"] == "FULL":
                contents, raw_full = dict(document["contents"]), (record["key"], data)
                continue
            if record["kind"] == "INCREMENTAL" and not contents:
                base_id = record["base_artifact_id"] or artifact["latest_artifact_id"]
                if base_id:
                    contents = self._contents_of(base_id)
            contents.update(document["contents"])
            raw_full = None
        rows = manifest.entry_rows(contents)
        self._require_blobs(rows)
        if raw_full is not None and len(manifests) == 1:
            manifest_key = raw_full[0]
        else:
            manifest_key = f"{blobs.MANIFEST_PREFIX}{artifact_id}/current.json"
            data = manifest.render(policy, policy_config, contents)
            self.media.put(manifest_key, [data], max(self.config.max_upload_bytes, len(data)))
        return self.storage.commit_artifact(artifact_id, rows, manifest.artifact_digest(contents),
                                            manifest_key)

    def _contents_of(self, artifact_id: str) -> dict[str, dict]:
        rows, _, _ = self.storage.artifact_files(artifact_id, [], "", 0)
        return manifest.entries_to_contents(rows)

    def _require_blobs(self, rows: list[dict]) -> None:
        """Refuse a manifest naming content that was never uploaded (references excepted)."""
        wanted = {row["blob_md5"] for row in rows if row["blob_md5"]}
        known = self.storage.get_blobs(wanted)
        for md5_hex in sorted(wanted):
            blob = known.get(md5_hex)
            if blob is not None and blob["stored"]:
                continue
            if blob is None or not self._confirm_blob(md5_hex):
                path = next(r["path"] for r in rows if r["blob_md5"] == md5_hex)
                raise Conflict(f"manifest entry {path!r} references content "
                               f"{manifest.hex_to_md5_b64(md5_hex)} that was never uploaded; "
                               "nothing was committed")

    def _confirm_blob(self, md5_hex: str) -> bool:
        """A blob uploaded straight to the store: check it is there with the right content."""
        key = blobs.blob_key(md5_hex)
        if isinstance(self.media, ObjectStoreFeatures):
            found = self.media.stat(key)
            if found is None:
                return False
            size, etag = found
            if "-" not in etag and etag != md5_hex:
                self.media.delete(key)
                return False
        else:
            if not self.media.exists(key):
                return False
            actual, size = blobs.md5_of(self.media.open(key)[1])
            if actual != md5_hex:
                self.media.delete(key)
                return False
        if size > self.config.max_upload_bytes:
            self.media.delete(key)
            raise TooLarge(f"a file of this artifact is larger than the upload limit of "
                           f"{self.config.max_upload_bytes} bytes")
        self.storage.mark_blob_stored(md5_hex, size)
        return True
