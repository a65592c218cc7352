"""PUT/GET /storage/<key>?exp=..&sig=..: signed URLs, no credentials (the SDK sends none)."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, request

from roost.admin.core_client import core_client
from roost.core.errors import InvalidArgument, PermissionDenied

bp = Blueprint("storage", __name__)
READ_BLOCK = 1024 * 1024


def _signature() -> tuple[int, str]:
    expires, signature = request.args.get("exp", ""), request.args.get("sig", "")
    if not expires or not signature:
        raise PermissionDenied("this URL is not signed; ask the server for an upload or download URL")
    try:
        return int(expires), signature
    except ValueError:
        raise InvalidArgument("malformed 'exp' in signed URL") from None


def _body_blocks():
    stream = request.stream
    while block := stream.read(READ_BLOCK):
        yield block


@bp.put("/storage/<path:key>")
def upload(key: str):
    expires, signature = _signature()
    limit = current_app.config["ROOST_MAX_UPLOAD_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise_too_large(limit)
    request.max_content_length = limit
    reply = core_client().upload_signed(key, expires, signature,
                                                                _body_blocks())
    # As S3 answers: an empty body and the hex MD5 as ETag (wandb's multipart uploads read
    # it from each part). The empty body matters: wandb-core never reads an upload's answer,
    # and Go reuses a connection only when there is nothing left to read, so a body here
    # makes it open (and leave open) one connection per file, until the front stops accepting.
    response = Response(status=200)
    response.headers["ETag"] = f'"{base64.b64decode(reply.md5).hex()}"'
    response.headers["X-Roost-Size"] = str(reply.size)
    return response


def raise_too_large(limit: int):
    from roost.core.errors import TooLarge
    raise TooLarge(f"upload is larger than the limit of {limit} bytes")


@bp.get("/storage/<path:key>")
def download(key: str):
    expires, signature = _signature()
    size, chunks = core_client().download_signed(key, expires, signature)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is None:
        response = Response(chunks, mimetype="application/octet-stream")
        response.headers["Content-Length"] = str(size)
    else:
        # wandb 0.31 downloads files of 2 GiB and more as parallel byte ranges.
        start, end = wanted
        response = Response(_slice(chunks, start, end), status=206,
                            mimetype="application/octet-stream")
        response.headers["Content-Length"] = str(end - start + 1)
        response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single ``bytes=`` range, or None for the whole file."""
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec or "-" not in spec or size == 0:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:
            start, end = max(size - int(last), 0), size - 1
    except ValueError:
        return None
    if start > end or start >= size:
        return None
    return start, min(end, size - 1)


def _slice(chunks, start: int, end: int):
    position = 0
    for chunk in chunks:
        low, high = max(start - position, 0), min(end + 1 - position, len(chunk))
        position += len(chunk)
        if low < high:
            yield chunk[low:high]
        if position > end:
            break
