"""The authenticated fallback downloads wandb uses when a file has no direct URL.

``GET /artifacts/{entity}/{md5hex}`` (storage layout V1) and the ``/artifactsV2/...`` forms
(PROTOCOL.md §6.5). The caller sends its API key; once the core has checked that it may read
an artifact holding that content, the answer is a redirect to a short-lived signed URL, so
the bytes come straight from the media store (or from Roost's signed /storage route).
"""

from __future__ import annotations

from urllib.parse import unquote

from flask import Blueprint, redirect

from roost.admin.core_client import core_client
from roost.admin.graphql import ids
from roost.admin.request_auth import authenticated_principal
from roost.admin.urls import base_url
from roost.core.errors import InvalidArgument, NotFound

bp = Blueprint("artifacts", __name__)


def _artifact_pk(value: str) -> str:
    if not value:
        return ""
    try:
        return ids.decode("Artifact", unquote(value))
    except Exception:  # noqa: BLE001 - a malformed id finds nothing
        raise NotFound(f"no artifact with id {value!r}") from None


def _redirect(entity: str, md5_hex: str, project: str = "", artifact_id: str = "",
              birth_artifact_id: str = ""):
    url = core_client().artifacts.resolve_download(
        authenticated_principal(), entity=unquote(entity), md5_hex=md5_hex.lower(),
        project=unquote(project), artifact_id=_artifact_pk(artifact_id),
        birth_artifact_id=_artifact_pk(birth_artifact_id), base_url=base_url())
    return redirect(url, code=302)


@bp.get("/artifacts/<entity>/<md5_hex>")
def download_v1(entity: str, md5_hex: str):
    return _redirect(entity, md5_hex)


@bp.get("/artifactsV2/<region>/<path:rest>")
def download_v2(region: str, rest: str):
    parts = rest.split("/")
    if len(parts) == 3:  # wandb 0.21: entity/birthArtifactID/md5
        entity, birth, md5_hex = parts
        return _redirect(entity, md5_hex, birth_artifact_id=birth)
    if len(parts) == 6:  # entity/project/collection/birthArtifactID/md5/filename
        entity, project, _collection, birth, md5_hex, _name = parts
        return _redirect(entity, md5_hex, project, birth_artifact_id=birth)
    if len(parts) == 7:  # ... with the artifact id before the birth artifact id
        entity, project, _collection, artifact_id, birth, md5_hex, _name = parts
        return _redirect(entity, md5_hex, project, artifact_id, birth)
    raise InvalidArgument("unrecognised artifact download path; expected "
                          "/artifactsV2/{region}/{entity}/{project}/{collection}/"
                          "{birthArtifactID}/{md5}/{filename}")
