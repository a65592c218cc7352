from roost.protos import common_pb2 as _common_pb2
from roost.protos import auth_pb2 as _auth_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PrincipalOnly(_message.Message):
    __slots__ = ("principal",)
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ...) -> None: ...

class IdRequest(_message.Message):
    __slots__ = ("principal", "id")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class TokenRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class PrincipalForUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class ChangePasswordRequest(_message.Message):
    __slots__ = ("principal", "old_password", "new_password")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    OLD_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    old_password: str
    new_password: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., old_password: _Optional[str] = ..., new_password: _Optional[str] = ...) -> None: ...

class Member(_message.Message):
    __slots__ = ("user_id", "username", "email", "name", "role", "disabled", "kind", "description")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    username: str
    email: str
    name: str
    role: str
    disabled: bool
    kind: str
    description: str
    def __init__(self, user_id: _Optional[str] = ..., username: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., disabled: _Optional[bool] = ..., kind: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class Team(_message.Message):
    __slots__ = ("id", "name", "created_at", "member_count", "members")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    created_at: float
    member_count: int
    members: _containers.RepeatedCompositeFieldContainer[Member]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., created_at: _Optional[float] = ..., member_count: _Optional[int] = ..., members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ...) -> None: ...

class TeamList(_message.Message):
    __slots__ = ("teams",)
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    teams: _containers.RepeatedCompositeFieldContainer[Team]
    def __init__(self, teams: _Optional[_Iterable[_Union[Team, _Mapping]]] = ...) -> None: ...

class CreateTeamRequest(_message.Message):
    __slots__ = ("principal", "name", "owner")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    name: str
    owner: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., name: _Optional[str] = ..., owner: _Optional[str] = ...) -> None: ...

class TeamRequest(_message.Message):
    __slots__ = ("principal", "team")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    team: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., team: _Optional[str] = ...) -> None: ...

class SetMemberRequest(_message.Message):
    __slots__ = ("principal", "team", "username", "role")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    team: str
    username: str
    role: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., team: _Optional[str] = ..., username: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class MemberRequest(_message.Message):
    __slots__ = ("principal", "team", "username")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    team: str
    username: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., team: _Optional[str] = ..., username: _Optional[str] = ...) -> None: ...

