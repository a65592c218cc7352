"""Settings: the signed-in person's API keys (a new key is shown once) and profile."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, url_for

from roost.admin import web_auth
from roost.admin.ui.blueprint import bp, core, me
from roost.core.errors import RoostError
from roost.core.formats import parse_expiry

MAX_DESCRIPTION = 255


def _render(new_key: str = "", new_key_id: str = "", error: str = "", status: int = 200):
    principal = me()
    keys = sorted(core().list_api_keys(principal, principal.username),
                  key=lambda k: (k.revoked, -k.created_at))
    teams = core().ui.home(principal, 1).teams
    return render_template("ui/settings.html", keys=keys, teams=list(teams), new_key=new_key,
                           new_key_id=new_key_id, error=error, now=time.time()), status


@bp.get("/settings")
@web_auth.login_required_page
def settings():
    return _render()


@bp.post("/settings/keys")
@web_auth.login_required_page
def create_key():
    description = request.form.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        return _render(error=f"a description is at most {MAX_DESCRIPTION} characters",
                       status=400)
    principal = me()
    try:
        expires = request.form.get("expires", "").strip()
        created = core().create_api_key(principal, principal.username, description,
                                        parse_expiry(expires) if expires else 0.0)
    except RoostError as exc:
        return _render(error=exc.message, status=exc.http_status)
    return _render(new_key=created.secret, new_key_id=created.key.id)


@bp.post("/settings/keys/<key_id>/revoke")
@web_auth.login_required_page
def revoke_key(key_id: str):
    try:
        core().revoke_api_key(me(), key_id)
    except RoostError as exc:
        flash(exc.message, "error")
    else:
        flash("The key is revoked: clients using it are refused from now on.", "ok")
    return redirect(url_for("ui.settings"))


@bp.post("/settings/password")
@web_auth.login_required_page
def change_password():
    old, new = request.form.get("old_password", ""), request.form.get("new_password", "")
    if new != request.form.get("confirm_password", ""):
        return _render(error="the new passwords do not match", status=400)
    try:
        core().change_password(me(), old, new)
    except RoostError as exc:
        return _render(error=exc.message, status=exc.http_status)
    flash("Your password is changed.", "ok")
    return redirect(url_for("ui.settings"))
