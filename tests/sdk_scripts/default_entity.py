"""A run with no entity (lands in the key owner's entity), finished with exit code 1."""

import wandb
from sdk_common import FAST, emit, run_info

run = wandb.init(project="no-entity", settings=wandb.Settings(**FAST))
for step in range(5):
    run.log({"x": step})
print("about to fail")
run.finish(exit_code=1)
emit(run_info(run))
