"""AdminService: decode, call the Core's Tenancy (and ShareLinks), encode. Nothing else."""

from __future__ import annotations

from roost.core.auth import Principal
from roost.core.errors import RoostError
from roost.core.accounts_servicer import user_message
from roost.core.servicers import translating_errors
from roost.protos.wire import principal_from_proto, principal_to_proto
from roost.protos import admin_pb2, admin_pb2_grpc, common_pb2


def _fields(message_type, record: dict) -> dict:
    names = {f.name for f in message_type.DESCRIPTOR.fields}
    return {k: v for k, v in record.items() if k in names and v is not None}


def _principal(request) -> Principal | None:
    return principal_from_proto(request.principal)


def team_message(team: dict, members: list[dict] | None = None) -> admin_pb2.Team:
    message = admin_pb2.Team(**_fields(admin_pb2.Team, team))
    if members is not None:
        message.members.extend(admin_pb2.Member(**_fields(admin_pb2.Member, m)) for m in members)
        message.member_count = len(members)
    return message


class AdminServicer(admin_pb2_grpc.AdminServiceServicer):
    def __init__(self, core):
        self.tenancy = core.tenancy
        self.share_links = core.share_links

    def _team(self, principal, name: str) -> admin_pb2.Team:
        entity, members = self.tenancy.get_team(principal, name)
        return team_message({"id": entity["id"], "name": entity["name"]}, members)

    # -- sessions ----------------------------------------------------------------------------
    @translating_errors
    def PrincipalForUser(self, request, context):
        return principal_to_proto(self.tenancy.principal_for_user(request.user_id))

    @translating_errors
    def ChangePassword(self, request, context):
        self.tenancy.change_own_password(_principal(request), request.old_password,
                                         request.new_password)
        return common_pb2.Empty()

    # -- teams -------------------------------------------------------------------------------
    @translating_errors
    def CreateTeam(self, request, context):
        principal = _principal(request)
        self.tenancy.create_team(principal, request.name, request.owner)
        return self._team(principal, request.name)

    @translating_errors
    def ListTeams(self, request, context):
        return admin_pb2.TeamList(teams=[team_message(t) for t in
                                         self.tenancy.list_teams(_principal(request))])

    @translating_errors
    def GetTeam(self, request, context):
        return self._team(_principal(request), request.team)

    @translating_errors
    def SetMember(self, request, context):
        principal = _principal(request)
        self.tenancy.set_member(principal, request.team, request.username, request.role)
        return self._team(principal, request.team)

    @translating_errors
    def RemoveMember(self, request, context):
        principal = _principal(request)
        self.tenancy.remove_member(principal, request.team, request.username)
        try:
            return self._team(principal, request.team)
        except RoostError:  # the caller left the team and may no longer see it
            return admin_pb2.Team(name=request.team)

    @translating_errors
    def CreateServiceAccount(self, request, context):
        user, secret = self.tenancy.create_service_account(_principal(request), request.team,
                                                           request.description)
        return admin_pb2.CreatedServiceAccount(user=user_message(user), secret=secret)

    # -- users -------------------------------------------------------------------------------
    @translating_errors
    def ListUsers(self, request, context):
        users = self.tenancy.list_users(_principal(request), request.query, request.limit or 200)
        return admin_pb2.UserList(users=[user_message(u) for u in users])

    @translating_errors
    def UpdateUser(self, request, context):
        def optional(name):
            return getattr(request, name) if request.HasField(name) else None

        user = self.tenancy.update_user(
            _principal(request), request.username, disabled=optional("disabled"),
            admin=optional("admin"), password=request.password or None, email=optional("email"))
        return user_message(user)

    # -- settings, registration, invites -----------------------------------------------------
    @staticmethod
    def _settings(settings: dict) -> admin_pb2.Settings:
        return admin_pb2.Settings(self_registration=settings["self_registration"] == "true")

    @translating_errors
    def GetSettings(self, request, context):
        return self._settings(self.tenancy.read_settings(_principal(request)))

    @translating_errors
    def SetSetting(self, request, context):
        return self._settings(self.tenancy.set_setting(_principal(request), request.name,
                                                       request.value))

    @translating_errors
    def Register(self, request, context):
        return user_message(self.tenancy.register(request.username, request.password,
                                                        request.email))

    @translating_errors
    def CreateInvite(self, request, context):
        invite, token = self.tenancy.create_invite(
            _principal(request), request.team, request.email, request.username,
            request.role or "member", request.expires_in_seconds or 7 * 24 * 3600)
        if invite is None:
            return admin_pb2.CreatedInvite(added_directly=True)
        return admin_pb2.CreatedInvite(invite=admin_pb2.Invite(**_fields(admin_pb2.Invite,
                                                                          invite)), token=token)

    @translating_errors
    def ListInvites(self, request, context):
        invites = self.tenancy.list_invites(_principal(request), request.team)
        return admin_pb2.InviteList(invites=[admin_pb2.Invite(**_fields(admin_pb2.Invite, i))
                                             for i in invites])

    @translating_errors
    def RevokeInvite(self, request, context):
        self.tenancy.revoke_invite(_principal(request), request.id)
        return common_pb2.Empty()

    @translating_errors
    def GetInvite(self, request, context):
        return admin_pb2.Invite(**_fields(admin_pb2.Invite, self.tenancy.get_invite(request.token)))

    @translating_errors
    def AcceptInvite(self, request, context):
        return user_message(self.tenancy.accept_invite(
            request.token, request.username, request.password, request.email))

    # -- share links -------------------------------------------------------------------------
    @staticmethod
    def _link(link: dict) -> admin_pb2.ShareLink:
        return admin_pb2.ShareLink(**_fields(admin_pb2.ShareLink, link))

    @translating_errors
    def CreateShareLink(self, request, context):
        link, token = self.share_links.create(
            _principal(request), request.entity, request.project, request.run,
            request.expires_in_seconds, request.description)
        return admin_pb2.CreatedShareLink(link=self._link(link), token=token)

    @translating_errors
    def ListShareLinks(self, request, context):
        links = self.share_links.list(_principal(request), request.entity, request.project)
        return admin_pb2.ShareLinkList(links=[self._link(link) for link in links])

    @translating_errors
    def RevokeShareLink(self, request, context):
        self.share_links.revoke(_principal(request), request.id)
        return common_pb2.Empty()

    @translating_errors
    def DescribeShare(self, request, context):
        return self._link(self.share_links.describe(_principal(request)))

    # -- projects ----------------------------------------------------------------------------
    @staticmethod
    def _projects(projects: list[dict]) -> admin_pb2.ProjectInfoList:
        return admin_pb2.ProjectInfoList(projects=[
            admin_pb2.ProjectInfo(**_fields(admin_pb2.ProjectInfo, p)) for p in projects])

    @translating_errors
    def ListProjects(self, request, context):
        return self._projects(self.tenancy.list_projects(_principal(request), request.entity))

    @translating_errors
    def SetProjectVisibility(self, request, context):
        self.tenancy.set_project_visibility(_principal(request), request.entity,
                                            request.project, request.visibility)
        return common_pb2.Empty()

    @translating_errors
    def MoveProject(self, request, context):
        self.tenancy.move_project(_principal(request), request.entity, request.project,
                                  request.new_entity)
        return common_pb2.Empty()

    @translating_errors
    def DeleteProject(self, request, context):
        self.tenancy.delete_project(_principal(request), request.entity, request.project)
        return common_pb2.Empty()

    @translating_errors
    def StorageUsage(self, request, context):
        return self._projects(self.tenancy.storage_usage(_principal(request)))

    # -- plugins and audit -------------------------------------------------------------------
    @translating_errors
    def ListPlugins(self, request, context):
        return admin_pb2.PluginList(plugins=[
            admin_pb2.Plugin(**p) for p in self.tenancy.plugins(_principal(request))])

    @translating_errors
    def ListAudit(self, request, context):
        entries = self.tenancy.audit_log(_principal(request), request.limit or 100,
                                         request.before_id, request.action)
        return admin_pb2.AuditList(entries=[admin_pb2.AuditEntry(**e) for e in entries])


def add_to_server(core, server) -> None:
    admin_pb2_grpc.add_AdminServiceServicer_to_server(AdminServicer(core), server)
