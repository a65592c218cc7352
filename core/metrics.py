"""The core's Prometheus metrics, served on their own address when ``core_metrics_listen`` is
set (``roost core --core-metrics-listen 0.0.0.0:9464``); the fronts serve theirs at /metrics
(admin/metrics.py). What is counted, per core process:

- ``roost_core_requests_total{method,code}`` and ``roost_core_request_seconds{method}``: every
  gRPC call the core served (``StorageService/WriteFileStream``, ...), its status and time;
- ``roost_gc_rounds_total``, ``roost_gc_blobs_deleted_total``, ``roost_gc_bytes_freed_total``,
  ``roost_gc_last_round_timestamp_seconds``: garbage collection (only the core holding the GC
  lease runs rounds, core/leader.py);
- what plugins add through ``roost_register_metrics`` (the sql plugin: its connection pool in
  use and idle, and the history lines waiting to be folded into rollups);
- the process's CPU, memory and open files.

Reading them needs ``Authorization: Bearer <metrics_token>`` (the same option as the fronts'):
with no token set, the core does not serve metrics at all, since anonymous request rates tell
outsiders what the lab is doing.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import grpc
from prometheus_client import (CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector,
                               make_wsgi_app)

log = logging.getLogger("roost.core")

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
REQUESTS = Counter("roost_core_requests_total", "gRPC calls the core served",
                   ["method", "code"], registry=REGISTRY)
REQUEST_SECONDS = Histogram("roost_core_request_seconds", "Time the core took to serve a gRPC "
                            "call (a streamed answer: until its last message)", ["method"],
                            buckets=BUCKETS, registry=REGISTRY)
GC_ROUNDS = Counter("roost_gc_rounds", "Garbage collection rounds this core ran",
                    registry=REGISTRY)
GC_BLOBS = Counter("roost_gc_blobs_deleted", "Artifact blobs garbage collection deleted",
                   registry=REGISTRY)
GC_BYTES = Counter("roost_gc_bytes_freed", "Bytes garbage collection freed", registry=REGISTRY)
GC_LAST = Gauge("roost_gc_last_round_timestamp_seconds", "When this core last finished a "
                "garbage collection round", registry=REGISTRY)


def count_gc_round(report: dict) -> None:
    GC_ROUNDS.inc()
    GC_BLOBS.inc(report.get("blobs_deleted", 0))
    GC_BYTES.inc(report.get("bytes_freed", 0))
    GC_LAST.set(time.time())


def _method_label(full_method: str) -> str:
    # "/roost.v1.StorageService/GetRun" -> "StorageService/GetRun"
    return full_method.lstrip("/").rpartition(".")[2] if "." in full_method else full_method


class _Timed:
    """Wraps one handler behaviour: counts its outcome and observes its time."""

    def __init__(self, method: str, behaviour, streams_out: bool):
        self.method, self.behaviour, self.streams_out = method, behaviour, streams_out

    def _record(self, context, started: float, failed: bool) -> None:
        code = context.code()
        name = code.name if isinstance(code, grpc.StatusCode) else (
            "UNKNOWN" if failed else "OK")
        REQUESTS.labels(self.method, name).inc()
        REQUEST_SECONDS.labels(self.method).observe(time.perf_counter() - started)

    def __call__(self, request, context):
        started = time.perf_counter()
        if self.streams_out:
            return self._stream(request, context, started)
        try:
            answer = self.behaviour(request, context)
        except BaseException:
            self._record(context, started, True)
            raise
        self._record(context, started, False)
        return answer

    def _stream(self, request, context, started):
        failed = True
        try:
            yield from self.behaviour(request, context)
            failed = False
        finally:
            self._record(context, started, failed)


class ServedCallMetrics(grpc.ServerInterceptor):
    """Counts and times every call the core serves (installed on the core's gRPC server)."""

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method = _method_label(handler_call_details.method)
        for kind, streams_out in (("unary_unary", False), ("unary_stream", True),
                                  ("stream_unary", False), ("stream_stream", True)):
            behaviour = getattr(handler, kind)
            if behaviour is not None:
                return handler._replace(**{kind: _Timed(method, behaviour, streams_out)})
        return handler


def _guarded(app, token: str):
    expected = f"Bearer {token}".encode()

    def guarded(environ, start_response):
        given = environ.get("HTTP_AUTHORIZATION", "").encode()
        if not hmac.compare_digest(given, expected):
            start_response("401 Unauthorized", [("Content-Type", "text/plain"),
                                                ("WWW-Authenticate", "Bearer")])
            return [b"the core's metrics need Authorization: Bearer <metrics_token>\n"]
        return app(environ, start_response)

    return guarded


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # scrapes every 15 s would flood the log
        pass


def serve_metrics(address: str, token: str) -> WSGIServer:
    """Serve REGISTRY at ``http://address/metrics`` (any path) on a daemon thread."""
    host, _, port = address.rpartition(":")
    server = make_server(host or "0.0.0.0", int(port), _guarded(make_wsgi_app(REGISTRY), token),
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="core-metrics", daemon=True).start()
    log.info("core metrics on http://%s:%s/metrics", host or "0.0.0.0", server.server_port)
    return server
