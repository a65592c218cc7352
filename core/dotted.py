"""Reaching a value by key in the nested dicts wandb logs (config, summary, history rows)."""

from __future__ import annotations

from typing import Any


def dotted_get(document: dict, key: str, default: Any = None) -> Any:
    """``document[key]`` when that key is there, else the value at the dotted path ``a.b.c``
    through nested dicts (wandb flattens nothing: ``run.config["opt"]["lr"]`` is ``opt.lr``),
    else ``default``."""
    if key in document:
        return document[key]
    node: Any = document
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node
