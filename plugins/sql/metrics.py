"""The sql plugin's gauges in the core's Prometheus registry (core/metrics.py): its connection
pool and the history lines waiting to be folded into rollups. Read at each scrape from the
storage the core serves with (the newest one built in this process)."""

from __future__ import annotations

import weakref

from prometheus_client.core import GaugeMetricFamily

from roost.core.metrics import REGISTRY

_serving: list = []  # [weakref to the SqlStorage], once registered


class SqlCollector:
    def collect(self):
        storage = _serving[0]() if _serving else None
        if storage is None:
            return
        pool = storage.db
        labels = [storage.engine]
        in_use = GaugeMetricFamily("roost_db_connections_in_use", "Database connections "
                                   "checked out of the pool", labels=["engine"])
        in_use.add_metric(labels, len(getattr(pool, "_in_use", ())))
        idle = GaugeMetricFamily("roost_db_connections_idle", "Open database connections "
                                 "waiting in the pool", labels=["engine"])
        idle.add_metric(labels, len(getattr(pool, "_connections", ())))
        backlog = GaugeMetricFamily("roost_history_fold_backlog_lines", "History lines handed "
                                    "to the folding thread and not yet folded into rollups")
        backlog.add_metric([], storage.ingest.held_lines())
        yield from (in_use, idle, backlog)


def register(storage) -> None:
    """Report ``storage``'s gauges from now on (registered with the registry once)."""
    first = not _serving
    _serving[:] = [weakref.ref(storage)]
    if first:
        REGISTRY.register(SqlCollector())
