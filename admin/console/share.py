"""Read-only share links: ``/share/<token>`` (a page), ``/share/<token>/graphql`` (the same
GraphQL the SDK uses, as the link's read-only principal) and ``/share/<token>/files/...``.

The token sits in the URL path (never a key in a query string); pages send
``Referrer-Policy: no-referrer`` so it does not leak to other sites.
"""

from __future__ import annotations

import json

from flask import Blueprint, render_template

from roost.admin.core_client import core_client
from roost.admin.api.file_stream import download_run_file
from roost.admin.request_auth import authenticated_principal
from roost.admin.urls import base_url
from roost.core.errors import RoostError

bp = Blueprint("share", __name__, url_prefix="/share/<share_token>",
               template_folder="templates")



@bp.errorhandler(RoostError)
def roost_error(exc: RoostError):
    return render_template("error.html", status=exc.http_status, message=exc.message), \
        exc.http_status


def _json(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@bp.get("")
def page(share_token: str):
    principal = authenticated_principal()
    link = core_client().describe_share(principal)
    project = core_client().get_project(principal, link.entity, link.project)
    if not link.run:
        return render_template("share/project.html", link=link, project=project)
    run = core_client().get_run(principal, link.entity, link.project, link.run)
    files = core_client().list_run_files(principal, link.entity, link.project, link.run,
                                   base_url(), first=200).files
    config = {k: (v.get("value", v) if isinstance(v, dict) else v)
              for k, v in _json(run.config).items() if not k.startswith("_")}
    summary = {k: v for k, v in _json(run.summary_metrics).items() if not k.startswith("_")}
    return render_template("share/run.html", link=link, project=project, run=run,
                           config=config, summary=summary, files=files, link_token=share_token)


@bp.get("/files/<entity>/<project>/<run>/<path:name>")
def file(share_token: str, entity: str, project: str, run: str, name: str):
    return download_run_file(entity, project, run, name)


def register_graphql(app, schema) -> None:
    """The GraphQL endpoint under the share prefix; file URLs it hands out stay under it."""
    from roost.admin.api.graphql_view import WandbGraphQLView
    from roost.admin.graphql.context import GraphQLContext

    class ShareGraphQLView(WandbGraphQLView):
        def dispatch_request(self, share_token: str):
            # The token reaches authenticated_principal() through request.view_args.
            return super().dispatch_request()

        def get_context(self, request, response):
            from flask import request as flask_request
            token = (flask_request.view_args or {}).get("share_token", "")
            return GraphQLContext(principal=authenticated_principal(), core=core_client(),
                                  base_url=f"{base_url()}/share/{token}")

    app.add_url_rule("/share/<share_token>/graphql",
                     view_func=ShareGraphQLView.as_view("share_graphql", schema=schema,
                                                        graphql_ide=None),
                     methods=["POST"])
