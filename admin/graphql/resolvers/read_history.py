"""History reads: Run.history, Run.events, Run.sampledHistory and Run.parquetHistory.

Every read is bounded on the server (the history engine samples); see docs/read-path.md.
"""

from __future__ import annotations

import json
import math
from typing import Any

from graphql import GraphQLError

from roost.admin.graphql.registry import resolver

# What wandb asks for when it gives no number (run.history() sends 500).
DEFAULT_SAMPLES = 500
# Rows of liveData (parquetHistory): wandb 0.31 only needs the first live step from it.
LIVE_SAMPLES = 1000


def wire_value(value: Any) -> Any:
    """A history value as raw GraphQL JSON carries it: NaN and +-Infinity become the strings
    "NaN", "Infinity" and "-Infinity", as W&B sends them (standard JSON has no such numbers
    and wandb 0.31's Go client rejects the bare tokens). Whole lines (``history``) keep them."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: wire_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wire_value(v) for v in value]
    return value


def wire_rows(rows: list[dict]) -> list[dict]:
    return [{k: wire_value(v) for k, v in row.items()} for row in rows]


def _ref(run: dict) -> tuple[str, str, str]:
    proto = run["_run"]
    return proto.entity, proto.project, proto.name


def _step(spec: dict, name: str) -> int | None:
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise GraphQLError(f"history spec {name} must be an integer, got {value!r}")
    return int(value)


def parse_spec(text: str) -> dict | None:
    """A sampledHistory spec as the core takes it, with an exclusive ``max_step``.

    wandb 0.21 sends ``maxStep`` exclusive with ``samples`` = its page size; wandb 0.31's
    scan sends it inclusive with ``samples = maxStep - minStep + 1`` (the window's size).
    That window size is how the two are told apart. Other spec fields are ignored.
    """
    try:
        spec = json.loads(text)
    except ValueError as exc:
        raise GraphQLError(f"history spec is not valid JSON: {exc}") from None
    if not isinstance(spec, dict):
        raise GraphQLError(f"history spec must be a JSON object, got {text!r}")
    if not spec:
        return None  # wandb's sweep agent sends "{}": it wants no history back
    keys = spec.get("keys")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise GraphQLError(f"history spec keys must be a non-empty list of names, got {keys!r}")
    samples = spec.get("samples", DEFAULT_SAMPLES)
    if isinstance(samples, bool) or not isinstance(samples, int):
        raise GraphQLError(f"history spec samples must be an integer, got {samples!r}")
    min_step, max_step = _step(spec, "minStep"), _step(spec, "maxStep")
    if min_step is not None and max_step is not None and samples == max_step - min_step + 1:
        max_step += 1
    return {"keys": keys, "samples": samples, "min_step": min_step, "max_step": max_step}


@resolver("Run", "sampledHistory")
def resolve_sampled_history(run, info, specs):
    context = info.context
    parsed = [parse_spec(spec) for spec in specs]
    wanted = [spec for spec in parsed if spec is not None]
    results = iter(context.core.sample_history(context.principal, *_ref(run), wanted)
                   if wanted else [])
    return [[] if spec is None else wire_rows(next(results)) for spec in parsed]


@resolver("Run", "parquetHistory")
def resolve_parquet_history(run, info, liveKeys):
    context = info.context
    keys = [key for key in liveKeys if key] or ["_step"]
    rows = context.core.sample_history(context.principal, *_ref(run),
                                       [{"keys": keys, "samples": LIVE_SAMPLES}])[0]
    return {"parquetUrls": [], "liveData": wire_rows(rows)}


@resolver("Run", "history")
def resolve_history(run, info, samples=None, minStep=None, maxStep=None):
    """RunFullHistory (``samples``: whole lines chosen evenly) and HistoryPage (``minStep <=
    _step < maxStep``, at most ``samples`` lines), as JSON text lines."""
    context = info.context
    return context.core.sample_history_lines(context.principal, *_ref(run), "history",
                                             samples or DEFAULT_SAMPLES, minStep, maxStep)


@resolver("Run", "events")
def resolve_events(run, info, samples=None):
    context = info.context
    return context.core.sample_history_lines(context.principal, *_ref(run), "events",
                                             samples or DEFAULT_SAMPLES)
