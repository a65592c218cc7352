"""Signed blob transfer: the bytes behind the signed, expiring URLs the core hands out (run
files and artifact files), which the front streams to and from the core because the SDK
sends no credentials to such URLs.

The Core builds one ``SignedTransfer`` (``core.transfer``) and gives it what it uses: the
media store (it checks the signatures), ``RunFiles`` and ``ArtifactService`` (each records
the uploads of its own keys). The MediaService servicer calls it.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from roost.core.artifacts import blobs
from roost.core.errors import PermissionDenied


class SignedTransfer:
    def __init__(self, media, run_files, artifacts):
        self.media = media
        self.run_files = run_files
        self.artifacts = artifacts

    def _check_signature(self, method: str, key: str, expires: int, signature: str) -> None:
        problem = self.media.verify(method, key, expires, signature)
        if problem:
            raise PermissionDenied(problem)

    def upload(self, method: str, key: str, expires: int, signature: str,
               chunks: Iterable[bytes]) -> tuple[int, str]:
        self._check_signature(method, key, expires, signature)
        if blobs.owns_key(key):
            return self.artifacts.receive_upload(key, chunks)
        return self.run_files.receive_upload(key, chunks)

    def download(self, key: str, expires: int, signature: str) -> tuple[int, Iterator[bytes]]:
        self._check_signature("GET", key, expires, signature)
        return self.media.open(key)
