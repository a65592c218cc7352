from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Principal(_message.Message):
    __slots__ = ("user_id", "username", "default_entity", "admin", "teams", "email", "kind", "name")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_ENTITY_FIELD_NUMBER: _ClassVar[int]
    ADMIN_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    username: str
    default_entity: str
    admin: bool
    teams: _containers.RepeatedScalarFieldContainer[str]
    email: str
    kind: str
    name: str
    def __init__(self, user_id: _Optional[str] = ..., username: _Optional[str] = ..., default_entity: _Optional[str] = ..., admin: _Optional[bool] = ..., teams: _Optional[_Iterable[str]] = ..., email: _Optional[str] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class RunRef(_message.Message):
    __slots__ = ("entity", "project", "run")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    entity: str
    project: str
    run: str
    def __init__(self, entity: _Optional[str] = ..., project: _Optional[str] = ..., run: _Optional[str] = ...) -> None: ...

class Empty(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
