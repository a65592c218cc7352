from roost.protos import common_pb2 as _common_pb2
from roost.protos import storage_pb2 as _storage_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sweep(_message.Message):
    __slots__ = ("id", "entity", "project", "project_id", "name", "display_name", "description", "method", "state", "config", "created_at", "updated_at", "heartbeat_at", "run_count", "run_count_expected", "best_loss", "controller", "scheduler", "early_stop_job_running", "username")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    RUN_COUNT_FIELD_NUMBER: _ClassVar[int]
    RUN_COUNT_EXPECTED_FIELD_NUMBER: _ClassVar[int]
    BEST_LOSS_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULER_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOP_JOB_RUNNING_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    project_id: str
    name: str
    display_name: str
    description: str
    method: str
    state: str
    config: str
    created_at: float
    updated_at: float
    heartbeat_at: float
    run_count: int
    run_count_expected: int
    best_loss: float
    controller: str
    scheduler: str
    early_stop_job_running: bool
    username: str
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., method: _Optional[str] = ..., state: _Optional[str] = ..., config: _Optional[str] = ..., created_at: _Optional[float] = ..., updated_at: _Optional[float] = ..., heartbeat_at: _Optional[float] = ..., run_count: _Optional[int] = ..., run_count_expected: _Optional[int] = ..., best_loss: _Optional[float] = ..., controller: _Optional[str] = ..., scheduler: _Optional[str] = ..., early_stop_job_running: _Optional[bool] = ..., username: _Optional[str] = ...) -> None: ...

class UpsertSweepRequest(_message.Message):
    __slots__ = ("principal", "id", "entity", "project", "config", "description", "display_name", "state", "controller", "scheduler", "prior_runs_filters")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULER_FIELD_NUMBER: _ClassVar[int]
    PRIOR_RUNS_FILTERS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    entity: str
    project: str
    config: str
    description: str
    display_name: str
    state: str
    controller: str
    scheduler: str
    prior_runs_filters: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., config: _Optional[str] = ..., description: _Optional[str] = ..., display_name: _Optional[str] = ..., state: _Optional[str] = ..., controller: _Optional[str] = ..., scheduler: _Optional[str] = ..., prior_runs_filters: _Optional[str] = ...) -> None: ...

class UpsertSweepReply(_message.Message):
    __slots__ = ("sweep", "warnings", "inserted")
    SWEEP_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    INSERTED_FIELD_NUMBER: _ClassVar[int]
    sweep: Sweep
    warnings: _containers.RepeatedScalarFieldContainer[str]
    inserted: bool
    def __init__(self, sweep: _Optional[_Union[Sweep, _Mapping]] = ..., warnings: _Optional[_Iterable[str]] = ..., inserted: _Optional[bool] = ...) -> None: ...

class GetSweepRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "name")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    name: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class ListSweepsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "after", "first")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    after: str
    first: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ...) -> None: ...

class SweepList(_message.Message):
    __slots__ = ("sweeps", "has_next_page", "total")
    SWEEPS_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    sweeps: _containers.RepeatedCompositeFieldContainer[Sweep]
    has_next_page: bool
    total: int
    def __init__(self, sweeps: _Optional[_Iterable[_Union[Sweep, _Mapping]]] = ..., has_next_page: _Optional[bool] = ..., total: _Optional[int] = ...) -> None: ...

class ListSweepRunsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "sweep", "agent", "after", "first", "descending")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    SWEEP_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    DESCENDING_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    sweep: str
    agent: str
    after: str
    first: int
    descending: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., sweep: _Optional[str] = ..., agent: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ..., descending: _Optional[bool] = ...) -> None: ...

class SweepRunPage(_message.Message):
    __slots__ = ("runs", "has_next_page", "total")
    RUNS_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[_storage_pb2.Run]
    has_next_page: bool
    total: int
    def __init__(self, runs: _Optional[_Iterable[_Union[_storage_pb2.Run, _Mapping]]] = ..., has_next_page: _Optional[bool] = ..., total: _Optional[int] = ...) -> None: ...

class Agent(_message.Message):
    __slots__ = ("id", "name", "sweep_id", "host", "state", "total_runs", "created_at", "heartbeat_at", "sweep_name", "entity", "project")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SWEEP_ID_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_RUNS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    SWEEP_NAME_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    sweep_id: str
    host: str
    state: str
    total_runs: int
    created_at: float
    heartbeat_at: float
    sweep_name: str
    entity: str
    project: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., sweep_id: _Optional[str] = ..., host: _Optional[str] = ..., state: _Optional[str] = ..., total_runs: _Optional[int] = ..., created_at: _Optional[float] = ..., heartbeat_at: _Optional[float] = ..., sweep_name: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class CreateAgentRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "sweep", "host")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    SWEEP_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    sweep: str
    host: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., sweep: _Optional[str] = ..., host: _Optional[str] = ...) -> None: ...

class GetAgentRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "sweep", "agent")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    SWEEP_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    sweep: str
    agent: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., sweep: _Optional[str] = ..., agent: _Optional[str] = ...) -> None: ...

class AgentList(_message.Message):
    __slots__ = ("agents",)
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    agents: _containers.RepeatedCompositeFieldContainer[Agent]
    def __init__(self, agents: _Optional[_Iterable[_Union[Agent, _Mapping]]] = ...) -> None: ...

class AgentHeartbeatRequest(_message.Message):
    __slots__ = ("principal", "agent_id", "active_runs")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_RUNS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    agent_id: str
    active_runs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., agent_id: _Optional[str] = ..., active_runs: _Optional[_Iterable[str]] = ...) -> None: ...

class AgentCommand(_message.Message):
    __slots__ = ("type", "run_id", "args", "program")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    type: str
    run_id: str
    args: str
    program: str
    def __init__(self, type: _Optional[str] = ..., run_id: _Optional[str] = ..., args: _Optional[str] = ..., program: _Optional[str] = ...) -> None: ...

class AgentHeartbeatReply(_message.Message):
    __slots__ = ("agent", "commands")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    commands: _containers.RepeatedCompositeFieldContainer[AgentCommand]
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ..., commands: _Optional[_Iterable[_Union[AgentCommand, _Mapping]]] = ...) -> None: ...
