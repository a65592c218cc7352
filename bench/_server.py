"""Start a throwaway `roost serve` for a benchmark and measure its processes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def roost_executable() -> str:
    local = Path(sys.executable).with_name("roost")
    return str(local) if local.exists() else shutil.which("roost") or "roost"


class BenchServer:
    """`roost serve` on a free loopback port in a temporary data dir, stopped by its PID."""

    def __init__(self, *extra_args: str, data_dir: str | None = None, key_user: str = "admin"):
        # A given data dir (data built beforehand) is kept; a temporary one is removed.
        self.keep = data_dir is not None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="roost-bench-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The server's output goes to a file: a pipe nobody reads fills up (64 KiB of warnings
        # under load) and then blocks the server on its next log line.
        self.log_path = Path(self.data_dir) / "bench-serve.log"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [roost_executable(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--data-dir", self.data_dir, "--log-level", "warning", *extra_args],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            tail = self.log_path.read_text(errors="replace")[-3000:]
            self.stop()
            raise RuntimeError("roost serve did not become healthy:\n" + tail)
        try:
            out = subprocess.run([roost_executable(), "key", "create", key_user, "--data-dir",
                                  self.data_dir], capture_output=True, text=True, check=True)
        except subprocess.CalledProcessError:
            self.stop()  # never leave the server running behind a failed start
            raise
        self.api_key = out.stdout.strip().splitlines()[-1]

    def add_user(self, username: str, password: str) -> str:
        """A user who can sign in with ``password``; returns a new API key of theirs."""
        subprocess.run([roost_executable(), "user", "add", username, "--password-stdin",
                        "--data-dir", self.data_dir], input=password + "\n", text=True,
                       check=True, capture_output=True)
        return subprocess.run([roost_executable(), "key", "create", username, "--data-dir",
                               self.data_dir], capture_output=True, text=True,
                              check=True).stdout.strip().splitlines()[-1]

    def session(self) -> requests.Session:
        session = requests.Session()
        session.auth = ("api", self.api_key)
        return session

    def pids(self) -> list[int]:
        """The serve process and its children (the core)."""
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                ppid = int(re.search(r"\) \S+ (\d+)", stat).group(1))
                if ppid == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def peak_rss_mb(self) -> dict[int, float]:
        """VmHWM (peak resident set) of each server process, in MiB."""
        peaks = {}
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks[pid] = int(match.group(1)) / 1024
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if not self.keep:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


UPSERT = """mutation UpsertBucket($name: String, $project: String) {
  upsertBucket(input: {name: $name, modelName: $project}) {
    bucket { id name project { name entity { name } } } inserted } }"""


def create_run(session: requests.Session, url: str, project: str, name: str) -> str:
    """Creates a run through GraphQL as the SDK does; returns its file_stream URL."""
    reply = session.post(url + "/graphql", json={"query": UPSERT, "variables": {
        "name": name, "project": project}}, timeout=30)
    reply.raise_for_status()
    bucket = reply.json()["data"]["upsertBucket"]["bucket"]
    entity = bucket["project"]["entity"]["name"]
    return f"{url}/files/{entity}/{project}/{name}/file_stream"
