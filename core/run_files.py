"""Run files: the files a run uploads (``createRunFiles``'s signed upload URLs, the upload
itself, files written straight to an object store) and reading them back.

The Core builds one ``RunFiles`` (``core.run_files``) and gives it what it uses: the storage
provider, the media store, config (URL expiry, upload limit) and the ``Authorizer``. The
StorageService servicer, ``Ingest`` (files the SDK reports uploaded) and ``SignedTransfer``
(the bytes of a signed upload) call it.
"""

from __future__ import annotations

import base64
import re
from typing import Iterable, Iterator

from roost.core.artifacts.blobs import ObjectStoreFeatures
from roost.core.auth import Principal
from roost.core.authorizer import Authorizer
from roost.core.errors import InvalidArgument, NotFound
from roost.core.media import check_key

MD5_HEX = re.compile(r"[0-9a-f]{32}")
MAX_FILE_NAME = 512


def check_run_file_name(name: str) -> str:
    if not isinstance(name, str) or not name or len(name) > MAX_FILE_NAME:
        raise InvalidArgument(f"invalid file name {name!r}")
    try:
        return check_key(name)
    except InvalidArgument:
        raise InvalidArgument(
            f"invalid file name {name!r}: use a relative path without '..', '.', "
            "empty parts, backslashes or a leading '/'") from None


class RunFiles:
    def __init__(self, storage, media, config, authorizer: Authorizer):
        self.storage = storage
        self.media = media
        self.config = config
        self.authorizer = authorizer

    # -- uploads -----------------------------------------------------------------------------
    def prepare_run_file_uploads(self, principal: Principal, entity: str, project: str,
                                 name: str, names: list[str], base_url: str) -> tuple[dict, list]:
        run = self.authorizer.run(principal, entity, project, name, "run:write")
        for file_name in names:
            check_run_file_name(file_name)
        records = self.storage.register_run_files(run["id"], names)
        ttl = self.config.url_expiry
        uploads = []
        for record in records:
            url, headers = self.media.upload_url(record["key"], base_url, ttl)
            uploads.append({"name": record["name"], "upload_url": url, "headers": headers})
        return run, uploads

    def mark_run_files_uploaded(self, principal: Principal, entity: str, project: str,
                                name: str, names: list[str]) -> None:
        run = self.authorizer.run(principal, entity, project, name, "run:write")
        self.storage.mark_run_files_present(run["id"], [check_run_file_name(n) for n in names])
        self.record_direct_uploads(run["id"], names)

    def record_direct_uploads(self, run_id: str, names: list[str]) -> None:
        """Bytes the client PUT straight to an object store never passed the core: when the
        client reports them uploaded, read their size and md5 back from the store."""
        if not names or not isinstance(self.media, ObjectStoreFeatures):
            return
        for name in names:
            record = self.storage.get_run_file(run_id, name)
            found = self.media.stat(record["key"]) if record else None
            if found is None:
                continue
            size, etag = found
            # A single-part upload's ETag is the hex md5; a multipart one's is not (it has -N).
            md5 = base64.b64encode(bytes.fromhex(etag)).decode() if MD5_HEX.fullmatch(etag) else ""
            self.storage.mark_run_file_uploaded(record["key"], size, md5)

    def receive_upload(self, key: str, chunks: Iterable[bytes]) -> tuple[int, str]:
        """Store the bytes of a signed upload (the signature is already checked) and mark the
        run file uploaded."""
        size, md5 = self.media.put(key, chunks, self.config.max_upload_bytes)
        self.storage.mark_run_file_uploaded(key, size, md5)
        return size, md5

    # -- reading -----------------------------------------------------------------------------
    def list_run_files(self, principal: Principal, entity: str, project: str, name: str,
                       names: list[str], after: str, first: int, pattern: str,
                       base_url: str) -> tuple[list[dict], bool, int]:
        run = self.authorizer.run(principal, entity, project, name)
        files, has_next, total = self.storage.list_run_files(run["id"], names, after, first,
                                                             pattern)
        ttl = self.config.url_expiry
        for record in files:
            record["direct_url"] = self.media.download_url(record["key"], base_url, ttl)
        return files, has_next, total

    def read_run_file(self, principal: Principal, entity: str, project: str, name: str,
                      file_name: str) -> tuple[int, Iterator[bytes]]:
        run = self.authorizer.run(principal, entity, project, name)
        record = self.storage.get_run_file(run["id"], check_run_file_name(file_name))
        if record is None or not record["uploaded"]:
            raise NotFound(f"run {entity}/{project}/{name} has no file {file_name!r}")
        return self.media.open(record["key"])
