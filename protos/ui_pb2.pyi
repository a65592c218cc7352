from roost.protos import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UiProjectSummary(_message.Message):
    __slots__ = ("entity", "name", "description", "created_at", "run_count", "last_run_at", "visibility")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RUN_COUNT_FIELD_NUMBER: _ClassVar[int]
    LAST_RUN_AT_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    entity: str
    name: str
    description: str
    created_at: float
    run_count: int
    last_run_at: float
    visibility: str
    def __init__(self, entity: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[float] = ..., run_count: _Optional[int] = ..., last_run_at: _Optional[float] = ..., visibility: _Optional[str] = ...) -> None: ...

class UiRunSummary(_message.Message):
    __slots__ = ("entity", "project", "name", "display_name", "state", "created_at", "heartbeat_at", "username", "tags", "group", "job_type")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    JOB_TYPE_FIELD_NUMBER: _ClassVar[int]
    entity: str
    project: str
    name: str
    display_name: str
    state: str
    created_at: float
    heartbeat_at: float
    username: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    group: str
    job_type: str
    def __init__(self, entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., state: _Optional[str] = ..., created_at: _Optional[float] = ..., heartbeat_at: _Optional[float] = ..., username: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., group: _Optional[str] = ..., job_type: _Optional[str] = ...) -> None: ...

class UiTeamSummary(_message.Message):
    __slots__ = ("name", "role")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    role: str
    def __init__(self, name: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class UiHomeRequest(_message.Message):
    __slots__ = ("principal", "recent_runs")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RECENT_RUNS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    recent_runs: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., recent_runs: _Optional[int] = ...) -> None: ...

class UiHomeReply(_message.Message):
    __slots__ = ("teams", "projects", "recent_runs")
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    RECENT_RUNS_FIELD_NUMBER: _ClassVar[int]
    teams: _containers.RepeatedCompositeFieldContainer[UiTeamSummary]
    projects: _containers.RepeatedCompositeFieldContainer[UiProjectSummary]
    recent_runs: _containers.RepeatedCompositeFieldContainer[UiRunSummary]
    def __init__(self, teams: _Optional[_Iterable[_Union[UiTeamSummary, _Mapping]]] = ..., projects: _Optional[_Iterable[_Union[UiProjectSummary, _Mapping]]] = ..., recent_runs: _Optional[_Iterable[_Union[UiRunSummary, _Mapping]]] = ...) -> None: ...

class UiSearchRequest(_message.Message):
    __slots__ = ("principal", "text", "limit")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    text: str
    limit: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., text: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class UiSearchReply(_message.Message):
    __slots__ = ("projects", "runs")
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[UiProjectSummary]
    runs: _containers.RepeatedCompositeFieldContainer[UiRunSummary]
    def __init__(self, projects: _Optional[_Iterable[_Union[UiProjectSummary, _Mapping]]] = ..., runs: _Optional[_Iterable[_Union[UiRunSummary, _Mapping]]] = ...) -> None: ...

class UiEntityProjectsRequest(_message.Message):
    __slots__ = ("principal", "entity")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ...) -> None: ...

class UiEntityProjectsReply(_message.Message):
    __slots__ = ("entity", "kind", "projects", "role")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    entity: str
    kind: str
    projects: _containers.RepeatedCompositeFieldContainer[UiProjectSummary]
    role: str
    def __init__(self, entity: _Optional[str] = ..., kind: _Optional[str] = ..., projects: _Optional[_Iterable[_Union[UiProjectSummary, _Mapping]]] = ..., role: _Optional[str] = ...) -> None: ...

class UiProjectRequest(_message.Message):
    __slots__ = ("principal", "entity", "project")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class UiProjectKeysReply(_message.Message):
    __slots__ = ("config", "summary", "varying_config")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    VARYING_CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: _containers.RepeatedScalarFieldContainer[str]
    summary: _containers.RepeatedScalarFieldContainer[str]
    varying_config: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, config: _Optional[_Iterable[str]] = ..., summary: _Optional[_Iterable[str]] = ..., varying_config: _Optional[_Iterable[str]] = ...) -> None: ...

class UiCapabilitiesRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "actions")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    actions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., actions: _Optional[_Iterable[str]] = ...) -> None: ...

class UiCapabilitiesReply(_message.Message):
    __slots__ = ("allowed",)
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    allowed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, allowed: _Optional[_Iterable[str]] = ...) -> None: ...

class UiRunSeriesRequest(_message.Message):
    __slots__ = ("principal", "run", "keys", "samples", "min_step", "max_step", "x_key")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    MIN_STEP_FIELD_NUMBER: _ClassVar[int]
    MAX_STEP_FIELD_NUMBER: _ClassVar[int]
    X_KEY_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    keys: _containers.RepeatedScalarFieldContainer[str]
    samples: int
    min_step: int
    max_step: int
    x_key: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., keys: _Optional[_Iterable[str]] = ..., samples: _Optional[int] = ..., min_step: _Optional[int] = ..., max_step: _Optional[int] = ..., x_key: _Optional[str] = ...) -> None: ...

class UiSeries(_message.Message):
    __slots__ = ("key", "steps", "values", "runtimes", "timestamps", "buckets", "xs")
    KEY_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    RUNTIMES_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    XS_FIELD_NUMBER: _ClassVar[int]
    key: str
    steps: _containers.RepeatedScalarFieldContainer[float]
    values: _containers.RepeatedScalarFieldContainer[float]
    runtimes: _containers.RepeatedScalarFieldContainer[float]
    timestamps: _containers.RepeatedScalarFieldContainer[float]
    buckets: int
    xs: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, key: _Optional[str] = ..., steps: _Optional[_Iterable[float]] = ..., values: _Optional[_Iterable[float]] = ..., runtimes: _Optional[_Iterable[float]] = ..., timestamps: _Optional[_Iterable[float]] = ..., buckets: _Optional[int] = ..., xs: _Optional[_Iterable[float]] = ...) -> None: ...

class UiRunsSeriesRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "runs", "keys", "samples", "x_key")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    X_KEY_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    runs: _containers.RepeatedScalarFieldContainer[str]
    keys: _containers.RepeatedScalarFieldContainer[str]
    samples: int
    x_key: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., runs: _Optional[_Iterable[str]] = ..., keys: _Optional[_Iterable[str]] = ..., samples: _Optional[int] = ..., x_key: _Optional[str] = ...) -> None: ...

class UiRunSeries(_message.Message):
    __slots__ = ("run", "series")
    RUN_FIELD_NUMBER: _ClassVar[int]
    SERIES_FIELD_NUMBER: _ClassVar[int]
    run: str
    series: _containers.RepeatedCompositeFieldContainer[UiSeries]
    def __init__(self, run: _Optional[str] = ..., series: _Optional[_Iterable[_Union[UiSeries, _Mapping]]] = ...) -> None: ...

class UiRunsSeriesReply(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[UiRunSeries]
    def __init__(self, runs: _Optional[_Iterable[_Union[UiRunSeries, _Mapping]]] = ...) -> None: ...

class UiRunSeriesReply(_message.Message):
    __slots__ = ("series", "last_step")
    SERIES_FIELD_NUMBER: _ClassVar[int]
    LAST_STEP_FIELD_NUMBER: _ClassVar[int]
    series: _containers.RepeatedCompositeFieldContainer[UiSeries]
    last_step: int
    def __init__(self, series: _Optional[_Iterable[_Union[UiSeries, _Mapping]]] = ..., last_step: _Optional[int] = ...) -> None: ...

class UiGroupRunsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "key", "filters")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    key: str
    filters: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., key: _Optional[str] = ..., filters: _Optional[str] = ...) -> None: ...

class UiRunGroup(_message.Message):
    __slots__ = ("kind", "value_json", "count")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    value_json: str
    count: int
    def __init__(self, kind: _Optional[str] = ..., value_json: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class UiGroupRunsReply(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[UiRunGroup]
    def __init__(self, groups: _Optional[_Iterable[_Union[UiRunGroup, _Mapping]]] = ...) -> None: ...
