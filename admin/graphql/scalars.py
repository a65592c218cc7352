"""Custom scalars wandb's documents declare. JSONString is JSON text on the wire."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from graphql import GraphQLError, GraphQLScalarType, ValueNode, value_from_ast_untyped


def _json_string_out(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _json_string_in(value: Any) -> str:
    # Clients send JSON text; a client that sends an object gets it stored as text too.
    return value if isinstance(value, str) else json.dumps(value)


def _int64_in(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise GraphQLError(f"Int64 cannot represent {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise GraphQLError(f"Int64 cannot represent {value!r}") from None
    if isinstance(value, float) and number != value:
        raise GraphQLError(f"Int64 cannot represent non-integer {value!r}")
    return number


def format_datetime(timestamp: float | None) -> str | None:
    if not timestamp:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _literal(parse):
    def parse_literal(node: ValueNode, variables=None):
        return parse(value_from_ast_untyped(node, variables))
    return parse_literal


SCALARS = {
    "JSONString": GraphQLScalarType(
        "JSONString", serialize=_json_string_out, parse_value=_json_string_in,
        parse_literal=_literal(_json_string_in)),
    "JSON": GraphQLScalarType(
        "JSON", serialize=lambda v: v, parse_value=lambda v: v,
        parse_literal=_literal(lambda v: v)),
    "Int64": GraphQLScalarType(
        "Int64", serialize=int, parse_value=_int64_in, parse_literal=_literal(_int64_in)),
    "DateTime": GraphQLScalarType(
        "DateTime", serialize=lambda v: format_datetime(v) if isinstance(v, (int, float)) else v,
        parse_value=str, parse_literal=_literal(str)),
    "Duration": GraphQLScalarType(
        "Duration", serialize=lambda v: v, parse_value=lambda v: v,
        parse_literal=_literal(lambda v: v)),
}
