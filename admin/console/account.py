"""Sign in, sign out, self-registration (when an admin allows it) and invite links."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from roost.admin.core_client import core_client
from roost.admin.web_auth import current_principal, safe_next, sign_in, sign_out
from roost.core.errors import RoostError

# The stylesheet is served here, outside the console, so the sign-in page can use it.
bp = Blueprint("account", __name__, template_folder="templates", static_folder="static",
               static_url_path="/roost-static")



def _after_sign_in(principal) -> str:
    """The page the person asked for (a same-site ``next``), else the home page: admins too,
    who reach the console from the top bar."""
    return safe_next(request.values.get("next")) or url_for("ui.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error, status = "", 200
    if request.method == "POST":
        try:
            principal = sign_in(request.form.get("username", ""), request.form.get("password", ""))
        except RoostError as exc:
            error, status = exc.message, exc.http_status
        else:
            return redirect(_after_sign_in(principal))
    methods = current_app.config.get("ROOST_SIGN_IN_METHODS", [])
    return render_template("account/login.html", error=error,
                           next=safe_next(request.values.get("next")),
                           username=request.form.get("username", ""),
                           buttons=[m for m in methods if m["url"]],
                           passwords=not any(m["replaces_password"] for m in methods)), status


@bp.post("/logout")
def logout():
    follow = sign_out()
    if follow:
        # The sign-in provider's own sign-out (OpenID Connect end_session). A page that
        # moves on by itself: the CSP's form-action 'self' forbids redirecting this POST
        # to another site.
        return render_template("account/signed_out.html", follow=follow)
    flash("You are signed out.", "ok")
    return redirect(url_for("account.login"))


@bp.get("/account")
def signed_in():
    principal = current_principal()
    if principal is None:
        return redirect(url_for("account.login"))
    return render_template("account/signed_in.html", principal=principal)


@bp.post("/account/password")
def change_password():
    principal = current_principal()
    if principal is None:
        return redirect(url_for("account.login"))
    try:
        core_client().change_password(principal, request.form.get("current", ""),
                                request.form.get("password", ""))
    except RoostError as exc:
        flash(exc.message, "error")
    else:
        flash("Your password is changed.", "ok")
    return redirect(url_for("account.signed_in"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    error, status = "", 200
    if request.method == "POST":
        try:
            core_client().register(request.form.get("username", "").strip(),
                             request.form.get("password", ""),
                             request.form.get("email", "").strip())
        except RoostError as exc:
            error, status = exc.message, exc.http_status
        else:
            flash("Your account is ready: sign in.", "ok")
            return redirect(url_for("account.login"))
    return render_template("account/register.html", error=error, form=request.form), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    try:
        offer = core_client().get_invite(token)
    except RoostError as exc:
        return render_template("error.html", status=exc.http_status,
                               message=exc.message), exc.http_status
    error, status = "", 200
    if request.method == "POST":
        try:
            core_client().accept_invite(token, request.form.get("username", "").strip(),
                                  request.form.get("password", ""),
                                  request.form.get("email", "").strip())
        except RoostError as exc:
            error, status = exc.message, exc.http_status
        else:
            flash("Your account is ready: sign in.", "ok")
            return redirect(url_for("account.login"))
    return render_template("account/invite.html", invite=offer, error=error,
                           form=request.form), status
