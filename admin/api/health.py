"""GET /healthz, and the SDK's telemetry probe."""

from __future__ import annotations

from flask import Blueprint, jsonify

from roost.admin.core_client import core_client
from roost.core.errors import RoostError

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        report = core_client().health()
    except RoostError as exc:
        return jsonify({"ok": False, "detail": f"core unreachable: {exc.message}"}), 503
    body = {"ok": report.ok, "storage": report.storage, "media": report.media}
    if not report.ok:
        body["detail"] = report.detail
    return jsonify(body), 200 if report.ok else 503


@bp.route("/sdk/otel/<path:rest>", methods=["GET", "POST", "PUT"])
def otel(rest: str):
    # 404 tells the SDK there is no telemetry endpoint, so it stops probing.
    return jsonify({"error": "Roost does not collect client telemetry"}), 404
