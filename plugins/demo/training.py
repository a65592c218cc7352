"""What ``roost demo`` logs: a two-layer network trained on two moons with numpy, through the
real wandb SDK. Imported only by plugins/demo/__init__.py, after it checked wandb and numpy are there."""

from __future__ import annotations

import math
import os
import sys

import numpy as np
import wandb

GRID = 64


def two_moons(count: int, noise: float, rng) -> tuple[np.ndarray, np.ndarray]:
    half = count // 2
    angle = rng.uniform(0, math.pi, count)
    x = np.where(np.arange(count) < half, np.cos(angle), 1 - np.cos(angle))
    y = np.where(np.arange(count) < half, np.sin(angle), 0.5 - np.sin(angle))
    points = np.stack([x, y], axis=1) + rng.normal(0, noise, (count, 2))
    return points.astype(np.float64), (np.arange(count) >= half).astype(np.float64)


class Network:
    def __init__(self, hidden: int, activation: str, rng):
        self.w1 = rng.normal(0, 1 / math.sqrt(2), (2, hidden))
        self.b1 = np.zeros(hidden)
        self.w2 = rng.normal(0, 1 / math.sqrt(hidden), (hidden, 1))
        self.b2 = np.zeros(1)
        self.relu = activation == "relu"

    def forward(self, x):
        pre = x @ self.w1 + self.b1
        hidden = np.maximum(pre, 0) if self.relu else np.tanh(pre)
        logits = (hidden @ self.w2 + self.b2)[:, 0]
        return pre, hidden, 1 / (1 + np.exp(-np.clip(logits, -60, 60)))

    def step(self, x, y, lr: float) -> tuple[float, float]:
        pre, hidden, prob = self.forward(x)
        eps = 1e-9
        loss = float(-np.mean(y * np.log(prob + eps) + (1 - y) * np.log(1 - prob + eps)))
        grad_logits = (prob - y)[:, None] / len(y)
        grad_w2 = hidden.T @ grad_logits
        grad_hidden = grad_logits @ self.w2.T
        grad_pre = grad_hidden * ((pre > 0) if self.relu else (1 - hidden ** 2))
        grad_w1 = x.T @ grad_pre
        grads = (grad_w1, grad_pre.sum(0), grad_w2, grad_logits.sum(0))
        norm = float(math.sqrt(sum(float((g ** 2).sum()) for g in grads)))
        for param, grad in zip((self.w1, self.b1, self.w2, self.b2), grads):
            param -= lr * grad
        return loss, norm

    def evaluate(self, x, y) -> tuple[float, float]:
        _, _, prob = self.forward(x)
        eps = 1e-9
        loss = float(-np.mean(y * np.log(prob + eps) + (1 - y) * np.log(1 - prob + eps)))
        return loss, float(np.mean((prob > 0.5) == y))


def boundary_image(net: Network, x, y) -> np.ndarray:
    """The network's decision surface (orange/blue) with the points on it, as RGB."""
    xs = np.linspace(-1.5, 2.5, GRID)
    ys = np.linspace(-1.0, 1.5, GRID)
    grid = np.array([[a, b] for b in ys[::-1] for a in xs])
    prob = net.forward(grid)[2].reshape(GRID, GRID, 1)
    image = (prob * np.array([66, 135, 245]) + (1 - prob) * np.array([245, 150, 66])) * 0.55 + 100
    for (px, py), label in zip(x[::4], y[::4]):
        col = int((px + 1.5) / 4.0 * (GRID - 1))
        row = int((1.5 - py) / 2.5 * (GRID - 1))
        if 0 <= row < GRID and 0 <= col < GRID:
            image[row, col] = (20, 60, 160) if label else (170, 70, 10)
    return np.kron(image, np.ones((3, 3, 1))).clip(0, 255).astype(np.uint8)


def log_dataset(project: str, workdir: str, x, y) -> str:
    run = wandb.init(project=project, name="prepare-data", job_type="data",
                     config={"samples": len(y), "noise": 0.15}, tags=["data"])
    path = os.path.join(workdir, "moons.csv")
    np.savetxt(path, np.column_stack([x, y]), delimiter=",", header="x,y,label", comments="")
    dataset = wandb.Artifact("two-moons", type="dataset", description="Two interleaving "
                             "half circles with noise", metadata={"rows": len(y), "noise": 0.15})
    dataset.add_file(path)
    run.log_artifact(dataset, aliases=["latest", "v1-clean"])
    print(f"wrote {len(y)} rows")
    entity = run.entity
    run.finish()
    return entity


