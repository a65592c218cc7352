"""Storage area ``tenancy`` (roost.core.storage.tenancy) on the sql plugin's tables: access
facts, teams and roles, service accounts, projects administration and storage use, share
links, invites, the audit log and settings."""

from __future__ import annotations

import json
import time

import peewee
from peewee import JOIN, fn

from roost.core.errors import AlreadyExists, NotFound
from roost.plugins.sql.artifact_models import Artifact, ArtifactCollection
from roost.plugins.sql.area import SqlArea, record_id as _pk
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, Run, RunFile, TeamMember, User
from roost.plugins.sql.tenancy_models import (AuditEntry, Invite, ServiceAccount, Setting,
                                              ShareLink)


def _entity(name: str) -> Entity:
    entity = Entity.get_or_none(Entity.name == name)
    if entity is None:
        raise NotFound(f"entity {name!r} does not exist")
    return entity


def _team(name: str) -> Entity:
    entity = _entity(name)
    if entity.kind != "team":
        raise NotFound(f"{name!r} is a user, not a team")
    return entity


def _project(entity: str, name: str) -> Project:
    project = (Project.select(Project, Entity).join(Entity)
               .where((Entity.name == entity) & (Project.name == name)).first())
    if project is None:
        raise NotFound(f"project {entity}/{name} does not exist")
    return project


