"""The front's one CoreClient: create_app() installs it on the app, every view reaches it
through :func:`core_client`."""

from __future__ import annotations

from flask import Flask, current_app

from roost.protos.clients import CoreClient

EXTENSION = "roost.core"


def install(app: Flask, client: CoreClient) -> None:
    app.extensions[EXTENSION] = client


def core_client() -> CoreClient:
    """The current app's client of the core."""
    return current_app.extensions[EXTENSION]
