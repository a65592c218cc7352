"""What several core processes on one database share through it instead of memory (issue 16,
item 1): the sign-in limit holds whichever core an attempt reaches, one core runs each round
of a periodic job such as garbage collection, and a second core pointed at SQLite is refused.
Two SqlStorage instances on one database stand for two cores here; tests/test_scale_out.py and
tests/test_topology.py run real core processes."""

from __future__ import annotations

import pytest

from roost.core.errors import TooManyRequests
from roost.core.leader import LeaderJob
from roost.core.login_limits import LoginLimiter
from roost.plugins.sql.store import SqlStorage


@pytest.fixture
def two_cores(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = SqlStorage(url), SqlStorage(url)
    yield first, second
    first.close()
    second.close()


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_sign_in_limit_holds_across_cores(two_cores):
    clock = Clock()
    core_a, core_b = (LoginLimiter(storage, max_failures=3, window_seconds=60, clock=clock)
                      for storage in two_cores)
    core_a.failed("Alice", "10.0.0.1")
    core_b.failed("alice", "10.0.0.2")
    core_a.failed("alice", "10.0.0.3")
    for core in (core_a, core_b):
        with pytest.raises(TooManyRequests, match="this account; try again in 61 s"):
            core.check("alice", "10.0.0.9")
    core_b.check("bob", "10.0.0.9")  # another account from another address is not stopped
    clock.now += 61  # the window has passed
    core_b.check("alice", "10.0.0.9")
    core_a.failed("alice", "10.0.0.1")
    core_b.succeeded("alice")  # a success on one core clears the count for all
    core_a.check("alice", "10.0.0.1")


def test_an_address_is_stopped_after_more_failures_than_an_account(two_cores):
    clock = Clock()
    limiter = LoginLimiter(two_cores[0], max_failures=2, window_seconds=60, clock=clock)
    for number in range(10):  # 2 x 5 (ADDRESS_FACTOR) failures, each for another account
        limiter.failed(f"user{number}", "10.9.9.9")
    with pytest.raises(TooManyRequests, match="this address"):
        LoginLimiter(two_cores[1], max_failures=2, window_seconds=60, clock=clock).check(
            "someone-new", "10.9.9.9")


def test_old_failures_are_pruned(two_cores):
    clock = Clock()
    limiter = LoginLimiter(two_cores[0], max_failures=5, window_seconds=10, clock=clock)
    limiter.failed("carol", "10.0.0.1")
    clock.now += 100
    limiter.failed("dave", "10.0.0.2")  # prunes what is older than two windows
    assert two_cores[0].login_failures_since(["user:carol", "addr:10.0.0.1"], 0.0) == {}


def test_one_core_runs_each_round_of_a_periodic_job(two_cores):
    clock, done = Clock(), []
    job_a = LeaderJob(two_cores[0], "gc", 60, lambda: done.append("a"), clock=clock)
    job_b = LeaderJob(two_cores[1], "gc", 60, lambda: done.append("b"), clock=clock)
    for _ in range(3):
        assert [job_a.run_once(), job_b.run_once()].count(True) == 1
        clock.now += 60
    assert done == ["a", "a", "a"]
    # Core a dies: it renews no more, and b takes the job over once a's lease has run out.
    clock.now += 60 * 2.5
    assert job_b.run_once() is True and done[-1] == "b"
    assert job_a.run_once() is False


def test_a_stopped_job_gives_its_lease_up(two_cores):
    job = LeaderJob(two_cores[0], "gc", 0.05, lambda: None)
    stop = job.start()
    import time
    deadline = time.time() + 10
    while two_cores[1].lease_holder("gc", time.time()) is None and time.time() < deadline:
        time.sleep(0.02)
    assert two_cores[1].lease_holder("gc", time.time())["holder"] == job.holder
    stop.set()
    while two_cores[1].lease_holder("gc", time.time()) is not None and time.time() < deadline:
        time.sleep(0.02)
    assert two_cores[1].lease_holder("gc", time.time()) is None


def test_a_second_core_on_one_sqlite_database_is_refused(tmp_path):
    """SQLite is the one-process default: a second `roost core` pointed at the database of a
    running one says so in one line and exits 1, and the first keeps serving."""
    import subprocess

    from harness import RoostServer, free_port, roost_executable

    with RoostServer(tmp_path / "data") as server:
        second = subprocess.run(
            [roost_executable(), "core", "--data-dir", str(server.data_dir),
             "--core-listen", f"127.0.0.1:{free_port()}"],
            capture_output=True, text=True, timeout=60, env=server.env)
        assert second.returncode == 1, (second.stdout, second.stderr)
        assert "another Roost core is already serving the SQLite database" in second.stderr
        assert "Traceback" not in second.stderr
        assert server.request("GET", "/healthz")[0] == 200
        # One-off commands on the same database still work while the core serves.
        assert server.cli("user", "list").returncode == 0
