"""Share links: read-only access to one project or run for whoever holds the link's token,
revocable and optionally expiring. The token is the core's own credential (scheme
``share``), not an auth plugin's: :func:`principal` turns it into a principal whose every
check goes through ``core/access.py``.

The Core builds one ``ShareLinks`` (``core.share_links``) and gives it what it uses: storage,
the ``Authorizer`` and the audit log. The AdminService servicer calls it; ``Accounts``
authenticates a share token with :func:`principal`.
"""

from __future__ import annotations

import secrets
import time

from roost.core import access, auth
from roost.core.access import share_link_problem as link_problem
from roost.core.auth import Principal
from roost.core.errors import InvalidArgument, NotFound, Unauthenticated

MAX_SHARE_SECONDS = 366 * 24 * 3600


def principal(storage, token: str) -> Principal:
    """The read-only principal behind a share link's token; Unauthenticated when the link is
    unknown, revoked or expired."""
    link = storage.find_share_link(auth.api_key_hash(token or ""))
    problem = link_problem(link)
    if problem:
        raise Unauthenticated(problem)
    return Principal(user_id=link["id"], username="", default_entity=link["entity"],
                     kind="share", name=f"share link {link['id']}")


class ShareLinks:
    def __init__(self, storage, authorizer, audit):
        self.storage = storage
        self.authorizer = authorizer
        self.audit = audit

    def create(self, principal: Principal | None, entity: str, project: str,
               run: str = "", expires_in: int = 0, description: str = "") -> tuple[dict, str]:
        resource = {"entity": entity, "project": project} | ({"run": run} if run else {})
        if principal is not None:
            self.authorizer.check(principal, "project:share", resource)
        if self.storage.get_project(entity, project) is None:
            raise NotFound(f"project {entity}/{project} does not exist")
        if run and self.storage.get_run(entity, project, run) is None:
            raise NotFound(f"run {entity}/{project}/{run} does not exist")
        if expires_in < 0 or expires_in > MAX_SHARE_SECONDS:
            raise InvalidArgument("a share link expires after 0 (never) to 366 days")
        token = secrets.token_urlsafe(32)  # long and URL-safe: a bearer credential in a URL
        link = self.storage.create_share_link(
            auth.api_key_hash(token), entity, project, run,
            principal.user_id if principal and principal.user_id else "",
            time.time() + expires_in if expires_in else 0, (description or "")[:255])
        self.audit.record(principal, "share.create", access._label(resource),
                          link=link["id"], expires_in=expires_in)
        return link, token

    def describe(self, principal: Principal) -> dict:
        if principal.kind != "share":
            raise InvalidArgument("not a share link")
        link = self.storage.get_share_link(principal.user_id)
        problem = link_problem(link)
        if problem:
            raise Unauthenticated(problem)
        return link

    def list(self, principal: Principal | None, entity: str = "",
             project: str = "") -> list[dict]:
        if entity and project and not self.authorizer.is_admin(principal):
            self.authorizer.check(principal, "project:share",
                                 {"entity": entity, "project": project})
        else:
            self.authorizer.require_admin(principal, "list every share link")
        return self.storage.list_share_links(entity, project)

    def revoke(self, principal: Principal | None, link_id: str) -> None:
        link = self.storage.get_share_link(link_id)
        if link is None:
            raise NotFound(f"share link {link_id!r} does not exist")
        if principal is not None:
            self.authorizer.check(principal, "project:share",
                                 {"entity": link["entity"], "project": link["project"]})
        self.storage.revoke_share_link(link_id)
        self.audit.record(principal, "share.revoke",
                          f"{link['entity']}/{link['project']}", link=link_id)
