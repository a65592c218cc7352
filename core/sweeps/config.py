"""Sweep config validation: YAML text in, a checked config (or a message a person can act on) out.

wandb clients send the config as YAML text and print whatever ``configValidationWarnings`` we
return. A config the controller could not run (unknown method, a distribution without its
bounds, bayes without a metric, a typo in a key) is refused with one message per problem, so
``wandb sweep`` fails at once instead of an agent failing later. What still works but is worth
changing (the deprecated exponent-bounded ``log_uniform``) comes back as a warning.

The structural check is ours (messages that name the parameter and say what to write); the
sweeps engine's own JSON schema runs last, so nothing it would reject gets through.
"""

from __future__ import annotations

import copy
import functools
import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from roost.core.errors import InvalidArgument

METHODS = ("grid", "random", "bayes")
GOALS = ("minimize", "maximize")
TOP_LEVEL_KEYS = {
    "method", "parameters", "metric", "early_terminate", "run_cap", "program", "command",
    "name", "description", "entity", "project", "controller", "apiVersion", "kind", "job",
    "image_uri", "scheduler",
}
METRIC_KEYS = {"name", "goal", "target", "impute", "impute_while_running"}
IMPUTE = ("latest", "best", "worst")
HYPERBAND_KEYS = {"type", "min_iter", "max_iter", "s", "eta", "strict"}
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

# Each distribution: the keys it needs, the keys it may have (with their defaults).
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "constant": (("value",), {}),
    "categorical": (("values",), {"probabilities": None}),
    "int_uniform": (("min", "max"), {}),
    "uniform": (("min", "max"), {}),
    "q_uniform": (("min", "max"), {"q": 1.0}),
    "log_uniform": (("min", "max"), {}),
    "log_uniform_values": (("min", "max"), {}),
    "q_log_uniform": (("min", "max"), {"q": 1.0}),
    "q_log_uniform_values": (("min", "max"), {"q": 1.0}),
    "inv_log_uniform": (("min", "max"), {}),
    "inv_log_uniform_values": (("min", "max"), {}),
    "normal": ((), {"mu": 0.0, "sigma": 1.0}),
    "q_normal": ((), {"mu": 0.0, "sigma": 1.0, "q": 1.0}),
    "log_normal": ((), {"mu": 0.0, "sigma": 1.0}),
    "q_log_normal": ((), {"mu": 0.0, "sigma": 1.0, "q": 1.0}),
    "beta": ((), {"a": 1.0, "b": 1.0}),
    "q_beta": ((), {"a": 1.0, "b": 1.0, "q": 1.0}),
}
# Bounds given as natural-log exponents: still supported, but the *_values form is clearer.
DEPRECATED = {"log_uniform": "log_uniform_values", "inv_log_uniform": "inv_log_uniform_values",
              "q_log_uniform": "q_log_uniform_values"}
GRID_DISTRIBUTIONS = {"constant", "categorical", "int_uniform", "q_uniform"}
MAX_GRID_POINTS = 1_000_000


@dataclass
class SweepSpec:
    """A config that passed validation. ``config`` is what the engine reads."""

    config: dict
    warnings: list[str] = field(default_factory=list)

    @property
    def method(self) -> str:
        return self.config["method"]

    @property
    def metric(self) -> dict | None:
        return self.config.get("metric")

    @property
    def run_cap(self) -> int | None:
        return self.config.get("run_cap")

    @property
    def program(self) -> str | None:
        return self.config.get("program")

    def grid_size(self) -> int | None:
        if self.method != "grid":
            return None
        size = 1
        for spec in _leaf_parameters(self.config["parameters"]):
            size *= _grid_count(spec)
        return size

    def run_count_expected(self) -> int | None:
        """How many runs the sweep will make: the grid's size and/or the run cap; None if open."""
        counts = [n for n in (self.grid_size(), self.run_cap) if n is not None]
        return min(counts) if counts else None


