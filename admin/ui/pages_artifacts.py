"""Artifacts: collections by type, a collection's versions, one version (aliases, metadata,
files with downloads, lineage: the run that produced it and the runs that used it)."""

from __future__ import annotations

from flask import render_template, request

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_project import project_header
from roost.admin.ui.present import dumps, loads
from roost.admin.urls import base_url
from roost.core.errors import NotFound

MAX_COLLECTIONS = 500
MAX_VERSIONS = 500
FILES_PAGE = 200


def _context(entity: str, project: str) -> dict:
    return {"project": project_header(entity, project), "tab": "artifacts"}


@bp.get("/<entity:entity>/<project>/artifacts")
def artifacts_page(entity: str, project: str):
    context = _context(entity, project)
    types = core().artifacts.types(me(), entity=entity, project=project)
    by_type = []
    for artifact_type in sorted(types, key=lambda t: t.name):
        found = core().artifacts.collections(me(), entity=entity, project=project,
                                             type=artifact_type.name, first=MAX_COLLECTIONS)
        by_type.append((artifact_type.name, sorted(found.collections,
                                                   key=lambda c: -c.updated_at)))
    return render_template("ui/artifacts.html", by_type=by_type, **context)


@bp.get("/<entity:entity>/<project>/artifacts/<type>/<name>")
def artifact_collection(entity: str, project: str, type: str, name: str):
    context = _context(entity, project)
    collection = core().artifacts.collection(me(), entity=entity, project=project, name=name)
    if collection is None or (type != collection.type and type != "_"):
        raise NotFound(f"artifact collection {name!r} of type {type!r} does not exist")
    versions = core().artifacts.list(me(), entity=entity, project=project, collection=name,
                                     first=MAX_VERSIONS, base_url=base_url())
    rows = sorted(zip(versions.artifacts, versions.version_indexes), key=lambda r: -r[1])
    return render_template("ui/artifact_collection.html", collection=collection, versions=rows,
                           total=versions.total, **context)


def _resolve(entity: str, project: str, name: str, version: str):
    membership = core().artifacts.membership(me(), entity=entity, project=project,
                                             collection=name, alias=version,
                                             base_url=base_url())
    if membership is None:
        raise NotFound(f"artifact {name}:{version} does not exist")
    return membership


@bp.get("/<entity:entity>/<project>/artifacts/<type>/<name>/<version>")
def artifact_version(entity: str, project: str, type: str, name: str, version: str):
    context = _context(entity, project)
    membership = _resolve(entity, project, name, version)
    artifact = membership.artifact
    if type not in (artifact.type, "_"):
        raise NotFound(f"artifact {name}:{version} is a {artifact.type!r}, not a {type!r}")
    after = request.args.get("after", "")
    files = core().artifacts.files(me(), artifact_id=artifact.id, after=after,
                                   first=FILES_PAGE, base_url=base_url())
    consumers = core().artifacts.users(me(), artifact.id)
    metadata = loads(artifact.metadata)
    return render_template(
        "ui/artifact_version.html", artifact=artifact, membership=membership,
        version_index=membership.version_index, files=list(files.files),
        files_total=files.total, files_next=files.end_cursor if files.has_next_page else "",
        consumers=list(consumers), metadata=sorted(metadata.items()) if isinstance(
            metadata, dict) else [], metadata_json=dumps(metadata),
        producer=artifact.created_by if artifact.HasField("created_by") else None,
        ttl=artifact.ttl_duration_seconds, **context)
