"""Console: projects (visibility, owner, delete) and their share links."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from roost.admin.console.blueprint import act, bp, core, form, me, show_secret
from roost.admin.urls import base_url
from roost.core.access import VISIBILITIES
from roost.core.errors import InvalidArgument, RoostError


@bp.get("/projects")
def projects():
    return render_template("console/projects.html", projects=core().list_projects(me()),
                           visibilities=VISIBILITIES)


def _back(entity: str, project: str) -> str:
    return url_for("console.project", entity=entity, project=project)


@bp.get("/projects/<entity>/<project>")
def project(entity: str, project: str):
    found = [p for p in core().list_projects(me(), entity) if p.name == project]
    if not found:
        flash(f"project {entity}/{project} does not exist", "error")
        return redirect(url_for("console.projects"))
    return render_template("console/project.html", project=found[0], visibilities=VISIBILITIES,
                           links=core().list_share_links(me(), entity, project))


@bp.post("/projects/<entity>/<project>/visibility")
def set_visibility(entity: str, project: str):
    visibility = form("visibility")
    return act(lambda: core().set_project_visibility(me(), entity, project, visibility),
               f"{entity}/{project} is now {visibility}.", _back(entity, project))


@bp.post("/projects/<entity>/<project>/owner")
def move(entity: str, project: str):
    new_entity = form("entity")
    return act(lambda: core().move_project(me(), entity, project, new_entity),
               f"Moved {project!r} to {new_entity!r}.",
               _back(new_entity, project) if new_entity else _back(entity, project))


@bp.post("/projects/<entity>/<project>/delete")
def delete(entity: str, project: str):
    def delete_confirmed():
        if form("confirm") != project:
            raise InvalidArgument(f"type the project's name ({project}) to confirm deletion")
        core().delete_project(me(), entity, project)

    try:
        delete_confirmed()
    except RoostError as exc:
        flash(exc.message, "error")
        return redirect(_back(entity, project))
    flash(f"Deleted {entity}/{project} and its runs.", "ok")
    return redirect(url_for("console.projects"))


@bp.post("/projects/<entity>/<project>/share")
def share(entity: str, project: str):
    back = _back(entity, project)
    try:
        days = int(form("days", "0") or 0)
        created = core().create_share_link(me(), entity, project, form("run"), days * 86400,
                                           form("description"))
    except ValueError:
        flash("the number of days must be a whole number", "error")
        return redirect(back)
    except RoostError as exc:
        flash(exc.message, "error")
        return redirect(back)
    link = f"{base_url()}{url_for('share.page', share_token=created.token)}"
    return show_secret("Read-only share link", link, "Anyone with this link can read "
                       + (f"run {created.link.run}" if created.link.run else "this project")
                       + " until it is revoked" + (" or expires." if days else ".")
                       + " Roost cannot show it again.", back)


@bp.post("/share-links/<link_id>/revoke")
def revoke_share(link_id: str):
    return act(lambda: core().revoke_share_link(me(), link_id), "Revoked the share link.",
               _back(form("entity"), form("project")))
