"""Built-in storage plugin: peewee on SQLite (default), PostgreSQL or MySQL/MariaDB."""

from roost.core.hookspecs import hookimpl
from roost.plugins.sql.database import default_url


@hookimpl(trylast=True)
def roost_storage_backend(config):
    from roost.plugins.sql.store import SqlStorage

    return SqlStorage(config.database_url or default_url(config.data_path))
