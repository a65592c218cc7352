"""A short ordinary run: metrics, a console line, a saved file, finish."""

import wandb
from sdk_common import FAST, emit, run_info

run = wandb.init(project="small", config={"size": "small"}, settings=wandb.Settings(**FAST))
for step in range(100):
    run.log({"step_value": step, "nested": {"twice": 2 * step}})
print("small run console line")
with open("small.txt", "w") as handle:
    handle.write("small file\n")
run.save("small.txt", policy="now")
run.finish()
emit(run_info(run))
