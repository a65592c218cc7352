"""SweepService over gRPC: decode, call the core's SweepService, encode. Nothing else."""

from __future__ import annotations

import json

from roost.core.servicers import translating_errors
from roost.protos.wire import message_to_dict, principal_from_proto, run_to_proto
from roost.protos import sweeps_pb2, sweeps_pb2_grpc

SWEEP_FIELDS = {f.name for f in sweeps_pb2.Sweep.DESCRIPTOR.fields}
AGENT_FIELDS = {f.name for f in sweeps_pb2.Agent.DESCRIPTOR.fields}


def sweep_to_proto(sweep: dict) -> sweeps_pb2.Sweep:
    return sweeps_pb2.Sweep(**{k: v for k, v in sweep.items() if k in SWEEP_FIELDS
                               and v is not None})


def agent_to_proto(agent: dict) -> sweeps_pb2.Agent:
    return sweeps_pb2.Agent(**{k: v for k, v in agent.items() if k in AGENT_FIELDS
                               and v is not None})


def command_to_proto(command: dict) -> sweeps_pb2.AgentCommand:
    message = sweeps_pb2.AgentCommand(type=command["type"], run_id=command.get("run_id", ""))
    if "args" in command:
        message.args = json.dumps(command["args"])
    if command.get("program") is not None:
        message.program = command["program"]
    return message


class SweepServicer(sweeps_pb2_grpc.SweepServiceServicer):
    def __init__(self, core):
        self.sweeps = core.sweeps

    @translating_errors
    def UpsertSweep(self, request, context):
        fields = message_to_dict(request)
        fields.pop("principal")
        sweep, warnings, inserted = self.sweeps.upsert_sweep(
            principal_from_proto(request.principal), fields)
        return sweeps_pb2.UpsertSweepReply(sweep=sweep_to_proto(sweep), warnings=warnings,
                                           inserted=inserted)

    @translating_errors
    def GetSweep(self, request, context):
        return sweep_to_proto(self.sweeps.get_sweep(principal_from_proto(request.principal),
                                                    request.entity, request.project,
                                                    request.name))

    @translating_errors
    def ListSweeps(self, request, context):
        sweeps, has_next, total = self.sweeps.list_sweeps(
            principal_from_proto(request.principal), request.entity, request.project,
            request.after, request.first)
        return sweeps_pb2.SweepList(sweeps=[sweep_to_proto(s) for s in sweeps],
                                    has_next_page=has_next, total=total)

    @translating_errors
    def ListSweepRuns(self, request, context):
        runs, has_next, total = self.sweeps.list_runs(
            principal_from_proto(request.principal), request.entity, request.project,
            request.sweep, request.agent, request.after, request.first, request.descending)
        return sweeps_pb2.SweepRunPage(runs=[run_to_proto(r) for r in runs],
                                       has_next_page=has_next, total=total)

    @translating_errors
    def CreateAgent(self, request, context):
        return agent_to_proto(self.sweeps.create_agent(
            principal_from_proto(request.principal), request.entity, request.project,
            request.sweep, request.host))

    @translating_errors
    def GetAgent(self, request, context):
        return agent_to_proto(self.sweeps.get_agent(
            principal_from_proto(request.principal), request.entity, request.project,
            request.sweep, request.agent))

    @translating_errors
    def ListAgents(self, request, context):
        agents = self.sweeps.list_agents(principal_from_proto(request.principal),
                                         request.entity, request.project, request.name)
        return sweeps_pb2.AgentList(agents=[agent_to_proto(a) for a in agents])

    @translating_errors
    def AgentHeartbeat(self, request, context):
        agent, commands = self.sweeps.heartbeat(principal_from_proto(request.principal),
                                                request.agent_id, set(request.active_runs))
        return sweeps_pb2.AgentHeartbeatReply(agent=agent_to_proto(agent),
                                              commands=[command_to_proto(c) for c in commands])


def add_to_server(core, server) -> None:
    """Add the sweep service to the core's gRPC server."""
    sweeps_pb2_grpc.add_SweepServiceServicer_to_server(SweepServicer(core), server)
