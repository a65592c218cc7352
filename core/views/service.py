"""ViewService: every check on saved views and reports (what the servicer and CLI call).

- A view belongs to a project: reading it takes ``view:read`` there, saving ``view:write``,
  deleting another user's view ``view:delete`` (the creator deletes with ``view:write``).
  A project the caller may not read answers NotFound, so a private report stays unseen.
- A personal view (``personal``: a user's own default workspace, a report's draft) is seen
  and changed by its owner only.
- The spec is kept as the client sent it; it must be a JSON object of at most 10 MiB.
- A view-only link (principal kind ``view_token``) reads its one report and nothing else
  here; it never changes anything (core/views/tokens.py).
"""

from __future__ import annotations

import json
import secrets
import time

from roost.core.auth import Principal
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from roost.core.views import tokens

MAX_SPEC_BYTES = 10 * 1024 * 1024
REPORT_TYPES = ("runs", "runs/draft")
WORKSPACE_TYPE = "project-view"
DEFAULT_PAGE = 50
# What saving a view again may change (its type changes are drafts and publishing).
CHANGEABLE = ("display_name", "description", "spec")


def check_spec(spec: str) -> str:
    """The spec unchanged, or InvalidArgument with what is wrong and where."""
    size = len(spec.encode())
    if size > MAX_SPEC_BYTES:
        raise InvalidArgument(f"the view spec is {size:,} bytes; the limit is "
                              f"{MAX_SPEC_BYTES:,} bytes (10 MiB): split the report or remove "
                              "embedded data")
    try:
        parsed = json.loads(spec)
    except ValueError as exc:
        raise InvalidArgument(f"the view spec is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise InvalidArgument("the view spec must be a JSON object, got "
                              f"{type(parsed).__name__}")
    return spec


def generate_name() -> str:
    return secrets.token_hex(6)


