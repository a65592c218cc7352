"""Storage area ``views`` (roost.core.views.storage) on the sql plugin's tables: saved
workspace views and reports, and the records of their view-only links."""

from __future__ import annotations

import json
import time
from typing import Any

import peewee

from roost.core.errors import AlreadyExists, InvalidArgument, NotFound
from roost.plugins.sql.area import SqlArea, too_long
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, User
from roost.plugins.sql.view_models import SavedView, ViewAccessToken

MAX_PAGE = 1000
TEXT_COLUMNS = ("type", "name", "display_name")


def _pk(value: Any) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None


def _check_lengths(fields: dict) -> None:
    too_long(SavedView, {k: fields[k] for k in TEXT_COLUMNS if k in fields})


def _view_dict(view: SavedView, with_spec: bool = True) -> dict:
    project = view.project
    return {"id": str(view.id), "entity": project.entity.name, "project": project.name,
            "project_id": str(project.id), "type": view.type, "name": view.name,
            "display_name": view.display_name, "description": view.description,
            "spec": view.spec if with_spec else "", "spec_bytes": len(view.spec.encode()),
            "username": view.user.username if view.user_id else "",
            "owner_id": str(view.owner_id or ""), "parent_id": str(view.parent_id or ""),
            "authors": json.loads(view.authors or "[]"), "created_at": view.created_at,
            "updated_at": view.updated_at}


def _token_dict(token: ViewAccessToken) -> dict:
    return {"id": str(token.id), "view_id": str(token.view_id), "nonce": token.nonce,
            "type": token.type, "projects": json.loads(token.projects or "[]"),
            "created_at": token.created_at, "revoked_at": token.revoked_at or 0.0}


