"""Reading artifacts: Query.artifact, Project.artifact*, collections, memberships, files."""

from __future__ import annotations

from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.artifacts_nodes import (
    alias_node, artifact_node, collection_node, decode_artifact_id, decode_collection_id,
    file_node, membership_node, page_info, run_info_node, type_node)
from roost.core.errors import NotFound

FILES_PAGE = 5000


def _client(info):
    return info.context.core.artifacts, info.context.principal


def _split(name: str) -> tuple[str, str]:
    collection, _, alias = name.partition(":")
    return collection, alias or "latest"


# -- roots -------------------------------------------------------------------------------------
@resolver("Query", "artifact")
def resolve_artifact(_, info, id):
    client, principal = _client(info)
    found = client.find(principal, decode_artifact_id(id), info.context.base_url)
    return artifact_node(found) if found and found.state != "DELETED" else None


@resolver("Query", "artifactCollection")
def resolve_artifact_collection(_, info, id):
    client, principal = _client(info)
    found = client.collection(principal, id=decode_collection_id(id))
    return collection_node(found) if found else None


def _membership(info, project: dict, collection: str, alias: str):
    client, principal = _client(info)
    return client.membership(principal, entity=project["entityName"], project=project["name"],
                             collection=collection, alias=alias, base_url=info.context.base_url)


@resolver("Project", "artifact")
def resolve_project_artifact(project, info, name, enableTracking=None):
    membership = _membership(info, project, *_split(name))
    return artifact_node(membership.artifact) if membership else None


@resolver("Project", "artifactCollectionMembership")
def resolve_project_membership(project, info, name):
    membership = _membership(info, project, *_split(name))
    return membership_node(membership) if membership else None


@resolver("Project", "artifactCollection")
def resolve_project_collection(project, info, name):
    client, principal = _client(info)
    found = client.collection(principal, entity=project["entityName"], project=project["name"],
                              name=name)
    return collection_node(found) if found else None


def _collections(info, project: dict, type_name: str, after, first):
    client, principal = _client(info)
    listing = client.collections(principal, entity=project["entityName"], project=project["name"],
                                 type=type_name, after=after or "", first=first or 50)
    offset = int(after) if str(after or "").isdigit() else 0
    return {"totalCount": listing.total,
            "edges": [{"node": collection_node(c), "cursor": str(offset + i + 1)}
                      for i, c in enumerate(listing.collections)],
            "pageInfo": page_info(listing.has_next_page, listing.end_cursor, after)}


@resolver("Project", "artifactCollections")
def resolve_project_collections(project, info, after=None, first=None, filters=None, order=None,
                                collectionTypes=None):
    return _collections(info, project, "", after, first)


@resolver("Project", "artifactTypes")
def resolve_project_types(project, info, after=None, first=None):
    client, principal = _client(info)
    types = client.types(principal, entity=project["entityName"], project=project["name"])
    edges = [{"node": type_node(t.name, project, t.id, t.description, t.created_at),
              "cursor": str(i + 1)} for i, t in enumerate(types)]
    return {"edges": edges, "totalCount": len(edges),
            "pageInfo": page_info(False, edges[-1]["cursor"] if edges else None)}


@resolver("Project", "artifactType")
def resolve_project_type(project, info, name):
    client, principal = _client(info)
    types = client.types(principal, entity=project["entityName"], project=project["name"],
                         name=name)
    return type_node(types[0].name, project, types[0].id, types[0].description,
                     types[0].created_at) if types else None


# -- ArtifactType ------------------------------------------------------------------------------
@resolver("ArtifactType", "artifactCollection", "artifactSequence")
def resolve_type_collection(artifact_type, info, name):
    client, principal = _client(info)
    project = artifact_type["project"]
    found = client.collection(principal, entity=project["entityName"], project=project["name"],
                              name=name, type=artifact_type["name"])
    return collection_node(found) if found else None


@resolver("ArtifactType", "artifactCollections", "artifactSequences")
def resolve_type_collections(artifact_type, info, after=None, first=None, filters=None,
                             order=None):
    return _collections(info, artifact_type["project"], artifact_type["name"], after, first)


@resolver("ArtifactType", "artifact")
def resolve_type_artifact(artifact_type, info, name):
    membership = _membership(info, artifact_type["project"], *_split(name))
    if membership is None or membership.artifact.type != artifact_type["name"]:
        return None
    return artifact_node(membership.artifact)


# -- collections -------------------------------------------------------------------------------
def _collection_of(node: dict, info):
    if "_collection" not in node:
        client, principal = _client(info)
        found = client.collection(principal, id=node["_collection_id"])
        if found is None:
            raise NotFound(f"artifact collection {node['name']!r} does not exist")
        node.update(collection_node(found))
    return node["_collection"]


def _register_collection_field(field: str):
    def register(function):
        for type_name in ("ArtifactSequence", "ArtifactPortfolio"):
            resolver(type_name, field)(function)
        return function
    return register