class ViewService:
    """``authorize(principal, action, resource)`` raises unless the action is allowed (the
    core's one permission check)."""

    def __init__(self, storage, config, authorize):
        self.storage = storage
        self.config = config
        self.authorize = authorize

    # -- checks ------------------------------------------------------------------------------
    def _may(self, principal: Principal, action: str, entity: str, project: str) -> None:
        """Authorize; a project the caller may not read is NotFound (nothing leaks)."""
        if principal.kind == tokens.KIND:
            raise PermissionDenied("a view-only link reads its report and cannot change "
                                   "or list anything")
        try:
            self.authorize(principal, action, {"entity": entity, "project": project})
        except PermissionDenied:
            if action == "view:read":
                raise NotFound(f"project {entity}/{project} does not exist") from None
            raise

    def _readable(self, principal: Principal, view: dict | None, what: str) -> dict:
        if view is None:
            raise NotFound(f"view {what} does not exist")
        if principal.kind == tokens.KIND:
            tokens.check_view(self.storage, principal, view)
            return view
        if view["owner_id"] and view["owner_id"] != principal.user_id:
            raise NotFound(f"view {what} does not exist")
        self._may(principal, "view:read", view["entity"], view["project"])
        return view

    # -- views -------------------------------------------------------------------------------
    def upsert(self, principal: Principal, fields: dict) -> tuple[dict, bool]:
        if principal.kind == tokens.KIND:
            raise PermissionDenied("a view-only link cannot change a report")
        if not principal.user_id:
            raise Unauthenticated("sign in to save views and reports")
        if "spec" in fields:
            check_spec(fields["spec"])
        if fields.get("id"):
            view = self._readable(principal, self.storage.get_view(fields["id"]),
                                  repr(fields["id"]))
            return self._update(principal, view, fields)
        entity, project = fields.get("entity") or "", fields.get("project") or ""
        if not entity or not project:
            raise InvalidArgument("entityName and projectName are needed to create a view")
        if not fields.get("spec"):
            raise InvalidArgument("spec is needed to create a view")
        self._may(principal, "view:write", entity, project)
        name = fields.get("name") or generate_name()
        existing = self.storage.find_view(entity, project, name)
        if existing is not None:
            # W&B's upsert by name: saving a view of the same name again changes it.
            return self._update(principal, self._readable(principal, existing, repr(name)),
                                fields)
        parent_id = fields.get("parent_id") or ""
        if parent_id:
            parent = self._readable(principal, self.storage.get_view(parent_id), repr(parent_id))
            if (parent["entity"], parent["project"]) != (entity, project):
                raise InvalidArgument("a draft belongs to the project of its report")
        record = {"type": fields.get("type") or "runs", "name": name,
                  "display_name": fields.get("display_name") or "",
                  "description": fields.get("description") or "", "spec": fields["spec"],
                  "owner_id": principal.user_id if fields.get("personal") else "",
                  "parent_id": parent_id}
        return self.storage.create_view(entity, project, record, principal.user_id), True

    def _update(self, principal: Principal, view: dict, fields: dict) -> tuple[dict, bool]:
        """Change a view. A type change means what W&B's clients mean by it: saving a
        published report as a draft writes the caller's draft of it (the report stays as it
        is); saving a draft as a report publishes it (into its report, the draft gone)."""
        self._may(principal, "view:write", view["entity"], view["project"])
        changes = {k: fields.get(k) for k in CHANGEABLE}
        wanted = fields.get("type") or view["type"]
        if view["type"] == "runs" and wanted == "runs/draft":
            return self._save_draft(principal, view, changes)
        if view["type"] == "runs/draft" and wanted == "runs":
            if view["parent_id"]:
                draft = {k: view[k] for k in CHANGEABLE}
                merged = {k: v if v is not None else draft[k] for k, v in changes.items()}
                published = self.storage.update_view(view["parent_id"], merged,
                                                     principal.username)
                self.storage.delete_view(view["id"], delete_drafts=False)
                return published, False
            changes |= {"type": "runs", "owner_id": ""}
        return self.storage.update_view(view["id"], changes, principal.username), False

    def _save_draft(self, principal: Principal, report: dict, changes: dict) -> tuple[dict, bool]:
        drafts, _ = self.storage.list_views(report["entity"], report["project"], {
            "type": "runs/draft", "viewer_id": principal.user_id, "first": 1000})
        mine = next((d for d in drafts if d["parent_id"] == report["id"]
                     and d["owner_id"] == principal.user_id), None)
        if mine is not None:
            return self.storage.update_view(mine["id"], changes, principal.username), False
        record = {k: v if v is not None else report[k] for k, v in changes.items()}
        record |= {"type": "runs/draft", "name": generate_name(), "owner_id": principal.user_id,
                   "parent_id": report["id"]}
        return self.storage.create_view(report["entity"], report["project"], record,
                                        principal.user_id), True

    def get(self, principal: Principal, view_id: str = "", entity: str = "",
            project: str = "", name: str = "") -> dict:
        if view_id:
            return self._readable(principal, self.storage.get_view(view_id), repr(view_id))
        if not (entity and project and name):
            raise InvalidArgument("name a view by its id, or by entity, project and name")
        self._may(principal, "view:read", entity, project)
        return self._readable(principal, self.storage.find_view(entity, project, name),
                              f"{name!r} in {entity}/{project}")

    def list(self, principal: Principal, entity: str, project: str, query: dict
             ) -> tuple[list[dict], bool]:
        self._may(principal, "view:read", entity, project)
        first = query.get("first") or DEFAULT_PAGE
        if first < 0:
            raise InvalidArgument("first must not be negative")
        return self.storage.list_views(entity, project,
                                       query | {"viewer_id": principal.user_id, "first": first})

    def delete(self, principal: Principal, view_id: str, delete_drafts: bool) -> int:
        view = self._readable(principal, self.storage.get_view(view_id), repr(view_id))
        own = view["owner_id"] == principal.user_id or (
            view["username"] and view["username"] == principal.username)
        self._may(principal, "view:write" if own else "view:delete", view["entity"],
                  view["project"])
        return self.storage.delete_view(view["id"], delete_drafts)

    def ensure_project(self, principal: Principal, entity: str, project: str,
                       description: str | None) -> tuple[dict, bool]:
        if not entity or not project:
            raise InvalidArgument("entityName and name are needed to create a project")
        self._may(principal, "project:create", entity, project)
        return self.storage.ensure_project(entity, project, description)

    # -- view-only links ---------------------------------------------------------------------
    def _report_for_sharing(self, principal: Principal, view_id: str) -> dict:
        view = self._readable(principal, self.storage.get_view(view_id), repr(view_id))
        if view["type"] not in REPORT_TYPES:
            raise InvalidArgument("only reports have view-only links")
        self._may(principal, "view:write", view["entity"], view["project"])
        return view

    def _shared_projects(self, principal: Principal, view: dict,
                         projects: list[tuple[str, str]]) -> list[list[str]]:
        """The report's own project plus the runsets' projects the sharer may read."""
        wanted = {(view["entity"], view["project"])} | set(projects)
        for entity, project in wanted:
            self._may(principal, "view:read", entity, project)
        return sorted([e, p] for e, p in wanted)

    def create_token(self, principal: Principal, view_id: str,
                     projects: list[tuple[str, str]]) -> dict:
        view = self._report_for_sharing(principal, view_id)
        return tokens.create(self.storage, self.config, view, self._shared_projects(principal, view, projects),
                             principal.user_id)

    def list_tokens(self, principal: Principal, view_id: str) -> list[dict]:
        view = self._report_for_sharing(principal, view_id)
        return [tokens.with_token(self.config, t) for t in self.storage.list_view_tokens(view["id"])]

    def update_token(self, principal: Principal, token: str,
                     projects: list[tuple[str, str]] | None, revoke: bool) -> dict:
        record = tokens.find(self.storage, token)
        view = self._report_for_sharing(principal, record["view_id"])
        fields: dict = {}
        if projects is not None:
            fields["projects"] = self._shared_projects(principal, view, projects)
        if revoke and not record["revoked_at"]:
            fields["revoked_at"] = time.time()
        return tokens.with_token(self.config, self.storage.update_view_token(record["id"], fields))
