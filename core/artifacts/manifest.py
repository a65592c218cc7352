"""wandb artifact manifests (``wandb_manifest.json``, version 1): parse, merge, digest.

An entry is stored content (``digest`` is the base64 MD5 of the bytes, held as a blob) or a
reference (``ref`` such as ``s3://...``, ``file://...``: recorded, never uploaded).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from roost.core.errors import InvalidArgument

MAX_PATH = 700
# Entry keys the SDK writes that only make sense on the machine that wrote them.
CLIENT_ONLY_KEYS = ("local_path", "skip_cache")


def md5_b64_to_hex(value: str) -> str | None:
    """The hex form of a base64 MD5, or None when ``value`` is not one."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return None
    return raw.hex() if len(raw) == 16 else None


def hex_to_md5_b64(md5_hex: str) -> str:
    return base64.b64encode(bytes.fromhex(md5_hex)).decode()


def parse(data: bytes, what: str = "manifest") -> dict[str, Any]:
    """The manifest document, checked: version 1 and a ``contents`` object of entries."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidArgument(f"the uploaded {what} is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("version") != 1:
        raise InvalidArgument(f"the uploaded {what} is not a version 1 wandb manifest")
    contents = document.get("contents")
    if not isinstance(contents, dict):
        raise InvalidArgument(f"the uploaded {what} has no 'contents' object")
    for path, entry in contents.items():
        if (not isinstance(path, str) or not path or len(path) > MAX_PATH
                or not isinstance(entry, dict) or not isinstance(entry.get("digest"), str)):
            raise InvalidArgument(f"{what} entry {path!r} is malformed: each entry needs a "
                                  f"path of 1-{MAX_PATH} characters and a string digest")
    return document


def entry_rows(contents: dict[str, dict]) -> list[dict]:
    """Manifest entries as file-table rows; ``blob_md5`` is set for stored content only."""
    rows = []
    for path, entry in contents.items():
        ref = entry.get("ref")
        blob_md5 = None if ref else md5_b64_to_hex(entry["digest"])
        if not ref and blob_md5 is None:
            raise InvalidArgument(f"manifest entry {path!r}: digest {entry['digest']!r} is not a "
                                  "base64 MD5 and the entry is not a reference")
        extra = entry.get("extra")
        rows.append({"path": path, "digest": entry["digest"], "size": int(entry.get("size") or 0),
                     "ref": ref or None, "blob_md5": blob_md5,
                     "birth_artifact_id": str(entry.get("birthArtifactID") or ""),
                     "extra": json.dumps(extra) if extra else "",
                     "mimetype": str(entry.get("mimetype") or "")})
    return rows


def clean_entry(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in CLIENT_ONLY_KEYS}


def artifact_digest(contents: dict[str, dict]) -> str:
    """``Artifact.digest``: MD5 over the sorted ``path:digest`` lines (wandb's manifest_v1)."""
    hasher = hashlib.md5(b"wandb-artifact-manifest-v1\n")
    for path in sorted(contents):
        hasher.update(f"{path}:{contents[path]['digest']}\n".encode())
    return hasher.hexdigest()


def entries_to_contents(rows: list[dict]) -> dict[str, dict]:
    """File-table rows back into manifest entries (to merge onto a base version)."""
    contents = {}
    for row in rows:
        entry: dict[str, Any] = {"digest": row["digest"], "size": row["size"]}
        if row.get("birth_artifact_id"):
            entry["birthArtifactID"] = row["birth_artifact_id"]
        if row.get("ref"):
            entry["ref"] = row["ref"]
        if row.get("extra"):
            entry["extra"] = json.loads(row["extra"])
        contents[row["name"]] = entry
    return contents


def render(storage_policy: str, policy_config: dict, contents: dict[str, dict]) -> bytes:
    return json.dumps({"version": 1, "storagePolicy": storage_policy,
                       "storagePolicyConfig": policy_config,
                       "contents": {p: clean_entry(contents[p]) for p in sorted(contents)}},
                      separators=(",", ":")).encode()
