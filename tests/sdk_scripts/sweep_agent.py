"""A function sweep agent (wandb.agent(sweep, function=...)), version-neutral.

    sweep_agent.py ENTITY/PROJECT/SWEEP TRAIN [COUNT]

TRAIN names one of the training functions below. Prints RESULT with each run the agent
executed: its id, the config it got and the last step it logged.
"""

import sys
import time
import types

import wandb
import wandb.agents.pyagent as pyagent
from sdk_common import emit

# The function agent polls every 5 s (0.31: Agent.HEARTBEAT_SLEEP_SECONDS; 0.21: fixed
# sleeps in the module); the tests poll every 0.5 s so they stay quick. Nothing else changes.
pyagent.Agent.HEARTBEAT_SLEEP_SECONDS = 0.5
pyagent.time = types.SimpleNamespace(sleep=lambda seconds: time.sleep(min(seconds, 0.5)),
                                     time=time.time)

done = []


def plain_config(run) -> dict:
    return {key: value for key, value in dict(run.config).items() if not key.startswith("_")}


def record(run, steps: int) -> None:
    done.append({"id": run.id, "config": plain_config(run), "steps": steps,
                 "sweep": run.sweep_id})


def loss_of(config: dict) -> float:
    if "x" in config:
        return (config["x"] - 0.7) ** 2
    return config.get("a", 0) + (0.5 if config.get("b") == "y" else 0.0)


def quick():
    """Three steps of a loss computed from the parameters."""
    run = wandb.init()
    loss = loss_of(plain_config(run))
    for step in range(3):
        wandb.log({"loss": loss + 1.0 / (step + 1)})
    wandb.log({"loss": loss})
    record(run, 4)
    run.finish()


def curve():
    """loss = q / (step + 1): a large q falls behind the others at every step. Slow runs
    (q >= 10) take long enough for hyperband to see them and stop them."""
    # History reaches the server every second instead of every 15 s, so hyperband sees it
    # (an interval below 1 s is ignored).
    run = wandb.init(settings=wandb.Settings(x_file_stream_transmit_interval=1))
    q = run.config["q"]
    steps = 0
    for step in range(40 if q >= 10 else 6):
        wandb.log({"loss": q / (step + 1)})
        steps = step + 1
        record_progress(run, steps)
        time.sleep(0.3 if q >= 10 else 0.05)
    run.finish()


def record_progress(run, steps: int) -> None:
    for entry in done:
        if entry["id"] == run.id:
            entry["steps"] = steps
            return
    record(run, steps)


def hang():
    """Starts a run, logs once, then waits to be killed."""
    run = wandb.init()
    wandb.log({"loss": 1.0})
    record(run, 1)
    print("STARTED " + run.id, flush=True)
    time.sleep(600)


TRAIN = {"quick": quick, "curve": curve, "hang": hang}

if __name__ == "__main__":
    path, train = sys.argv[1], TRAIN[sys.argv[2]]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else None
    wandb.agent(path, function=train, count=count)
    emit(done)
