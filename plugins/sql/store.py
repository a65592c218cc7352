"""SqlStorage: the storage provider contract (roost.core.storage) on peewee (SQLite,
PostgreSQL, MySQL/MariaDB), composed of one store per area over one shared database.

    accounts   accounts_store.AccountStore      users, API keys, entities
    runs       runs_store.RunStore              projects and runs, the Public API's reads
    ingest     ingest_store.IngestStore         file_stream writes, line reads, rollups
    run_files  run_files_store.RunFileStore     run file records
    tenancy    tenancy_store.TenancyStore       teams, access facts, projects admin, links...
    artifacts  artifacts_store.ArtifactStore    versions, manifests, blobs, garbage
               collections_store.CollectionStore  collections, memberships, aliases, links
    sweeps     sweeps_store.SweepStore          sweeps, assignments, agents
    ui         ui_store.UiStore                 the web UI's cross-project reads
    views      views_store.ViewStore            saved views, reports, view-only links
    imports    import_store.ImportStore         `roost import`'s state and imported fields
    archive    archive_store.ArchiveStore       every table out and in (export, restore)
    identity   identity_store.IdentityStore     sign-ins, every key, SCIM tokens and links
    coordination coordination_store.CoordinationStore  leases, sign-in failures (several cores)

Each store is built on the same SqlDatabase (area.py): one connection pool, one set of
prepared statements. The core calls the provider's methods; here each one IS the bound
method of the store serving it (no forwarding call in between, so the file_stream hot path
runs exactly the store's code).
"""

from __future__ import annotations

from roost.core.storage import Storage, contract_methods
from roost.plugins.sql.accounts_store import AccountStore
from roost.plugins.sql.archive_store import ArchiveStore
from roost.plugins.sql.area import SqlDatabase
from roost.plugins.sql.artifacts_store import ArtifactStore
from roost.plugins.sql.collections_store import CollectionStore
from roost.plugins.sql.coordination_store import CoordinationStore
from roost.plugins.sql.import_store import ImportStore
from roost.plugins.sql.identity_store import IdentityStore
from roost.plugins.sql.ingest_store import IngestStore
from roost.plugins.sql.run_files_store import RunFileStore
from roost.plugins.sql.runs_store import RunStore
from roost.plugins.sql.sweeps_store import SweepStore
from roost.plugins.sql.tenancy_store import TenancyStore
from roost.plugins.sql.ui_store import UiStore
from roost.plugins.sql.views_store import ViewStore


class SqlStorage:
    def __init__(self, url: str, sqlite_synchronous: str = "normal",
                 background_rollups: bool = True):
        """``background_rollups``: fold history into its rollups on a thread after each
        commit (history_folder.py); False folds in the request, after the commit."""
        self.database = database = SqlDatabase(url, sqlite_synchronous)
        self.url, self.name = url, database.name
        self.db, self.statements, self.engine = database.db, database.statements, database.engine
        self.history = database.history
        self.run_files = RunFileStore(database)
        self.ingest = IngestStore(database, self.run_files, background_rollups)
        self.accounts = AccountStore(database)
        self.runs = RunStore(database, self.ingest)
        self.tenancy = TenancyStore(database, self.accounts, self.runs)
        self.artifacts = ArtifactStore(database)
        self.collections = CollectionStore(database, self.artifacts)
        self.sweeps = SweepStore(database)
        self.ui = UiStore(database)
        self.views = ViewStore(database)
        self.imports = ImportStore(database)
        self.archive = ArchiveStore(database)
        self.identity = IdentityStore(database)
        self.coordination = CoordinationStore(database)
        stores = {"accounts": [self.accounts], "runs": [self.runs], "ingest": [self.ingest],
                  "run_files": [self.run_files], "tenancy": [self.tenancy],
                  "identity": [self.identity],
                  "artifacts": [self.artifacts, self.collections], "sweeps": [self.sweeps],
                  "ui": [self.ui], "views": [self.views], "imports": [self.imports],
                  "archive": [self.archive], "coordination": [self.coordination]}
        for name, area in contract_methods().items():
            if area != "lifecycle":
                serving = [store for store in stores[area] if hasattr(store, name)]
                setattr(self, name, getattr(serving[0], name))
        # What the sql plugin's own tools and tests use beside the contract.
        self.fold_history = self.ingest.fold_history
        self.fold_held_history = self.ingest.fold_held_history
        self.wait_for_rollups = self.ingest.wait_for_rollups

    def health(self) -> str:
        with self.db.connection_context():
            self.db.execute_sql("SELECT 1").fetchone()
        return self.name

    def claim_core(self) -> None:
        self.database.claim_core()

    def close(self) -> None:
        self.ingest.stop()  # folds what is waiting first
        self.database.close()


Storage.register(SqlStorage)
