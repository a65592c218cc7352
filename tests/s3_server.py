"""An S3-protocol server on loopback for tests: moto's ThreadedMotoServer, in this process.

It records every request line, so a test can count the PUTs that reached the bucket.
No MinIO server binary is installable here (none on PyPI or in Debian), so moto stands in
for it; the MinIO plugin speaks plain S3 through the ``minio`` client either way.
"""

from __future__ import annotations

import logging
import threading

from moto.server import ThreadedMotoServer

ACCESS_KEY = "roost-test-access"
SECRET_KEY = "roost-test-secret-key"


class _RequestLog(logging.Handler):
    def __init__(self, server: "S3Server"):
        super().__init__(logging.INFO)
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        # Every moto server in this process logs to the same logger: tests tell them apart
        # by bucket name, which is unique per server.
        with self.server.lock:
            self.server.requests.append(record.getMessage())


class S3Server:
    def __init__(self):
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=True)
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.port = 0
        self._handler = _RequestLog(self)

    def start(self) -> "S3Server":
        self._moto.start()
        self.port = self._moto.get_host_and_port()[1]
        logger = logging.getLogger("werkzeug")
        logger.setLevel(logging.INFO)
        logger.addHandler(self._handler)
        return self

    def stop(self) -> None:
        logging.getLogger("werkzeug").removeHandler(self._handler)
        self._moto.stop()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def roost_env(self, bucket: str) -> dict[str, str]:
        """The environment that points a Roost at this server (ROOST_MEDIA=minio)."""
        return {"ROOST_MEDIA": "minio", "ROOST_MINIO_ENDPOINT": self.endpoint,
                "ROOST_MINIO_ACCESS_KEY": ACCESS_KEY, "ROOST_MINIO_SECRET_KEY": SECRET_KEY,
                "ROOST_MINIO_BUCKET": bucket, "ROOST_MINIO_SECURE": "false"}

    def client(self):
        from minio import Minio

        return Minio(self.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False,
                     region="us-east-1")

    def puts(self, path_prefix: str) -> list[str]:
        """Request lines of PUTs whose path starts with ``path_prefix`` (e.g. /bucket/blobs/)."""
        with self.lock:
            return [r for r in self.requests if f'"PUT {path_prefix}' in r]
