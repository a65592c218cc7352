"""Console: users (add, disable, reset password, make admin) and their API keys."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, url_for

from roost.admin.console.blueprint import act, bp, core, form, me, show_secret
from roost.core.errors import RoostError
from roost.core.formats import parse_expiry


@bp.get("/users")
def users():
    query = request.args.get("q", "").strip()
    return render_template("console/users.html", users=core().list_users(me(), query, 500),
                           query=query)


@bp.post("/users")
def add_user():
    return act(lambda: core().create_user(me(), form("username"), form("email"),
                                          request.form.get("password", ""),
                                          bool(request.form.get("admin"))),
               f"Created user {form('username')!r}.", url_for("console.users"))


@bp.post("/users/<username>/disabled")
def set_disabled(username: str):
    disabled = request.form.get("disabled") == "true"
    return act(lambda: core().update_user(me(), username, disabled=disabled),
               f"{'Disabled' if disabled else 'Enabled'} {username!r}.", url_for("console.users"))


@bp.post("/users/<username>/admin")
def set_admin(username: str):
    admin = request.form.get("admin") == "true"
    return act(lambda: core().update_user(me(), username, admin=admin),
               f"{username!r} is {'now' if admin else 'no longer'} an admin.",
               url_for("console.users"))


@bp.post("/users/<username>/password")
def reset_password(username: str):
    password = request.form.get("password", "")
    if not password:
        flash("Enter the new password.", "error")
        return redirect(url_for("console.users"))
    return act(lambda: core().update_user(me(), username, password=password),
               f"Set a new password for {username!r}.", url_for("console.users"))


@bp.get("/users/<username>/keys")
def user_keys(username: str):
    user = core().get_user(me(), username)
    return render_template("console/user_keys.html", user=user, now=time.time(),
                           keys=core().list_api_keys(me(), username))


@bp.post("/users/<username>/keys")
def create_key(username: str):
    back = url_for("console.user_keys", username=username)
    try:
        expires = parse_expiry(form("expires")) if form("expires") else 0.0
        created = core().create_api_key(me(), username, form("description"), expires)
    except RoostError as exc:
        flash(exc.message, "error")
        return redirect(back)
    return show_secret(f"New API key for {username}", created.secret,
                       "Copy it now: Roost stores only a hash and cannot show it again.", back)


@bp.post("/keys/<key_id>/revoke")
def revoke_key(key_id: str):
    back = url_for("console.user_keys", username=form("username")) if form("username") \
        else url_for("console.users")
    return act(lambda: core().revoke_api_key(me(), key_id), "Revoked the key.", back)
