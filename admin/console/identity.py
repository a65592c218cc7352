"""Console: every API key (people's and service accounts'), the sign-in methods with their
last sign-ins, and SCIM tokens."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, url_for

from roost.admin.console.blueprint import act, bp, core, form, me, show_secret
from roost.core.errors import RoostError


@bp.get("/keys")
def keys():
    show_all = request.args.get("all") == "1"
    return render_template("console/keys.html", now=time.time(), show_all=show_all,
                           keys=core().identity.list_all_api_keys(me(), show_all))


@bp.post("/keys/<key_id>/revoke-any")
def revoke_any_key(key_id: str):
    return act(lambda: core().revoke_api_key(me(), key_id), f"Revoked key {key_id}.",
               url_for("console.keys"))


@bp.get("/sign-in")
def sign_in_methods():
    overview = core().identity.sign_in_overview(me())
    recent: dict[str, list] = {}
    for record in overview.recent:
        recent.setdefault(record.method, []).append(record)
    return render_template("console/sign_in.html", methods=overview.methods, recent=recent,
                           tokens=core().identity.list_scim_tokens(me()))


@bp.post("/scim-tokens")
def create_scim_token():
    back = url_for("console.sign_in_methods")
    try:
        created = core().identity.create_scim_token(me(), form("description"))
    except RoostError as exc:
        flash(exc.message, "error")
        return redirect(back)
    return show_secret("New SCIM token", created.secret,
                       "Give it to your identity provider as the bearer token of "
                       f"{request.host_url.rstrip('/')}{request.script_root}/scim/v2. Copy it "
                       "now: Roost stores only a hash and cannot show it again.", back)


@bp.post("/scim-tokens/<token_id>/revoke")
def revoke_scim_token(token_id: str):
    return act(lambda: core().identity.revoke_scim_token(me(), token_id),
               "Revoked the SCIM token.", url_for("console.sign_in_methods"))
