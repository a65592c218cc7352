"""wandb.sweep(CONFIG_JSON, project=PROJECT); prints RESULT with the sweep id."""

import json
import sys

import wandb
from sdk_common import emit

if __name__ == "__main__":
    sweep_id = wandb.sweep(json.loads(sys.argv[1]), project=sys.argv[2])
    emit({"sweep_id": sweep_id})
