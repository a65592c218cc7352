"""Calls of AdminService (protos/admin.proto): accounts' administration, teams, invites,
share links, projects, settings, plugins, audit."""

from __future__ import annotations

from roost.core.auth import Principal
from roost.protos import admin_pb2, auth_pb2
from roost.protos.clients.base import Rpc
from roost.protos.wire import principal_from_proto


class TenancyCalls(Rpc):
    _admin: "admin_pb2_grpc.AdminServiceStub"  # noqa: F821 (set by CoreClient)

    def principal_for_user(self, user_id: str) -> Principal:
        return principal_from_proto(self._call(self._admin.PrincipalForUser,
                                               admin_pb2.PrincipalForUserRequest, None,
                                               user_id=user_id))

    def change_password(self, principal: Principal, old: str, new: str) -> None:
        self._call(self._admin.ChangePassword, admin_pb2.ChangePasswordRequest, principal,
                   old_password=old, new_password=new)

    def create_team(self, principal: Principal, name: str, owner: str = "") -> admin_pb2.Team:
        return self._call(self._admin.CreateTeam, admin_pb2.CreateTeamRequest, principal, name=name,
                          owner=owner)

    def list_teams(self, principal: Principal) -> list:
        return list(self._call(self._admin.ListTeams, admin_pb2.PrincipalOnly, principal).teams)

    def get_team(self, principal: Principal, team: str) -> admin_pb2.Team:
        return self._call(self._admin.GetTeam, admin_pb2.TeamRequest, principal, team=team)

    def set_member(self, principal: Principal, team: str, username: str,
                   role: str) -> admin_pb2.Team:
        return self._call(self._admin.SetMember, admin_pb2.SetMemberRequest, principal, team=team,
                          username=username, role=role)

    def remove_member(self, principal: Principal, team: str, username: str) -> admin_pb2.Team:
        return self._call(self._admin.RemoveMember, admin_pb2.MemberRequest, principal, team=team,
                          username=username)

    def create_service_account(self, principal: Principal, team: str, description: str):
        return self._call(self._admin.CreateServiceAccount, admin_pb2.CreateServiceAccountRequest,
                          principal, team=team, description=description)

    def list_users(self, principal: Principal, query: str = "", limit: int = 200) -> list:
        return list(self._call(self._admin.ListUsers, admin_pb2.ListUsersRequest, principal,
                               query=query, limit=limit).users)

    def update_user(self, principal: Principal, username: str, **changes) -> auth_pb2.User:
        return self._call(self._admin.UpdateUser, admin_pb2.UpdateUserRequest, principal,
                          username=username, **changes)

    def get_settings(self, principal: Principal) -> admin_pb2.Settings:
        return self._call(self._admin.GetSettings, admin_pb2.PrincipalOnly, principal)

    def set_setting(self, principal: Principal, name: str, value: str) -> admin_pb2.Settings:
        return self._call(self._admin.SetSetting, admin_pb2.SetSettingRequest, principal, name=name,
                          value=value)

    def register(self, username: str, password: str, email: str = "") -> auth_pb2.User:
        return self._call(self._admin.Register, admin_pb2.RegisterRequest, None, username=username,
                          password=password, email=email)

    def create_invite(self, principal: Principal, team: str = "", email: str = "",
                      username: str = "", role: str = "member",
                      expires_in_seconds: int = 0) -> admin_pb2.CreatedInvite:
        return self._call(self._admin.CreateInvite, admin_pb2.CreateInviteRequest, principal,
                          team=team, email=email, username=username, role=role,
                          expires_in_seconds=expires_in_seconds)

    def list_invites(self, principal: Principal, team: str = "") -> list:
        return list(self._call(self._admin.ListInvites, admin_pb2.TeamRequest, principal,
                               team=team).invites)

    def revoke_invite(self, principal: Principal, invite_id: str) -> None:
        self._call(self._admin.RevokeInvite, admin_pb2.IdRequest, principal, id=invite_id)

    def get_invite(self, token: str) -> admin_pb2.Invite:
        return self._call(self._admin.GetInvite, admin_pb2.TokenRequest, None, token=token)

    def accept_invite(self, token: str, username: str, password: str,
                      email: str = "") -> auth_pb2.User:
        return self._call(self._admin.AcceptInvite, admin_pb2.AcceptInviteRequest, None,
                          token=token, username=username, password=password, email=email)

    def create_share_link(self, principal: Principal, entity: str, project: str, run: str = "",
                          expires_in_seconds: int = 0,
                          description: str = "") -> admin_pb2.CreatedShareLink:
        return self._call(self._admin.CreateShareLink, admin_pb2.CreateShareLinkRequest, principal,
                          entity=entity, project=project, run=run,
                          expires_in_seconds=expires_in_seconds, description=description)

    def list_share_links(self, principal: Principal, entity: str = "",
                         project: str = "") -> list:
        return list(self._call(self._admin.ListShareLinks, admin_pb2.ProjectRequest, principal,
                               entity=entity, project=project).links)

    def revoke_share_link(self, principal: Principal, link_id: str) -> None:
        self._call(self._admin.RevokeShareLink, admin_pb2.IdRequest, principal, id=link_id)

    def describe_share(self, principal: Principal) -> admin_pb2.ShareLink:
        return self._call(self._admin.DescribeShare, admin_pb2.PrincipalOnly, principal)

    def list_projects(self, principal: Principal, entity: str = "") -> list:
        return list(self._call(self._admin.ListProjects, admin_pb2.ProjectRequest, principal,
                               entity=entity).projects)

    def set_project_visibility(self, principal: Principal, entity: str, project: str,
                               visibility: str) -> None:
        self._call(self._admin.SetProjectVisibility, admin_pb2.SetProjectVisibilityRequest,
                   principal, entity=entity, project=project, visibility=visibility)

    def move_project(self, principal: Principal, entity: str, project: str,
                     new_entity: str) -> None:
        self._call(self._admin.MoveProject, admin_pb2.MoveProjectRequest, principal, entity=entity,
                   project=project, new_entity=new_entity)

    def delete_project(self, principal: Principal, entity: str, project: str) -> None:
        self._call(self._admin.DeleteProject, admin_pb2.ProjectRequest, principal, entity=entity,
                   project=project)

    def storage_usage(self, principal: Principal) -> list:
        return list(self._call(self._admin.StorageUsage, admin_pb2.PrincipalOnly,
                               principal).projects)

    def list_plugins(self, principal: Principal) -> list:
        return list(self._call(self._admin.ListPlugins, admin_pb2.PrincipalOnly, principal).plugins)

    def list_audit(self, principal: Principal, limit: int = 100, before_id: str = "",
                   action: str = "") -> list:
        return list(self._call(self._admin.ListAudit, admin_pb2.ListAuditRequest, principal,
                               limit=limit, before_id=before_id, action=action).entries)
