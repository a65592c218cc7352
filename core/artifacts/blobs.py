"""Content-addressed blobs in the media store, and the optional store features artifacts use.

Every distinct content is stored once, at ``blobs/<md5 hex>``, however many artifact versions
hold it. Bytes that pass through Roost are hashed on the way in and refused (nothing stored)
when they do not match the key; bytes uploaded straight to object storage are checked by the
store (``Content-MD5``) and again before a version referencing them is committed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Iterable, Iterator

from roost.core.errors import InvalidArgument

BLOB_PREFIX = "blobs/"
MANIFEST_PREFIX = "manifests/"
MULTIPART_PREFIX = "multipart/"
BLOB_KEY = re.compile(r"^blobs/([0-9a-f]{32})$")
PART_KEY = re.compile(r"^multipart/([A-Za-z0-9_-]{16,64})/(\d{1,5})$")
S3_MAX_PARTS = 10000


def blob_key(md5_hex: str) -> str:
    return BLOB_PREFIX + md5_hex


def owns_key(key: str) -> bool:
    return key.startswith((BLOB_PREFIX, MANIFEST_PREFIX, MULTIPART_PREFIX))


def checked_md5(chunks: Iterable[bytes], expected_hex: str, sizes: list[int]) -> Iterator[bytes]:
    """Pass ``chunks`` through, and raise at the end when their MD5 is not ``expected_hex``.

    A MediaStore stores all or nothing, so raising from the iterator stores nothing.
    ``sizes`` receives the byte count.
    """
    hasher = hashlib.md5()
    size = 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
        yield chunk
    sizes.append(size)
    if hasher.hexdigest() != expected_hex:
        raise InvalidArgument(f"the uploaded bytes have MD5 {hasher.hexdigest()}, not "
                              f"{expected_hex} as declared; nothing was stored")


def md5_of(chunks: Iterable[bytes]) -> tuple[str, int]:
    hasher = hashlib.md5()
    size = 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
    return hasher.hexdigest(), size


class ObjectStoreFeatures:
    """What an object store (S3, MinIO) can do that a plain MediaStore need not.

    A MediaStore that also derives from this class gets S3 multipart uploads straight to the
    bucket, and its blobs are checked by metadata (``stat``) instead of by reading them back.
    """

    def stat(self, key: str) -> tuple[int, str] | None:
        """(size, ETag without quotes) or None when there is no such object."""
        raise NotImplementedError

    def start_multipart(self, key: str) -> str:
        """Begin a multipart upload; return its upload id."""
        raise NotImplementedError

    def part_upload_url(self, key: str, upload_id: str, part_number: int, ttl: int) -> str:
        raise NotImplementedError

    def complete_multipart(self, key: str, upload_id: str,
                           parts: list[tuple[int, str]]) -> str:
        """Assemble the parts (number, ETag); return the object's ETag."""
        raise NotImplementedError

    def abort_multipart(self, key: str, upload_id: str) -> None:
        raise NotImplementedError


def new_upload_id() -> str:
    return secrets.token_urlsafe(24)


def part_key(upload_id: str, part_number: int) -> str:
    return f"{MULTIPART_PREFIX}{upload_id}/{part_number}"


def multipart_etag(part_md5_hexes: list[str]) -> str:
    """The ETag S3 gives a multipart object: MD5 of the parts' MD5s, dash, part count."""
    joined = b"".join(bytes.fromhex(h) for h in part_md5_hexes)
    return f"{hashlib.md5(joined).hexdigest()}-{len(part_md5_hexes)}"
