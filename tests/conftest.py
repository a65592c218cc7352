"""Fixtures shared by every test module, and the strict rule CI runs under.

- ``roost_server``: one real ``roost serve`` per xdist worker (session scope); tests that need
  a server configured differently start their own ``RoostServer``.
- ``sdk_version``: every test that asks for it runs once per wandb version in SDK_VERSIONS;
  all tests of one version go to the same xdist worker (``--dist loadgroup``), so a module
  fixture that runs an SDK script runs it once.
- ``ROOST_TEST_STRICT=1`` (CI): a test of ours that skips fails instead, so a missing
  database or SDK environment can never pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import SDK_VERSIONS, RoostServer, sdk_problem
from roost.plugins.sql import history_folder

TESTS_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = TESTS_DIR.parent / "test-artifacts"


def strict() -> bool:
    return os.environ.get("ROOST_TEST_STRICT", "").strip().lower() in ("1", "true", "yes", "on")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (strict() and report.skipped) or hasattr(report, "wasxfail"):
        return
    if not Path(str(item.fspath)).resolve().is_relative_to(TESTS_DIR):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped under ROOST_TEST_STRICT=1, which treats a skip as a failure: "
                       f"{reason}")


@pytest.fixture(autouse=True)
def folds_that_fail_fail_the_test(caplog):
    """A fold that fails on a store's folding thread is logged and left for the next read,
    which hides it from a test: the test during which one is logged fails."""
    yield
    failures = [record for phase in ("setup", "call") for record in caplog.get_records(phase)
                if record.threadName == history_folder.THREAD_NAME and record.exc_info]
    assert not failures, "\n".join(caplog.text.splitlines()[-40:])


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests leave files worth keeping after a run (screenshots, logs): test-artifacts/."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture(scope="session")
def roost_server(tmp_path_factory):
    server = RoostServer(tmp_path_factory.mktemp("roost-session") / "data")
    server.start()
    yield server
    server.cleanup()


def _version_id(version: str) -> str:
    return "wandb-" + version


@pytest.fixture(scope="session", ids=_version_id, params=[
    pytest.param(version, marks=pytest.mark.xdist_group("wandb-" + version))
    for version in SDK_VERSIONS])
def sdk_version(request) -> str:
    problem = sdk_problem(request.param)
    if problem:
        pytest.skip(problem)
    return request.param
