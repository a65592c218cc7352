"""Pure parsers of values both the front and the core read: wandb's extended-JSON lines, an
expiry as a person types it, and the sign-in methods the plugins offer.

Domain helpers only (no storage, no services): the front may import this module
(tests/test_import_rules.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import orjson

from roost.core.errors import InvalidArgument

DURATION = re.compile(r"^(\d+)\s*([mhdw])$")
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_line(line: str, label: str, number: int) -> dict:
    """Parse one line of wandb's "extended JSON" (bare NaN/Infinity allowed)."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(line)  # the standard parser accepts NaN and Infinity
        except ValueError as exc:
            raise InvalidArgument(f"{label}: line {number} is not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise InvalidArgument(f"{label}: line {number} is not a JSON object")
    return value


def parse_expiry(text: str, now: float | None = None) -> float:
    """A key's expiry as epoch seconds: ``30d``, ``12h``, ``2w``, ``90m`` from now, or an ISO
    date/time (UTC unless it says). The CLI's ``--expires`` and the console's form."""
    now = time.time() if now is None else now
    text = (text or "").strip()
    match = DURATION.match(text)
    if match:
        return now + int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"expiry {text!r}: give a duration (30d, 12h, 2w, 90m) or a "
                              "date (2027-01-31 or 2027-01-31T18:00)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


def flatten_methods(results) -> list[dict]:
    """``roost_sign_in_methods`` answers (each a dict or a list of them) as one list."""
    methods = []
    for result in results:
        for method in result if isinstance(result, (list, tuple)) else [result]:
            if method:
                methods.append({"id": str(method["id"]), "label": str(method.get("label", "")),
                                "url": str(method.get("url", "")),
                                "replaces_password": bool(method.get("replaces_password"))})
    return methods
