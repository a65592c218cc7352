"""The search itself, done by W&B's open-source sweeps engine (PyPI ``sweeps``).

It is the code W&B's own controller runs: grid, random and bayes (a Gaussian process over the
parameters' CDF-normalised space), every distribution of the sweep config, and hyperband early
termination. This module is the one place that imports it: it turns our run records into its
``SweepRun`` objects and its numpy answers back into plain JSON values.
"""

from __future__ import annotations

import math
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

from roost.core.errors import InvalidArgument

# The engine samples from the process-wide `random`/`numpy.random` generators and is not
# written for threads; one suggestion at a time (each takes milliseconds, bayes ~0.1 s).
_LOCK = threading.Lock()
_engine = None

# Run states the engine knows; anything else is treated as still pending.
ENGINE_STATES = {"pending", "running", "finished", "killed", "crashed", "failed", "preempted",
                 "preempting"}


def _load():
    """Import the engine once, hushing the pydantic deprecation warnings it raises on import
    (its models use v1-style config; harmless, and noisy in a server log)."""
    global _engine
    if _engine is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import sweeps
        _engine = sweeps
    return _engine


@dataclass
class RunView:
    """What the engine needs to know about one run of the sweep."""

    name: str
    state: str
    # Parameters as wandb stores them: {"lr": {"value": 0.1}, ...} (extra keys are ignored).
    config: dict
    summary: dict = field(default_factory=dict)
    # The metric's logged values, oldest first, as [{metric: value}, ...].
    history: list[dict] = field(default_factory=list)


def plain(value: Any) -> Any:
    """numpy scalars and arrays to JSON-ready Python values."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def schema_violations(config: dict) -> list[str]:
    engine = _load()
    try:
        return list(engine.schema_violations_from_proposed_config(config))
    except (ValueError, TypeError) as exc:
        return [str(exc)]


def _sweep_runs(runs: list[RunView]):
    engine = _load()
    converted = []
    for run in runs:
        state = run.state if run.state in ENGINE_STATES else "pending"
        converted.append(engine.SweepRun(name=run.name, state=state, config=run.config,
                                         summary_metrics=run.summary, history=run.history))
    return converted


def suggest(config: dict, runs: list[RunView], count: int = 1) -> list[dict | None]:
    """The next ``count`` runs' parameters ({"lr": {"value": 0.1}, ...}), each None once the
    search is exhausted (a grid whose every combination has a run). The heartbeat asks for one;
    tests draw thousands at once (the engine parses the config once per call)."""
    engine = _load()
    with _LOCK, warnings.catch_warnings():
        # The Gaussian process fit warns when its kernel hits a bound; that is routine.
        warnings.simplefilter("ignore")
        try:
            suggestions = engine.next_runs(config, _sweep_runs(runs), n=count)
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidArgument(f"the sweep controller cannot use this config: {exc}") from None
    return [None if s is None else _args(s.config) for s in suggestions]


def _args(config: dict) -> dict:
    args = plain(config)
    for name, entry in args.items():
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidArgument(f"the sweep controller produced a non-finite value for {name}")
    return args


def to_stop(config: dict, runs: list[RunView]) -> list[str]:
    """Names of running runs hyperband says to stop now."""
    if not config.get("early_terminate"):
        return []
    engine = _load()
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            stopped = engine.stop_runs(config, _sweep_runs(runs))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidArgument(f"early termination cannot use this config: {exc}") from None
    return [run.name for run in stopped]