class CreateServiceAccountRequest(_message.Message):
    __slots__ = ("principal", "team", "description")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    team: str
    description: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., team: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class CreatedServiceAccount(_message.Message):
    __slots__ = ("user", "secret")
    USER_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    user: _auth_pb2.User
    secret: str
    def __init__(self, user: _Optional[_Union[_auth_pb2.User, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("principal", "query", "limit")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    query: str
    limit: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., query: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class UserList(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_auth_pb2.User]
    def __init__(self, users: _Optional[_Iterable[_Union[_auth_pb2.User, _Mapping]]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("principal", "username", "disabled", "admin", "password", "email")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    ADMIN_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    username: str
    disabled: bool
    admin: bool
    password: str
    email: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., username: _Optional[str] = ..., disabled: _Optional[bool] = ..., admin: _Optional[bool] = ..., password: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class Settings(_message.Message):
    __slots__ = ("self_registration",)
    SELF_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    self_registration: bool
    def __init__(self, self_registration: _Optional[bool] = ...) -> None: ...

class SetSettingRequest(_message.Message):
    __slots__ = ("principal", "name", "value")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    name: str
    value: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class RegisterRequest(_message.Message):
    __slots__ = ("username", "password", "email")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    email: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class Invite(_message.Message):
    __slots__ = ("id", "team", "role", "email", "created_by", "created_at", "expires_at", "accepted_by", "accepted_at", "revoked")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_BY_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    id: str
    team: str
    role: str
    email: str
    created_by: str
    created_at: float
    expires_at: float
    accepted_by: str
    accepted_at: float
    revoked: bool
    def __init__(self, id: _Optional[str] = ..., team: _Optional[str] = ..., role: _Optional[str] = ..., email: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[float] = ..., expires_at: _Optional[float] = ..., accepted_by: _Optional[str] = ..., accepted_at: _Optional[float] = ..., revoked: _Optional[bool] = ...) -> None: ...

class CreateInviteRequest(_message.Message):
    __slots__ = ("principal", "team", "email", "username", "role", "expires_in_seconds")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    team: str
    email: str
    username: str
    role: str
    expires_in_seconds: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., team: _Optional[str] = ..., email: _Optional[str] = ..., username: _Optional[str] = ..., role: _Optional[str] = ..., expires_in_seconds: _Optional[int] = ...) -> None: ...

class CreatedInvite(_message.Message):
    __slots__ = ("invite", "token", "added_directly")
    INVITE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    ADDED_DIRECTLY_FIELD_NUMBER: _ClassVar[int]
    invite: Invite
    token: str
    added_directly: bool
    def __init__(self, invite: _Optional[_Union[Invite, _Mapping]] = ..., token: _Optional[str] = ..., added_directly: _Optional[bool] = ...) -> None: ...

class InviteList(_message.Message):
    __slots__ = ("invites",)
    INVITES_FIELD_NUMBER: _ClassVar[int]
    invites: _containers.RepeatedCompositeFieldContainer[Invite]
    def __init__(self, invites: _Optional[_Iterable[_Union[Invite, _Mapping]]] = ...) -> None: ...

class AcceptInviteRequest(_message.Message):
    __slots__ = ("token", "username", "password", "email")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    token: str
    username: str
    password: str
    email: str
    def __init__(self, token: _Optional[str] = ..., username: _Optional[str] = ..., password: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class ShareLink(_message.Message):
    __slots__ = ("id", "entity", "project", "run", "description", "created_by", "created_at", "expires_at", "revoked")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    run: str
    description: str
    created_by: str
    created_at: float
    expires_at: float
    revoked: bool
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., run: _Optional[str] = ..., description: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[float] = ..., expires_at: _Optional[float] = ..., revoked: _Optional[bool] = ...) -> None: ...

class CreateShareLinkRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "run", "expires_in_seconds", "description")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    run: str
    expires_in_seconds: int
    description: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., run: _Optional[str] = ..., expires_in_seconds: _Optional[int] = ..., description: _Optional[str] = ...) -> None: ...

class CreatedShareLink(_message.Message):
    __slots__ = ("link", "token")
    LINK_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    link: ShareLink
    token: str
    def __init__(self, link: _Optional[_Union[ShareLink, _Mapping]] = ..., token: _Optional[str] = ...) -> None: ...

class ShareLinkList(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[ShareLink]
    def __init__(self, links: _Optional[_Iterable[_Union[ShareLink, _Mapping]]] = ...) -> None: ...

class ProjectRequest(_message.Message):
    __slots__ = ("principal", "entity", "project")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class ProjectInfo(_message.Message):
    __slots__ = ("id", "entity", "entity_kind", "name", "visibility", "created_at", "run_count", "bytes", "file_count", "artifact_bytes")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    ENTITY_KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RUN_COUNT_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    FILE_COUNT_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_BYTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    entity_kind: str
    name: str
    visibility: str
    created_at: float
    run_count: int
    bytes: int
    file_count: int
    artifact_bytes: int
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., entity_kind: _Optional[str] = ..., name: _Optional[str] = ..., visibility: _Optional[str] = ..., created_at: _Optional[float] = ..., run_count: _Optional[int] = ..., bytes: _Optional[int] = ..., file_count: _Optional[int] = ..., artifact_bytes: _Optional[int] = ...) -> None: ...

class ProjectInfoList(_message.Message):
    __slots__ = ("projects",)
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[ProjectInfo]
    def __init__(self, projects: _Optional[_Iterable[_Union[ProjectInfo, _Mapping]]] = ...) -> None: ...

class SetProjectVisibilityRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "visibility")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    visibility: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., visibility: _Optional[str] = ...) -> None: ...

class MoveProjectRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "new_entity")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NEW_ENTITY_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    new_entity: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., new_entity: _Optional[str] = ...) -> None: ...

class Plugin(_message.Message):
    __slots__ = ("name", "module", "hooks")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MODULE_FIELD_NUMBER: _ClassVar[int]
    HOOKS_FIELD_NUMBER: _ClassVar[int]
    name: str
    module: str
    hooks: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., module: _Optional[str] = ..., hooks: _Optional[_Iterable[str]] = ...) -> None: ...

class PluginList(_message.Message):
    __slots__ = ("plugins",)
    PLUGINS_FIELD_NUMBER: _ClassVar[int]
    plugins: _containers.RepeatedCompositeFieldContainer[Plugin]
    def __init__(self, plugins: _Optional[_Iterable[_Union[Plugin, _Mapping]]] = ...) -> None: ...

class ListAuditRequest(_message.Message):
    __slots__ = ("principal", "limit", "before_id", "action")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    BEFORE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    limit: int
    before_id: str
    action: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., limit: _Optional[int] = ..., before_id: _Optional[str] = ..., action: _Optional[str] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("id", "at", "actor", "action", "target", "detail")
    ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    at: float
    actor: str
    action: str
    target: str
    detail: str
    def __init__(self, id: _Optional[str] = ..., at: _Optional[float] = ..., actor: _Optional[str] = ..., action: _Optional[str] = ..., target: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class AuditList(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...
