"""ViewService over gRPC: decode, call the core's ViewService, encode. Nothing else."""

from __future__ import annotations

from roost.core.servicers import translating_errors
from roost.protos.wire import message_to_dict, principal_from_proto
from roost.protos import views_pb2, views_pb2_grpc

VIEW_FIELDS = {f.name for f in views_pb2.View.DESCRIPTOR.fields}


def view_to_proto(view: dict) -> views_pb2.View:
    message = views_pb2.View(**{k: v for k, v in view.items() if k in VIEW_FIELDS
                                and v is not None})
    message.personal = bool(view.get("owner_id"))
    return message


def token_to_proto(token: dict) -> views_pb2.AccessToken:
    return views_pb2.AccessToken(
        id=token["id"], view_id=token["view_id"], token=token["token"], type=token["type"],
        created_at=token["created_at"], revoked_at=token["revoked_at"],
        projects=[views_pb2.ProjectName(entity=e, project=p) for e, p in token["projects"]])


def _projects(message) -> list[tuple[str, str]]:
    return [(p.entity, p.project) for p in message.projects]


class ViewServicer(views_pb2_grpc.ViewServiceServicer):
    def __init__(self, core):
        self.views = core.views

    @translating_errors
    def UpsertView(self, request, context):
        fields = message_to_dict(request)
        fields.pop("principal")
        view, inserted = self.views.upsert(principal_from_proto(request.principal), fields)
        return views_pb2.UpsertViewReply(view=view_to_proto(view), inserted=inserted)

    @translating_errors
    def GetView(self, request, context):
        return view_to_proto(self.views.get(principal_from_proto(request.principal),
                                            request.id, request.entity, request.project,
                                            request.name))

    @translating_errors
    def ListViews(self, request, context):
        query = {"type": request.type, "name": request.name, "username": request.username,
                 "search": request.search, "after": request.after, "first": request.first,
                 "with_spec": request.with_spec}
        views, has_next = self.views.list(principal_from_proto(request.principal),
                                          request.entity, request.project, query)
        return views_pb2.ViewList(views=[view_to_proto(v) for v in views],
                                  has_next_page=has_next)

    @translating_errors
    def DeleteView(self, request, context):
        left = self.views.delete(principal_from_proto(request.principal), request.id,
                                 request.delete_drafts)
        return views_pb2.DeleteViewReply(success=True, pending_drafts=left)

    @translating_errors
    def CreateAccessToken(self, request, context):
        return token_to_proto(self.views.create_token(
            principal_from_proto(request.principal), request.view_id, _projects(request)))

    @translating_errors
    def ListAccessTokens(self, request, context):
        tokens = self.views.list_tokens(principal_from_proto(request.principal), request.id)
        return views_pb2.AccessTokenList(tokens=[token_to_proto(t) for t in tokens])

    @translating_errors
    def UpdateAccessTokenProjects(self, request, context):
        return token_to_proto(self.views.update_token(
            principal_from_proto(request.principal), request.token, _projects(request), False))

    @translating_errors
    def RevokeAccessToken(self, request, context):
        return token_to_proto(self.views.update_token(
            principal_from_proto(request.principal), request.token, None, True))

    @translating_errors
    def EnsureProject(self, request, context):
        project, inserted = self.views.ensure_project(
            principal_from_proto(request.principal), request.entity, request.project,
            request.description if request.HasField("description") else None)
        return views_pb2.EnsureProjectReply(**project, inserted=inserted)


def add_to_server(core, server) -> None:
    views_pb2_grpc.add_ViewServiceServicer_to_server(ViewServicer(core), server)
