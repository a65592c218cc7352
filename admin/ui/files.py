"""Run files for the browser: viewed inline when that is safe, downloaded otherwise.

A run file is whatever the run uploaded, so it is never served as HTML, SVG or script from
this origin: images show inline with their own type, text shows as plain text, everything
else is an attachment, and every answer carries a sandboxing CSP.
"""

from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import quote

from flask import Response, request, stream_with_context

from roost.admin.ui.blueprint import bp, core, me

INLINE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
TEXT_SUFFIXES = {".txt", ".log", ".json", ".jsonl", ".yaml", ".yml", ".csv", ".tsv", ".md",
                 ".py", ".cfg", ".ini", ".toml", ".sh", ".patch", ".diff", ".xml"}
SANDBOX = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def content_headers(name: str, download: bool) -> dict[str, str]:
    base = posixpath.basename(name) or "file"
    guessed = mimetypes.guess_type(base)[0] or ""
    suffix = posixpath.splitext(base)[1].lower()
    if download:
        kind, disposition = guessed or "application/octet-stream", "attachment"
    elif guessed in INLINE_IMAGES:
        kind, disposition = guessed, "inline"
    elif suffix in TEXT_SUFFIXES or guessed.startswith("text/"):
        kind, disposition = "text/plain; charset=utf-8", "inline"
    else:
        kind, disposition = "application/octet-stream", "attachment"
    if disposition == "attachment" and kind in ("text/html", "image/svg+xml"):
        kind = "application/octet-stream"
    ascii_name = base.encode("ascii", "replace").decode().replace('"', "_").replace("\\", "_")
    return {
        "Content-Type": kind,
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(base)}",
        "Content-Security-Policy": SANDBOX,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=300",
    }


@bp.get("/<entity:entity>/<project>/runs/<run_id>/files/<path:name>")
def run_file(entity: str, project: str, run_id: str, name: str):
    size, chunks = core().read_run_file(me(), entity, project, run_id, name)
    headers = content_headers(name, bool(request.args.get("download")))
    headers["Content-Length"] = str(size)
    return Response(stream_with_context(chunks), headers=headers)
