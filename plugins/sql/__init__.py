"""Built-in storage plugin: peewee on SQLite (default), PostgreSQL or MySQL/MariaDB."""

from roost.core.hookspecs import hookimpl
from roost.plugins.sql.database import default_url


@hookimpl
def roost_add_options(options):
    options.add("sqlite_synchronous", "normal",
                "SQLite durability: normal (survives a crash of Roost; a power loss may lose the "
                "last commits) or full (an fsync per commit: survives power loss, slower ingest)")


@hookimpl(trylast=True)
def roost_storage_backend(config):
    from roost.plugins.sql.store import SqlStorage

    return SqlStorage(config.database_url or default_url(config.data_path),
                      config.get("sqlite_synchronous", "normal"))


@hookimpl
def roost_startup(core):
    from roost.plugins.sql import metrics
    from roost.plugins.sql.store import SqlStorage

    if isinstance(core.storage, SqlStorage):
        metrics.register(core.storage)
