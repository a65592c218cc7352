"""GET /metrics: the front's counters in Prometheus text format (prometheus_client).

What is counted, per front process:

- ``roost_http_requests_total{method,route,status}`` and ``roost_http_request_seconds{method,
  route}``: every request, labelled by the Flask URL rule it matched (``/files/<entity>/...``,
  never the raw path, which would make one series per run), ``unmatched`` for a 404 that
  matched none;
- ``roost_core_calls_total{method,code}`` and ``roost_core_call_seconds{method}``: every gRPC
  call this front made to a core (``StorageService/WriteFileStream``, ...) and its status;
- ``roost_file_stream_lines_total`` and ``roost_file_stream_bytes_total``: what the SDKs streamed;
- the process's CPU, memory and open files (prometheus_client's process collector).

A front is one process (waitress serves with threads), so the counters of one registry are
the whole front's: no multiprocess mode is needed. Each front is scraped on its own address;
through a load balancer a scrape would see whichever front answered.

Who may read it: a request bearing ``Authorization: Bearer <metrics_token>`` when the
``metrics_token`` option is set (for a Prometheus server), else a server admin (API key or web
session). Nobody anonymous: request rates per route tell outsiders what the lab is doing.
"""

from __future__ import annotations

import hmac
import time

import grpc
from flask import Flask, Response, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram,
                               ProcessCollector, generate_latest)

from roost.admin.request_auth import authenticated_principal
from roost.core.errors import PermissionDenied, Unauthenticated

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
# From a cached page (1 ms) to a long artifact download (minutes).
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
HTTP_REQUESTS = Counter("roost_http_requests_total", "HTTP requests the front answered",
                        ["method", "route", "status"], registry=REGISTRY)
HTTP_SECONDS = Histogram("roost_http_request_seconds", "Time to answer an HTTP request (until "
                         "the response's headers; a streamed body is not included)",
                         ["method", "route"], buckets=BUCKETS, registry=REGISTRY)
CORE_CALLS = Counter("roost_core_calls_total", "gRPC calls from this front to a core",
                     ["method", "code"], registry=REGISTRY)
CORE_SECONDS = Histogram("roost_core_call_seconds", "Time of a gRPC call to a core (retries "
                         "included)", ["method"], buckets=BUCKETS, registry=REGISTRY)
FILE_STREAM_LINES = Counter("roost_file_stream_lines", "Lines received on file_stream "
                            "(history, events, summary, console)", registry=REGISTRY)
FILE_STREAM_BYTES = Counter("roost_file_stream_bytes", "Bytes of file_stream request bodies",
                            registry=REGISTRY)


def count_file_stream(lines: int, size: int) -> None:
    FILE_STREAM_LINES.inc(lines)
    FILE_STREAM_BYTES.inc(size)


def _method_label(full_method: str) -> str:
    # "/roost.v1.StorageService/GetRun" -> "StorageService/GetRun"
    return full_method.lstrip("/").rpartition(".")[2] if "." in full_method else full_method


class CoreCallMetrics(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                      grpc.StreamUnaryClientInterceptor):
    """Counts and times the front's calls to the cores (installed on CoreClient's channel)."""

    @staticmethod
    def _observe(details, code, started: float) -> None:
        method = _method_label(details.method)
        CORE_CALLS.labels(method, code.name if code is not None else "UNKNOWN").inc()
        CORE_SECONDS.labels(method).observe(time.perf_counter() - started)

    def intercept_unary_unary(self, continuation, details, request):
        started = time.perf_counter()
        call = continuation(details, request)
        self._observe(details, call.code(), started)  # a unary call is complete here
        return call

    def intercept_stream_unary(self, continuation, details, request_iterator):
        started = time.perf_counter()
        call = continuation(details, request_iterator)
        self._observe(details, call.code(), started)
        return call

    def intercept_unary_stream(self, continuation, details, request):
        started = time.perf_counter()
        call = continuation(details, request)
        # A download's chunks arrive while the front sends them on: counted when it ends.
        call.add_done_callback(lambda done: self._observe(details, done.code(), started))
        return call


def _route() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _may_read(token: str) -> None:
    """Return if this request may read /metrics, else raise 401/403 with what would do."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(),
                                                                    token.encode()):
        return
    principal = authenticated_principal()
    if principal.kind == "anonymous":
        raise Unauthenticated("/metrics is for server admins: send an admin's API key "
                              "(Basic api:KEY), sign in as an admin, or set the metrics_token "
                              "option and send Authorization: Bearer <metrics_token>")
    if not principal.admin:
        raise PermissionDenied("/metrics is for server admins and the metrics_token only")


def init_app(app: Flask, config) -> None:
    token = str(config.get("metrics_token") or "")

    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count_request(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            route = _route()
            HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
            HTTP_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics")
    def metrics():
        _may_read(token)
        return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)
