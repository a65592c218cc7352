"""Run the core's gRPC server."""

from __future__ import annotations

import hmac
import logging
from concurrent import futures

import grpc

from roost.core import admin_servicer, identity_servicer, ui_servicer
from roost.core.accounts_servicer import AuthServicer
from roost.core.artifacts import servicer as artifacts_servicer
from roost.core.metrics import ServedCallMetrics
from roost.core.service import Core
from roost.core.servicers import MediaServicer, StorageServicer
from roost.core.sweeps import servicer as sweeps_servicer
from roost.core.views import servicer as views_servicer
from roost.protos import auth_pb2_grpc, media_pb2_grpc, storage_pb2_grpc
from roost.protos.channel import GRPC_OPTIONS, SECRET_METADATA

log = logging.getLogger("roost.core")


class SharedSecretInterceptor(grpc.ServerInterceptor):
    """Only a front that knows the core secret may call the core."""

    def __init__(self, secret: str):
        self._secret = secret.encode()

        def deny(request, context):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong core secret")

        self._deny = deny

    def intercept_service(self, continuation, handler_call_details):
        sent = dict(handler_call_details.invocation_metadata).get(SECRET_METADATA, "")
        if hmac.compare_digest(sent.encode(), self._secret):
            return continuation(handler_call_details)
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        if handler.request_streaming and handler.response_streaming:
            return grpc.stream_stream_rpc_method_handler(lambda it, ctx: self._deny(None, ctx))
        if handler.request_streaming:
            return grpc.stream_unary_rpc_method_handler(lambda it, ctx: self._deny(None, ctx))
        if handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(self._deny)
        return grpc.unary_unary_rpc_method_handler(self._deny)


def build_server(core: Core, address: str, secret: str, workers: int) -> tuple[grpc.Server, int]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers),
                         interceptors=[SharedSecretInterceptor(secret), ServedCallMetrics()],
                         options=GRPC_OPTIONS)
    auth_pb2_grpc.add_AuthServiceServicer_to_server(AuthServicer(core), server)
    storage_pb2_grpc.add_StorageServiceServicer_to_server(StorageServicer(core), server)
    media_pb2_grpc.add_MediaServiceServicer_to_server(MediaServicer(core), server)
    artifacts_servicer.add_to_server(core, server)
    sweeps_servicer.add_to_server(core, server)
    admin_servicer.add_to_server(core, server)
    ui_servicer.add_to_server(core, server)
    views_servicer.add_to_server(core, server)
    identity_servicer.add_to_server(core, server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"could not listen on {address}")
    return server, port
