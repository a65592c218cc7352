"""Project.runs and Project.runCount: api.runs(path, filters, order, per_page) and len()."""

from __future__ import annotations

from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.runs import run_node

DEFAULT_PAGE = 50


@resolver("Project", "runCount")
def resolve_run_count(project, info, filters=None):
    context = info.context
    return context.core.count_runs(context.principal, project["entityName"], project["name"],
                                   filters or "")


@resolver("Project", "runs")
def resolve_runs(project, info, filters=None, after=None, first=None, order=None):
    context = info.context
    page = context.core.list_runs(context.principal, project["entityName"], project["name"],
                                  filters=filters or "", order=order or "", after=after or "",
                                  first=first or DEFAULT_PAGE)
    edges = [{"node": run_node(run), "cursor": cursor}
             for run, cursor in zip(page.runs, page.cursors)]
    return {"edges": edges,
            "pageInfo": {"hasNextPage": page.has_next_page, "hasPreviousPage": bool(after),
                         "startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": page.end_cursor or None}}
