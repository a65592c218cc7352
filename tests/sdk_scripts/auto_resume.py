"""resume="auto": "crash" logs then dies of an exception (run failed, resume file kept);
"resume", run again in the same directory, picks the same run up and finishes it."""

import sys

import wandb
from sdk_common import FAST, emit, run_info

mode = sys.argv[1]
# No system metrics: this test is about history and state (events are full_run's part).
run = wandb.init(project="auto-resume", resume="auto",
                 settings=wandb.Settings(**FAST, x_disable_stats=True))
for i in range(5):
    run.log({"x": i, "mode": mode})
print(f"console from {mode}")
emit(run_info(run) | {"resumed": bool(run.resumed)})
if mode == "crash":
    raise RuntimeError("the training script crashed")
run.finish()
