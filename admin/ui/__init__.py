"""The researchers' web UI: home, projects and their runs tables, runs with charts, console,
files and media, compare, artifacts and settings, at W&B's URLs (``/<entity>/<project>``,
``/<entity>/<project>/runs/<run_id>``, ...).

Server-rendered Jinja (autoescaped, no inline scripts or styles, so the CSP of
admin/web_auth.py holds) with small ES modules in static/js and uPlot (vendored, MIT) for
charts; nothing is loaded from the internet. Pages and their JSON endpoints
(``/_ui/api/...``, GET only for reads, authenticated by the session cookie) read through
the front's core client, so a person sees exactly what the API would show them.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone

from flask import Flask


def _datetime(ts) -> str:
    """UTC text for a timestamp; the page's script rewrites it in the reader's time zone."""
    try:
        return datetime.fromtimestamp(float(ts), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def _bytes(size) -> str:
    try:
        size = float(size)
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def _duration(seconds) -> str:
    try:
        seconds = max(0, int(float(seconds)))
    except (TypeError, ValueError, OverflowError):
        return ""
    minutes, hours = seconds // 60, seconds // 3600
    if seconds < 60:
        return f"{seconds}s"
    if minutes < 60:
        return f"{minutes}m {seconds % 60}s"
    if hours < 48:
        return f"{hours}h {minutes % 60}m"
    return f"{hours // 24}d {hours % 24}h"


def _value(value) -> str:
    """A config or summary value as text (the template escapes it)."""
    from roost.admin.ui.present import jsonable

    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else str(value)
    if isinstance(value, (dict, list)):
        if isinstance(value, dict) and "_type" in value:
            return f"<{value['_type']}>"
        return json.dumps(jsonable(value), sort_keys=True)
    if value is None:
        return "null"
    return str(value)


def init_app(app: Flask) -> None:
    """Register the UI. Call last: the page URLs are catch-alls on their first segment, and
    the ``entity`` converter reserves every first segment registered before it."""
    from roost.admin.ui import routing
    from roost.admin.ui.blueprint import bp
    from roost.admin.ui import (api_media, api_project, api_run, api_workspace,  # noqa: F401
                                files, pages_artifact_diff, pages_artifacts, pages_workspace,
                                pages_compare, pages_home, pages_project, pages_run,
                                pages_settings, pages_sweeps, api_sweeps, api_views,
                                api_reports, pages_reports)

    routing.install(app)
    app.jinja_env.filters.setdefault("ui_datetime", _datetime)
    app.jinja_env.filters.setdefault("ui_bytes", _bytes)
    app.jinja_env.filters.setdefault("ui_value", _value)
    app.jinja_env.filters.setdefault("ui_duration", _duration)
    app.register_blueprint(bp)
