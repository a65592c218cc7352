"""The front's typed client for UiService (``core_client.ui``): the web UI's own reads.

Each method takes the caller's principal and raises the core's own errors (NotFound,
PermissionDenied, ...).
"""

from __future__ import annotations

from roost.core.auth import Principal
from roost.protos import ui_pb2, ui_pb2_grpc
from roost.protos.clients.base import ServiceClient
from roost.protos.clients.runs import run_ref


class UiClient(ServiceClient):
    stub_class = ui_pb2_grpc.UiServiceStub

    def home(self, principal: Principal, recent_runs: int = 10) -> ui_pb2.UiHomeReply:
        return self._call(self._stub.Home, ui_pb2.UiHomeRequest, principal,
                          recent_runs=recent_runs)

    def search(self, principal: Principal, text: str, limit: int = 20) -> ui_pb2.UiSearchReply:
        return self._call(self._stub.Search, ui_pb2.UiSearchRequest, principal, text=text,
                          limit=limit)

    def entity_projects(self, principal: Principal, entity: str) -> ui_pb2.UiEntityProjectsReply:
        return self._call(self._stub.EntityProjects, ui_pb2.UiEntityProjectsRequest, principal,
                          entity=entity)

    def project_keys(self, principal: Principal, entity: str,
                     project: str) -> ui_pb2.UiProjectKeysReply:
        return self._call(self._stub.ProjectKeys, ui_pb2.UiProjectRequest, principal,
                          entity=entity, project=project)

    def capabilities(self, principal: Principal, entity: str, project: str,
                     actions: list[str]) -> set[str]:
        reply = self._call(self._stub.Capabilities, ui_pb2.UiCapabilitiesRequest, principal,
                           entity=entity, project=project, actions=actions)
        return set(reply.allowed)

    def run_series(self, principal: Principal, entity: str, project: str, run: str,
                   keys: list[str], samples: int, min_step: int | None = None,
                   max_step: int | None = None, x_key: str = "") -> ui_pb2.UiRunSeriesReply:
        return self._call(self._stub.RunSeries, ui_pb2.UiRunSeriesRequest, principal,
                          run=run_ref(entity, project, run), keys=keys, samples=samples,
                          min_step=min_step, max_step=max_step, x_key=x_key)

    def runs_series(self, principal: Principal, entity: str, project: str, runs: list[str],
                    keys: list[str], samples: int, x_key: str = "") -> ui_pb2.UiRunsSeriesReply:
        return self._call(self._stub.RunsSeries, ui_pb2.UiRunsSeriesRequest, principal,
                          entity=entity, project=project, runs=runs, keys=keys,
                          samples=samples, x_key=x_key)

    def group_runs(self, principal: Principal, entity: str, project: str, key: str,
                   filters: str = "") -> list[ui_pb2.UiRunGroup]:
        return list(self._call(self._stub.GroupRuns, ui_pb2.UiGroupRunsRequest, principal,
                               entity=entity, project=project, key=key, filters=filters).groups)
