"""LocalMediaStore: blobs on local disk, every path contained under one root."""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from roost.core.errors import InvalidArgument, NotFound, TooLarge
from roost.core.media import CHUNK_SIZE, MediaStore, UrlSigner, check_key


class LocalMediaStore(MediaStore):
    name = "files (local disk)"

    def __init__(self, root: Path, signer: UrlSigner):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.signer = signer

    def path(self, key: str) -> Path:
        check_key(key)
        path = (self.root / key).resolve()
        # Resolving follows symlinks, so a link planted inside the store cannot lead out of it.
        if not path.is_relative_to(self.root):
            raise InvalidArgument(f"invalid storage path {key!r}")
        return path

    def put(self, key: str, chunks: Iterable[bytes], max_bytes: int) -> tuple[int, str]:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        md5 = hashlib.md5()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"upload is larger than the limit of {max_bytes} bytes")
                    md5.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return size, base64.b64encode(md5.digest()).decode()

    def open(self, key: str) -> tuple[int, Iterator[bytes]]:
        path = self.path(key)
        if not path.is_file():
            raise NotFound(f"no stored file {key!r}")
        handle = open(path, "rb")

        def chunks() -> Iterator[bytes]:
            with handle:
                while block := handle.read(CHUNK_SIZE):
                    yield block

        return os.fstat(handle.fileno()).st_size, chunks()

    def delete(self, key: str) -> None:
        path = self.path(key)
        path.unlink(missing_ok=True)
        # Give back the directories the key made, up to (not including) the store's root.
        for parent in path.parents:
            if parent == self.root or not parent.is_relative_to(self.root):
                break
            try:
                parent.rmdir()
            except OSError:  # not empty (another file lives there) or already gone
                break

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def upload_url(self, key: str, base_url: str, ttl: int) -> tuple[str, list[str]]:
        check_key(key)
        return self.signer.sign("PUT", key, base_url, ttl), []

    def download_url(self, key: str, base_url: str, ttl: int) -> str:
        check_key(key)
        return self.signer.sign("GET", key, base_url, ttl)

    def verify(self, method: str, key: str, expires: int, signature: str) -> str | None:
        check_key(key)
        return self.signer.verify(method, key, expires, signature)

    def health(self) -> str:
        if not os.access(self.root, os.W_OK):
            raise OSError(f"media directory {self.root} is not writable")
        return f"{self.name} at {self.root}"