@_register_collection_field("artifactMembership")
def resolve_collection_membership(node, info, aliasName):
    collection = _collection_of(node, info)
    client, principal = _client(info)
    found = client.membership(principal, entity=collection.entity, project=collection.project,
                              collection=collection.name, alias=aliasName,
                              base_url=info.context.base_url)
    return membership_node(found) if found else None


@_register_collection_field("artifacts")
def resolve_collection_artifacts(node, info, after=None, first=None, order=None, filters=None):
    collection = _collection_of(node, info)
    client, principal = _client(info)
    listing = client.list(principal, entity=collection.entity, project=collection.project,
                          collection=collection.name, after=after or "", first=first or 50)
    edges = [{"node": artifact_node(a), "version": f"v{v}", "cursor": str(i)}
             for i, (a, v) in enumerate(zip(listing.artifacts, listing.version_indexes))]
    return {"edges": edges, "totalCount": listing.total,
            "pageInfo": page_info(listing.has_next_page, listing.end_cursor, after)}


@_register_collection_field("artifactMemberships")
def resolve_collection_memberships(node, info, after=None, first=None):
    collection = _collection_of(node, info)
    client, principal = _client(info)
    listing = client.list(principal, entity=collection.entity, project=collection.project,
                          collection=collection.name, after=after or "", first=first or 50)
    edges = []
    for artifact, version in zip(listing.artifacts, listing.version_indexes):
        found = client.membership(principal, entity=collection.entity,
                                  project=collection.project, collection=collection.name,
                                  alias=f"v{version}", base_url=info.context.base_url)
        if found:
            edges.append({"node": membership_node(found), "cursor": str(len(edges))})
    return {"edges": edges, "pageInfo": page_info(listing.has_next_page, listing.end_cursor, after)}


@_register_collection_field("aliases")
def resolve_collection_aliases(node, info, after=None, first=None):
    collection = _collection_of(node, info)
    client, principal = _client(info)
    listing = client.list(principal, entity=collection.entity, project=collection.project,
                          collection=collection.name, first=5000)
    aliases = [alias_node(a) for artifact in listing.artifacts for a in artifact.aliases
               if a.collection_id == collection.id]
    return {"edges": [{"node": a, "cursor": str(i)} for i, a in enumerate(aliases)],
            "pageInfo": page_info(False, None)}


# -- memberships and artifacts -----------------------------------------------------------------
def _files(info, artifact_id: str, names, after, first) -> dict:
    client, principal = _client(info)
    listing = client.files(principal, artifact_id=artifact_id,
                           names=[n for n in names or () if n], after=after or "",
                           first=min(first or 50, FILES_PAGE), base_url=info.context.base_url)
    edges = [{"node": file_node(f), "cursor": f.name} for f in listing.files]
    return {"edges": edges, "totalCount": listing.total, "uploadHeaders": [],
            "pageInfo": page_info(listing.has_next_page, listing.end_cursor, after)}


@resolver("ArtifactCollectionMembership", "files")
def resolve_membership_files(membership, info, names=None, after=None, first=None):
    return _files(info, membership["_membership"].artifact.id, names, after, first)


@resolver("Artifact", "files")
def resolve_artifact_files(artifact, info, names=None, after=None, first=None):
    return _files(info, artifact["_artifact"].id, names, after, first)


@resolver("Artifact", "filesByManifestEntries")
def resolve_files_by_entries(artifact, info, storageLayout, manifestVersion, entries=None,
                             storageRegion=None):
    names = [e["name"] for e in entries or []]
    if not names:
        return _files(info, artifact["_artifact"].id, [], None, FILES_PAGE)
    return _files(info, artifact["_artifact"].id, names, None, len(names))


@resolver("Artifact", "artifactMemberships")
def resolve_artifact_memberships(artifact, info, after=None, first=None):
    client, principal = _client(info)
    memberships = client.memberships(principal, artifact["_artifact"].id)
    return {"edges": [{"node": membership_node(m), "cursor": str(i)}
                      for i, m in enumerate(memberships)],
            "pageInfo": page_info(False, None)}


@resolver("Artifact", "usedBy")
def resolve_used_by(artifact, info, after=None, first=None):
    client, principal = _client(info)
    runs = client.users(principal, artifact["_artifact"].id)
    return {"edges": [{"node": run_info_node(r), "cursor": str(i)} for i, r in enumerate(runs)],
            "pageInfo": page_info(False, None)}


def _run_artifacts(run: dict, info, direction: str, after, first) -> dict:
    client, principal = _client(info)
    ref = run["_run"]
    listing = client.list(principal, entity=ref.entity, project=ref.project, run=ref.name,
                          direction=direction, after=after or "", first=first or 50)
    edges = [{"node": artifact_node(a), "cursor": str(i)} for i, a in enumerate(listing.artifacts)]
    return {"edges": edges, "totalCount": listing.total,
            "pageInfo": page_info(listing.has_next_page, listing.end_cursor, after)}


@resolver("Run", "outputArtifacts")
def resolve_output_artifacts(run, info, after=None, first=None):
    return _run_artifacts(run, info, "output", after, first)


@resolver("Run", "inputArtifacts")
def resolve_input_artifacts(run, info, after=None, first=None):
    return _run_artifacts(run, info, "input", after, first)
