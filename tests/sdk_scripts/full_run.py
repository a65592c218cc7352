"""One run that uses every part of the write path: login, init with every field, a high rate
of scalar, nested and many metrics, console output (stdout, stderr, a rewritten line), system
metrics, run.save now/live (with a changed live file), config/tag/notes changes mid-run,
summary updates, finish. Prints what the test needs to find it in storage."""

import os
import sys
import time

import wandb
from sdk_common import FAST, emit, run_info, wait_for_run_file

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
key = os.environ["WANDB_API_KEY"]

# A wrong key is refused by the server when wandb checks it.
try:
    wandb.login(key="x" * 40, relogin=True, verify=True)
    bad_login = "accepted"
except Exception as exc:  # AuthenticationError in both versions
    bad_login = type(exc).__name__
assert wandb.login(key=key, relogin=True, verify=True)

run = wandb.init(entity=os.environ["ROOST_ENTITY"], project="write-path", name="every field",
                 config={"lr": 0.1, "optimizer": {"name": "adam", "betas": [0.9, 0.99]}},
                 tags=["baseline", "sdk"], notes="first notes", group="group-a",
                 job_type="train", settings=wandb.Settings(**FAST))
path = f"{run.entity}/{run.project}/{run.id}"

started = time.monotonic()
# ...and 40 more keys a step, as a model's per-layer metrics are (a run of 25 keys or more
# once failed on SQLite: its rollup lookups overflowed the SQL parser).
LAYERS = 40
for step in range(STEPS):
    run.log({"loss": 1.0 / (step + 1), "acc": step / STEPS,
             "nested": {"a": step, "deep": {"b": step * 2}},
             **{f"layer_{i}/grad_norm": step + i / 100 for i in range(LAYERS)}})
log_seconds = time.monotonic() - started

print("hello from stdout")
print("oops on stderr", file=sys.stderr)
for percent in range(0, 101, 25):  # a tqdm-style bar: one terminal line, rewritten with \r
    sys.stdout.write(f"\rprogress {percent}%")
    sys.stdout.flush()
    time.sleep(0.02)
sys.stdout.write("\n")
print("after the bar")
sys.stdout.flush()

with open("now.txt", "w") as handle:
    handle.write("saved right now\n")
with open("live.txt", "w") as handle:
    handle.write("live version 1\n")
run.save("now.txt", policy="now")
run.save("live.txt", policy="live")
live_first = wait_for_run_file(path, "live.txt", b"live version 1\n")
with open("live.txt", "w") as handle:
    handle.write("live version 2, longer than the first\n")
live_second = wait_for_run_file(path, "live.txt", b"live version 2, longer than the first\n")

run.config.update({"lr": 0.05, "added_mid_run": True}, allow_val_change=True)
run.tags = run.tags + ("added-mid-run",)
run.notes = "changed notes"
run.summary["best_acc"] = 0.97
run.summary.update({"final": {"score": 42}})
time.sleep(1)  # let a few system metric samples (every 0.2 s) happen
run.finish()

emit(run_info(run) | {"bad_login": bad_login, "log_seconds": log_seconds,
                      "live_seconds": [live_first, live_second], "version": wandb.__version__})
