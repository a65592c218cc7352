"""The storage provider check at startup (roost.core.storage.check_provider): a plugin whose
provider misses any method of the contract stops the core with the plugin's name and every
missing method, before a request can reach the gap."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pluggy
import pytest

from roost.core import hookspecs
from roost.core.pluginmanager import make_plugin_manager
from roost.core.service import Core
from roost.core.storage import (AREAS, Storage, StorageContractError, contract_methods,
                                missing_methods, provide_storage)
from roost.plugins.sql.store import SqlStorage

hookimpl = pluggy.HookimplMarker("roost")


def plugin_manager(**plugins) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("roost")
    pm.add_hookspecs(hookspecs)
    for name, plugin in plugins.items():
        pm.register(plugin, name=name)
    return pm


class Answers:
    def __init__(self, provider):
        self.provider = provider

    @hookimpl
    def roost_storage_backend(self, config):
        return self.provider


@pytest.fixture
def sql_store():
    store = SqlStorage("sqlite:///:memory:", background_rollups=False)
    yield store
    store.close()


def test_the_contract_is_every_area():
    methods = contract_methods()
    assert set(methods.values()) == set(AREAS)
    assert set(methods) == set(Storage.__abstractmethods__)
    assert len(methods) > 100


def test_every_contract_method_is_documented():
    undocumented = [name for name in contract_methods()
                    if not (getattr(Storage, name).__doc__ or "").strip()]
    assert not undocumented


def test_the_sql_plugin_implements_all_of_it(sql_store):
    assert missing_methods(sql_store) == []
    assert isinstance(sql_store, Storage)


def test_a_provider_missing_a_method_stops_the_core_naming_plugin_and_method(sql_store):
    del sql_store.list_runs  # the store bound it on the instance; now it is gone
    pm = plugin_manager(my_storage=Answers(sql_store))
    with pytest.raises(StorageContractError) as failure:
        Core(SimpleNamespace(), pm)
    message = str(failure.value)
    assert "'my_storage'" in message
    assert "runs.list_runs" in message
    assert "1 method(s) missing" in message


def test_every_missing_method_is_named():
    class Partial:  # a provider written against an older Roost
        def health(self):
            return "partial"

        def get_user(self, username):
            return None

    with pytest.raises(StorageContractError) as failure:
        provide_storage(plugin_manager(old_plugin=Answers(Partial())), SimpleNamespace())
    message = str(failure.value)
    expected = [f"{area}.{name}" for name, area in contract_methods().items()
                if name not in ("health", "get_user")]
    assert f"{len(expected)} method(s) missing" in message
    assert all(name in message for name in expected)
    assert "lifecycle.close" in message and "accounts.get_user," not in message


def test_an_abstract_method_left_abstract_counts_as_missing(sql_store):
    class HalfDone(Storage):
        pass

    for name in contract_methods():
        if name != "list_sweeps":
            setattr(HalfDone, name, getattr(sql_store, name))
    HalfDone.__abstractmethods__ = frozenset()  # instantiable, but list_sweeps is abstract
    assert missing_methods(HalfDone()) == ["sweeps.list_sweeps"]


class Declines:
    @hookimpl(tryfirst=True)
    def roost_storage_backend(self, config):
        return None


def test_the_first_plugin_that_answers_is_checked(sql_store):
    pm = plugin_manager(good=Answers(sql_store), declines=Declines(),
                        broken=Answers(object()))
    # pluggy calls the last registered first: "broken" answers before "good".
    with pytest.raises(StorageContractError, match="'broken'"):
        provide_storage(pm, SimpleNamespace())
    pm.unregister(name="broken")
    assert provide_storage(pm, SimpleNamespace()) is sql_store


def test_no_provider_at_all():
    with pytest.raises(RuntimeError, match="no plugin provides storage"):
        provide_storage(plugin_manager(), SimpleNamespace())


def test_hook_tracing_shows_each_storage_plugin_asked(sql_store, monkeypatch, caplog):
    """ROOST_TRACE_HOOKS logs the roost_storage_backend calls like every other hook call,
    though provide_storage asks the plugins one by one."""
    monkeypatch.setenv("ROOST_TRACE_HOOKS", "1")
    pm = make_plugin_manager(block=set(), load_entrypoints=False)
    pm.register(Answers(sql_store), name="mine")
    pm.register(Declines(), name="declines")
    with caplog.at_level(logging.INFO, logger="roost.hooks"):
        assert provide_storage(pm, SimpleNamespace()) is sql_store
    traced = [r.getMessage() for r in caplog.records if r.name == "roost.hooks"]
    calls = [m for m in traced if m.lstrip().startswith("roost_storage_backend")]
    finished = [m for m in traced if m.lstrip().startswith("finish roost_storage_backend")]
    assert len(calls) == 2, traced  # "declines" (tryfirst), then "mine"; the sql plugin not
    assert "--> None" in finished[0] and "SqlStorage" in finished[1], finished
