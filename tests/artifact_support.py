"""Shared by the artifact and media tests: a Roost on either media store, and what landed."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from harness import RoostServer
from s3_server import S3Server

STORES = ("files", "minio")
BLOB_PUT = re.compile(r"PUT /(?:storage|[a-z0-9-]+)/blobs/([0-9a-f]{32})")


@dataclass
class Store:
    kind: str
    server: RoostServer
    s3: S3Server | None = None
    bucket: str = ""

    def blob_puts(self) -> list[str]:
        """Hex digests of every blob PUT that reached storage, one entry per request."""
        if self.s3 is not None:
            lines = self.s3.puts(f"/{self.bucket}/blobs/")
        else:
            lines = [line for path in sorted(self.server.log_dir.glob("*.log"))
                     for line in path.read_text(errors="replace").splitlines()
                     if "PUT /storage/blobs/" in line]
        return [m.group(1) for line in lines if (m := BLOB_PUT.search(line))]

    def blob_exists(self, md5_hex: str) -> bool:
        if self.s3 is not None:
            try:
                self.s3.client().stat_object(self.bucket, f"blobs/{md5_hex}")
                return True
            except Exception:  # noqa: BLE001 - minio raises S3Error for a missing object
                return False
        return self.server.media_path(f"blobs/{md5_hex}").is_file()

    def blob_bytes(self, md5_hex: str) -> bytes:
        if self.s3 is not None:
            response = self.s3.client().get_object(self.bucket, f"blobs/{md5_hex}")
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()
        return self.server.media_path(f"blobs/{md5_hex}").read_bytes()

    def stop(self) -> None:
        self.server.cleanup()
        if self.s3 is not None:
            self.s3.stop()


def start_store(kind: str, data_dir, extra_args=()) -> Store:
    """A Roost whose media store is local disk (``files``) or MinIO-via-moto (``minio``).
    The access log is on (debug) so tests can count uploads through the front."""
    args = ["--log-level", "debug", *extra_args]
    if kind == "files":
        return Store(kind, RoostServer(data_dir, extra_args=args).start())
    s3 = S3Server().start()
    bucket = "roost-" + secrets.token_hex(4)
    try:
        server = RoostServer(data_dir, extra_args=args, env=s3.roost_env(bucket)).start()
    except BaseException:
        s3.stop()
        raise
    return Store(kind, server, s3, bucket)


def project_blobs(server: RoostServer, entity: str, project: str) -> set[str]:
    """Hex digests of the stored content of every live artifact version in a project."""
    rows = server.query(
        "SELECT DISTINCT f.blob_md5 FROM artifact_file f JOIN artifact a ON f.artifact_id = a.id "
        "JOIN artifact_collection c ON a.sequence_id = c.id JOIN project p ON c.project_id = p.id "
        "JOIN entity e ON p.entity_id = e.id WHERE e.name = ? AND p.name = ? "
        "AND f.blob_md5 IS NOT NULL", (entity, project))
    return {row["blob_md5"] for row in rows}
