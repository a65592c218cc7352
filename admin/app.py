"""The front's app factory."""

from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from roost.admin.core_client import install
from roost.admin import console, errors, metrics, ui, web_auth
from roost.admin.api import artifacts, file_stream, graphql_view, health, storage
from roost.admin.console import share
from roost.admin import scim
from roost.admin.graphql import http_status, registry
from roost.protos.clients import CoreClient
from roost.core.config import Config
from roost.core.formats import flatten_methods


def create_app(config: Config, core: CoreClient, pm=None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_request_bytes,
        ROOST_MAX_UPLOAD_BYTES=config.max_upload_bytes,
        ROOST_BASE_URL=config.base_url,
        JSON_SORT_KEYS=False,
    )
    install(app, core)
    metrics.init_app(app, config)  # first: its timer starts before any other hook runs
    errors.init_app(app)
    access_log = logging.getLogger("roost.access")

    @app.after_request
    def log_request(response):
        # Paths only: keys never travel in URLs, and signed-URL query strings stay out of logs.
        if access_log.isEnabledFor(logging.DEBUG):
            access_log.debug("%s %s %s", request.method, web_auth.loggable_path(request.path),
                             response.status_code)
        return response

    schema = registry.build()
    app.add_url_rule("/graphql", view_func=graphql_view.make_view(schema), methods=["POST"])
    web_auth.init_app(app, config)
    console.init_app(app)
    share.register_graphql(app, schema)
    http_status.init_app(app)
    for blueprint in (health.bp, file_stream.bp, storage.bp, artifacts.bp, scim.bp):
        app.register_blueprint(blueprint)
    if pm is not None:
        app.config["ROOST_SIGN_IN_METHODS"] = flatten_methods(
            pm.hook.roost_sign_in_methods(config=config))
        for extra in pm.hook.roost_front_blueprints(config=config):
            for blueprint in extra if isinstance(extra, (list, tuple)) else [extra]:
                app.register_blueprint(blueprint)
    ui.init_app(app)  # last: its page URLs are catch-alls (/<entity>/<project>/...)
    if config.get("proxy_count"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count, x_proto=config.proxy_count,
                                x_host=config.proxy_count, x_port=config.proxy_count,
                                x_prefix=config.proxy_count)
    return app
