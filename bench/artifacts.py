"""Artifact throughput: upload and download of one large file and of many small files, through
the real wandb SDK against a real ``roost serve``; prints MB/s, files/s and the server's peak
resident memory after each phase (it must not grow with the file size: bytes are streamed).

    python bench/artifacts.py                          # 1 GiB and 10,000 files, local disk
    python bench/artifacts.py --size-mib 256 --files 2000
    python bench/artifacts.py --wandb-python /path/to/python-with-wandb

Everything runs on 127.0.0.1 in a temporary directory, and every process started is stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

CLIENT = textwrap.dedent("""
    import json, os, sys, time
    import wandb
    phase, source, project = sys.argv[1], sys.argv[2], sys.argv[3]
    run = wandb.init(project=project, job_type=phase)
    artifact = wandb.Artifact(phase, type="bench")
    if os.path.isdir(source):
        artifact.add_dir(source)
    else:
        artifact.add_file(source)
    started = time.monotonic()
    run.log_artifact(artifact).wait()
    uploaded = time.monotonic() - started
    run.finish()
    api = wandb.Api()
    fetched = api.artifact(f"{run.entity}/{project}/{phase}:latest")
    started = time.monotonic()
    fetched.download(root=sys.argv[4])
    downloaded = time.monotonic() - started
    print("BENCH " + json.dumps({"upload_s": uploaded, "download_s": downloaded,
                                 "files": fetched.file_count, "bytes": fetched.size}))
""")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def per_process_peaks(pid: int) -> dict[str, float]:
    found = {}
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        name = "front" if one == pid else "core"
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                found[name] = int(line.split()[1]) / 1024
    return found


def write_random(path: Path, size: int) -> None:
    block = 8 * 1024 * 1024
    with open(path, "wb") as handle:
        left = size
        while left:
            step = min(block, left)
            handle.write(os.urandom(step))
            left -= step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--file-bytes", type=int, default=1024)
    parser.add_argument("--wandb-python", default=os.environ.get("ROOST_BENCH_WANDB_PYTHON",
                                                                 sys.executable))
    parser.add_argument("--roost", default=str(Path(sys.executable).with_name("roost")))
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="roost-bench-"))
    port = free_port()
    data = work / "data"
    server = subprocess.Popen([options.roost, "serve", "--port", str(port), "--data-dir",
                               str(data), "--max-upload-bytes", str(8 * 1024**3)],
                              stdout=subprocess.DEVNULL, stderr=open(work / "serve.log", "wb"),
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("roost did not start; see " + str(work / "serve.log"))
                time.sleep(0.2)
        key = subprocess.run([options.roost, "key", "create", "admin", "--data-dir", str(data)],
                             capture_output=True, text=True, check=True).stdout.split()[-1]
        client = work / "client.py"
        client.write_text(CLIENT)
        small = work / "small"
        small.mkdir()
        for i in range(options.files):
            (small / f"f{i:05d}.bin").write_bytes(os.urandom(options.file_bytes))
        large = work / "large.bin"
        write_random(large, options.size_mib * 1024 * 1024)
        env = {**os.environ, "WANDB_BASE_URL": f"http://127.0.0.1:{port}", "WANDB_API_KEY": key,
               "WANDB_SILENT": "true", "WANDB_DIR": str(work), "WANDB_CACHE_DIR": str(work / "cache"),
               "WANDB_DATA_DIR": str(work / "wdata"), "WANDB_CONFIG_DIR": str(work / "wconfig")}
        print(f"server at 127.0.0.1:{port}, peak RSS at start: "
              f"{json.dumps({k: round(v) for k, v in per_process_peaks(server.pid).items()})} MiB")
        for phase, source in (("small", small), ("large", large)):
            shutil.rmtree(work / "cache", ignore_errors=True)
            out = subprocess.run([options.wandb_python, str(client), phase, str(source), "bench",
                                  str(work / f"download-{phase}")],
                                 capture_output=True, text=True, env=env, cwd=work, timeout=3600)
            line = [l for l in out.stdout.splitlines() if l.startswith("BENCH ")]
            if out.returncode != 0 or not line:
                print(out.stdout[-3000:], out.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"the {phase} phase failed")
            result = json.loads(line[0][6:])
            mb = result["bytes"] / 1e6
            peaks = per_process_peaks(server.pid)
            print(f"{phase}: {result['files']} files, {mb:.1f} MB | upload "
                  f"{mb / result['upload_s']:.1f} MB/s, {result['files'] / result['upload_s']:.0f} "
                  f"files/s ({result['upload_s']:.1f} s) | download "
                  f"{mb / result['download_s']:.1f} MB/s, "
                  f"{result['files'] / result['download_s']:.0f} files/s "
                  f"({result['download_s']:.1f} s) | server peak RSS "
                  f"{json.dumps({k: round(v) for k, v in peaks.items()})} MiB")
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
