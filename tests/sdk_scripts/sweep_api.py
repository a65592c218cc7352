"""api.sweep(PATH) as a researcher reads it back; prints RESULT with what the SDK saw."""

import sys

import wandb
from sdk_common import emit

if __name__ == "__main__":
    api = wandb.Api()
    sweep = api.sweep(sys.argv[1])
    best = sweep.best_run()
    runs = list(sweep.runs)
    emit({"id": sweep.id, "state": sweep.state, "config": sweep.config,
          "expected_run_count": sweep.expected_run_count, "name": sweep.name,
          "best_run": best.id if best is not None else None,
          "best_loss": best.summary.get("loss") if best is not None else None,
          "runs": sorted(run.id for run in runs),
          "run_sweeps": sorted({run.sweep_name for run in runs}),
          "project_sweeps": sorted(s.id for s in api.project(sweep.project,
                                                              sweep.entity).sweeps())})