@connection_per_call
class ViewStore(SqlArea):
    @staticmethod
    def _views_query():
        return (SavedView.select(SavedView, Project, Entity, User).join(Project).join(Entity)
                .switch(SavedView).join(User, peewee.JOIN.LEFT_OUTER, on=SavedView.user))

    def create_view(self, entity, project, fields, user_id):
        _check_lengths(fields)
        proj = (Project.select(Project).join(Entity)
                .where((Entity.name == entity) & (Project.name == project)).first())
        if proj is None:
            raise NotFound(f"project {entity}/{project} does not exist")
        user = User.get_or_none(User.id == _pk(user_id)) if user_id else None
        now = time.time()
        try:
            with self.write():
                view = SavedView.create(
                    project=proj, type=fields["type"], name=fields["name"],
                    display_name=fields.get("display_name") or "",
                    description=fields.get("description") or "", spec=fields["spec"],
                    user=user, owner=_pk(fields.get("owner_id") or "") or None,
                    parent=_pk(fields.get("parent_id") or "") or None,
                    authors=json.dumps([user.username] if user else []),
                    created_at=now, updated_at=now)
        except peewee.IntegrityError:
            raise AlreadyExists(f"project {entity}/{project} already has a view named "
                                f"{fields['name']!r}") from None
        return self.get_view(view.id)

    def update_view(self, view_id, fields, username):
        _check_lengths(fields)
        values = {k: v for k, v in fields.items()
                  if k in ("display_name", "description", "spec", "type") and v is not None}
        if "owner_id" in fields:
            values["owner"] = _pk(fields["owner_id"] or "") or None
        with self.write():
            view = SavedView.get_or_none(SavedView.id == _pk(view_id))
            if view is None:
                raise NotFound(f"view {view_id!r} does not exist")
            authors = json.loads(view.authors or "[]")
            if username and username not in authors:
                values["authors"] = json.dumps(authors + [username])
            values["updated_at"] = max(time.time(), view.updated_at)
            SavedView.update(**values).where(SavedView.id == view.id).execute()
        return self.get_view(view.id)

    def get_view(self, view_id):
        pk = _pk(view_id)
        if pk is None:
            return None
        view = self._views_query().where(SavedView.id == pk).first()
        return _view_dict(view) if view else None

    def find_view(self, entity, project, name):
        view = self._views_query().where((Entity.name == entity) & (Project.name == project)
                                         & (SavedView.name == name)).first()
        return _view_dict(view) if view else None

    def list_views(self, entity, project, query):
        select = self._views_query().where((Entity.name == entity) & (Project.name == project))
        if query.get("type"):
            select = select.where(SavedView.type == query["type"])
        if query.get("name"):
            select = select.where(SavedView.name == query["name"])
        if query.get("username"):
            select = select.where(User.username == query["username"])
        viewer = _pk(query.get("viewer_id") or "")
        select = select.where(SavedView.owner.is_null() if viewer is None
                              else (SavedView.owner.is_null() | (SavedView.owner == viewer)))
        for word in (query.get("search") or "").split():
            # Lower on both sides: MySQL compares text columns by their collation.
            word = word.lower()
            select = select.where(peewee.fn.LOWER(SavedView.display_name).contains(word)
                                  | peewee.fn.LOWER(SavedView.description).contains(word))
        after = _pk(query.get("after") or "")
        if after is not None:
            anchor = SavedView.get_or_none(SavedView.id == after)
            if anchor is not None:
                select = select.where((SavedView.updated_at < anchor.updated_at)
                                      | ((SavedView.updated_at == anchor.updated_at)
                                         & (SavedView.id < anchor.id)))
        first = min(query.get("first") or 50, MAX_PAGE)
        rows = list(select.order_by(SavedView.updated_at.desc(), SavedView.id.desc())
                    .limit(first + 1))
        with_spec = bool(query.get("with_spec"))
        return [_view_dict(v, with_spec) for v in rows[:first]], len(rows) > first

    def delete_view(self, view_id, delete_drafts):
        pk = _pk(view_id)
        with self.write():
            drafts = SavedView.select().where(SavedView.parent == pk)
            if delete_drafts:
                SavedView.delete().where(SavedView.parent == pk).execute()
                left = 0
            else:
                left = drafts.count()
                SavedView.update(parent=None).where(SavedView.parent == pk).execute()
            ViewAccessToken.delete().where(ViewAccessToken.view == pk).execute()
            if not SavedView.delete().where(SavedView.id == pk).execute():
                raise NotFound(f"view {view_id!r} does not exist")
        return left

    def ensure_project(self, entity, project, description):
        if len(project) > 128:
            raise InvalidArgument(f"project name is {len(project)} characters long; the limit "
                                  "is 128")
        with self.write():
            inserted = self._project(entity, project, create=False) is None
            found = self._project(entity, project, create=True)
            if inserted and description:
                Project.update(description=description).where(Project.id == found.id).execute()
                found.description = description
        return {"id": str(found.id), "entity": entity, "project": found.name,
                "description": found.description or ""}, inserted

    def create_view_token(self, view_id, nonce, token_hash, projects, user_id):
        with self.write():
            token = ViewAccessToken.create(view=_pk(view_id), nonce=nonce, token_hash=token_hash,
                                           projects=json.dumps(projects),
                                           user=_pk(user_id) if user_id else None)
        return _token_dict(ViewAccessToken.get_by_id(token.id))

    def list_view_tokens(self, view_id):
        return [_token_dict(t) for t in ViewAccessToken.select()
                .where(ViewAccessToken.view == _pk(view_id)).order_by(ViewAccessToken.id)]

    def find_view_token(self, token_hash):
        token = ViewAccessToken.get_or_none(ViewAccessToken.token_hash == token_hash)
        return _token_dict(token) if token else None

    def get_view_token(self, token_id):
        token = ViewAccessToken.get_or_none(ViewAccessToken.id == _pk(token_id))
        return _token_dict(token) if token else None

    def update_view_token(self, token_id, fields):
        values = {}
        if "projects" in fields:
            values["projects"] = json.dumps(fields["projects"])
        if "revoked_at" in fields:
            values["revoked_at"] = fields["revoked_at"]
        with self.write():
            if values:
                (ViewAccessToken.update(**values)
                 .where(ViewAccessToken.id == _pk(token_id)).execute())
        return _token_dict(ViewAccessToken.get_by_id(_pk(token_id)))
