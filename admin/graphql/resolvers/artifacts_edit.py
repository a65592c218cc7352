"""Changing artifacts: metadata, aliases, deletion, links, collections, types."""

from __future__ import annotations

from graphql import GraphQLError

from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.artifacts_nodes import (
    alias_inputs, artifact_node, collection_node, decode_artifact_id, decode_collection_id,
    membership_node, project_info, tag_names, tag_node, type_node)


def _client(info):
    return info.context.core.artifacts, info.context.principal


@resolver("Mutation", "updateArtifact")
def resolve_update_artifact(_, info, input):
    client, principal = _client(info)
    artifact_id = decode_artifact_id(input["artifactID"])
    optional = {k: input[g] for k, g in (("description", "description"), ("metadata", "metadata"),
                                          ("ttl_duration_seconds", "ttlDurationSeconds"))
                if input.get(g) is not None}
    aliases = input.get("aliases")
    client.update(principal, artifact_id=artifact_id, tags_to_add=tag_names(input.get("tagsToAdd")),
                  tags_to_delete=tag_names(input.get("tagsToDelete")),
                  replace_aliases=aliases is not None,
                  aliases=alias_inputs(aliases), **optional)
    return {"artifact": artifact_node(client.get(principal, artifact_id, info.context.base_url))}


@resolver("Mutation", "addAliases")
def resolve_add_aliases(_, info, input):
    client, principal = _client(info)
    client.edit_aliases(principal, artifact_id=decode_artifact_id(input["artifactID"]),
                        add=alias_inputs(input["aliases"], scoped=True))
    return {"success": True}


@resolver("Mutation", "deleteAliases")
def resolve_delete_aliases(_, info, input):
    client, principal = _client(info)
    client.edit_aliases(principal, artifact_id=decode_artifact_id(input["artifactID"]),
                        remove=alias_inputs(input["aliases"], scoped=True))
    return {"success": True}


@resolver("Mutation", "deleteArtifact")
def resolve_delete_artifact(_, info, input):
    client, principal = _client(info)
    artifact_id = decode_artifact_id(input["artifactID"])
    artifact = client.get(principal, artifact_id)
    client.delete(principal, artifact_id, bool(input.get("deleteAliases")))
    node = artifact_node(artifact)
    node["state"] = "DELETED"
    return {"artifact": node}


@resolver("Mutation", "linkArtifact")
def resolve_link_artifact(_, info, input):
    client, principal = _client(info)
    if not (input.get("artifactPortfolioName") or input.get("artifactPortfolioID")):
        raise GraphQLError("linkArtifact needs artifactPortfolioName or artifactPortfolioID")
    membership = client.link(
        principal, artifact_id=decode_artifact_id(input.get("artifactID")),
        client_id=input.get("clientID") or "", entity=input.get("entityName") or "",
        project=input.get("projectName") or "", portfolio=input.get("artifactPortfolioName") or "",
        portfolio_id=decode_collection_id(input.get("artifactPortfolioID")),
        aliases=alias_inputs(input.get("aliases")))
    node = membership_node(membership)
    return {"versionIndex": membership.version_index, "artifactMembership": node,
            "artifactCollectionMember": node["artifact"]}


@resolver("Mutation", "unlinkArtifact")
def resolve_unlink_artifact(_, info, input):
    client, principal = _client(info)
    client.unlink(principal, decode_artifact_id(input["artifactID"]),
                  decode_collection_id(input["artifactPortfolioID"]))
    return {"artifactID": input["artifactID"], "success": True}


@resolver("Mutation", "createArtifactType")
def resolve_create_artifact_type(_, info, input):
    # Types come into being with their first collection; this answers what exists or would.
    client, principal = _client(info)
    project = info.context.core.get_project(principal, input["entityName"], input["projectName"])
    found = client.types(principal, entity=input["entityName"], project=input["projectName"],
                         name=input["name"])
    info_project = project_info(input["entityName"], input["projectName"], project.id)
    if found:
        return {"artifactType": type_node(found[0].name, info_project, found[0].id,
                                          found[0].description, found[0].created_at)}
    return {"artifactType": type_node(input["name"], info_project)}


def _update_collection(info, collection_id: str, **fields) -> dict:
    client, principal = _client(info)
    fields = {k: v for k, v in fields.items() if v is not None}
    return {"artifactCollection": collection_node(
        client.update_collection(principal, id=collection_id, **fields))}


@resolver("Mutation", "updateArtifactSequence")
def resolve_update_sequence(_, info, input):
    return _update_collection(info, decode_collection_id(input["artifactSequenceID"]),
                              name=input.get("name"), description=input.get("description"))


@resolver("Mutation", "updateArtifactPortfolio")
def resolve_update_portfolio(_, info, input):
    return _update_collection(info, decode_collection_id(input["artifactPortfolioID"]),
                              name=input.get("name"), description=input.get("description"))


@resolver("Mutation", "moveArtifactSequence")
def resolve_move_sequence(_, info, input):
    return _update_collection(info, decode_collection_id(input["artifactSequenceID"]),
                              type=input["destinationArtifactTypeName"])


def _delete_collection(info, collection_id: str) -> dict:
    client, principal = _client(info)
    return {"artifactCollection": collection_node(client.delete_collection(principal,
                                                                           collection_id))}


@resolver("Mutation", "deleteArtifactSequence")
def resolve_delete_sequence(_, info, input):
    return _delete_collection(info, decode_collection_id(input["artifactSequenceID"]))


@resolver("Mutation", "deleteArtifactPortfolio")
def resolve_delete_portfolio(_, info, input):
    return _delete_collection(info, decode_collection_id(input["artifactPortfolioID"]))


def _collection_tags(info, input, add: bool) -> dict:
    client, principal = _client(info)
    found = client.collection(principal, entity=input["entityName"], project=input["projectName"],
                              name=input["artifactCollectionName"])
    if found is None:
        raise GraphQLError(f"artifact collection {input['artifactCollectionName']!r} does not exist")
    key = "tags_to_add" if add else "tags_to_delete"
    updated = client.update_collection(principal, id=found.id, **{key: tag_names(input["tags"])})
    return {"tags": [tag_node(t) for t in updated.tags], "success": True}


@resolver("Mutation", "createArtifactCollectionTagAssignments")
def resolve_add_collection_tags(_, info, input):
    return _collection_tags(info, input, add=True)


@resolver("Mutation", "deleteArtifactCollectionTagAssignments")
def resolve_delete_collection_tags(_, info, input):
    return _collection_tags(info, input, add=False)
