"""W&B-style page URLs (``/<entity>/<project>/...``) that never shadow the front's own paths.

The page rules are catch-alls on their first segment, so the ``entity`` converter refuses
every first segment the front or a plugin serves (``graphql``, ``files``, ``console``, ...).
A refused segment makes Werkzeug skip the page rule, so ``GET /graphql`` still answers 405
and ``/files/...`` still reaches file transfer, whatever order the rules were added in.
"""

from __future__ import annotations

from werkzeug.routing import BaseConverter, ValidationError

# First path segments that belong to the front, the SDK, the console or the UI itself, even
# before the blueprint that serves them is registered (an entity with one of these names keeps
# its API, but its pages are not reachable by URL). Entity names start with a letter or digit,
# so "_ui" can never collide.
RESERVED = frozenset({
    "graphql", "files", "storage", "healthz", "sdk", "artifacts", "console", "static",
    "roost-static", "login", "logout", "account", "register", "invite", "share", "settings",
    "search", "favicon.ico", "robots.txt",
})


class EntityConverter(BaseConverter):
    """One path segment naming an entity; never a reserved first segment."""

    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        reserved = self.map.roost_reserved if hasattr(self.map, "roost_reserved") else RESERVED
        if value in reserved or value.startswith(("_", ".")):
            raise ValidationError()
        return value


def first_segments(app) -> set[str]:
    """The literal first path segment of every rule the app serves."""
    segments = set()
    for rule in app.url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            segments.add(first)
    return segments


def install(app) -> None:
    """Register the converter; reserve what the app serves now and the built-in names."""
    app.url_map.converters["entity"] = EntityConverter
    app.url_map.roost_reserved = RESERVED | first_segments(app)
