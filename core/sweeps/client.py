"""The front's typed client for SweepService (``core_client.sweeps``).

Each method takes the caller's principal and raises the core's own errors (NotFound,
PermissionDenied, InvalidArgument, ...).
"""

from __future__ import annotations

import grpc

from roost.core.auth import Principal
from roost.core.errors import from_grpc
from roost.core.wire import principal_to_proto
from roost.protos import sweeps_pb2 as pb
from roost.protos import sweeps_pb2_grpc


class SweepClient:
    def __init__(self, channel: grpc.Channel, metadata, timeout: float):
        self._stub = sweeps_pb2_grpc.SweepServiceStub(channel)
        self._metadata = metadata
        self._timeout = timeout

    def _call(self, method: str, request_cls, principal: Principal, **fields):
        fields = {k: v for k, v in fields.items() if v is not None}
        request = request_cls(principal=principal_to_proto(principal), **fields)
        try:
            return getattr(self._stub, method)(request, metadata=self._metadata,
                                               timeout=self._timeout)
        except grpc.RpcError as exc:
            raise from_grpc(exc) from None

    def upsert(self, principal: Principal, **fields) -> pb.UpsertSweepReply:
        """Fields of UpsertSweepRequest; None leaves a field unset (unchanged)."""
        return self._call("UpsertSweep", pb.UpsertSweepRequest, principal, **fields)

    def get(self, principal: Principal, entity: str, project: str, name: str) -> pb.Sweep:
        return self._call("GetSweep", pb.GetSweepRequest, principal, entity=entity,
                          project=project, name=name)

    def list(self, principal: Principal, entity: str, project: str, after: str = "",
             first: int = 50) -> pb.SweepList:
        return self._call("ListSweeps", pb.ListSweepsRequest, principal, entity=entity,
                          project=project, after=after, first=first)

    def runs(self, principal: Principal, entity: str, project: str, sweep: str,
             agent: str = "", after: str = "", first: int = 0,
             descending: bool = False) -> pb.SweepRunPage:
        return self._call("ListSweepRuns", pb.ListSweepRunsRequest, principal, entity=entity,
                          project=project, sweep=sweep, agent=agent, after=after,
                          first=first, descending=descending)

    def create_agent(self, principal: Principal, entity: str, project: str, sweep: str,
                     host: str) -> pb.Agent:
        return self._call("CreateAgent", pb.CreateAgentRequest, principal, entity=entity,
                          project=project, sweep=sweep, host=host)

    def agent(self, principal: Principal, entity: str, project: str, sweep: str,
              agent: str) -> pb.Agent:
        return self._call("GetAgent", pb.GetAgentRequest, principal, entity=entity,
                          project=project, sweep=sweep, agent=agent)

    def agents(self, principal: Principal, entity: str, project: str, sweep: str) -> list:
        return list(self._call("ListAgents", pb.GetSweepRequest, principal, entity=entity,
                               project=project, name=sweep).agents)

    def heartbeat(self, principal: Principal, agent_id: str,
                  active_runs: list[str]) -> pb.AgentHeartbeatReply:
        return self._call("AgentHeartbeat", pb.AgentHeartbeatRequest, principal,
                          agent_id=agent_id, active_runs=active_runs)
