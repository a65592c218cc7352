"""Build the plugin manager: specs, entry-point plugins (built-in and third-party), blocking,
tracing."""

from __future__ import annotations

import importlib.metadata
import logging
import os

import pluggy

from roost.core import hookspecs

log = logging.getLogger("roost.hooks")

ENTRY_POINT_GROUP = "roost"


def builtin_entry_points() -> list[importlib.metadata.EntryPoint]:
    """The ``roost`` entry points of Roost's own distribution (pyproject.toml): the built-in
    plugins, declared exactly as a third-party distribution declares its plugins."""
    return [ep for ep in importlib.metadata.distribution("roost").entry_points
            if ep.group == ENTRY_POINT_GROUP]


def builtin_plugins() -> dict[str, str]:
    """Built-in plugin name -> module path."""
    return {ep.name: ep.value for ep in builtin_entry_points()}


def blocked_from_env() -> set[str]:
    return {name.strip() for name in os.environ.get("ROOST_BLOCK_PLUGINS", "").split(",") if name.strip()}


def make_plugin_manager(block: set[str] | None = None, trace: bool | None = None,
                        load_entrypoints: bool = True) -> pluggy.PluginManager:
    """A plugin manager with Roost's specs and the plugins of installed ``roost`` entry points.

    ``block`` names plugins (entry-point names, built-in or not) not to load; with
    ``load_entrypoints`` false only the built-ins (Roost's own entry points) load; ``trace``
    logs every hook call (also ``ROOST_TRACE_HOOKS=1``).
    """
    pm = pluggy.PluginManager("roost")
    pm.add_hookspecs(hookspecs)
    for name in (block if block is not None else blocked_from_env()):
        pm.set_blocked(name)
    # Roost's own entry points first, so the built-ins register before (and their hooks run
    # after) every third-party plugin's, whatever order the installed distributions list in.
    for entry_point in builtin_entry_points():
        if not pm.is_blocked(entry_point.name):
            pm.register(entry_point.load(), name=entry_point.name)
    if load_entrypoints:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)  # skips the names registered above
    pm.check_pending()
    if trace if trace is not None else os.environ.get("ROOST_TRACE_HOOKS", "") not in ("", "0"):
        pm.trace.root.setwriter(log.info)
        pm.enable_tracing()
    return pm


def describe_plugins(pm: pluggy.PluginManager) -> list[dict]:
    """Each registered plugin with the hooks it implements, for the console's plugins page."""
    described = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        if plugin is None:  # blocked: pluggy keeps the name, nothing is registered
            continue
        hooks = sorted(impl.name for impl in pm.get_hookcallers(plugin) or [])
        described.append({"name": name, "module": getattr(plugin, "__name__", repr(plugin)),
                          "hooks": hooks})
    return described
