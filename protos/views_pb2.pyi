from roost.protos import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EnsureProjectRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "description")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    description: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class EnsureProjectReply(_message.Message):
    __slots__ = ("id", "entity", "project", "description", "inserted")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INSERTED_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    description: str
    inserted: bool
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., description: _Optional[str] = ..., inserted: _Optional[bool] = ...) -> None: ...

class View(_message.Message):
    __slots__ = ("id", "entity", "project", "project_id", "type", "name", "display_name", "description", "spec", "username", "created_at", "updated_at", "parent_id", "personal", "authors", "spec_bytes")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELD_NUMBER: _ClassVar[int]
    AUTHORS_FIELD_NUMBER: _ClassVar[int]
    SPEC_BYTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    project_id: str
    type: str
    name: str
    display_name: str
    description: str
    spec: str
    username: str
    created_at: float
    updated_at: float
    parent_id: str
    personal: bool
    authors: _containers.RepeatedScalarFieldContainer[str]
    spec_bytes: int
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., spec: _Optional[str] = ..., username: _Optional[str] = ..., created_at: _Optional[float] = ..., updated_at: _Optional[float] = ..., parent_id: _Optional[str] = ..., personal: _Optional[bool] = ..., authors: _Optional[_Iterable[str]] = ..., spec_bytes: _Optional[int] = ...) -> None: ...

class UpsertViewRequest(_message.Message):
    __slots__ = ("principal", "id", "entity", "project", "type", "name", "display_name", "description", "spec", "parent_id", "personal")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    entity: str
    project: str
    type: str
    name: str
    display_name: str
    description: str
    spec: str
    parent_id: str
    personal: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., spec: _Optional[str] = ..., parent_id: _Optional[str] = ..., personal: _Optional[bool] = ...) -> None: ...

class UpsertViewReply(_message.Message):
    __slots__ = ("view", "inserted")
    VIEW_FIELD_NUMBER: _ClassVar[int]
    INSERTED_FIELD_NUMBER: _ClassVar[int]
    view: View
    inserted: bool
    def __init__(self, view: _Optional[_Union[View, _Mapping]] = ..., inserted: _Optional[bool] = ...) -> None: ...

class GetViewRequest(_message.Message):
    __slots__ = ("principal", "id", "entity", "project", "name")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    entity: str
    project: str
    name: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class ListViewsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "type", "name", "username", "search", "after", "first", "with_spec")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    WITH_SPEC_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    type: str
    name: str
    username: str
    search: str
    after: str
    first: int
    with_spec: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., username: _Optional[str] = ..., search: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ..., with_spec: _Optional[bool] = ...) -> None: ...

class ViewList(_message.Message):
    __slots__ = ("views", "has_next_page")
    VIEWS_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    views: _containers.RepeatedCompositeFieldContainer[View]
    has_next_page: bool
    def __init__(self, views: _Optional[_Iterable[_Union[View, _Mapping]]] = ..., has_next_page: _Optional[bool] = ...) -> None: ...

class DeleteViewRequest(_message.Message):
    __slots__ = ("principal", "id", "delete_drafts")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    DELETE_DRAFTS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    delete_drafts: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., delete_drafts: _Optional[bool] = ...) -> None: ...

class DeleteViewReply(_message.Message):
    __slots__ = ("success", "pending_drafts")
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    PENDING_DRAFTS_FIELD_NUMBER: _ClassVar[int]
    success: bool
    pending_drafts: int
    def __init__(self, success: _Optional[bool] = ..., pending_drafts: _Optional[int] = ...) -> None: ...

class ProjectName(_message.Message):
    __slots__ = ("entity", "project")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    entity: str
    project: str
    def __init__(self, entity: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class AccessToken(_message.Message):
    __slots__ = ("id", "view_id", "token", "type", "created_at", "revoked_at", "projects")
    ID_FIELD_NUMBER: _ClassVar[int]
    VIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    view_id: str
    token: str
    type: str
    created_at: float
    revoked_at: float
    projects: _containers.RepeatedCompositeFieldContainer[ProjectName]
    def __init__(self, id: _Optional[str] = ..., view_id: _Optional[str] = ..., token: _Optional[str] = ..., type: _Optional[str] = ..., created_at: _Optional[float] = ..., revoked_at: _Optional[float] = ..., projects: _Optional[_Iterable[_Union[ProjectName, _Mapping]]] = ...) -> None: ...

class CreateAccessTokenRequest(_message.Message):
    __slots__ = ("principal", "view_id", "projects")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    VIEW_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    view_id: str
    projects: _containers.RepeatedCompositeFieldContainer[ProjectName]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., view_id: _Optional[str] = ..., projects: _Optional[_Iterable[_Union[ProjectName, _Mapping]]] = ...) -> None: ...

class AccessTokenList(_message.Message):
    __slots__ = ("tokens",)
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    tokens: _containers.RepeatedCompositeFieldContainer[AccessToken]
    def __init__(self, tokens: _Optional[_Iterable[_Union[AccessToken, _Mapping]]] = ...) -> None: ...

class UpdateAccessTokenRequest(_message.Message):
    __slots__ = ("principal", "token", "projects")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    token: str
    projects: _containers.RepeatedCompositeFieldContainer[ProjectName]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., token: _Optional[str] = ..., projects: _Optional[_Iterable[_Union[ProjectName, _Mapping]]] = ...) -> None: ...
