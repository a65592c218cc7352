"""A sweep's runs as points for the sweep page: one value per swept parameter and the metric.

The swept parameters come from the sweep's config (nested ``parameters`` become dotted names,
as the run config nests them: ``model.depth``); a parameter fixed with ``value:`` is not
swept and gets no axis. Each parameter's axis is numeric when every value the runs got is a
number (logarithmic when its distribution is, and the values allow it), otherwise
categorical: its values as text, in the config's order, then any other value seen.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from roost.admin.ui.present import jsonable, loads, unwrap_config
from roost.admin.ui.runtime import run_runtime
from roost.core.dotted import dotted_get

LOG_DISTRIBUTIONS = {"log_uniform", "log_uniform_values", "q_log_uniform",
                     "q_log_uniform_values", "inv_log_uniform", "inv_log_uniform_values",
                     "log_normal", "q_log_normal"}
# Distributions whose min and max are values a run can get (not exponents, not mu/sigma):
# an axis no run has reached yet spans them.
VALUE_BOUNDED = {"uniform", "int_uniform", "q_uniform", "log_uniform_values",
                 "q_log_uniform_values", "inv_log_uniform_values"}
# Categories past this many (by how often runs got them) are shown as text but get no axis
# position, so a parameter with a value per run does not become an unreadable axis.
MAX_CATEGORIES = 40


def parse_config(text: str) -> dict:
    """The stored sweep config (YAML or JSON text); {} when it cannot be read."""
    try:
        config = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return {}
    return config if isinstance(config, dict) else {}


def swept_parameters(config: dict, prefix: str = "") -> list[dict]:
    """``[{"name", "distribution", "values"}]`` for each leaf parameter that varies."""
    found = []
    parameters = config.get("parameters")
    if not isinstance(parameters, dict):
        return found
    for name, spec in parameters.items():
        if not isinstance(spec, dict):
            continue
        dotted = f"{prefix}{name}"
        if isinstance(spec.get("parameters"), dict):
            found += swept_parameters(spec, dotted + ".")
            continue
        if "value" in spec and "values" not in spec:
            continue
        values = spec.get("values") if isinstance(spec.get("values"), list) else None
        distribution = spec.get("distribution") or ("categorical" if values is not None
                                                    else "uniform")
        bounds = ((spec["min"], spec["max"])
                  if distribution in VALUE_BOUNDED and is_number(spec.get("min"))
                  and is_number(spec.get("max")) else None)
        found.append({"name": dotted, "distribution": distribution, "values": values,
                      "bounds": bounds})
    return found


def metric_of(config: dict) -> dict | None:
    metric = config.get("metric")
    if not isinstance(metric, dict) or not isinstance(metric.get("name"), str):
        return None
    goal = metric.get("goal") if metric.get("goal") in ("minimize", "maximize") else "minimize"
    return {"name": metric["name"], "goal": goal}


def is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def label(value: Any) -> str:
    """A parameter value as the text a categorical axis and the table show."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and is_number(value):
        return f"{value:.6g}"
    return json.dumps(jsonable(value), sort_keys=True)


def _expected_values(parameter: dict) -> list:
    """What the config says a run may get, for an axis before any run got a value."""
    if parameter["values"] is not None:
        return [v for v in parameter["values"] if v is not None]
    return list(parameter["bounds"] or ())


def build_axes(parameters: list[dict], configs: list[dict]) -> list[dict]:
    """One axis per swept parameter, from the values the runs actually got (or, before any
    run did, from the config)."""
    axes = []
    for parameter in parameters:
        name = parameter["name"]
        seen = [v for v in (dotted_get(c, name) for c in configs) if v is not None]
        if not seen and parameter["values"] is None and parameter["bounds"] is None:
            axes.append({"name": name, "kind": "numeric", "log": False, "integer": False,
                         "min": None, "max": None})
            continue
        seen = seen or _expected_values(parameter)
        if seen and all(is_number(v) for v in seen):
            log = (parameter["distribution"] in LOG_DISTRIBUTIONS and min(seen) > 0)
            axes.append({"name": name, "kind": "numeric", "log": log,
                         "integer": all(isinstance(v, int) for v in seen),
                         "min": min(seen), "max": max(seen)})
            continue
        counts: dict[str, int] = {}
        for value in seen:
            counts[label(value)] = counts.get(label(value), 0) + 1
        ordered = [label(v) for v in parameter["values"] or []]
        ordered += sorted(counts, key=lambda text: (-counts[text], text))
        categories = [text for text in dict.fromkeys(ordered) if text in counts]
        axes.append({"name": name, "kind": "categorical", "log": False, "integer": False,
                     "categories": categories[:MAX_CATEGORIES]})
    return axes


def run_config(run) -> dict:
    return unwrap_config(loads(run.config))


def metric_value(summary: dict, metric: dict | None):
    if metric is None:
        return None
    value = dotted_get(summary, metric["name"])
    return float(value) if is_number(value) else None


def run_point(run, config: dict, axes: list[dict], metric: dict | None) -> dict:
    """What the table and the charts know of one run."""
    summary = loads(run.summary_metrics)
    params = {}
    for axis in axes:
        value = dotted_get(config, axis["name"])
        if value is None:
            params[axis["name"]] = None
        elif axis["kind"] == "numeric":
            params[axis["name"]] = value if is_number(value) else None
        else:
            params[axis["name"]] = label(value)
    return {"name": run.name, "display_name": run.display_name or run.name,
            "state": run.state, "created_at": run.created_at,
            "runtime": run_runtime(run, summary),
            "params": params, "metric": metric_value(summary, metric)}


def sweep_points(config_text: str, runs: list) -> dict:
    """The metric, the axes and one point per run, ready for JSON."""
    config = parse_config(config_text)
    metric = metric_of(config)
    configs = [run_config(run) for run in runs]
    axes = build_axes(swept_parameters(config), configs)
    points = [run_point(run, c, axes, metric) for run, c in zip(runs, configs)]
    return {"metric": metric, "axes": axes, "runs": points, "best": best_point(points, metric)}


def best_point(points: list[dict], metric: dict | None) -> dict | None:
    """The run with the best summary value of the metric: the first row of the runs table
    sorted by the metric, so the page's header and its table name the same run."""
    scored = [p for p in points if p["metric"] is not None]
    if metric is None or not scored:
        return None
    pick = max if metric["goal"] == "maximize" else min
    best = pick(scored, key=lambda p: p["metric"])
    return {"name": best["name"], "display_name": best["display_name"], "metric": best["metric"],
            "state": best["state"]}
