"""SCIM filters (RFC 7644 §3.4.2.2) over resources as JSON dicts.

The grammar IdPs send: ``attrPath op "value"`` with eq ne co sw ew gt ge lt le, ``attrPath pr``,
``and``/``or``/``not (...)``, parentheses, and value paths such as ``emails[type eq "work"]``
or ``members[value eq "12"]``. Attribute names and string comparisons are case-insensitive
(``caseExact`` is false for every attribute Roost serves).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from roost.core.scim.errors import ScimError

TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<lbr>\[)|(?P<rbr>\])|'
                   r'(?P<string>"(?:[^"\\]|\\.)*")|'
                   r'(?P<word>[A-Za-z0-9_:.$\-]+))')
OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
Predicate = Callable[[dict], bool]


def _invalid(detail: str) -> ScimError:
    return ScimError(400, f"invalid filter: {detail}", "invalidFilter")


def _tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _invalid(f"cannot read {text[position:position + 20]!r}")
        kind = match.lastgroup
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def _lookup(resource: Any, path: str) -> list:
    """Every value at ``path`` (dotted, case-insensitive), flattening multi-valued ones."""
    values = [resource]
    for part in path.split("."):
        found = []
        for value in values:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    for key, inner in item.items():
                        if key.lower() == part.lower():
                            found.append(inner)
        values = found
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        actual, expected = actual.lower(), expected.lower()
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if not isinstance(actual, str) or not isinstance(expected, str):
        if op in ("co", "sw", "ew"):
            return False
    if op == "co":
        return expected in actual
    if op == "sw":
        return actual.startswith(expected)
    if op == "ew":
        return actual.endswith(expected)
    try:
        return {"gt": actual > expected, "ge": actual >= expected, "lt": actual < expected,
                "le": actual <= expected}[op]
    except TypeError:
        return False


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, kind: str | None = None) -> str:
        token = self.peek()
        if token is None or (kind and token[0] != kind):
            raise _invalid(f"expected {kind or 'more'} at the end" if token is None
                           else f"unexpected {token[1]!r}")
        self.position += 1
        return token[1]

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() in words:
            self.position += 1
            return token[1].lower()
        return None

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.peek() is not None:
            raise _invalid(f"unexpected {self.peek()[1]!r}")
        return predicate

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.unary()]
        while self.keyword("and"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def unary(self) -> Predicate:
        if self.keyword("not"):
            self.take("open")
            inner = self.disjunction()
            self.take("close")
            return lambda r: not inner(r)
        if self.peek() and self.peek()[0] == "open":
            self.take("open")
            inner = self.disjunction()
            self.take("close")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        path = self.take("word")
        if self.peek() and self.peek()[0] == "lbr":  # emails[type eq "work"].value
            self.take("lbr")
            inner = self.disjunction()
            self.take("rbr")
            rest = ""
            if self.peek() and self.peek()[0] == "word" and self.peek()[1].startswith("."):
                rest = self.take("word")[1:]
            test = self.comparison_tail(rest) if rest else None

            def value_path(resource: dict) -> bool:
                for item in _lookup(resource, path):
                    if isinstance(item, dict) and inner(item) and (test is None or test(item)):
                        return True
                return False
            return value_path
        return self.comparison_tail(path)

    def comparison_tail(self, path: str) -> Predicate:
        op = self.take("word").lower()
        if op == "pr":
            return lambda r: any(v not in (None, "", [], {}) for v in _lookup(r, path))
        if op not in OPERATORS:
            raise _invalid(f"unknown operator {op!r}")
        token = self.peek()
        if token is None:
            raise _invalid(f"{path} {op} needs a value")
        raw = self.take()
        try:
            expected = json.loads(raw)  # "text", true, false, null, numbers
        except ValueError:
            raise _invalid(f"{raw!r} is not a value (quote strings)") from None
        return lambda r: any(_compare(op, v, expected) for v in _lookup(r, path))


def compile_filter(text: str) -> Predicate:
    """A predicate over resource dicts; ScimError 400 invalidFilter when it cannot be read."""
    if not text or not text.strip():
        return lambda resource: True
    return _Parser(text).parse()
