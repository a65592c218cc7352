"""Who is asking, what the server offers, entities and projects."""

from __future__ import annotations

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver
from roost.core import __version__
from roost.core.errors import NotFound

# The newest and oldest wandb clients Roost is tested with; clients cache max_cli_version.
CLI_VERSION_INFO = {"max_cli_version": "0.31.0", "min_cli_version": "0.21.0"}


def user_node(principal) -> dict:
    return {
        "id": ids.encode("User", principal.user_id), "name": principal.name or principal.username,
        "username": principal.username, "email": principal.email,
        "entity": principal.default_entity, "admin": principal.admin, "flags": "{}",
        "deletedAt": None,
        "teams": {"edges": [{"node": entity_node(team, "team")} for team in principal.teams]},
    }


def entity_node(name: str, kind: str, pk: str = "") -> dict:
    return {"id": ids.encode("Entity", pk or name), "name": name, "isTeam": kind == "team",
            "organization": None}


def project_node(project) -> dict:
    return {
        "id": ids.encode("Project", project.id), "internalId": project.id, "name": project.name,
        "entityName": project.entity, "entity": entity_node(project.entity, ""),
        "description": project.description, "createdAt": project.created_at,
        "isBenchmark": False, "readOnly": False, "user": None,
    }


@resolver("Query", "viewer")
def resolve_viewer(_, info):
    # wandb takes a null viewer to mean "these credentials are not a user".
    if info.context.principal.kind in ("anonymous", "share"):
        return None
    return user_node(info.context.principal)


@resolver("User", "apiKeys")
def resolve_api_keys(user, info):
    context = info.context
    keys = context.core.list_api_keys(context.principal, user["username"])
    return {"edges": [{"node": {"id": k.id, "name": k.hint, "description": k.description}}
                      for k in keys if not k.revoked]}


@resolver("Query", "serverInfo")
def resolve_server_info(_, info):
    return {
        # Features stay off until Roost implements what they switch on (PROTOCOL.md §9).
        "features": [],
        "cliVersionInfo": CLI_VERSION_INFO,
        "latestLocalVersionInfo": {"outOfDate": False, "latestVersionString": __version__,
                                   "versionOnThisInstanceString": __version__},
    }


@resolver("Query", "entity")
def resolve_entity(_, info, name=None):
    context = info.context
    try:
        entity = context.core.get_entity(context.principal, name or context.principal.default_entity)
    except NotFound:
        return None
    return entity_node(entity.name, entity.kind, entity.id)


@resolver("Query", "project", "model")
def resolve_project(_, info, name=None, entityName=None):
    context = info.context
    try:
        project = context.core.get_project(context.principal,
                                           entityName or context.principal.default_entity,
                                           name or "uncategorized")
    except NotFound:
        return None
    return project_node(project)
