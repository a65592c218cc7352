from roost.protos import common_pb2 as _common_pb2
from roost.protos import auth_pb2 as _auth_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IdentityRequest(_message.Message):
    __slots__ = ("principal", "id", "description", "include_revoked")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_REVOKED_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    description: str
    include_revoked: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., description: _Optional[str] = ..., include_revoked: _Optional[bool] = ...) -> None: ...

class SignInMethod(_message.Message):
    __slots__ = ("id", "label", "url", "replaces_password")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    REPLACES_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    url: str
    replaces_password: bool
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., url: _Optional[str] = ..., replaces_password: _Optional[bool] = ...) -> None: ...

class SignInRecord(_message.Message):
    __slots__ = ("method", "username", "at", "remote_addr")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REMOTE_ADDR_FIELD_NUMBER: _ClassVar[int]
    method: str
    username: str
    at: float
    remote_addr: str
    def __init__(self, method: _Optional[str] = ..., username: _Optional[str] = ..., at: _Optional[float] = ..., remote_addr: _Optional[str] = ...) -> None: ...

class SignInOverviewReply(_message.Message):
    __slots__ = ("methods", "recent")
    METHODS_FIELD_NUMBER: _ClassVar[int]
    RECENT_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[SignInMethod]
    recent: _containers.RepeatedCompositeFieldContainer[SignInRecord]
    def __init__(self, methods: _Optional[_Iterable[_Union[SignInMethod, _Mapping]]] = ..., recent: _Optional[_Iterable[_Union[SignInRecord, _Mapping]]] = ...) -> None: ...

class ScimToken(_message.Message):
    __slots__ = ("id", "description", "created_by", "created_at", "last_used_at", "revoked")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    id: str
    description: str
    created_by: str
    created_at: float
    last_used_at: float
    revoked: bool
    def __init__(self, id: _Optional[str] = ..., description: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[float] = ..., last_used_at: _Optional[float] = ..., revoked: _Optional[bool] = ...) -> None: ...

class CreatedScimToken(_message.Message):
    __slots__ = ("token", "secret")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    token: ScimToken
    secret: str
    def __init__(self, token: _Optional[_Union[ScimToken, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class ScimTokenList(_message.Message):
    __slots__ = ("tokens",)
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    tokens: _containers.RepeatedCompositeFieldContainer[ScimToken]
    def __init__(self, tokens: _Optional[_Iterable[_Union[ScimToken, _Mapping]]] = ...) -> None: ...

class ScimRequest(_message.Message):
    __slots__ = ("token", "method", "path", "query", "body", "base_url")
    class QueryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    token: str
    method: str
    path: str
    query: _containers.ScalarMap[str, str]
    body: str
    base_url: str
    def __init__(self, token: _Optional[str] = ..., method: _Optional[str] = ..., path: _Optional[str] = ..., query: _Optional[_Mapping[str, str]] = ..., body: _Optional[str] = ..., base_url: _Optional[str] = ...) -> None: ...

class ScimResponse(_message.Message):
    __slots__ = ("status", "body")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    status: int
    body: str
    def __init__(self, status: _Optional[int] = ..., body: _Optional[str] = ...) -> None: ...
