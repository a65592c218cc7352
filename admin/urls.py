"""The base URL clients should use for URLs Roost hands out."""

from __future__ import annotations

from flask import current_app, request


def base_url() -> str:
    """Configured ``base_url``, else what the request says (after ProxyFix applied X-Forwarded-*)."""
    configured = current_app.config.get("ROOST_BASE_URL")
    if configured:
        return configured.rstrip("/")
    return (request.host_url.rstrip("/") + request.script_root).rstrip("/")
