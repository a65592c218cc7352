"""The front's typed client for ViewService (``core_client.views``).

Each method takes the caller's principal and raises the core's own errors (NotFound,
PermissionDenied, InvalidArgument, ...).
"""

from __future__ import annotations

from roost.core.auth import Principal
from roost.protos import views_pb2 as pb
from roost.protos import views_pb2_grpc
from roost.protos.clients.base import ServiceClient


def _projects(projects) -> list[pb.ProjectName]:
    return [pb.ProjectName(entity=e, project=p) for e, p in projects]


class ViewClient(ServiceClient):
    stub_class = views_pb2_grpc.ViewServiceStub

    def upsert(self, principal: Principal, **fields) -> pb.UpsertViewReply:
        """Fields of UpsertViewRequest; None leaves a field unset (unchanged)."""
        return self._call(self._stub.UpsertView, pb.UpsertViewRequest, principal, **fields)

    def get(self, principal: Principal, id: str = "", entity: str = "", project: str = "",
            name: str = "") -> pb.View:
        return self._call(self._stub.GetView, pb.GetViewRequest, principal, id=id, entity=entity,
                          project=project, name=name)

    def list(self, principal: Principal, entity: str, project: str, **query) -> pb.ViewList:
        """query: type, name, username, search, after, first, with_spec."""
        return self._call(self._stub.ListViews, pb.ListViewsRequest, principal, entity=entity,
                          project=project, **query)

    def delete(self, principal: Principal, id: str,
               delete_drafts: bool = False) -> pb.DeleteViewReply:
        return self._call(self._stub.DeleteView, pb.DeleteViewRequest, principal, id=id,
                          delete_drafts=delete_drafts)

    def create_token(self, principal: Principal, view_id: str,
                     projects=()) -> pb.AccessToken:
        return self._call(self._stub.CreateAccessToken, pb.CreateAccessTokenRequest, principal,
                          view_id=view_id, projects=_projects(projects))

    def tokens(self, principal: Principal, view_id: str) -> list[pb.AccessToken]:
        return list(self._call(self._stub.ListAccessTokens, pb.GetViewRequest, principal,
                               id=view_id).tokens)

    def update_token(self, principal: Principal, token: str, projects) -> pb.AccessToken:
        return self._call(self._stub.UpdateAccessTokenProjects, pb.UpdateAccessTokenRequest, principal,
                          token=token, projects=_projects(projects))

    def revoke_token(self, principal: Principal, token: str) -> pb.AccessToken:
        return self._call(self._stub.RevokeAccessToken, pb.UpdateAccessTokenRequest, principal,
                          token=token)

    def ensure_project(self, principal: Principal, entity: str, project: str,
                       description: str | None = None) -> pb.EnsureProjectReply:
        return self._call(self._stub.EnsureProject, pb.EnsureProjectRequest, principal, entity=entity,
                          project=project, description=description)
