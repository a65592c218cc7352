"""Saved views and reports: view, allViews, upsertView, deleteView and the access-token
mutations, as wandb-workspaces and the SDK's Api().reports send them."""

from __future__ import annotations

from graphql import GraphQLError

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.viewer import entity_node

MAX_PAGE = 1000


def view_node(view) -> dict:
    project = {"id": ids.encode("Project", view.project_id), "internalId": view.project_id,
               "name": view.project, "entityName": view.entity,
               "entity": entity_node(view.entity, ""), "isBenchmark": False,
               "readOnly": False}
    user = ({"id": ids.encode("User", view.username), "name": view.username,
             "username": view.username, "email": None, "photoUrl": None, "teams": None}
            if view.username else None)
    return {"_view": view, "id": ids.encode("View", view.id), "type": view.type,
            "name": view.name, "displayName": view.display_name,
            "description": view.description, "spec": view.spec, "project": project,
            "entityName": view.entity, "projectName": view.project, "user": user,
            "createdAt": view.created_at, "updatedAt": view.updated_at}


def token_node(token) -> dict:
    return {"id": ids.encode("AccessToken", token.id), "token": token.token, "type": token.type,
            "createdAt": token.created_at, "revokedAt": token.revoked_at or None,
            "projects": [{"id": ids.encode("Project", f"{p.entity}/{p.project}"),
                          "internalId": f"{p.entity}/{p.project}", "name": p.project,
                          "entityName": p.entity, "entity": entity_node(p.entity, ""),
                          "isBenchmark": False, "readOnly": False} for p in token.projects]}


def _projects(specifiers) -> list[tuple[str, str]]:
    return [(p["entityName"], p["projectName"]) for p in specifiers or []]


@resolver("Query", "view")
def resolve_view(_, info, id):
    context = info.context
    return view_node(context.core.views.get(context.principal, id=ids.decode("View", id)))


@resolver("View", "accessTokens")
def resolve_access_tokens(view, info):
    context = info.context
    return [token_node(t) for t in context.core.views.tokens(context.principal,
                                                              view["_view"].id)]


@resolver("Project", "allViews")
def resolve_all_views(project, info, viewType=None, viewName=None, userName=None, first=None,
                      after=None):
    context = info.context
    if first is not None and first < 0:
        raise GraphQLError("first must not be negative")
    reply = context.core.views.list(
        context.principal, project["entityName"], project["name"], type=viewType or "",
        name=viewName or "", username=userName or "", after=after or "",
        first=min(first or MAX_PAGE, MAX_PAGE), with_spec=True)
    edges = [{"node": view_node(v), "cursor": v.id} for v in reply.views]
    return {"edges": edges,
            "pageInfo": {"startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": edges[-1]["cursor"] if edges else None,
                         "hasNextPage": reply.has_next_page, "hasPreviousPage": bool(after)}}


@resolver("Mutation", "upsertView")
def resolve_upsert_view(_, info, input):
    context = info.context
    fields = {"entity": input.get("entityName"), "project": input.get("projectName"),
              "type": input.get("type"), "name": input.get("name"),
              "display_name": input.get("displayName"),
              "description": input.get("description"), "spec": input.get("spec")}
    if input.get("id"):
        fields["id"] = ids.decode("View", input["id"])
    if input.get("parentId"):
        fields["parent_id"] = ids.decode("View", input["parentId"])
    reply = context.core.views.upsert(context.principal, **fields)
    return {"view": view_node(reply.view), "inserted": reply.inserted}


@resolver("Mutation", "deleteView")
def resolve_delete_view(_, info, input):
    context = info.context
    reply = context.core.views.delete(context.principal, ids.decode("View", input["id"]),
                                      bool(input.get("deleteDrafts")))
    return {"success": reply.success, "pendingDrafts": reply.pending_drafts > 0}


@resolver("Mutation", "createAccessToken")
def resolve_create_access_token(_, info, input):
    context = info.context
    token = context.core.views.create_token(context.principal, ids.decode("View", input["viewId"]),
                                            _projects(input.get("projects")))
    return {"accessToken": token_node(token), "toProject": None}


@resolver("Mutation", "updateAccessTokenProjects")
def resolve_update_access_token(_, info, input):
    context = info.context
    context.core.views.update_token(context.principal, input["token"],
                                    _projects(input.get("projects")))
    return {"success": True}


@resolver("Mutation", "revokeAccessToken")
def resolve_revoke_access_token(_, info, input):
    context = info.context
    context.core.views.revoke_token(context.principal, input["token"])
    return {"success": True}


@resolver("Mutation", "upsertModel")
def resolve_upsert_model(_, info, input):
    context = info.context
    if input.get("id"):
        raise GraphQLError("changing a project through upsertModel is not supported; rename "
                           "or move projects in the console")
    reply = context.core.views.ensure_project(
        context.principal, input.get("entityName") or context.principal.default_entity,
        input.get("name") or "", input.get("description"))
    project = {"id": ids.encode("Project", reply.id), "internalId": reply.id,
               "name": reply.project, "entityName": reply.entity,
               "entity": entity_node(reply.entity, ""), "description": reply.description,
               "isBenchmark": False, "readOnly": False, "access": None, "views": None}
    return {"project": project, "model": project, "inserted": reply.inserted}
