"""MinioMediaStore: the MediaStore on an S3-compatible bucket, with presigned URLs and S3
multipart uploads (so large artifact files go to the bucket in parts, never through Roost)."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta
from typing import Iterable, Iterator
from urllib.parse import urlparse

import urllib3
from minio import Minio
from minio.datatypes import Part
from minio.error import S3Error

from roost.core.artifacts.blobs import ObjectStoreFeatures
from roost.core.errors import InvalidArgument, NotFound, TooLarge, Unavailable
from roost.core.media import CHUNK_SIZE, MediaStore, check_key

# S3's smallest part (except the last) is 5 MiB; 16 MiB keeps memory flat and calls few.
PUT_PART_SIZE = 16 * 1024 * 1024
MAX_EXPIRY = 7 * 24 * 3600
MISSING = ("NoSuchKey", "NoSuchObject", "NoSuchUpload", "NotFound")


class _ChunkReader(io.RawIOBase):
    """A file-like view of a chunk iterator that counts bytes, hashes them and stops at a limit."""

    def __init__(self, chunks: Iterable[bytes], max_bytes: int):
        self._chunks = iter(chunks)
        self._buffer = b""
        self.size = 0
        self.md5 = hashlib.md5()
        self._max = max_bytes

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                break
            self.size += len(chunk)
            if self.size > self._max:
                raise TooLarge(f"upload is larger than the limit of {self._max} bytes")
            self.md5.update(chunk)
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


class MinioMediaStore(MediaStore, ObjectStoreFeatures):
    name = "minio"

    def __init__(self, client: Minio, bucket: str, presigner: Minio | None = None):
        self.client = client
        self.bucket = bucket
        # Presigned URLs carry the host they were signed for: sign with the public address.
        self.presigner = presigner or client
        self._ensure_bucket()

    @classmethod
    def from_config(cls, config) -> "MinioMediaStore":
        if not config.minio_access_key or not config.minio_secret_key:
            raise ValueError("media=minio needs minio_access_key and minio_secret_key "
                             "(ROOST_MINIO_ACCESS_KEY, ROOST_MINIO_SECRET_KEY)")
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=10, read=300), maxsize=32,
                                   retries=urllib3.Retry(total=3, backoff_factor=0.3,
                                                         status_forcelist=[500, 502, 503, 504]))
        client = Minio(config.minio_endpoint, access_key=config.minio_access_key,
                       secret_key=config.minio_secret_key, secure=bool(config.minio_secure),
                       region=config.minio_region or None, http_client=http)
        presigner = None
        if config.minio_public_url:
            public = urlparse(config.minio_public_url)
            presigner = Minio(public.netloc, access_key=config.minio_access_key,
                              secret_key=config.minio_secret_key, secure=public.scheme == "https",
                              region=config.minio_region or "us-east-1")
        return cls(client, config.minio_bucket, presigner)

    def _ensure_bucket(self) -> None:
        try:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
        except S3Error as exc:
            if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise Unavailable(f"MinIO bucket {self.bucket!r}: {exc.message}") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unavailable(f"cannot reach MinIO at {self.client._base_url.host}: {exc}") from None

    # -- MediaStore --------------------------------------------------------------------------
    def put(self, key: str, chunks: Iterable[bytes], max_bytes: int) -> tuple[int, str]:
        check_key(key)
        reader = _ChunkReader(chunks, max_bytes)
        # Unknown length: minio uploads in parts and the object appears only when complete.
        self.client.put_object(self.bucket, key, reader, length=-1, part_size=PUT_PART_SIZE)
        return reader.size, base64.b64encode(reader.md5.digest()).decode()

    def open(self, key: str) -> tuple[int, Iterator[bytes]]:
        check_key(key)
        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in MISSING:
                raise NotFound(f"no stored file {key!r}") from None
            raise
        size = int(response.headers.get("Content-Length", 0))

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.stream(CHUNK_SIZE)
            finally:
                response.close()
                response.release_conn()

        return size, chunks()

    def delete(self, key: str) -> None:
        check_key(key)
        try:
            self.client.remove_object(self.bucket, key)
        except S3Error as exc:
            if exc.code not in MISSING:
                raise

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def upload_url(self, key: str, base_url: str, ttl: int) -> tuple[str, list[str]]:
        check_key(key)
        url = self.presigner.presigned_put_object(self.bucket, key,
                                                  expires=timedelta(seconds=min(ttl, MAX_EXPIRY)))
        return url, []

    def download_url(self, key: str, base_url: str, ttl: int) -> str:
        check_key(key)
        return self.presigner.presigned_get_object(self.bucket, key,
                                                   expires=timedelta(seconds=min(ttl, MAX_EXPIRY)))

    def health(self) -> str:
        if not self.client.bucket_exists(self.bucket):
            raise OSError(f"bucket {self.bucket!r} does not exist")
        return f"minio bucket {self.bucket!r} at {self.client._base_url.host}"

    # -- object store features ---------------------------------------------------------------
    def stat(self, key: str) -> tuple[int, str] | None:
        check_key(key)
        try:
            found = self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in MISSING:
                return None
            raise
        return found.size, (found.etag or "").strip('"')

    def start_multipart(self, key: str) -> str:
        check_key(key)
        return self.client._create_multipart_upload(self.bucket, key, {})

    def part_upload_url(self, key: str, upload_id: str, part_number: int, ttl: int) -> str:
        return self.presigner.get_presigned_url(
            "PUT", self.bucket, key, expires=timedelta(seconds=min(ttl, MAX_EXPIRY)),
            extra_query_params={"partNumber": str(part_number), "uploadId": upload_id})

    def complete_multipart(self, key: str, upload_id: str,
                           parts: list[tuple[int, str]]) -> str:
        check_key(key)
        try:
            result = self.client._complete_multipart_upload(
                self.bucket, key, upload_id,
                [Part(number, etag if etag.startswith('"') else f'"{etag}"')
                 for number, etag in parts])
        except S3Error as exc:
            raise InvalidArgument(f"completing the multipart upload failed: {exc.message}") from None
        return (result.etag or "").strip('"')

    def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            self.client._abort_multipart_upload(self.bucket, key, upload_id)
        except S3Error as exc:
            if exc.code not in MISSING:
                raise
