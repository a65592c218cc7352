"""The storage provider contract: what ``roost_storage_backend`` returns to the core.

One provider serves every area below; each area is an interface of its own module, and
:class:`Storage` is all of them together. Records cross this boundary as plain dicts whose
keys are the field names of the messages in ``protos/``, so the core hands them on unchanged.
Ids are strings; errors are those of :mod:`roost.core.errors`.

The core checks the provider when it builds it (:func:`check_provider`): a provider missing
any method of any area stops the server at startup with the plugin's name and every missing
method, instead of failing on the first request that needs one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from roost.core.artifacts.storage import ArtifactStorage
from roost.core.storage.accounts import AccountStorage
from roost.core.storage.archive import ArchiveStorage
from roost.core.storage.coordination import CoordinationStorage
from roost.core.storage.identity import IdentityStorage
from roost.core.storage.imports import ImportStorage
from roost.core.storage.ingest import FileStreamUpdate, IngestStorage, StreamLines
from roost.core.storage.run_files import RunFileStorage
from roost.core.storage.runs import RunStorage
from roost.core.storage.tenancy import TenancyStorage
from roost.core.storage.ui import UiStorage
from roost.core.sweeps.storage import SweepStorage
from roost.core.views.storage import ViewStorage

__all__ = ["AREAS", "Storage", "StorageContractError", "FileStreamUpdate",
           "StreamLines", "check_provider", "contract_methods", "missing_methods"]


class Lifecycle(ABC):
    name = "storage"

    @abstractmethod
    def health(self) -> str:
        """A short description (engine and version); raises when the database is unreachable."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and stop background work; the provider is not used after."""

    @abstractmethod
    def claim_core(self) -> None:
        """Called once by a process that starts serving as a core (``roost core``, and the
        core ``roost serve`` starts), never by one-off commands. A provider whose engine lets
        one core serve (SQLite) holds a claim until ``close`` and raises
        ``roost.core.errors.CoreAlreadyServing``
        when another process holds it; one that several cores share does nothing."""


# Area name -> its interface. The core's services each use the areas they need.
AREAS: dict[str, type] = {
    "lifecycle": Lifecycle,
    "accounts": AccountStorage,
    "runs": RunStorage,
    "ingest": IngestStorage,
    "run_files": RunFileStorage,
    "tenancy": TenancyStorage,
    "artifacts": ArtifactStorage,
    "sweeps": SweepStorage,
    "ui": UiStorage,
    "views": ViewStorage,
    "imports": ImportStorage,
    "archive": ArchiveStorage,
    "identity": IdentityStorage,
    "coordination": CoordinationStorage,
}


class Storage(Lifecycle, AccountStorage, RunStorage, IngestStorage, RunFileStorage,
              TenancyStorage, ArtifactStorage, SweepStorage, UiStorage, ViewStorage,
              ImportStorage, ArchiveStorage, IdentityStorage, CoordinationStorage):
    """Every area at once: the type ``roost_storage_backend`` returns. A provider may
    subclass it, or be any object with all of its methods (checked at startup)."""


class StorageContractError(RuntimeError):
    """A storage provider does not implement the whole contract."""


def contract_methods() -> dict[str, str]:
    """Method name -> the area that declares it, for every method of the contract."""
    return {name: area for area, interface in AREAS.items()
            for name in sorted(interface.__abstractmethods__)}


def missing_methods(provider) -> list[str]:
    """``area.method`` for each contract method the provider lacks (or leaves abstract)."""
    missing = []
    for name, area in contract_methods().items():
        method = getattr(provider, name, None)
        if not callable(method) or getattr(method, "__isabstractmethod__", False):
            missing.append(f"{area}.{name}")
    return missing


def check_provider(provider, plugin: str) -> None:
    """Raise StorageContractError naming ``plugin`` and every missing method."""
    missing = missing_methods(provider)
    if missing:
        raise StorageContractError(
            f"storage plugin {plugin!r} returned {type(provider).__name__}, which does not "
            f"implement the storage contract (roost.core.storage.Storage): {len(missing)} "
            f"method(s) missing: {', '.join(missing)}")


def provide_storage(pm, config) -> Storage:
    """Ask the ``roost_storage_backend`` hooks in pluggy's order (the first non-None answer
    wins, as with ``firstresult``), remembering which plugin answered so that a provider
    that breaks the contract is reported by its plugin's name.

    Each plugin is asked through pluggy (a hook caller holding that plugin alone), not by
    calling its function, so the call goes through the plugin manager's hook execution:
    ``ROOST_TRACE_HOOKS`` traces it like every other hook call."""
    impls = list(reversed(pm.hook.roost_storage_backend.get_hookimpls()))
    for impl in impls:
        others = [other.plugin for other in impls if other.plugin is not impl.plugin]
        provider = pm.subset_hook_caller("roost_storage_backend", others)(config=config)
        if provider is not None:
            check_provider(provider, impl.plugin_name)
            return provider
    raise RuntimeError("no plugin provides storage (is the sql plugin blocked?)")
