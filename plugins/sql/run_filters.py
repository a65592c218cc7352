"""wandb's runs ``filters`` (Mongo-style JSON) and ``order``, compiled to SQL.

The same filter gives the same runs on SQLite (json_type/json_extract), PostgreSQL (jsonb
``#>``/``#>>``, a CASE-guarded cast for numbers) and MySQL/MariaDB (JSON_TYPE/JSON_EXTRACT/
JSON_UNQUOTE). Values are compared by JSON type, as MongoDB does: ``{"$gt": 0.1}`` matches
numbers only, ``{"$gt": "b"}`` strings only; ``$ne``/``$nin`` also match runs lacking the key.
Every predicate is two-valued (never SQL NULL), so ``$nor`` and ``$ne`` negate cleanly.

Unknown operators, fields and orders raise InvalidArgument naming them: a filter the server
does not understand never silently matches everything.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from peewee import SQL, Case, Cast, Expression, NodeList, Select, Value, fn

from roost.core.errors import InvalidArgument
from roost.plugins.sql.conditions import all_of, any_of
from roost.plugins.sql.models import Run, User
from roost.plugins.sql.run_search import RunSearch

TRUE, FALSE = SQL("1 = 1"), SQL("1 = 0")
COMPARISONS = {"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$regex"}
LOGICAL = {"$and", "$or", "$nor"}
DEFAULT_ORDER = "+created_at"
REGEX_OPTIONS = set("imsx")

# JSON type names per engine.
NUMBER_TYPES = {"sqlite": ("integer", "real"), "postgresql": ("number",),
                "mysql": ("INTEGER", "DOUBLE", "DECIMAL", "UNSIGNED INTEGER")}
STRING_TYPE = {"sqlite": "text", "postgresql": "string", "mysql": "STRING"}
NULL_TYPE = {"sqlite": "null", "postgresql": "null", "mysql": "NULL"}
BOOL_TYPE = {"postgresql": "boolean", "mysql": "BOOLEAN"}  # SQLite: "true" / "false"
DOUBLE = {"sqlite": "REAL", "postgresql": "DOUBLE PRECISION", "mysql": "DOUBLE"}


def binary(expr, engine: str) -> Any:
    """Compare and sort text by code point on every engine: SQLite and Roost's MySQL tables
    already do; a PostgreSQL database may default to a language collation."""
    return NodeList((expr, SQL('COLLATE "C"'))) if engine == "postgresql" else expr


def _and(parts: list) -> Any:
    parts = [p for p in parts if p is not TRUE]
    if not parts:
        return TRUE
    return all_of(parts)


def _or(parts: list) -> Any:
    if not parts:
        return FALSE
    return any_of(parts)


def _not(expr) -> Any:
    return FALSE if expr is TRUE else TRUE if expr is FALSE else ~expr


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def sqlite_regexp(pattern: str, value: Any) -> bool:
    """SQLite's REGEXP (``value REGEXP pattern`` calls ``regexp(pattern, value)``)."""
    if value is None or pattern is None:
        return False
    return _compiled(pattern).search(str(value)) is not None


def install(db, engine: str) -> None:
    """Register what the compiled filters need on the database (SQLite's REGEXP)."""
    if engine == "sqlite":
        db.register_function(sqlite_regexp, "regexp", 2, deterministic=True)


def check_regex(pattern: Any, options: Any = None) -> str:
    if not isinstance(pattern, str):
        raise InvalidArgument(f"$regex needs a string pattern, got {pattern!r}")
    flags = options or ""
    if not isinstance(flags, str) or set(flags) - REGEX_OPTIONS:
        raise InvalidArgument(f"$options must be letters among 'imsx', got {options!r}")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise InvalidArgument(f"invalid $regex {pattern!r}: {exc}") from None
    return f"(?{''.join(sorted(set(flags)))}){pattern}" if flags else pattern


