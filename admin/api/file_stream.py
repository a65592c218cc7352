"""POST /files/<entity>/<project>/<run>/file_stream and authenticated run file downloads."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app, request

from roost.admin.request_auth import authenticated_principal
from roost.core.errors import InvalidArgument

bp = Blueprint("file_stream", __name__)


def _core():
    return current_app.extensions["roost.core"]


def _parse_body() -> dict:
    try:
        body = orjson.loads(request.get_data(cache=False))
    except orjson.JSONDecodeError as exc:
        raise InvalidArgument(f"file_stream body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise InvalidArgument("file_stream body must be a JSON object")
    return body


def _files(body: dict) -> dict[str, tuple[int, list[str]]]:
    files = body.get("files")
    if files is None:
        return {}
    if not isinstance(files, dict):
        raise InvalidArgument("'files' must be an object of {name: {offset, content}}")
    parsed = {}
    for name, chunk in files.items():
        if not isinstance(chunk, dict):
            raise InvalidArgument(f"files[{name!r}] must be an object with offset and content")
        offset = chunk.get("offset", 0)
        content = chunk.get("content", [])
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise InvalidArgument(f"files[{name!r}].offset must be an integer")
        if not isinstance(content, list) or not all(isinstance(line, str) for line in content):
            raise InvalidArgument(f"files[{name!r}].content must be a list of strings")
        parsed[name] = (offset, content)
    return parsed


@bp.post("/files/<entity>/<project>/<run>/file_stream")
def file_stream(entity: str, project: str, run: str):
    principal = authenticated_principal()
    body = _parse_body()
    uploaded = body.get("uploaded") or []
    if not isinstance(uploaded, list) or not all(isinstance(n, str) for n in uploaded):
        raise InvalidArgument("'uploaded' must be a list of file names")
    exitcode = body.get("exitcode")
    if exitcode is not None and (isinstance(exitcode, bool) or not isinstance(exitcode, int)):
        raise InvalidArgument("'exitcode' must be an integer")
    complete = body.get("complete")
    stopped = _core().write_file_stream(
        principal, entity, project, run, _files(body), uploaded,
        bool(complete) if complete is not None else None, exitcode, bool(body.get("preempting")))
    return Response(orjson.dumps({"exitcode": None, "limits": {}, "stopped": stopped}),
                    mimetype="application/json")


@bp.get("/files/<entity>/<project>/<run>/<path:name>")
def download_run_file(entity: str, project: str, run: str, name: str):
    principal = authenticated_principal()
    size, chunks = _core().read_run_file(principal, entity, project, run, name)
    response = Response(chunks, mimetype="application/octet-stream")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
