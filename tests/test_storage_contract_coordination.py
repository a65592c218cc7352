"""Storage area ``coordination`` of the contract (core/storage/coordination.py) on SQLite,
PostgreSQL and MariaDB: leases that one holder at a time gets, even when several processes
race for them, and the sign-in failures the limiter counts."""

from __future__ import annotations

import threading

from test_storage_contract import on_every_engine


class CoordinationContract:
    def test_a_lease_has_one_holder_until_it_expires_or_is_released(self, storage):
        assert storage.lease_holder("gc", 100.0) is None
        assert storage.acquire_lease("gc", "core-a", 100.0, 30) is True
        assert storage.acquire_lease("gc", "core-b", 110.0, 30) is False
        assert storage.lease_holder("gc", 110.0) == {"holder": "core-a", "expires_at": 130.0}
        assert storage.acquire_lease("gc", "core-a", 120.0, 30) is True  # renewed
        assert storage.lease_holder("gc", 140.0)["expires_at"] == 150.0
        assert storage.acquire_lease("gc", "core-b", 149.0, 30) is False
        assert storage.acquire_lease("gc", "core-b", 151.0, 30) is True  # a's expired
        assert storage.lease_holder("gc", 151.0)["holder"] == "core-b"
        storage.release_lease("gc", "core-a")  # not a's any more: nothing happens
        assert storage.lease_holder("gc", 152.0)["holder"] == "core-b"
        storage.release_lease("gc", "core-b")
        assert storage.lease_holder("gc", 152.0) is None
        assert storage.acquire_lease("gc", "core-a", 153.0, 30) is True
        assert storage.acquire_lease("other", "core-b", 153.0, 30) is True  # names apart

    def test_racing_holders_get_a_free_lease_once(self, storage):
        results, start = [], threading.Barrier(6)

        def take(holder):
            start.wait()
            results.append((holder, storage.acquire_lease("race", holder, 1000.0, 60)))

        threads = [threading.Thread(target=take, args=(f"core-{n}",)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [holder for holder, won in results if won]
        assert len(winners) == 1, results
        assert storage.lease_holder("race", 1000.0)["holder"] == winners[0]

    def test_login_failures_are_counted_per_key_within_the_window(self, storage):
        assert storage.login_failures_since(["user:alice"], 0.0) == {}
        storage.record_login_failure(["user:alice", "addr:10.0.0.1"], 100.0)
        storage.record_login_failure(["user:alice", "addr:10.0.0.1"], 105.0)
        storage.record_login_failure(["addr:10.0.0.1"], 110.0)
        assert storage.login_failures_since(["user:alice", "addr:10.0.0.1", "user:bob"],
                                            0.0) == {"user:alice": (2, 100.0),
                                                     "addr:10.0.0.1": (3, 100.0)}
        assert storage.login_failures_since(["user:alice"], 101.0) == {"user:alice": (1, 105.0)}
        storage.clear_login_failures("user:alice")
        assert storage.login_failures_since(["user:alice", "addr:10.0.0.1"], 0.0) == {
            "addr:10.0.0.1": (3, 100.0)}
        assert storage.prune_login_failures(106.0) == 2
        assert storage.login_failures_since(["addr:10.0.0.1"], 0.0) == {
            "addr:10.0.0.1": (1, 110.0)}
        storage.record_login_failure([], 120.0)  # nothing to record


TestSqliteCoordination, TestPostgresCoordination, TestMysqlCoordination = on_every_engine(
    CoordinationContract)


class CoreClaimContract:
    def test_claiming_the_core_twice_in_one_process_is_harmless(self, storage):
        """The one process that serves claims once; engines several cores share (PostgreSQL,
        MySQL) accept any number of claims, SQLite's second claimant is another process
        (tests/test_several_cores.py starts it)."""
        assert storage.claim_core() is None
        assert storage.claim_core() is None


TestSqliteCoreClaim, TestPostgresCoreClaim, TestMysqlCoreClaim = on_every_engine(
    CoreClaimContract)
