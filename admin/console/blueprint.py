"""The console blueprint and what its views share: the core, the caller, form actions."""

from __future__ import annotations

from typing import Callable

from flask import Blueprint, flash, redirect, render_template, request

from roost.admin.core_client import core_client
from roost.admin.web_auth import admin_required_page, current_principal
from roost.core.errors import RoostError

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")


core = core_client  # the views' short name for it


def me():
    return current_principal()


@bp.before_request
@admin_required_page
def require_admin():
    return None


@bp.errorhandler(RoostError)
def roost_error(exc: RoostError):
    return render_template("error.html", status=exc.http_status, message=exc.message), \
        exc.http_status


def form(name: str, default: str = "") -> str:
    return (request.form.get(name) or default).strip()


def act(action: Callable[[], object], success: str, back: str):
    """Run one admin action; flash what happened and go back. A refused action (a core
    error) changes nothing and says why."""
    try:
        action()
    except RoostError as exc:
        flash(exc.message, "error")
    else:
        flash(success, "ok")
    return redirect(back)


def show_secret(title: str, secret: str, explanation: str, back: str):
    """A page that shows a key or link once; it is not stored anywhere we could show again."""
    return render_template("console/secret.html", title=title, secret=secret,
                           explanation=explanation, back=back)