def parse_time(value: Any, field: str) -> tuple[float, float]:
    """An instant as [low, high): a whole-second ISO time covers its second (what the API
    shows is truncated to seconds); a number (epoch seconds) or fractional time is exact."""
    if isinstance(value, bool) or value is None:
        raise InvalidArgument(f"{field} needs an ISO 8601 time or epoch seconds, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value), float(value)
    if not isinstance(value, str):
        raise InvalidArgument(f"{field} needs an ISO 8601 time or epoch seconds, got {value!r}")
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        raise InvalidArgument(f"{field}: {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    low = moment.timestamp()
    return low, (low + 1 if moment.microsecond == 0 else low)


class JsonPath:
    """One path into a run_search document, with engine-specific SQL for its value."""

    def __init__(self, engine: str, document, keys: list[str]):
        for key in keys:
            if not key or '"' in key or "\\" in key:
                raise InvalidArgument(f"invalid key {key!r} in a config/summary path: keys "
                                      "may not be empty or contain quotes or backslashes")
        self.engine, self.document, self.keys = engine, document, keys
        if engine == "postgresql":
            # A text[] parameter: keys hold no quotes or backslashes (checked above).
            path = Cast(Value("{" + ",".join(f'"{key}"' for key in keys) + "}",
                              converter=False), "text[]")
            self.type = fn.jsonb_typeof(Expression(document, "#>", path))
            self.text = binary(Expression(document, "#>>", path), engine)
        else:
            path = Value("$" + "".join(f'."{key}"' for key in keys), converter=False)
            if engine == "sqlite":
                self.type = fn.json_type(document, path)
                self.text = fn.json_extract(document, path)
            else:
                self.type = fn.JSON_TYPE(fn.JSON_EXTRACT(document, path))
                self.text = fn.JSON_UNQUOTE(fn.JSON_EXTRACT(document, path))

    def is_number(self):
        return self.type.is_null(False) & self.type.in_(NUMBER_TYPES[self.engine])

    def is_string(self):
        return self.type.is_null(False) & (self.type == STRING_TYPE[self.engine])

    def exists(self):
        return self.type.is_null(False)

    def is_null_or_missing(self):
        return self.type.is_null() | (self.type == NULL_TYPE[self.engine])

    def is_bool(self, value: bool):
        if self.engine == "sqlite":
            return self.type.is_null(False) & (self.type == ("true" if value else "false"))
        return (self.type.is_null(False) & (self.type == BOOL_TYPE[self.engine])
                & (self.text == ("true" if value else "false")))

    def number(self):
        return Case(None, [(self.is_number(), Cast(self.text, DOUBLE[self.engine]))], None)

    def string(self):
        return Case(None, [(self.is_string(), self.text)], None)


@dataclass
class Target:
    """A filterable field: compiles one comparison to a two-valued SQL condition."""

    name: str

    def compile(self, op: str, operand: Any, options: Any) -> Any:
        if op == "$eq":
            return self.eq(operand)
        if op == "$ne":
            return _not(self.eq(operand))
        if op in ("$in", "$nin"):
            if not isinstance(operand, list):
                raise InvalidArgument(f"{op} on {self.name!r} needs a list, got {operand!r}")
            matches = _or([self.eq(item) for item in operand])
            return matches if op == "$in" else _not(matches)
        if op == "$exists":
            return self.exists() if operand else _not(self.exists())
        if op == "$regex":
            return self.regex(check_regex(operand, options))
        return self.compare(op, operand)

    def unsupported(self, op: str, operand: Any):
        raise InvalidArgument(f"{op} {operand!r} is not supported on {self.name!r}")


SQL_OPS = {"$gt": "__gt__", "$gte": "__ge__", "$lt": "__lt__", "$lte": "__le__"}


def _scalar(name: str, operand: Any) -> None:
    if isinstance(operand, (list, dict)):
        raise InvalidArgument(f"{name!r} cannot be compared with a list or object "
                              f"({operand!r}); use $in for several values")


@dataclass
class JsonTarget(Target):
    path: JsonPath = None

    def eq(self, operand):
        _scalar(self.name, operand)
        if operand is None:
            return self.path.is_null_or_missing()
        if isinstance(operand, bool):
            return self.path.is_bool(operand)
        if isinstance(operand, (int, float)):
            return self.path.is_number() & (self.path.number() == float(operand))
        return self.path.is_string() & (self.path.string() == operand)

    def exists(self):
        return self.path.exists()

    def regex(self, pattern):
        return self.path.is_string() & self.path.string().regexp(pattern)

    def compare(self, op, operand):
        _scalar(self.name, operand)
        if isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return self.path.is_number() & getattr(self.path.number(), SQL_OPS[op])(float(operand))
        if isinstance(operand, str):
            return self.path.is_string() & getattr(self.path.string(), SQL_OPS[op])(operand)
        self.unsupported(op, operand)


@dataclass
class TextTarget(Target):
    column: Any = None

    def eq(self, operand):
        _scalar(self.name, operand)
        return self.column == ("" if operand is None else str(operand))

    def exists(self):
        return self.column != ""

    def regex(self, pattern):
        return self.column.regexp(pattern)

    def compare(self, op, operand):
        _scalar(self.name, operand)
        if operand is None:
            self.unsupported(op, operand)
        return getattr(self.column, SQL_OPS[op])(str(operand))


@dataclass
class TimeTarget(Target):
    column: Any = None

    def eq(self, operand):
        low, high = parse_time(operand, self.name)
        return self.column == low if low == high else (self.column >= low) & (self.column < high)

    def exists(self):
        return TRUE

    def regex(self, pattern):
        self.unsupported("$regex", pattern)

    def compare(self, op, operand):
        low, high = parse_time(operand, self.name)
        if op == "$gt":
            return self.column >= high if high > low else self.column > low
        if op == "$gte":
            return self.column >= low
        if op == "$lt":
            return self.column < low
        return self.column < high if high > low else self.column <= low


@dataclass
class TagsTarget(Target):
    engine: str = "sqlite"

    def _any(self, condition_sql: str, value: Any):
        """EXISTS a tag (``je.value``) for which the condition holds."""
        if self.engine == "sqlite":
            source, element = fn.json_each(Run.tags).alias("je"), "je.value"
        elif self.engine == "postgresql":
            source = fn.jsonb_array_elements_text(Cast(Run.tags, "jsonb")).alias("je")
            element = "je"
        else:
            source = NodeList((SQL("JSON_TABLE("), Run.tags, SQL(
                ", '$[*]' COLUMNS (value LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin "
                "PATH '$')) AS je")), glue="")
            element = "je.value"
        condition = NodeList((SQL(element), SQL(condition_sql), Value(value)))
        return fn.EXISTS(Select(from_list=[source], columns=[SQL("1")]).where(condition))

    def eq(self, operand):
        _scalar(self.name, operand)
        if operand is None:
            return _not(self.exists())
        return self._any("=", str(operand))

    def exists(self):
        return Run.tags != "[]"

    def regex(self, pattern):
        operator = {"sqlite": "REGEXP", "postgresql": "~", "mysql": "REGEXP BINARY"}[self.engine]
        return self._any(operator, pattern)

    def compare(self, op, operand):
        self.unsupported(op, operand)


class RunFilters:
    """Compiles filters and orders for one query. ``stale_before``: a running run whose
    heartbeat is older is shown, filtered and sorted as ``crashed`` (as the core shows it)."""

    def __init__(self, engine: str, stale_before: float):
        self.engine = engine
        self.state = Case(None, [((Run.state == "running") & (Run.heartbeat_at < stale_before),
                                  "crashed")], Run.state)
        self.display_name = Case(None, [(Run.display_name == "", Run.name)], Run.display_name)
        username = fn.COALESCE(User.username, "")
        text = {"name": Run.name, "displayName": self.display_name,
                "display_name": self.display_name, "state": self.state, "group": Run.group_name,
                "jobType": Run.job_type, "job_type": Run.job_type, "host": Run.host,
                "sweep": Run.sweep_name, "sweepName": Run.sweep_name,
                "sweep_name": Run.sweep_name, "notes": Run.notes,
                "description": Run.description, "commit": Run.commit, "username": username,
                "user": username}
        times = {"createdAt": Run.created_at, "created_at": Run.created_at,
                 "heartbeatAt": Run.heartbeat_at, "heartbeat_at": Run.heartbeat_at,
                 "updatedAt": Run.updated_at, "updated_at": Run.updated_at}
        self.columns = {**{k: ("text", binary(v, engine)) for k, v in text.items()},
                        **{k: ("time", v) for k, v in times.items()}}

    # -- fields --------------------------------------------------------------------------
    def json_path(self, name: str) -> JsonPath | None:
        head, _, rest = name.partition(".")
        if head == "config" and rest:
            keys = rest.split(".")
            if len(keys) > 1 and keys[1] == "value":  # "config.lr.value" is "config.lr"
                del keys[1]
            return JsonPath(self.engine, RunSearch.config, keys)
        if head in ("summary_metrics", "summaryMetrics", "summary") and rest:
            return JsonPath(self.engine, RunSearch.summary, rest.split("."))
        if name == "duration":
            return JsonPath(self.engine, RunSearch.summary, ["_wandb", "runtime"])
        return None

    def target(self, name: str) -> Target:
        if name == "tags":
            return TagsTarget(name, self.engine)
        if name in self.columns:
            kind, column = self.columns[name]
            return TextTarget(name, column) if kind == "text" else TimeTarget(name, column)
        path = self.json_path(name)
        if path is None:
            known = ", ".join(sorted(set(self.columns) | {"tags", "duration"}))
            raise InvalidArgument(f"unknown run field {name!r} in filters; use one of {known}, "
                                  "config.<key> or summary_metrics.<key>")
        return JsonTarget(name, path)

    # -- filters -------------------------------------------------------------------------
    def where(self, filters: str | dict | None) -> Any:
        """The SQL condition for a filters document (JSON text or dict); TRUE for none."""
        if filters is None or filters == "":
            return TRUE
        if isinstance(filters, str):
            try:
                filters = json.loads(filters)
            except ValueError as exc:
                raise InvalidArgument(f"filters are not valid JSON: {exc}") from None
        return self._document(filters, "filters")

    def _document(self, document: Any, where: str) -> Any:
        if not isinstance(document, dict):
            raise InvalidArgument(f"{where} must be a JSON object, got {document!r}")
        parts = []
        for key, value in document.items():
            if key in LOGICAL:
                if not isinstance(value, list) or not value:
                    raise InvalidArgument(f"{key} needs a non-empty list of filter objects")
                subs = [self._document(item, key) for item in value]
                combined = _and(subs) if key == "$and" else _or(subs)
                parts.append(_not(combined) if key == "$nor" else combined)
            elif key.startswith("$"):
                raise InvalidArgument(f"unknown filter operator {key!r}; use one of "
                                      + ", ".join(sorted(LOGICAL | COMPARISONS)))
            else:
                parts.append(self._field(key, value))
        return _and(parts)

    def _field(self, name: str, condition: Any) -> Any:
        target = self.target(name)
        if isinstance(condition, dict) and any(k.startswith("$") for k in condition):
            plain = [k for k in condition if not k.startswith("$")]
            if plain:
                raise InvalidArgument(f"filter on {name!r} mixes operators with keys {plain}")
            unknown = [k for k in condition if k not in COMPARISONS and k != "$options"]
            if unknown:
                raise InvalidArgument(f"unknown filter operator {unknown[0]!r} on {name!r}; "
                                      "use one of " + ", ".join(sorted(COMPARISONS)))
            if "$options" in condition and "$regex" not in condition:
                raise InvalidArgument(f"$options on {name!r} needs a $regex beside it")
            return _and([target.compile(op, operand, condition.get("$options"))
                         for op, operand in condition.items() if op != "$options"])
        return target.compile("$eq", condition, None)

    # -- order ---------------------------------------------------------------------------
    def order(self, order: str | None) -> tuple[str, list[tuple[Any, bool]]]:
        """``(canonical order, [(sort expression, descending), ...])``, ending with the run id
        so that the order is total and keyset cursors are exact. No expression is NULL."""
        text = (order or "").strip() or DEFAULT_ORDER
        descending = text.startswith("-")
        name = text.lstrip("+-").strip()
        canonical = ("-" if descending else "+") + name
        sortable = {"created_at": Run.created_at, "createdAt": Run.created_at,
                    "heartbeat_at": Run.heartbeat_at, "heartbeatAt": Run.heartbeat_at,
                    "updated_at": Run.updated_at, "updatedAt": Run.updated_at,
                    "name": self.columns["name"][1],
                    "display_name": self.columns["display_name"][1],
                    "displayName": self.columns["display_name"][1],
                    "state": self.columns["state"][1]}
        if name in sortable:
            return canonical, [(sortable[name], descending), (Run.id, descending)]
        path = self.json_path(name)
        if path is None:
            raise InvalidArgument(
                f"unknown order {text!r}; use [+-]created_at, heartbeat_at, updated_at, name, "
                "display_name, state, config.<key>.value or summary_metrics.<key>")
        # Numbers first (by value), then strings, then other values, then runs without it.
        rank = Case(None, [(path.is_number(), 0), (path.is_string(), 1), (path.exists(), 2)], 3)
        number = fn.COALESCE(path.number(), 0.0)
        string = fn.COALESCE(path.string(), "")
        return canonical, [(rank, False), (number, descending), (string, descending),
                           (Run.id, descending)]


def order_by(keys: list[tuple[Any, bool]]) -> list:
    return [expr.desc() if descending else expr.asc() for expr, descending in keys]


def after(keys: list[tuple[Any, bool]], values: list) -> Any:
    """Rows strictly after the row whose sort values are ``values`` (keyset pagination)."""
    parts = []
    for index, (expr, descending) in enumerate(keys):
        beyond = expr < values[index] if descending else expr > values[index]
        parts.append(_and([keys[j][0] == values[j] for j in range(index)] + [beyond]))
    return _or(parts)


def encode_cursor(order: str, values: list) -> str:
    values = [float(v) if isinstance(v, decimal.Decimal) else v for v in values]
    text = json.dumps({"o": order, "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str, size: int) -> list:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values = data["v"]
        cursor_order = data["o"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise InvalidArgument(f"malformed runs cursor {cursor!r}") from None
    if cursor_order != order:
        raise InvalidArgument(f"this cursor belongs to order {cursor_order!r}, not {order!r}; "
                              "start again without a cursor")
    if not isinstance(values, list) or len(values) != size:
        raise InvalidArgument(f"malformed runs cursor {cursor!r}")
    return values