@connection_per_call
class TenancyStore(SqlArea):
    def __init__(self, database, accounts, runs):
        """``accounts`` (user records) and ``runs`` (deleting a project deletes its runs):
        the AccountStore and RunStore of the same database."""
        super().__init__(database)
        self.accounts = accounts
        self.runs = runs

    # -- access facts (one call per permission check) -------------------------------------------
    def entity_access(self, entity, project, user_id):
        # One query, prepared once: this runs on every request (file_stream included).
        def build(project_name, uid, member_uid, entity_name):
            return (Entity.select(Entity.id, Entity.kind, Project.id, Project.visibility,
                                  User.admin, User.disabled, User.entity, TeamMember.role)
                    .join(Project, JOIN.LEFT_OUTER,
                          on=((Project.entity == Entity.id) & (Project.name == project_name)))
                    .switch(Entity)
                    .join(User, JOIN.LEFT_OUTER, on=(User.id == uid))
                    .switch(Entity)
                    .join(TeamMember, JOIN.LEFT_OUTER,
                          on=((TeamMember.team == Entity.id) & (TeamMember.user == member_uid)))
                    .where(Entity.name == entity_name).limit(1).tuples())

        uid = _pk(user_id) if user_id else 0
        row = self.statements.first("entity-access", build, project or "", uid, uid, entity)
        if row is None:
            return None
        entity_id, kind, project_id, visibility, admin, disabled, own_entity, role = row
        if own_entity is not None and own_entity == entity_id:
            role = "owner"
        elif kind != "team":
            role = None
        return {"kind": kind, "role": role, "visibility": visibility,
                "project_exists": project_id is not None, "admin": bool(admin),
                "disabled": bool(disabled)}

    # -- teams -------------------------------------------------------------------------------
    def create_team(self, name, owner_user_id):
        taken = AlreadyExists(f"the name {name!r} is already taken by a user or team")
        try:
            with self.write():
                if Entity.select().where(Entity.name == name).exists():
                    raise taken
                team = Entity.create(name=name, kind="team")
                if owner_user_id:
                    TeamMember.create(team=team, user=_pk(owner_user_id), role="owner")
        except peewee.IntegrityError:
            raise taken from None
        return {"id": str(team.id), "name": team.name, "kind": "team",
                "created_at": team.created_at}

    def list_teams(self):
        counts = (TeamMember.select(TeamMember.team, fn.COUNT(TeamMember.id).alias("n"))
                  .group_by(TeamMember.team))
        members = {row.team_id: row.n for row in counts}
        teams = Entity.select().where(Entity.kind == "team").order_by(Entity.name)
        return [{"id": str(t.id), "name": t.name, "created_at": t.created_at,
                 "member_count": members.get(t.id, 0)} for t in teams]

    def team_members(self, team):
        ent = _team(team)
        services = {row.user_id: row.description for row in
                    ServiceAccount.select().where(ServiceAccount.team == ent)}
        rows = (TeamMember.select(TeamMember, User).join(User)
                .where(TeamMember.team == ent).order_by(TeamMember.id))
        return [{"user_id": str(row.user.id), "username": row.user.username,
                 "email": row.user.email, "name": row.user.name, "role": row.role,
                 "disabled": row.user.disabled,
                 "kind": "service" if row.user.id in services else "user",
                 "description": services.get(row.user.id, "")} for row in rows]

    def set_membership(self, team, user_id, role):
        ent = _team(team)
        with self.write():
            member = TeamMember.get_or_none((TeamMember.team == ent)
                                            & (TeamMember.user == _pk(user_id)))
            previous = member.role if member else None
            if member is None:
                TeamMember.create(team=ent, user=_pk(user_id), role=role)
            elif member.role != role:
                member.role = role
                member.save()
        return previous

    def remove_membership(self, team, user_id):
        ent = _team(team)
        member = TeamMember.get_or_none((TeamMember.team == ent)
                                        & (TeamMember.user == _pk(user_id)))
        if member is None:
            return None
        member.delete_instance()
        return member.role

    def count_owners(self, team):
        return (TeamMember.select().where((TeamMember.team == _team(team))
                                          & (TeamMember.role == "owner")).count())

    # -- service accounts --------------------------------------------------------------------
    def create_service_account(self, team, username, description):
        ent = _team(team)
        taken = AlreadyExists(f"the name {username!r} is already taken by a user or team")
        try:
            with self.write():
                if Entity.select().where(Entity.name == username).exists():
                    raise taken
                own = Entity.create(name=username, kind="user")
                user = User.create(username=username, name=description[:128] or username,
                                   entity=own, password_hash=None)
                ServiceAccount.create(user=user, team=ent, description=description)
                TeamMember.create(team=ent, user=user, role="member")
        except peewee.IntegrityError:
            raise taken from None
        return self.accounts.get_user_by_id(user.id)

    # -- projects ----------------------------------------------------------------------------
    def _project_dict(self, project: Project, runs: int, size: int, files: int) -> dict:
        return {"id": str(project.id), "entity": project.entity.name,
                "entity_kind": project.entity.kind, "name": project.name,
                "visibility": project.visibility or "", "created_at": project.created_at,
                "run_count": runs, "bytes": size, "file_count": files}

    def list_projects(self, entity):
        projects = Project.select(Project, Entity).join(Entity)
        if entity:
            projects = projects.where(Entity.name == entity)
        projects = list(projects.order_by(Entity.name, Project.name))
        ids = [p.id for p in projects]
        if not ids:
            return []
        runs = dict(Run.select(Run.project, fn.COUNT(Run.id))
                    .where(Run.project.in_(ids)).group_by(Run.project).tuples())
        artifacts = {pid: int(size or 0) for pid, size in
                     Artifact.select(ArtifactCollection.project, fn.SUM(Artifact.size))
                     .join(ArtifactCollection, on=(Artifact.sequence == ArtifactCollection.id))
                     .where(ArtifactCollection.project.in_(ids))
                     .group_by(ArtifactCollection.project).tuples()}
        sizes = {pid: (int(size or 0), count) for pid, size, count in
                 RunFile.select(Run.project, fn.SUM(RunFile.size), fn.COUNT(RunFile.id))
                 .join(Run).where(Run.project.in_(ids) & (RunFile.uploaded == True))  # noqa: E712
                 .group_by(Run.project).tuples()}
        return [self._project_dict(p, runs.get(p.id, 0), *sizes.get(p.id, (0, 0)))
                | {"artifact_bytes": artifacts.get(p.id, 0)} for p in projects]

    def set_project_visibility(self, entity, name, visibility):
        project = _project(entity, name)
        previous = project.visibility or ""
        Project.update(visibility=visibility).where(Project.id == project.id).execute()
        return previous

    def move_project(self, entity, name, new_entity):
        project = _project(entity, name)
        target = _entity(new_entity)
        with self.write():
            if Project.select().where((Project.entity == target)
                                      & (Project.name == name)).exists():
                raise AlreadyExists(f"{new_entity!r} already has a project named {name!r}")
            Project.update(entity=target).where(Project.id == project.id).execute()

    def delete_project(self, entity, name):
        project = _project(entity, name)
        keys = []
        for run in Run.select(Run.id).where(Run.project == project):
            keys += self.runs.delete_run(run.id)
        Project.delete().where(Project.id == project.id).execute()
        return keys

    # -- share links -------------------------------------------------------------------------
    @staticmethod
    def _link_dict(link: ShareLink) -> dict:
        return {"id": str(link.id), "entity": link.project.entity.name,
                "project": link.project.name, "run": link.run_name,
                "description": link.description,
                "created_by": link.created_by.username if link.created_by_id else "",
                "created_at": link.created_at, "expires_at": link.expires_at or 0.0,
                "revoked": link.revoked_at is not None}

    def _links(self):
        Creator = User.alias()
        return (ShareLink.select(ShareLink, Project, Entity, Creator)
                .join(Project).join(Entity)
                .switch(ShareLink).join(Creator, JOIN.LEFT_OUTER,
                                        on=(ShareLink.created_by == Creator.id)))

    def create_share_link(self, token_hash, entity, project, run, created_by, expires_at,
                          description):
        proj = _project(entity, project)
        link = ShareLink.create(token_hash=token_hash, project=proj, run_name=run or "",
                                created_by=_pk(created_by) if created_by else None,
                                expires_at=expires_at or None, description=description or "")
        return self.get_share_link(link.id)

    def get_share_link(self, link_id):
        link = self._links().where(ShareLink.id == _pk(link_id)).first()
        return self._link_dict(link) if link else None

    def find_share_link(self, token_hash):
        link = self._links().where(ShareLink.token_hash == token_hash).first()
        return self._link_dict(link) if link else None

    def list_share_links(self, entity, project):
        links = self._links()
        if entity:
            links = links.where(Entity.name == entity)
        if project:
            links = links.where(Project.name == project)
        return [self._link_dict(link) for link in links.order_by(ShareLink.id.desc())]

    def revoke_share_link(self, link_id):
        ShareLink.update(revoked_at=time.time()).where(
            (ShareLink.id == _pk(link_id)) & ShareLink.revoked_at.is_null()).execute()
        return self.get_share_link(link_id)

    # -- invites -----------------------------------------------------------------------------
    @staticmethod
    def _invite_dict(invite: Invite) -> dict:
        return {"id": str(invite.id), "team": invite.team.name if invite.team_id else "",
                "role": invite.role, "email": invite.email,
                "created_by": invite.created_by.username if invite.created_by_id else "",
                "created_at": invite.created_at, "expires_at": invite.expires_at or 0.0,
                "accepted_by": invite.accepted_by.username if invite.accepted_by_id else "",
                "accepted_at": invite.accepted_at or 0.0, "revoked": invite.revoked_at is not None}

    def create_invite(self, token_hash, team, role, email, created_by, expires_at):
        invite = Invite.create(token_hash=token_hash, team=_team(team) if team else None,
                               role=role, email=email or "",
                               created_by=_pk(created_by) if created_by else None,
                               expires_at=expires_at or None)
        return self._invite_dict(invite)

    def find_invite(self, token_hash):
        invite = Invite.get_or_none(Invite.token_hash == token_hash)
        return self._invite_dict(invite) | {"token_hash": token_hash} if invite else None

    def get_invite(self, invite_id):
        invite = Invite.get_or_none(Invite.id == _pk(invite_id))
        return self._invite_dict(invite) if invite else None

    def list_invites(self, team):
        invites = Invite.select()
        if team:
            invites = invites.join(Entity).where(Entity.name == team)
        return [self._invite_dict(i) for i in invites.order_by(Invite.id.desc())]

    def revoke_invite(self, invite_id):
        Invite.update(revoked_at=time.time()).where(
            (Invite.id == _pk(invite_id)) & Invite.revoked_at.is_null()).execute()
        return self.get_invite(invite_id)

    def accept_invite(self, invite_id, user_id):
        """Mark the invite used; False when another request used it first."""
        return bool(Invite.update(accepted_at=time.time(), accepted_by=_pk(user_id)).where(
            (Invite.id == _pk(invite_id)) & Invite.accepted_at.is_null()
            & Invite.revoked_at.is_null()).execute())

    # -- audit log and settings --------------------------------------------------------------
    def add_audit_entry(self, actor, action, target, detail):
        entry = AuditEntry.create(actor=actor[:64], action=action[:64], target=target[:255],
                                  detail=json.dumps(detail or {}, sort_keys=True))
        return str(entry.id)

    def list_audit_entries(self, limit, before_id, action):
        entries = AuditEntry.select()
        if before_id:
            entries = entries.where(AuditEntry.id < _pk(before_id))
        if action:
            entries = entries.where(AuditEntry.action == action)
        return [{"id": str(e.id), "at": e.at, "actor": e.actor, "action": e.action,
                 "target": e.target, "detail": e.detail}
                for e in entries.order_by(AuditEntry.id.desc()).limit(limit)]

    def get_setting(self, name):
        row = Setting.get_or_none(Setting.name == name)
        return row.value if row else None

    def set_setting(self, name, value):
        with self.write():
            updated = (Setting.update(value=value, updated_at=time.time())
                       .where(Setting.name == name).execute())
            if not updated:
                Setting.create(name=name, value=value)
