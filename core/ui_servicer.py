"""UiService: decode, call the Core's UiReads, encode. Nothing else."""

from __future__ import annotations

import json

from roost.core.servicers import translating_errors
from roost.protos.wire import principal_from_proto
from roost.protos import ui_pb2, ui_pb2_grpc


def _fields(message_type, record: dict) -> dict:
    names = {f.name for f in message_type.DESCRIPTOR.fields}
    return {k: v for k, v in record.items() if k in names and v is not None}


def project_summary(project: dict) -> ui_pb2.UiProjectSummary:
    return ui_pb2.UiProjectSummary(**_fields(ui_pb2.UiProjectSummary, project))


def run_summary(run: dict) -> ui_pb2.UiRunSummary:
    return ui_pb2.UiRunSummary(**_fields(ui_pb2.UiRunSummary, run))


class UiServicer(ui_pb2_grpc.UiServiceServicer):
    def __init__(self, core):
        self.ui = core.ui

    @translating_errors
    def Home(self, request, context):
        home = self.ui.home(principal_from_proto(request.principal), request.recent_runs or 10)
        return ui_pb2.UiHomeReply(
            teams=[ui_pb2.UiTeamSummary(**t) for t in home["teams"]],
            projects=[project_summary(p) for p in home["projects"]],
            recent_runs=[run_summary(r) for r in home["recent_runs"]])

    @translating_errors
    def Search(self, request, context):
        found = self.ui.search(principal_from_proto(request.principal), request.text,
                               request.limit or 20)
        return ui_pb2.UiSearchReply(projects=[project_summary(p) for p in found["projects"]],
                                    runs=[run_summary(r) for r in found["runs"]])

    @translating_errors
    def EntityProjects(self, request, context):
        found = self.ui.entity_projects(principal_from_proto(request.principal), request.entity)
        return ui_pb2.UiEntityProjectsReply(
            entity=found["entity"], kind=found["kind"], role=found["role"],
            projects=[project_summary(p) for p in found["projects"]])

    @translating_errors
    def ProjectKeys(self, request, context):
        keys = self.ui.project_keys(principal_from_proto(request.principal), request.entity,
                                    request.project)
        return ui_pb2.UiProjectKeysReply(config=keys["config"], summary=keys["summary"],
                                         varying_config=keys.get("varying", []))

    @translating_errors
    def Capabilities(self, request, context):
        allowed = self.ui.capabilities(principal_from_proto(request.principal), request.entity,
                                       request.project, list(request.actions))
        return ui_pb2.UiCapabilitiesReply(allowed=allowed)

    @translating_errors
    def RunSeries(self, request, context):
        found = self.ui.run_series(
            principal_from_proto(request.principal), request.run.entity, request.run.project,
            request.run.run, list(request.keys), request.samples,
            request.min_step if request.HasField("min_step") else None,
            request.max_step if request.HasField("max_step") else None, request.x_key)
        return ui_pb2.UiRunSeriesReply(
            series=[ui_pb2.UiSeries(**s) for s in found["series"]], last_step=found["last_step"])

    @translating_errors
    def RunsSeries(self, request, context):
        found = self.ui.runs_series(
            principal_from_proto(request.principal), request.entity, request.project,
            list(request.runs), list(request.keys), request.samples, request.x_key)
        return ui_pb2.UiRunsSeriesReply(runs=[
            ui_pb2.UiRunSeries(run=r["run"], series=[ui_pb2.UiSeries(**s) for s in r["series"]])
            for r in found])

    @translating_errors
    def GroupRuns(self, request, context):
        groups = self.ui.group_runs(principal_from_proto(request.principal), request.entity,
                                    request.project, request.key, request.filters)
        return ui_pb2.UiGroupRunsReply(groups=[
            ui_pb2.UiRunGroup(kind=g["kind"], value_json=json.dumps(g["value"]),
                              count=g["count"]) for g in groups])


def add_to_server(core, server) -> None:
    ui_pb2_grpc.add_UiServiceServicer_to_server(UiServicer(core), server)
