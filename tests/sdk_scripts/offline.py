"""An offline run (WANDB_MODE=offline): nothing reaches the server until `wandb sync DIR`."""

import wandb
from sdk_common import emit, run_info

run = wandb.init(project="offline", config={"mode": "offline"}, tags=["offline"])
for step in range(50):
    run.log({"y": step * 0.5, "nested": {"z": step}})
run.summary["note"] = "synced later"
print("offline console line")
with open("offline.txt", "w") as handle:
    handle.write("offline file bytes\n")
run.save("offline.txt", policy="now")
run.finish()
emit(run_info(run))
