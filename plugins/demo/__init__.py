"""``roost demo``: log a few realistic runs to a running Roost through the real wandb SDK, so
a new user sees a populated web UI a minute after ``roost serve``.

A small two-layer network learns the two-moons problem with numpy alone. The demo logs a
dataset artifact, three training runs that use it (metrics under ``train/`` and ``eval/``,
decision-boundary images by step, weight histograms, a predictions table, console output, a
model artifact) and one run that diverges and fails. It needs the ``demo`` extra (``.venv/bin/pip install '.[demo]'`` in the checkout).

Not a pluggy plugin (it implements no hook): a subcommand contributed through the
``roost.commands`` entry point ``demo``, as another distribution would add one. It lives
beside the plugins because, like them, it may use the core (to create a key in the local data
dir) and must never import the front.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request

from roost.core.cli import LOCAL_OPTIONS, Command, add_option_flags

PROJECT = "roost-demo"
RUNS = ({"name": "mlp-small", "hidden": 8, "lr": 0.3, "activation": "tanh"},
        {"name": "mlp-wide", "hidden": 32, "lr": 0.3, "activation": "tanh"},
        {"name": "mlp-relu", "hidden": 32, "lr": 0.1, "activation": "relu"})
DIVERGING = {"name": "mlp-too-hot", "hidden": 32, "lr": 40.0, "activation": "relu"}
EPOCHS = 150


def add_arguments(parser, options) -> None:
    parser.add_argument("--url", default="", help="the Roost to log to (default: "
                        "WANDB_BASE_URL, else this machine's host and port options)")
    parser.add_argument("--api-key", default="", help="an API key (default: WANDB_API_KEY, "
                        "else a new key for --user, created in the local data dir)")
    parser.add_argument("--user", default="admin", help="whose key to create (default: admin)")
    parser.add_argument("--project", default=PROJECT)
    add_option_flags(parser, options, LOCAL_OPTIONS + ("host", "port", "root_path"))


def missing_packages() -> list[str]:
    return [name for name in ("wandb", "numpy", "PIL") if importlib.util.find_spec(name) is None]


def server_url(args, config) -> str:
    if args.url:
        return args.url.rstrip("/")
    if os.environ.get("WANDB_BASE_URL"):
        return os.environ["WANDB_BASE_URL"].rstrip("/")
    host = config.host if config.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    return f"http://{host}:{config.port}{config.root_path or ''}"


def check_server(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
            if response.status == 200:
                return None
            return f"{url}/healthz answered {response.status}"
    except (urllib.error.URLError, OSError) as exc:
        return f"no Roost answers at {url} ({getattr(exc, 'reason', exc)}); start one with " \
               "`roost serve`, or pass --url"


def check_key(url: str, key: str) -> str | None:
    """None when the server accepts the key, else why not."""
    request = urllib.request.Request(
        url + "/graphql", data=json.dumps({"query": "{ viewer { username } }"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Basic " +
                 base64.b64encode(f"api:{key}".encode()).decode()})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            viewer = (json.load(response).get("data") or {}).get("viewer")
    except urllib.error.HTTPError as exc:
        return (f"{url} refused the API key ({exc.code}): pass --api-key, or run the demo "
                "with the --data-dir of that server")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"could not ask {url} who the key belongs to ({exc})"
    return None if viewer else f"{url} does not know the API key"


def run_demo(config, pm, args) -> int:
    missing = missing_packages()
    if missing:
        print(f"roost demo: it logs through the wandb SDK and needs {', '.join(missing)}: "
              "run `.venv/bin/pip install '.[demo]'` in Roost's checkout", file=sys.stderr)
        return 2
    url = server_url(args, config)
    problem = check_server(url)
    if problem:
        print(f"roost demo: {problem}", file=sys.stderr)
        return 2
    key = args.api_key or os.environ.get("WANDB_API_KEY", "")
    if not key:
        from roost.core.preflight import instance_problem
        from roost.core.service import Core

        problem = instance_problem(config.data_path, config.database_url)
        if problem:
            print(f"roost demo: cannot create an API key: {problem}; or pass --api-key",
                  file=sys.stderr)
            return 2
        core = Core(config, pm)
        try:
            _, key = core.accounts.create_api_key(None, args.user, "roost demo")
        finally:
            core.close()
        print(f"created an API key for {args.user!r} (see it under Settings in the web UI)")
    problem = check_key(url, key)
    if problem:
        print(f"roost demo: {problem}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="roost-demo-") as workdir:
        os.environ.update({"WANDB_BASE_URL": url, "WANDB_API_KEY": key, "WANDB_DIR": workdir,
                           "WANDB_SILENT": "true", "WANDB_DISABLE_GIT": "true",
                           "WANDB_DISABLE_CODE": "true", "WANDB_ERROR_REPORTING": "false"})
        from roost.plugins.demo import training

        entity = training.log_all(args.project, workdir, RUNS, DIVERGING, EPOCHS)
    print(f"Logged {len(RUNS) + 2} runs. Open {url}/{entity}/{args.project}")
    return 0


COMMAND = Command("demo", "log a few example runs to a running Roost (needs the demo extra: pip install '.[demo]')", 70,
                  add_arguments, lambda config, options, pm, args: run_demo(config, pm, args))
