"""What every per-service client of the front has in common: one stub on the shared channel,
the core secret in the metadata, and the core's own errors instead of gRPC's."""

from __future__ import annotations

import grpc

from roost.core.auth import Principal
from roost.core.errors import from_grpc
from roost.core.wire import principal_to_proto


class ServiceClient:
    stub_class: type

    def __init__(self, channel: grpc.Channel, metadata, timeout: float):
        self._stub = self.stub_class(channel)
        self._metadata = metadata
        self._timeout = timeout

    def _send(self, method: str, request):
        try:
            return getattr(self._stub, method)(request, metadata=self._metadata,
                                               timeout=self._timeout)
        except grpc.RpcError as exc:
            raise from_grpc(exc) from None

    def _call(self, method: str, request_cls, principal: Principal, **fields):
        """Build ``request_cls`` for the principal; fields given as None are left unset."""
        fields = {k: v for k, v in fields.items() if v is not None}
        return self._send(method, request_cls(principal=principal_to_proto(principal), **fields))
