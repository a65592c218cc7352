"""Run files (createRunFiles, Run.files) and console lines (history reads: read_history.py)."""

from __future__ import annotations

from urllib.parse import quote

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver

MAX_PAGE = 1000


def _ref(run: dict) -> tuple[str, str, str]:
    proto = run["_run"]
    return proto.entity, proto.project, proto.name


@resolver("Mutation", "createRunFiles")
def resolve_create_run_files(_, info, input):
    context = info.context
    uploads = context.core.prepare_run_file_uploads(
        context.principal, input["entityName"], input["projectName"], input["runName"],
        input["files"], context.base_url)
    return {"runID": ids.encode("Run", uploads.run_id), "uploadHeaders": list(uploads.upload_headers),
            "files": [{"name": f.name, "uploadUrl": f.upload_url} for f in uploads.files]}


@resolver("Mutation", "markRunFilesUploaded")
def resolve_mark_uploaded(_, info, input):
    context = info.context
    context.core.mark_run_files_uploaded(context.principal, input["entityName"],
                                         input["projectName"], input["runName"], input["files"])
    return {"success": True}


def file_node(run: dict, record, base_url: str) -> dict:
    entity, project, name = _ref(run)
    url = f"{base_url}/files/{quote(entity)}/{quote(project)}/{quote(name)}/{quote(record.name)}"
    return {"id": ids.encode("File", record.id), "name": record.name, "url": url,
            "directUrl": record.direct_url, "sizeBytes": record.size,
            "mimetype": record.mimetype or None, "updatedAt": record.updated_at,
            "md5": record.md5}


@resolver("Run", "files")
def resolve_files(run, info, names=(), after=None, first=None, pattern=None):
    context = info.context
    first = min(first or 50, MAX_PAGE)
    listing = context.core.list_run_files(context.principal, *_ref(run), context.base_url,
                                          names=[n for n in names or () if n], after=after or "",
                                          first=first, pattern=pattern or "")
    edges = [{"node": file_node(run, f, context.base_url), "cursor": f.name} for f in listing.files]
    return {"edges": edges, "totalCount": listing.total, "uploadHeaders": [],
            "pageInfo": {"hasNextPage": listing.has_next_page, "hasPreviousPage": bool(after),
                         "endCursor": edges[-1]["cursor"] if edges else None,
                         "startCursor": edges[0]["cursor"] if edges else None}}


@resolver("File", "url")
def resolve_file_url(node, info, upload=None):
    return node["url"]


@resolver("Run", "fileCount")
def resolve_file_count(run, info):
    context = info.context
    return context.core.list_run_files(context.principal, *_ref(run), context.base_url,
                                       first=1).total


@resolver("Run", "logLines")
def resolve_log_lines(run, info, first=None, after=None, last=None, useImprovedPagination=None):
    context = info.context
    total = run["logLineCount"]
    if last is not None and after is None:
        offset, limit = max(total - last, 0), last
    else:
        offset = int(after) + 1 if after not in (None, "") else 0
        limit = first or MAX_PAGE
    page = context.core.read_console(context.principal, *_ref(run), offset, min(limit, MAX_PAGE))
    edges = [{"cursor": str(offset + i),
              "node": {"id": str(offset + i), "number": offset + i, "line": line,
                       "level": "error" if line.startswith("ERROR ") else "info",
                       "label": None, "timestamp": None}}
             for i, line in enumerate(page.lines)]
    return {"edges": edges,
            "pageInfo": {"hasNextPage": offset + len(edges) < page.total,
                         "hasPreviousPage": offset > 0,
                         "endCursor": edges[-1]["cursor"] if edges else None,
                         "startCursor": edges[0]["cursor"] if edges else None}}
