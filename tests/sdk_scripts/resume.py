"""resume="allow" (new run), then "must" and "allow" on it (history continues), then the two
usage errors: "never" on an existing run and "must" on a missing one.

With a third argument "stats", system metrics are sampled (every 0.2 s) in every segment, so
events are streamed again after each resume; without it they are off, and the events stream
plays no part."""

import sys
import time

import wandb
from sdk_common import FAST, emit

run_id, missing_id = sys.argv[1], sys.argv[2]
with_stats = sys.argv[3:] == ["stats"]
settings = wandb.Settings(**FAST, x_disable_stats=not with_stats)
logged = 0  # lines logged so far over all segments: the step each new line should get


def segment(resume: str, count: int, label: str) -> dict:
    global logged
    run = wandb.init(project="resume", id=run_id, resume=resume, settings=settings)
    for _ in range(count):
        run.log({"x": logged, "segment": label})
        logged += 1
    print(f"console from {label}")
    if with_stats:
        time.sleep(0.7)  # a few system metric samples in every segment
    run.finish()
    return {"resume": resume, "resumed": bool(run.resumed)}


def usage_error(resume: str, rid: str) -> str:
    try:
        run = wandb.init(project="resume", id=rid, resume=resume, settings=settings)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    run.finish()
    return "no error"


segments = [segment("allow", 10, "first"), segment("must", 10, "second"),
            segment("allow", 5, "third")]
emit({"segments": segments, "never_existing": usage_error("never", run_id),
      "must_missing": usage_error("must", missing_id)})
