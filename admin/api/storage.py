"""PUT/GET /storage/<key>?exp=..&sig=..: signed URLs, no credentials (the SDK sends none)."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, jsonify, request

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
    reply = current_app.extensions["roost.core"].upload_signed(key, expires, signature,
                                                                _body_blocks())
    response = jsonify({"size": reply.size, "md5": reply.md5})
    # S3 semantics: the ETag is the hex MD5; wandb's multipart uploads read it from each part.
    response.headers["ETag"] = f'"{base64.b64decode(reply.md5).hex()}"'
    return response


def raise_too_large(limit: int):
    from roost.core.errors import TooLarge
    raise TooLarge(f"upload is larger than the limit of {limit} bytes")


@bp.get("/storage/<path:key>")
def download(key: str):
    expires, signature = _signature()
    size, chunks = current_app.extensions["roost.core"].download_signed(key, expires, signature)
    response = Response(chunks, mimetype="application/octet-stream")
    response.headers["Content-Length"] = str(size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
