"""Build the plugin manager: specs, built-in plugins, entry points, blocking, tracing."""

from __future__ import annotations

import importlib
import logging
import os

import pluggy

from roost.core import hookspecs

log = logging.getLogger("roost.hooks")

# Built-ins go through the same hooks as third-party plugins; each is a module path,
# registered under its short name so it can be blocked like any other plugin.
BUILTIN_PLUGINS = {
    "sql": "roost.plugins.sql",
    "files": "roost.plugins.files",
    "minio": "roost.plugins.minio",
    "token_auth": "roost.plugins.token_auth",
    "ldap_auth": "roost.plugins.ldap_auth",
}


def blocked_from_env() -> set[str]:
    return {name.strip() for name in os.environ.get("ROOST_BLOCK_PLUGINS", "").split(",") if name.strip()}


def make_plugin_manager(block: set[str] | None = None, trace: bool | None = None,
                        load_entrypoints: bool = True) -> pluggy.PluginManager:
    """A plugin manager with Roost's specs, the built-ins and installed ``roost`` entry points.

    ``block`` names plugins (built-in short names or entry-point names) not to load;
    ``trace`` logs every hook call (also ``ROOST_TRACE_HOOKS=1``).
    """
    pm = pluggy.PluginManager("roost")
    pm.add_hookspecs(hookspecs)
    for name in (block if block is not None else blocked_from_env()):
        pm.set_blocked(name)
    for name, module_path in BUILTIN_PLUGINS.items():
        if not pm.is_blocked(name):
            pm.register(importlib.import_module(module_path), name=name)
    if load_entrypoints:
        pm.load_setuptools_entrypoints("roost")
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