def train(project: str, workdir: str, spec: dict, epochs: int, x, y, fail: bool) -> None:
    rng = np.random.default_rng(len(spec["name"]))
    run = wandb.init(project=project, name=spec["name"], group="moons-mlp", job_type="train",
                     tags=["numpy", spec["activation"]] + (["unstable"] if fail else []),
                     notes=f"A {spec['hidden']}-unit {spec['activation']} network, SGD at "
                           f"lr={spec['lr']}.",
                     config={"model": {"hidden": spec["hidden"], "activation": spec["activation"]},
                             "optimizer": {"name": "sgd", "lr": spec["lr"]}, "batch_size": 64,
                             "epochs": epochs, "seed": len(spec["name"])})
    run.use_artifact("two-moons:latest")
    split = int(len(y) * 0.8)
    order = rng.permutation(len(y))
    train_x, train_y = x[order[:split]], y[order[:split]]
    eval_x, eval_y = x[order[split:]], y[order[split:]]
    net = Network(spec["hidden"], spec["activation"], rng)
    for epoch in range(epochs):
        lr = spec["lr"] * (0.5 * (1 + math.cos(math.pi * epoch / epochs)))
        shuffle = rng.permutation(split)
        losses, norms = [], []
        for start in range(0, split, 64):
            batch = shuffle[start:start + 64]
            loss, norm = net.step(train_x[batch], train_y[batch], lr)
            losses.append(loss)
            norms.append(norm)
        train_loss = float(np.mean(losses))
        if fail and (not math.isfinite(train_loss) or epoch == 12):
            print(f"epoch {epoch}: loss diverged ({train_loss:.3g}), stopping", file=sys.stderr)
            run.log({"train/loss": float("nan"), "train/grad_norm": max(norms)})
            run.finish(exit_code=1)
            return
        _, train_acc = net.evaluate(train_x, train_y)
        eval_loss, eval_acc = net.evaluate(eval_x, eval_y)
        metrics = {"train/loss": train_loss, "train/acc": train_acc, "train/grad_norm":
                   float(np.mean(norms)), "eval/loss": eval_loss, "eval/acc": eval_acc,
                   "optimizer/lr": lr, "epoch": epoch}
        if epoch % 25 == 0 or epoch == epochs - 1:
            metrics["decision_boundary"] = wandb.Image(
                boundary_image(net, x, y), caption=f"epoch {epoch}: eval acc {eval_acc:.1%}")
            metrics["weights/hidden"] = wandb.Histogram(net.w1.ravel())
        run.log(metrics)
        if epoch % 30 == 0:
            print(f"epoch {epoch:3d}  train loss {train_loss:.4f}  eval acc {eval_acc:.3f}")
    prob = net.forward(eval_x[:20])[2]
    run.log({"predictions": wandb.Table(
        columns=["x", "y", "label", "p(class 1)", "correct"],
        data=[[round(float(a), 3), round(float(b), 3), int(label), round(float(p), 3),
               bool((p > 0.5) == label)] for (a, b), label, p in zip(eval_x[:20], eval_y, prob)])})
    run.summary["best_eval_acc"] = eval_acc
    weights = os.path.join(workdir, f"{spec['name']}.npz")
    np.savez(weights, w1=net.w1, b1=net.b1, w2=net.w2, b2=net.b2)
    model = wandb.Artifact(f"{spec['name']}-model", type="model",
                           metadata={"eval_acc": eval_acc, **spec})
    model.add_file(weights)
    run.log_artifact(model)
    print(f"done: eval accuracy {eval_acc:.3f}")
    run.finish()


def log_all(project: str, workdir: str, runs, diverging: dict, epochs: int) -> str:
    x, y = two_moons(1000, 0.15, np.random.default_rng(0))
    entity = log_dataset(project, workdir, x, y)
    for spec in runs:
        train(project, workdir, spec, epochs, x, y, fail=False)
    train(project, workdir, diverging, epochs, x, y, fail=True)
    return entity
