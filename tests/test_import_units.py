"""The parts of `roost import` that need no server: retries with backoff, the progress bar and
its plain-line form, source specs, times and record ids (the end-to-end tests are
test_import.py)."""

from __future__ import annotations

import io

import pytest

from roost.core.imports.command import parse_sources, source_key
from roost.core.imports.progress import Progress, human_bytes
from roost.core.imports.runs import parse_time, record_id, split_record_id
from roost.core.imports.source import Retrying, SourceError


class Flaky:
    def __init__(self, failures: int, error: Exception):
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "answer"


def test_transient_errors_are_retried_with_growing_delays():
    delays = []
    retry = Retrying(attempts=4, base_delay=1.0, sleep=delays.append)
    call = Flaky(3, ConnectionError("Connection reset by peer"))
    assert retry("reading", call) == "answer"
    assert call.calls == 4 and retry.retried == 3
    assert len(delays) == 3 and delays[0] < delays[1] < delays[2]  # 1, 2, 4 s (+-20 %)


def test_retries_give_up_with_what_failed():
    retry = Retrying(attempts=3, base_delay=0, sleep=lambda _: None)
    call = Flaky(10, TimeoutError("read timed out"))
    with pytest.raises(SourceError, match="listing runs: TimeoutError: read timed out"):
        retry("listing runs", call)
    assert call.calls == 3


@pytest.mark.parametrize("message", ["HTTP 401 Unauthorized", "403 Forbidden",
                                     "Cannot query field 'logLines'", "KeyError: 'x'"])
def test_refusals_and_bugs_are_not_retried(message):
    call = Flaky(10, RuntimeError(message))
    with pytest.raises(SourceError):
        Retrying(attempts=5, sleep=lambda _: None)("x", call)
    assert call.calls == 1


def test_progress_bar_on_a_terminal_and_lines_otherwise():
    screen = io.StringIO()
    bar = Progress(screen, tty=True)
    bar.plan(runs=2, rows=1000)
    bar.add(rows=500, nbytes=2048)
    bar.run_done("e/p/a", "500 rows")
    text = screen.getvalue()
    assert "\r" in text and "runs 1/2" in text and "rows 500/1,000" in text and "ETA" in text
    log = io.StringIO()
    plain = Progress(log, tty=False)
    plain.plan(runs=1, rows=10)
    plain.add(rows=10)
    plain.run_done("e/p/a", "10 rows, 0 files")
    assert log.getvalue() == "[1/1] e/p/a: 10 rows, 0 files\n"
    assert human_bytes(1536) == "1.5 KiB"


def test_sources_times_and_record_ids():
    assert parse_sources(["lab", "lab/vision/", "lab/vision/abc"]) == [
        ("lab", None, None), ("lab", "vision", None), ("lab", "vision", "abc")]
    with pytest.raises(ValueError, match="ENTITY/PROJECT/RUN_ID"):
        parse_sources(["a/b/c/d"])
    assert source_key("HTTPS://API.wandb.ai/") == "https://api.wandb.ai"
    assert parse_time("2024-05-01T00:00:00") == parse_time("2024-05-01T00:00:00Z") == 1714521600
    identifier = record_id(("lab", "vision"), ("here", "moved"), "abc")
    assert split_record_id(identifier) == ("lab/vision/abc", ("here", "moved"))


def test_users_are_found_by_name_then_email_else_the_fallback(tmp_path):
    from types import SimpleNamespace

    from roost.core.imports.target import ImportTarget
    from roost.plugins.sql.store import SqlStorage

    storage = SqlStorage(f"sqlite:///{tmp_path / 'roost.db'}", background_rollups=False)
    try:
        for name, email in (("admin", ""), ("robert", "Bob@Lab.example"), ("carol", "")):
            storage.create_user(name, email, None, admin=name == "admin")
        target = ImportTarget(SimpleNamespace(storage=storage, media=None, config=None), "admin")
        assert target.user_for("carol", "")[0]["username"] == "carol"
        assert target.user_for("bob", "bob@lab.EXAMPLE") == (storage.get_user("robert"), True)
        assert target.user_for("dave", "dave@x")[0]["username"] == "admin"
        assert target.user_for("dave", "dave@x")[1] is False
        with pytest.raises(Exception, match="user 'nobody' does not exist here"):
            ImportTarget(SimpleNamespace(storage=storage, media=None, config=None), "nobody")
    finally:
        storage.close()
