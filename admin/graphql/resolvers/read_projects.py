"""Query.models: an entity's projects, a page at a time (api.projects())."""

from __future__ import annotations

from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.viewer import project_node

DEFAULT_PAGE = 50


@resolver("Query", "models")
def resolve_models(_, info, entityName=None, after=None, first=None):
    context = info.context
    page = context.core.list_projects_page(
        context.principal, entityName or context.principal.default_entity, after or "",
        first or DEFAULT_PAGE)
    edges = [{"node": project_node(project), "cursor": project.id} for project in page.projects]
    return {"edges": edges,
            "pageInfo": {"hasNextPage": page.has_next_page, "hasPreviousPage": bool(after),
                         "startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": edges[-1]["cursor"] if edges else after}}
