"""The browser side of Roost's front: sign-in and account pages (``account``), the admin
console (``console``, admins only) and read-only share pages (``share``).

Templates are Jinja with autoescape on (every user string is escaped) and no inline
scripts or styles, so the CSP in admin/web_auth.py holds.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask


def timestamp(value: float) -> str:
    if not value:
        return "—"
    return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def filesize(value: int) -> str:
    size = float(value or 0)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def init_app(app: Flask) -> None:
    from roost.admin.console import account, identity, projects, share, system, teams, users
    from roost.admin.console.blueprint import bp

    del identity, projects, system, teams, users  # imported for the routes they add to bp
    app.add_template_filter(timestamp)
    app.add_template_filter(filesize)
    app.register_blueprint(account.bp)
    app.register_blueprint(bp)
    app.register_blueprint(share.bp)
