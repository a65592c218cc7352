"""The front's typed client for UiService (``core_client.ui``): the web UI's own reads.

Each method takes the caller's principal and raises the core's own errors (NotFound,
PermissionDenied, ...).
"""

from __future__ import annotations

from roost.core.auth import Principal
from roost.protos.clients.base import ServiceClient
from roost.protos.wire import principal_to_proto
from roost.protos import common_pb2, ui_pb2, ui_pb2_grpc


class UiClient(ServiceClient):
    stub_class = ui_pb2_grpc.UiServiceStub

    def home(self, principal: Principal, recent_runs: int = 10) -> ui_pb2.UiHomeReply:
        return self._send(self._stub.Home, ui_pb2.UiHomeRequest(
            principal=principal_to_proto(principal), recent_runs=recent_runs))

    def search(self, principal: Principal, text: str, limit: int = 20) -> ui_pb2.UiSearchReply:
        return self._send(self._stub.Search, ui_pb2.UiSearchRequest(
            principal=principal_to_proto(principal), text=text, limit=limit))

    def entity_projects(self, principal: Principal, entity: str) -> ui_pb2.UiEntityProjectsReply:
        return self._send(self._stub.EntityProjects, ui_pb2.UiEntityProjectsRequest(
            principal=principal_to_proto(principal), entity=entity))

    def project_keys(self, principal: Principal, entity: str,
                     project: str) -> ui_pb2.UiProjectKeysReply:
        return self._send(self._stub.ProjectKeys, ui_pb2.UiProjectRequest(
            principal=principal_to_proto(principal), entity=entity, project=project))

    def capabilities(self, principal: Principal, entity: str, project: str,
                     actions: list[str]) -> set[str]:
        reply = self._send(self._stub.Capabilities, ui_pb2.UiCapabilitiesRequest(
            principal=principal_to_proto(principal), entity=entity, project=project,
            actions=actions))
        return set(reply.allowed)

    def run_series(self, principal: Principal, entity: str, project: str, run: str,
                   keys: list[str], samples: int, min_step: int | None = None,
                   max_step: int | None = None) -> ui_pb2.UiRunSeriesReply:
        return self._send(self._stub.RunSeries, self._series_request(
            principal, entity, project, run, keys, samples, min_step, max_step))

    @staticmethod
    def _series_request(principal, entity, project, run, keys, samples, min_step, max_step):
        request = ui_pb2.UiRunSeriesRequest(
            principal=principal_to_proto(principal),
            run=common_pb2.RunRef(entity=entity, project=project, run=run),
            keys=keys, samples=samples)
        if min_step is not None:
            request.min_step = min_step
        if max_step is not None:
            request.max_step = max_step
        return request

    def group_runs(self, principal: Principal, entity: str, project: str, key: str,
                   filters: str = "") -> list[ui_pb2.UiRunGroup]:
        return list(self._send(self._stub.GroupRuns, ui_pb2.UiGroupRunsRequest(
            principal=principal_to_proto(principal), entity=entity, project=project, key=key,
            filters=filters)).groups)
