"""Fill a project of the source server for the import tests (either wandb version):

    import_source.py PROJECT

Two runs with history (nested keys, NaN, a media image), console output, system metrics,
tags, notes, group, job type, run files; artifacts with two versions sharing a file, aliases,
tags and metadata, used by the second run (lineage); a sweep with one run in it. Prints RESULT
with the run ids and the sweep id.
"""

import os
import sys
import time
import types

import numpy as np
import wandb
import wandb.agents.pyagent as pyagent
from sdk_common import FAST, emit

# The function agent polls every 5 s; 0.5 s keeps the test quick (as sweep_agent.py does).
pyagent.Agent.HEARTBEAT_SLEEP_SECONDS = 0.5
pyagent.time = types.SimpleNamespace(sleep=lambda seconds: time.sleep(min(seconds, 0.5)),
                                     time=time.time)

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
swept = []


def train():
    run = wandb.init(settings=settings)
    run.log({"loss": run.config["lr"] * 5})
    swept.append(run.id)
    run.finish()


wandb.agent(sweep_id, function=train, count=1, project=project)
emit({"runs": [first.id, second.id] + swept, "sweep": sweep_id})
