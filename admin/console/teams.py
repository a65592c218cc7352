"""Console: teams, memberships with roles, service accounts and invites."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from roost.admin.console.blueprint import act, bp, core, form, me, show_secret
from roost.admin.urls import base_url
from roost.core.access import ROLES
from roost.core.errors import RoostError


@bp.get("/teams")
def teams():
    return render_template("console/teams.html", teams=core().list_teams(me()))


@bp.post("/teams")
def create_team():
    name = form("name")
    try:
        core().create_team(me(), name, form("owner"))
    except RoostError as exc:
        flash(exc.message, "error")
        return redirect(url_for("console.teams"))
    flash(f"Created team {name!r}.", "ok")
    return redirect(url_for("console.team", name=name))


@bp.get("/teams/<name>")
def team(name: str):
    return render_template("console/team.html", team=core().get_team(me(), name), roles=ROLES,
                           invites=core().list_invites(me(), name))


@bp.post("/teams/<name>/members")
def set_member(name: str):
    username = form("username")
    role = form("role", "member")
    return act(lambda: core().set_member(me(), name, username, role),
               f"{username!r} is now a {role} of {name!r}.", url_for("console.team", name=name))


@bp.post("/teams/<name>/members/<username>/remove")
def remove_member(name: str, username: str):
    return act(lambda: core().remove_member(me(), name, username),
               f"Removed {username!r} from {name!r}.", url_for("console.team", name=name))


@bp.post("/teams/<name>/service-accounts")
def create_service_account(name: str):
    back = url_for("console.team", name=name)
    try:
        created = core().create_service_account(me(), name, form("description"))
    except RoostError as exc:
        flash(exc.message, "error")
        return redirect(back)
    return show_secret(f"Service account {created.user.username} of {name}", created.secret,
                       "Its API key: set it as WANDB_API_KEY in the CI job. Copy it now: "
                       "Roost stores only a hash and cannot show it again.", back)


def _invite(team: str, back: str):
    try:
        created = core().create_invite(me(), team=team, email=form("email"),
                                       username=form("username"), role=form("role", "member"),
                                       expires_in_seconds=int(form("days", "7") or 7) * 86400)
    except (RoostError, ValueError) as exc:
        flash(getattr(exc, "message", "the number of days must be a whole number"), "error")
        return redirect(back)
    if created.added_directly:
        flash(f"{form('username') or form('email')!r} already had an account and was added "
              f"to {team!r}.", "ok")
        return redirect(back)
    link = f"{base_url()}{url_for('account.invite', token=created.token)}"
    return show_secret("Invite link", link, "Send this link to the person you invite; it "
                       "works once and expires. Roost cannot show it again.", back)


@bp.post("/teams/<name>/invites")
def invite_to_team(name: str):
    return _invite(name, url_for("console.team", name=name))


@bp.get("/invites")
def invites():
    return render_template("console/invites.html", invites=core().list_invites(me()),
                           roles=ROLES)


@bp.post("/invites")
def invite_to_server():
    return _invite(form("team"), url_for("console.invites"))


@bp.post("/invites/<invite_id>/revoke")
def revoke_invite(invite_id: str):
    back = url_for("console.team", name=form("team")) if form("team") \
        else url_for("console.invites")
    return act(lambda: core().revoke_invite(me(), invite_id), "Revoked the invite.", back)
