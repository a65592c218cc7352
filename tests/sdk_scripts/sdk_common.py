"""Shared by the scripts the tests run under each wandb version (kept version-neutral)."""

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

# Fast system metrics and file_stream flushes, so a run of a few seconds shows everything.
FAST = dict(x_stats_sampling_interval=0.2, x_file_stream_transmit_interval=0.5)


def emit(value) -> None:
    """Hand the test a JSON result: it reads the last stdout line starting with RESULT."""
    sys.stdout.flush()
    print("RESULT " + json.dumps(value), flush=True)


def run_info(run) -> dict:
    return {"id": run.id, "entity": run.entity, "project": run.project, "dir": run.dir,
            "sync_dir": os.path.dirname(run.dir.rstrip("/"))}


def fetch_run_file(run_path: str, name: str) -> bytes | None:
    """The bytes the server holds for a run file now (authenticated download), or None."""
    url = f"{os.environ['WANDB_BASE_URL']}/files/{run_path}/{name}"
    token = base64.b64encode(f"api:{os.environ['WANDB_API_KEY']}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": "Basic " + token})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()
    except urllib.error.HTTPError:
        return None


def wait_for_run_file(run_path: str, name: str, content: bytes, timeout: float = 60) -> float:
    """Seconds until the server holds exactly ``content`` for the file; raises on timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if fetch_run_file(run_path, name) == content:
            return time.monotonic() - start
        time.sleep(0.2)
    raise SystemExit(f"{name} never reached the server with {content!r} "
                     f"(it holds {fetch_run_file(run_path, name)!r})")

