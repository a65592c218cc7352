"""The typed gRPC clients of the core, beside the contracts they speak (protos/*.proto).

:class:`CoreClient` is what the front holds: one channel, the calls of AuthService,
AdminService, StorageService and MediaService as its own methods, and the per-service clients
``artifacts``, ``sweeps``, ``ui``, ``views`` and ``identity``. The channel may reach
several cores (balancing.py). Every call goes one way (protos/clients/base.py) and
raises the core's own errors; nothing here imports the core's server.
"""

from __future__ import annotations

import grpc

from roost.protos import admin_pb2_grpc, auth_pb2_grpc, media_pb2_grpc, storage_pb2_grpc
from roost.protos.channel import GRPC_OPTIONS, SECRET_METADATA
from roost.protos.clients.accounts import AccountCalls
from roost.protos.clients.artifacts import ArtifactClient
from roost.protos.clients.balancing import channel_target, service_config
from roost.protos.clients.identity import IdentityClient
from roost.protos.clients.media import MediaCalls
from roost.protos.clients.runs import RunCalls
from roost.protos.clients.sweeps import SweepClient
from roost.protos.clients.tenancy import TenancyCalls
from roost.protos.clients.ui import UiClient
from roost.protos.clients.views import ViewClient

__all__ = ["CoreClient", "ArtifactClient", "IdentityClient", "SweepClient", "UiClient",
           "ViewClient"]


class CoreClient(AccountCalls, TenancyCalls, RunCalls, MediaCalls):
    def __init__(self, address: str, secret: str, timeout: float = 60.0, interceptors=()):
        """``address``: one core or several, comma separated (protos/clients/balancing.py);
        ``interceptors``: gRPC client interceptors on every call (the front's metrics)."""
        self.address = address
        channel = grpc.insecure_channel(channel_target(address), options=GRPC_OPTIONS + [
            ("grpc.service_config", service_config()), ("grpc.enable_retries", 1),
            # A retried call is kept until it is answered: room for the largest file_stream
            # body, so that one too is sent again to a live core (gRPC's default: 256 KiB).
            ("grpc.per_rpc_retry_buffer_size", 16 * 1024 * 1024)])
        if interceptors:
            channel = grpc.intercept_channel(channel, *interceptors)
        metadata = ((SECRET_METADATA, secret),)
        super().__init__(channel, metadata, timeout)
        self._auth = auth_pb2_grpc.AuthServiceStub(channel)
        self._admin = admin_pb2_grpc.AdminServiceStub(channel)
        self._storage = storage_pb2_grpc.StorageServiceStub(channel)
        self._media = media_pb2_grpc.MediaServiceStub(channel)
        self.artifacts = ArtifactClient(channel, metadata, timeout)
        self.sweeps = SweepClient(channel, metadata, timeout)
        self.ui = UiClient(channel, metadata, timeout)
        self.views = ViewClient(channel, metadata, timeout)
        self.identity = IdentityClient(channel, metadata, timeout)

    def close(self) -> None:
        self._channel.close()

    def wait_ready(self, timeout: float) -> None:
        grpc.channel_ready_future(self._channel).result(timeout=timeout)
