"""The program a `wandb agent` (command-line) sweep runs: reads its parameters from
wandb.config, which the agent passes as --name=value arguments, and logs a loss."""

import wandb

if __name__ == "__main__":
    run = wandb.init()
    for step in range(3):
        wandb.log({"loss": run.config["lr"] * (3 - step)})
    run.finish()
