"""The coordination part of SqlStorage: leases and sign-in failures, shared by every core
process on the database.

Storage area ``coordination`` (roost.core.storage.coordination) on the sql plugin's tables.
"""

from __future__ import annotations

import peewee

from roost.plugins.sql.area import SqlArea
from roost.plugins.sql.coordination_models import Lease, LoginFailure
from roost.plugins.sql.database import connection_per_call


@connection_per_call
class CoordinationStore(SqlArea):
    # -- leases ------------------------------------------------------------------------------
    def acquire_lease(self, name, holder, now, ttl_seconds):
        expires_at = now + ttl_seconds
        try:
            with self.write():
                lease = self._locking(Lease.select().where(Lease.name == name)).first()
                if lease is None:
                    Lease.create(name=name, holder=holder, expires_at=expires_at)
                    return True
                if lease.holder != holder and lease.expires_at > now:
                    return False
                # Conditional on what was read, so a taker that raced past the row lock
                # (none can: SQLite's write lock, the others' FOR UPDATE) would change nothing.
                return bool(Lease.update(holder=holder, expires_at=expires_at).where(
                    (Lease.name == name) & (Lease.holder == lease.holder)
                    & (Lease.expires_at == lease.expires_at)).execute())
        except peewee.IntegrityError:
            return False  # another process created the lease between our read and insert

    def release_lease(self, name, holder):
        with self.write():
            Lease.delete().where((Lease.name == name) & (Lease.holder == holder)).execute()

    def lease_holder(self, name, now):
        lease = Lease.get_or_none((Lease.name == name) & (Lease.expires_at > now))
        return {"holder": lease.holder, "expires_at": lease.expires_at} if lease else None

    # -- sign-in failures --------------------------------------------------------------------
    def record_login_failure(self, keys, at):
        if keys:
            with self.write():
                LoginFailure.insert_many([{"limit_key": key[:200], "at": at}
                                          for key in keys]).execute()

    def login_failures_since(self, keys, since):
        if not keys:
            return {}
        rows = (LoginFailure.select(LoginFailure.limit_key, peewee.fn.COUNT(LoginFailure.id),
                                    peewee.fn.MIN(LoginFailure.at))
                .where(LoginFailure.limit_key.in_([key[:200] for key in keys])
                       & (LoginFailure.at >= since))
                .group_by(LoginFailure.limit_key).tuples())
        return {key: (count, oldest) for key, count, oldest in rows}

    def clear_login_failures(self, key):
        with self.write():
            LoginFailure.delete().where(LoginFailure.limit_key == key[:200]).execute()

    def prune_login_failures(self, before):
        with self.write():
            return LoginFailure.delete().where(LoginFailure.at < before).execute()
