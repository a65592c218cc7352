"""Calls of MediaService (protos/media.proto): blobs moved through the front by signed key."""

from __future__ import annotations

from typing import Iterable, Iterator

from roost.protos import media_pb2
from roost.protos.clients.base import Rpc

UPLOAD_CHUNK = 1024 * 1024


class MediaCalls(Rpc):
    _media: "media_pb2_grpc.MediaServiceStub"  # noqa: F821 (set by CoreClient)

    def upload_signed(self, key: str, expires: int, signature: str, body: Iterable[bytes],
                      method: str = "PUT") -> media_pb2.UploadReply:
        def messages():
            yield media_pb2.UploadChunk(header=media_pb2.SignedKey(
                key=key, expires=expires, signature=signature, method=method))
            for data in body:
                for start in range(0, len(data), UPLOAD_CHUNK):
                    yield media_pb2.UploadChunk(data=data[start:start + UPLOAD_CHUNK])

        # No deadline: an upload takes as long as the client takes to send it.
        return self._send(self._media.Upload, messages(), timeout=None)

    def download_signed(self, key: str, expires: int,
                        signature: str) -> tuple[int, Iterator[bytes]]:
        return self._open_stream(self._media.Download, media_pb2.SignedKey(
            key=key, expires=expires, signature=signature, method="GET"))
