"""Fill a project of the source server for the import tests (either wandb version):

    import_source.py PROJECT

Two runs with history (nested keys, NaN, a media image), console output, system metrics,
tags, notes, group, job type, run files; artifacts with two versions sharing a file, aliases,
tags and metadata, used by the second run (lineage); a sweep with one run in it. Prints RESULT
with the run ids and the sweep id.
"""

import os
import sys

import numpy as np
import wandb
from sdk_common import FAST, emit

project = sys.argv[1]
settings = wandb.Settings(**FAST)

first = wandb.init(project=project, config={"lr": 0.1, "opt": {"beta": 2}}, tags=["a", "b"],
                   notes="the first run", group="g1", job_type="train", settings=settings)
for step in range(40):
    print(f"epoch {step} loss {1 / (step + 1):.4f}")
    first.log({"loss": 1 / (step + 1), "acc": {"top1": step / 40, "top5": step / 30},
               "odd": float("nan") if step == 7 else step})
first.log({"sample": wandb.Image(np.full((8, 8, 3), 120, dtype=np.uint8), caption="grey")})
with open(os.path.join(first.dir, "notes.txt"), "w") as handle:
    handle.write("kept with the run\n")
first.save(os.path.join(first.dir, "notes.txt"), base_path=first.dir)
dataset = wandb.Artifact("dataset", type="dataset", description="two files",
                         metadata={"rows": 2})
for name, text in (("a.txt", "alpha\n"), ("b.txt", "beta\n")):
    with open(name, "w") as handle:
        handle.write(text)
    dataset.add_file(name)
first.log_artifact(dataset, aliases=["best"])
dataset = wandb.Artifact("dataset", type="dataset", metadata={"rows": 3})
with open("c.txt", "w") as handle:
    handle.write("gamma\n")
dataset.add_file("a.txt")  # the same bytes as in v0: one blob
dataset.add_file("c.txt")
first.log_artifact(dataset, aliases=["fresh"])
first.summary["best_loss"] = 0.025
first.finish()

second = wandb.init(project=project, config={"lr": 0.2}, job_type="eval", settings=settings)
used = second.use_artifact("dataset:best")
for step in range(25):
    second.log({"loss": 2 / (step + 1)}, step=step * 2)
print("evaluation done")
model = wandb.Artifact("model", type="model")
with open("weights.bin", "wb") as handle:
    handle.write(bytes(range(256)) * 8)
model.add_file("weights.bin")
second.log_artifact(model, aliases=["production"])
second.finish(exit_code=1)

sweep_id = wandb.sweep({"method": "grid", "metric": {"name": "loss", "goal": "minimize"},
                        "parameters": {"lr": {"values": [0.1, 0.2]}}}, project=project)
os.environ["WANDB_SWEEP_ID"] = sweep_id
in_sweep = wandb.init(project=project, config={"lr": 0.1}, settings=settings)
in_sweep.log({"loss": 0.5})
in_sweep.finish()
emit({"runs": [first.id, second.id, in_sweep.id], "sweep": sweep_id})
