"""The options the front reads, declared by the front (the ``roost.options`` entry point
``front`` in pyproject.toml), so they exist whichever plugins are loaded or blocked."""

from __future__ import annotations

from roost.core.config import OptionRegistry


def front_options(options: OptionRegistry) -> None:
    options.add("trusted_auth_headers", "", "comma-separated request headers a reverse proxy "
                "sets for single sign-on (e.g. X-Forwarded-Email); the front passes them to "
                "the auth plugins, which decide whether to trust them (empty: none)")
