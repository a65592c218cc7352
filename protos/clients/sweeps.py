"""The front's typed client for SweepService (``core_client.sweeps``).

Each method takes the caller's principal and raises the core's own errors (NotFound,
PermissionDenied, InvalidArgument, ...).
"""

from __future__ import annotations

from roost.core.auth import Principal
from roost.protos.clients.base import ServiceClient
from roost.protos import sweeps_pb2 as pb
from roost.protos import sweeps_pb2_grpc


class SweepClient(ServiceClient):
    stub_class = sweeps_pb2_grpc.SweepServiceStub

    def upsert(self, principal: Principal, **fields) -> pb.UpsertSweepReply:
        """Fields of UpsertSweepRequest; None leaves a field unset (unchanged)."""
        return self._call(self._stub.UpsertSweep, pb.UpsertSweepRequest, principal, **fields)

    def get(self, principal: Principal, entity: str, project: str, name: str) -> pb.Sweep:
        return self._call(self._stub.GetSweep, pb.GetSweepRequest, principal, entity=entity,
                          project=project, name=name)

    def list(self, principal: Principal, entity: str, project: str, after: str = "",
             first: int = 50) -> pb.SweepList:
        return self._call(self._stub.ListSweeps, pb.ListSweepsRequest, principal, entity=entity,
                          project=project, after=after, first=first)

    def runs(self, principal: Principal, entity: str, project: str, sweep: str,
             agent: str = "", after: str = "", first: int = 0,
             descending: bool = False) -> pb.SweepRunPage:
        return self._call(self._stub.ListSweepRuns, pb.ListSweepRunsRequest, principal,
                          entity=entity, project=project, sweep=sweep, agent=agent, after=after,
                          first=first, descending=descending)

    def create_agent(self, principal: Principal, entity: str, project: str, sweep: str,
                     host: str) -> pb.Agent:
        return self._call(self._stub.CreateAgent, pb.CreateAgentRequest, principal, entity=entity,
                          project=project, sweep=sweep, host=host)

    def agent(self, principal: Principal, entity: str, project: str, sweep: str,
              agent: str) -> pb.Agent:
        return self._call(self._stub.GetAgent, pb.GetAgentRequest, principal, entity=entity,
                          project=project, sweep=sweep, agent=agent)

    def agents(self, principal: Principal, entity: str, project: str, sweep: str) -> list:
        return list(self._call(self._stub.ListAgents, pb.GetSweepRequest, principal, entity=entity,
                               project=project, name=sweep).agents)

    def heartbeat(self, principal: Principal, agent_id: str,
                  active_runs: list[str]) -> pb.AgentHeartbeatReply:
        return self._call(self._stub.AgentHeartbeat, pb.AgentHeartbeatRequest, principal,
                          agent_id=agent_id, active_runs=active_runs)
