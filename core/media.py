"""The MediaStore interface (blob bytes) and the URL signing local stores use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import posixpath
import time
from abc import ABC, abstractmethod
from typing import Iterable, Iterator
from urllib.parse import quote

from roost.core.errors import InvalidArgument

CHUNK_SIZE = 1024 * 1024


def check_key(key: str) -> str:
    """Refuse keys that could escape the store: absolute, '..', backslashes, NUL, empty parts."""
    if (not key or key.startswith("/") or "\\" in key or "\x00" in key
            or any(part in ("", ".", "..") for part in key.split("/"))
            or posixpath.normpath(key) != key):
        raise InvalidArgument(f"invalid storage path {key!r}")
    return key


class UrlSigner:
    """HMAC-signed, expiring URLs: the URL is the authorization, the SDK sends no credentials."""

    def __init__(self, secret: str):
        self._secret = secret.encode()

    def signature(self, method: str, key: str, expires: int) -> str:
        message = f"{method.upper()}\n{key}\n{expires}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def sign(self, method: str, key: str, base_url: str, ttl: int) -> str:
        expires = int(time.time()) + ttl
        sig = self.signature(method, key, expires)
        return f"{base_url.rstrip('/')}/storage/{quote(key)}?exp={expires}&sig={sig}"

    def verify(self, method: str, key: str, expires: int, signature: str) -> str | None:
        """None when valid, else the reason it is not."""
        if expires < time.time():
            return "this signed URL has expired; ask the server for a new one"
        if not hmac.compare_digest(self.signature(method, key, expires), signature or ""):
            return "this signed URL is not valid (altered, or for another file or method)"
        return None


class MediaStore(ABC):
    """Where blob bytes live. Keys are relative paths such as ``runs/12/media/x.png``."""

    name = "media"

    @abstractmethod
    def put(self, key: str, chunks: Iterable[bytes], max_bytes: int) -> tuple[int, str]:
        """Store the bytes atomically (all or nothing, durable before returning).

        Returns (size, base64 md5). Raises TooLarge past ``max_bytes``, storing nothing.
        """

    @abstractmethod
    def open(self, key: str) -> tuple[int, Iterator[bytes]]:
        """(size, chunk iterator); raises NotFound."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob; a missing blob is not an error."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def upload_url(self, key: str, base_url: str, ttl: int) -> tuple[str, list[str]]:
        """An absolute URL the client PUTs to without credentials, and ``Key:Value`` headers."""

    @abstractmethod
    def download_url(self, key: str, base_url: str, ttl: int) -> str:
        """An absolute URL the client GETs without credentials."""

    def verify(self, method: str, key: str, expires: int, signature: str) -> str | None:
        """For stores whose URLs point at the front: None if the signature is good, else why not."""
        return "this store does not serve signed URLs through Roost"

    def health(self) -> str:
        return self.name
