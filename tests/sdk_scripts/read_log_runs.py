"""Log the runs the Public API read tests read back (run under each wandb version).

    read_log_runs.py PROJECT COUNT STEPS

Run i (of COUNT) has id ``r<i>-<suffix>``, config lr = i/10 (nested opt.beta = i), tags, a group
and job type for even runs, STEPS history steps of loss/acc (step 7 of run 0 is a spike, step 5
a NaN, step 3 carries a string), a summary override, a saved file and a console line. Prints
RESULT with what was logged, for the tests to compare with what the Public API returns.
READ_SUFFIX names the runs; READ_NO_NAN=1 leaves the NaN out (its summary breaks dr-wandb's
own reader, see test_public_api.py); READ_FIRST starts the numbering there.
"""

import math
import os
import sys
import time

import wandb
from sdk_common import FAST, emit, run_info

project, count, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
suffix = os.environ.get("READ_SUFFIX", "x")
logged = []
first = int(os.environ.get("READ_FIRST", "0"))
for i in range(first, first + count):
    run = wandb.init(project=project, id=f"r{i}-{suffix}", name=f"run-{i}",
                     config={"lr": i / 10, "opt": {"beta": i}, "arch": "mlp" if i % 2 else "cnn"},
                     tags=["even" if i % 2 == 0 else "odd", f"t{i}"],
                     group="g-even" if i % 2 == 0 else None,
                     job_type="train" if i % 2 == 0 else "eval", notes=f"note {i}",
                     settings=wandb.Settings(**FAST))
    for step in range(steps):
        row = {"loss": 1.0 / (step + 1) + i, "acc": step / max(steps, 1)}
        if i == 0 and step == 7:
            row["loss"] = 1000.0
        if i == 0 and step == 5 and not os.environ.get("READ_NO_NAN"):
            row["weird"] = float("nan")
        if i == 0 and step == 3:
            row["label"] = "three"
        if step % 10 == 0:
            row["eval/loss"] = step / 100
        run.log(row, step=step)
    run.summary["best"] = i * 2
    if i == first:
        time.sleep(1.5)  # a few system metrics samples (stream="system")
    print(f"console line of run {i}", flush=True)
    path = os.path.join(run.dir, "notes.txt")
    with open(path, "w") as handle:
        handle.write(f"notes of run {i}\n")
    run.save(path, base_path=run.dir, policy="now")
    info = run_info(run)
    run.finish()
    logged.append(info | {"index": i, "finished_at": time.time()})
    time.sleep(1.1)  # distinct created_at seconds, so createdAt filters can tell runs apart
emit({"runs": logged, "version": wandb.__version__, "nan": math.nan != math.nan})
