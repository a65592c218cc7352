"""The searchable copy of each run's config and summary that runs filters and sorts read.

``run.config`` and ``run.summary`` keep the client's JSON verbatim, which may hold bare
NaN/Infinity (invalid JSON for every engine's JSON functions) and a large ``_wandb`` block.
``run_search`` keeps, per run, standard JSON an engine can index into cheaply: JSONB on
PostgreSQL, JSON on MySQL/MariaDB, text on SQLite:

- ``config``: ``{key: value}`` with wandb's ``{"value": v, "desc": ...}`` wrapper removed and
  without ``_wandb``;
- ``summary``: the summary without ``_wandb`` except its ``runtime`` (the ``duration`` filter).

NaN and +-Infinity become the strings "NaN", "Infinity" and "-Infinity": numeric comparisons
skip them and a sort puts them after the numbers.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson
from peewee import Field, ForeignKeyField

from roost.plugins.sql.models import BaseModel, Run


class DocumentField(Field):
    """A JSON document column (JSONB, JSON or TEXT by engine), written as JSON text and
    only ever read by the database's JSON functions."""

    field_type = "JSON"

    def db_value(self, value: Any) -> str | None:
        return None if value is None else orjson.dumps(value).decode()


class RunSearch(BaseModel):
    run = ForeignKeyField(Run, primary_key=True, on_delete="CASCADE")
    config = DocumentField(default=dict)
    summary = DocumentField(default=dict)


SEARCH_MODELS = [RunSearch]


def _load(text: str | None) -> Any:
    if not text:
        return {}
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        try:
            return json.loads(text)
        except ValueError:
            return {}


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return float(value)
    return value


def config_document(text: str | None) -> dict:
    config = _load(text)
    if not isinstance(config, dict):
        return {}
    document = {}
    for key, value in config.items():
        if key == "_wandb":
            continue
        if isinstance(value, dict) and "value" in value and set(value) <= {"value", "desc"}:
            value = value["value"]
        document[key] = value
    return _finite(document)


def summary_document(text: str | None) -> dict:
    summary = _load(text)
    if not isinstance(summary, dict):
        return {}
    document = {k: v for k, v in summary.items() if k != "_wandb"}
    wandb = summary.get("_wandb")
    if isinstance(wandb, dict) and "runtime" in wandb:
        document["_wandb"] = {"runtime": wandb["runtime"]}
    return _finite(document)


def index_run(run_id: int, config: str | None = None, summary: str | None = None) -> None:
    """Refresh the searchable documents of a run (None leaves that document unchanged).

    Call inside the transaction that writes the run.
    """
    values = {}
    if config is not None:
        values["config"] = config_document(config)
    if summary is not None:
        values["summary"] = summary_document(summary)
    if not values:
        return
    # Not "update, insert when no row changed": MySQL counts unchanged rows as not updated.
    if RunSearch.select().where(RunSearch.run == run_id).exists():
        RunSearch.update(values).where(RunSearch.run == run_id).execute()
    else:
        RunSearch.insert(run=run_id, **values).execute()