def _is_number(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _leaf_parameters(parameters: dict):
    for spec in parameters.values():
        if "parameters" in spec:
            yield from _leaf_parameters(spec["parameters"])
        else:
            yield spec


def _grid_count(spec: dict) -> int:
    kind = spec.get("distribution")
    if kind == "constant":
        return 1
    if kind == "int_uniform":
        return spec["max"] - spec["min"] + 1
    if kind == "q_uniform":
        # The engine enumerates numpy.arange(min, max, q); count the same way.
        import numpy

        return len(numpy.arange(spec["min"], spec["max"], spec["q"]))
    return len(spec["values"])


def parse_text(text: str) -> Any:
    if not isinstance(text, str) or not text.strip():
        raise InvalidArgument("the sweep config is empty: send it as YAML text with at least "
                              "`method` and `parameters`")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidArgument(f"the sweep config is not valid YAML{at}: {problem}") from None


class _Checker:
    def __init__(self):
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    # -- parameters ------------------------------------------------------------------------
    def parameters(self, parameters: Any, path: str, method: str) -> dict:
        if not isinstance(parameters, dict) or not parameters:
            self.error(f"`{path}` must be a mapping of parameter names to their values or "
                       "distributions, with at least one parameter")
            return {}
        checked = {}
        for name, spec in parameters.items():
            where = f"{path}.{name}"
            if not isinstance(name, str) or not NAME_PATTERN.match(name):
                self.error(f"parameter name {name!r} ({path}) must start with a letter or '_' "
                           "and contain only letters, digits, '_', '.' and '-'")
                continue
            checked[name] = self.parameter(spec, where, method)
        return checked

    def parameter(self, spec: Any, where: str, method: str) -> dict:
        if not isinstance(spec, dict):
            self.error(f"parameter `{where}` must be a mapping such as `{{values: [...]}}`, "
                       f"`{{value: ...}}` or `{{min: ..., max: ...}}`, not {spec!r}")
            return {}
        if "parameters" in spec:
            extra = set(spec) - {"parameters"}
            if extra:
                self.error(f"parameter `{where}` has nested `parameters`, so it cannot also "
                           f"have {', '.join(sorted(map(str, extra)))}")
            return {"parameters": self.parameters(spec["parameters"], f"{where}.parameters",
                                                  method)}
        spec = dict(spec)
        kind = spec.get("distribution")
        if kind is None:
            kind = self._infer(spec, where)
            if kind is None:
                return {}
        elif kind == "categorical_w_probabilities":
            kind = "categorical"
        if kind not in DISTRIBUTIONS:
            self.error(f"parameter `{where}`: unknown distribution {kind!r}; use one of "
                       + ", ".join(DISTRIBUTIONS))
            return {}
        spec["distribution"] = kind
        required, optional = DISTRIBUTIONS[kind]
        missing = [key for key in required if key not in spec]
        if missing:
            self.error(f"parameter `{where}`: distribution {kind} needs "
                       + " and ".join(f"`{key}`" for key in missing))
            return {}
        unknown = set(spec) - set(required) - set(optional) - {"distribution"}
        if unknown:
            allowed = ", ".join(f"`{k}`" for k in (*required, *optional))
            self.error(f"parameter `{where}`: unknown key(s) "
                       + ", ".join(f"`{k}`" for k in sorted(map(str, unknown)))
                       + f" for distribution {kind} (it takes {allowed})")
            return {}
        for key, default in optional.items():
            if default is not None:
                spec.setdefault(key, default)
        before = len(self.errors)
        self._check_values(kind, spec, where)
        if len(self.errors) > before:
            return {}
        if kind == "categorical" and spec.get("probabilities") is not None:
            # The engine's name for it; wandb's docs write `categorical` with `probabilities`.
            spec["distribution"] = "categorical_w_probabilities"
        if method == "grid" and (kind not in GRID_DISTRIBUTIONS or spec.get("probabilities")):
            self.error(f"parameter `{where}`: grid search needs a finite set of values "
                       "(`values`, `value`, int_uniform or q_uniform); "
                       f"{'categorical with probabilities' if kind == 'categorical' else kind} "
                       "is not one")
        if kind in DEPRECATED:
            self.warnings.append(
                f"{where} uses {kind}, where min/max are natural-log exponents "
                f"(values from e^{spec['min']} to e^{spec['max']}); use {DEPRECATED[kind]} to "
                "give the limit values themselves")
        return spec

    def _infer(self, spec: dict, where: str) -> str | None:
        if "value" in spec:
            return "constant"
        if "values" in spec:
            return "categorical"
        if "min" in spec and "max" in spec:
            low, high = spec["min"], spec["max"]
            if _is_int(low) and _is_int(high):
                return "int_uniform"
            if _is_number(low) and _is_number(high):
                return "uniform"
            self.error(f"parameter `{where}`: `min` and `max` must be numbers, "
                       f"got {low!r} and {high!r}")
            return None
        self.error(f"parameter `{where}` needs `value`, `values`, `min` and `max`, or a "
                   f"`distribution`; it has {', '.join(map(str, spec)) or 'nothing'}")
        return None

    def _check_values(self, kind: str, spec: dict, where: str) -> None:
        bad = [key for key in ("min", "max", "mu", "sigma", "q", "a", "b")
               if key in spec and not _is_number(spec[key])]
        for key in bad:
            self.error(f"parameter `{where}`: `{key}` must be a finite number, not {spec[key]!r}")
        if bad:
            return
        if kind == "categorical":
            self._check_categorical(spec, where)
        if kind == "int_uniform" and not (_is_int(spec["min"]) and _is_int(spec["max"])):
            self.error(f"parameter `{where}`: int_uniform needs integer `min` and `max`, "
                       f"got {spec['min']!r} and {spec['max']!r}")
        if "min" in spec and "max" in spec and spec["min"] >= spec["max"]:
            self.error(f"parameter `{where}`: `min` ({spec['min']}) must be less than "
                       f"`max` ({spec['max']})")
        if kind.endswith("_values") and "min" in spec and spec["min"] <= 0:
            self.error(f"parameter `{where}`: {kind} takes the limit values themselves, so "
                       f"`min` must be greater than 0 (got {spec['min']}); to give exponents "
                       f"use {kind.removesuffix('_values')}")
        if spec.get("sigma", 1) < 0:
            self.error(f"parameter `{where}`: `sigma` must not be negative")
        if spec.get("q", 1) <= 0:
            self.error(f"parameter `{where}`: `q` must be greater than 0")
        if spec.get("a", 1) < 0 or spec.get("b", 1) < 0:
            self.error(f"parameter `{where}`: `a` and `b` must not be negative")

    def _check_categorical(self, spec: dict, where: str) -> None:
        values = spec["values"]
        if not isinstance(values, list) or not values:
            self.error(f"parameter `{where}`: `values` must be a non-empty list, not {values!r}")
            return
        probabilities = spec.get("probabilities")
        if probabilities is None:
            return
        if (not isinstance(probabilities, list) or not all(_is_number(p) and p >= 0
                                                           for p in probabilities)):
            self.error(f"parameter `{where}`: `probabilities` must be a list of numbers >= 0")
        elif len(probabilities) != len(values):
            self.error(f"parameter `{where}`: {len(values)} values but "
                       f"{len(probabilities)} probabilities; give one probability per value")
        elif not math.isclose(sum(probabilities), 1.0, abs_tol=1e-6):
            self.error(f"parameter `{where}`: probabilities must add up to 1 "
                       f"(they add up to {sum(probabilities):g})")

    # -- the rest --------------------------------------------------------------------------
    def metric(self, metric: Any) -> dict | None:
        if not isinstance(metric, dict) or not isinstance(metric.get("name"), str) \
                or not metric["name"]:
            self.error("`metric` must be a mapping with a `name` (the logged key to optimize) "
                       "and a `goal` (minimize or maximize)")
            return None
        unknown = set(metric) - METRIC_KEYS
        if unknown:
            self.error("`metric`: unknown key(s) " + ", ".join(sorted(map(str, unknown)))
                       + "; it takes " + ", ".join(sorted(METRIC_KEYS)))
        metric = {"goal": "minimize", "impute": "worst", "impute_while_running": "false"} | metric
        if metric["goal"] not in GOALS:
            self.error(f"`metric.goal` must be minimize or maximize, not {metric['goal']!r}")
        if "target" in metric and not _is_number(metric["target"]):
            self.error(f"`metric.target` must be a number, not {metric['target']!r}")
        if metric["impute"] not in IMPUTE:
            self.error(f"`metric.impute` must be one of {', '.join(IMPUTE)}")
        if metric["impute_while_running"] not in (*IMPUTE, "false"):
            self.error(f"`metric.impute_while_running` must be one of {', '.join(IMPUTE)} "
                       "or false")
        return metric

    def early_terminate(self, spec: Any) -> dict | None:
        if not isinstance(spec, dict) or spec.get("type") != "hyperband":
            self.error("`early_terminate` must be a mapping with `type: hyperband` (the only "
                       "early termination wandb sweeps define)")
            return None
        unknown = set(spec) - HYPERBAND_KEYS
        if unknown:
            self.error("`early_terminate`: unknown key(s) " + ", ".join(sorted(map(str, unknown)))
                       + "; hyperband takes " + ", ".join(sorted(HYPERBAND_KEYS - {"type"})))
            return None
        spec = {"eta": 3, "strict": True} | spec
        if not _is_number(spec["eta"]) or spec["eta"] <= 1:
            self.error("`early_terminate.eta` must be a number greater than 1")
            return None
        if "min_iter" in spec:
            if not _is_int(spec["min_iter"]) or spec["min_iter"] < 1:
                self.error("`early_terminate.min_iter` must be an integer >= 1")
        elif "max_iter" in spec:
            spec.setdefault("s", 0)
            if not _is_int(spec["max_iter"]) or spec["max_iter"] < 1:
                self.error("`early_terminate.max_iter` must be an integer >= 1")
            elif not _is_number(spec["s"]) or spec["s"] < 1:
                self.error("`early_terminate` with `max_iter` needs `s` (how many brackets), "
                           "a number >= 1")
            elif spec["max_iter"] / spec["eta"] < 1:
                self.error(f"`early_terminate`: max_iter {spec['max_iter']} / eta {spec['eta']} "
                           "is below 1, so hyperband has no bracket to stop runs at; raise "
                           "max_iter or lower eta")
        else:
            self.error("`early_terminate` (hyperband) needs `min_iter`, or `max_iter` and `s`")
        return spec


def validate(config: Any) -> SweepSpec:
    """Check a parsed config; raise InvalidArgument listing every problem found."""
    if not isinstance(config, dict):
        raise InvalidArgument("the sweep config must be a mapping (YAML keys such as `method` "
                              f"and `parameters`), not {type(config).__name__}")
    check = _Checker()
    config = copy.deepcopy(config)
    unknown = set(config) - TOP_LEVEL_KEYS
    if unknown:
        check.error("unknown key(s) in the sweep config: "
                    + ", ".join(f"`{k}`" for k in sorted(map(str, unknown)))
                    + "; a sweep config takes " + ", ".join(sorted(TOP_LEVEL_KEYS)))
    method = config.get("method")
    if method is None:
        check.error("the sweep config has no `method`: use grid, random or bayes")
    elif method == "custom" or "scheduler" in config:
        check.error("custom sweep schedulers (`method: custom`, `scheduler`) run on W&B Launch, "
                    "which Roost does not provide; use grid, random or bayes")
    elif method not in METHODS:
        check.error(f"unknown sweep method {method!r}: use grid, random or bayes")
    if isinstance(config.get("controller"), dict) and config["controller"].get("type") == "local":
        check.error("Roost runs the sweep controller on the server; remove "
                    "`controller: {type: local}` (and the --controller flag)")
    if "parameters" not in config:
        check.error("the sweep config has no `parameters`: name at least one parameter to sweep")
    else:
        config["parameters"] = check.parameters(config["parameters"], "parameters",
                                                method if method in METHODS else "")
    if "metric" in config:
        config["metric"] = check.metric(config["metric"])
    elif method == "bayes":
        check.error("method bayes needs a `metric` to optimize: add "
                    "`metric: {name: <logged key>, goal: minimize}` (or maximize)")
    if "early_terminate" in config:
        if "metric" not in config:
            check.error("`early_terminate` needs a `metric` to compare runs by")
        config["early_terminate"] = check.early_terminate(config["early_terminate"])
    if "run_cap" in config and (not _is_int(config["run_cap"]) or config["run_cap"] < 1):
        check.error(f"`run_cap` must be a positive integer, not {config['run_cap']!r}")
    if "command" in config and (not isinstance(config["command"], list)
                                or not all(isinstance(c, (str, int, float)) for c in config["command"])):
        check.error("`command` must be a list of strings, e.g. "
                    "[\"${env}\", \"${interpreter}\", \"${program}\", \"${args}\"]")
    for key in ("program", "name", "description", "entity", "project"):
        if key in config and not isinstance(config[key], str):
            check.error(f"`{key}` must be a string, not {config[key]!r}")
    if check.errors:
        raise InvalidArgument(_joined(check.errors))
    spec = SweepSpec(config=config, warnings=check.warnings)
    if method == "grid" and spec.grid_size() > MAX_GRID_POINTS:
        raise InvalidArgument(f"the grid has {spec.grid_size():,} combinations, more than the "
                              f"{MAX_GRID_POINTS:,} Roost will enumerate; use random or bayes")
    _engine_check(spec)
    return spec


def _joined(errors: list[str]) -> str:
    if len(errors) == 1:
        return "invalid sweep config: " + errors[0]
    return "invalid sweep config:\n" + "\n".join(f"- {e}" for e in errors)


def _engine_check(spec: SweepSpec) -> None:
    """Let the sweeps engine's schema have the last word on what it will be asked to run."""
    from roost.core.sweeps import engine

    # The engine reports the exponent-bounded distributions as violations; they are warnings.
    problems = [p for p in engine.schema_violations(spec.config)
                if "specify base-e exponents" not in p]
    if problems:
        raise InvalidArgument(_joined(problems))


def parse(text: str) -> SweepSpec:
    return validate(parse_text(text))


@functools.lru_cache(maxsize=256)
def parse_cached(text: str) -> SweepSpec:
    """A stored sweep's config, parsed once (it was validated when it was stored). Callers
    must not modify the result."""
    return parse(text)
