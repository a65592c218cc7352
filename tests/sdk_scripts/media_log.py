"""Log every kind of wandb media under one wandb version, then read it back through the Public
API; prints what it saw as RESULT. argv: PROJECT WORKDIR.
"""

import hashlib
import json
import os
import sys
import wave

import numpy as np
from PIL import Image as PILImage

import wandb

from sdk_common import emit

PROJECT, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(7)


def wav(path):
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes((rng.integers(-3000, 3000, 8000, dtype=np.int16)).tobytes())
    return path


def gif(path):
    frames = [PILImage.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8))
              for _ in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    return path


pixels = rng.integers(0, 255, (32, 48, 3), dtype=np.uint8)
boxes = {"predictions": {"box_data": [{"position": {"minX": 0.1, "maxX": 0.5, "minY": 0.2,
                                                    "maxY": 0.6},
                                       "class_id": 1, "box_caption": "cat",
                                       "scores": {"confidence": 0.9}}],
                         "class_labels": {1: "cat", 2: "dog"}}}
masks = {"ground_truth": {"mask_data": rng.integers(0, 3, (32, 48), dtype=np.uint8),
                          "class_labels": {0: "bg", 1: "cat", 2: "dog"}}}
table = wandb.Table(columns=["id", "image", "label"],
                    data=[[i, wandb.Image(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)),
                           f"label-{i}"] for i in range(4)])
xy = wandb.Table(columns=["x", "y"], data=[[i, i * i] for i in range(10)])
labels = [0, 1, 1, 0, 2, 1]

run = wandb.init(project=PROJECT)
run.log({
    "image_numpy": wandb.Image(pixels, caption="from numpy"),
    "image_pil": wandb.Image(PILImage.fromarray(pixels), caption="from PIL"),
    "image_annotated": wandb.Image(pixels, boxes=boxes, masks=masks),
    "table": table,
    "histogram": wandb.Histogram(rng.normal(size=1000)),
    "audio": wandb.Audio(wav(os.path.join(WORK, "tone.wav")), sample_rate=8000, caption="noise"),
    "video": wandb.Video(gif(os.path.join(WORK, "clip.gif")), caption="frames"),
    "html": wandb.Html("<h1>Roost</h1><p>media test</p>"),
    "points": wandb.Object3D(rng.random((50, 3))),
    "line": wandb.plot.line(xy, "x", "y", title="squares"),
    "scatter": wandb.plot.scatter(xy, "x", "y", title="scatter"),
    "bar": wandb.plot.bar(xy, "x", "y", title="bars"),
    "hist_plot": wandb.plot.histogram(xy, "y", title="histogram"),
    "confusion": wandb.plot.confusion_matrix(y_true=labels, preds=[0, 1, 0, 0, 2, 1],
                                             class_names=["a", "b", "c"]),
})
run_path = f"{run.entity}/{run.project}/{run.id}"
local_files = {}
for folder, _, names in os.walk(os.path.join(run.dir, "media")):
    for name in names:
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            local_files[os.path.relpath(path, run.dir)] = hashlib.md5(handle.read()).hexdigest()
run.finish()

api = wandb.Api()
remote = api.run(run_path)
row = [r for r in remote.history(pandas=False) if "image_numpy" in r][0]
result = {"version": wandb.__version__, "local_files": local_files,
          "history_types": {k: v.get("_type") for k, v in row.items() if isinstance(v, dict)},
          "history_paths": {k: v.get("path") for k, v in row.items()
                            if isinstance(v, dict) and v.get("path")},
          "annotated": {"boxes": sorted(row["image_annotated"].get("boxes", {})),
                        "masks": sorted(row["image_annotated"].get("masks", {}))},
          "histogram_bins": len(row["histogram"].get("bins", [])),
          "summary_image_type": (remote.summary.get("image_numpy") or {}).get("_type")}

downloaded = {}
for name in local_files:
    target = remote.file(name).download(root=os.path.join(WORK, "dl"), replace=True)
    target.close()
    with open(os.path.join(WORK, "dl", name), "rb") as handle:
        downloaded[name] = hashlib.md5(handle.read()).hexdigest()
result["downloaded_files"] = downloaded
# What the server recorded of each file: size and base64 md5, as the Public API reports them.
result["recorded_files"] = {f.name: [f.size, f.md5] for f in remote.files()
                            if f.name in local_files}
result["local_sizes"] = {name: os.path.getsize(os.path.join(run.dir, name))
                         for name in local_files}

logged = sorted(a.name for a in remote.logged_artifacts())
result["logged_artifacts"] = logged
reader = wandb.init(project=PROJECT, job_type="reader")
table_artifact = reader.use_artifact(f"run-{run_path.split('/')[-1]}-table:latest")
fetched = table_artifact.get("table")
result["table"] = {"columns": fetched.columns,
                   "labels": [r[2] for r in fetched.data],
                   "image_cells": sorted({type(r[1]).__name__ for r in fetched.data})}
reader.finish()
emit(json.loads(json.dumps(result, default=str)))
