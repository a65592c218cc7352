"""Change runs through wandb.Api() (either version) and read the changes back.

    read_api_edit.py ENTITY PROJECT

run.update() of config, summary, tags, notes, name, group and job type (on r1); upload_file
(r1); api.create_run(); run.delete() (r2). Prints RESULT with what a fresh Api reads back.
"""

import os
import sys
import tempfile

import wandb
from sdk_common import emit

entity, project = sys.argv[1], sys.argv[2]
path = f"{entity}/{project}"
suffix = os.environ["READ_SUFFIX"]
out: dict = {}

api = wandb.Api(timeout=60)
run = api.run(f"{path}/r1-{suffix}")
run.config["lr"] = 0.55
run.config["added"] = {"x": 1}
run.tags = run.tags + ["edited"]
run.notes = "edited notes"
run.name = "renamed"
run.group = "g-edited"
run.job_type = "jt-edited"
run.summary["best"] = 99
run.summary["extra"] = "yes"
run.update()

directory = tempfile.mkdtemp()
with open(os.path.join(directory, "uploaded.txt"), "w") as handle:
    handle.write("uploaded through the Public API\n")
uploaded = run.upload_file(os.path.join(directory, "uploaded.txt"), root=directory)
out["uploaded"] = {"name": uploaded.name, "size": uploaded.size}

fresh = wandb.Api(timeout=60)
again = fresh.run(f"{path}/r1-{suffix}")
out["updated"] = {"config": again.config, "summary_best": again.summary.get("best"),
                  "summary_extra": again.summary.get("extra"), "tags": again.tags,
                  "notes": again.notes, "name": again.name, "group": again.group,
                  "job_type": again.job_type,
                  "files": sorted(f.name for f in again.files())}
out["found_by_new_values"] = sorted(r.id for r in fresh.runs(path, filters={
    "$and": [{"config.lr": 0.55}, {"summary_metrics.best": 99}, {"tags": "edited"},
             {"display_name": "renamed"}, {"group": "g-edited"}]}))

created = fresh.create_run(project=project, entity=entity)
out["created"] = {"id": created.id, "state": created.state,
                  "found": fresh.run(f"{path}/{created.id}").id}

victim = fresh.run(f"{path}/r2-{suffix}")
out["victim_storage_id"] = victim.storage_id
victim.delete()
after = wandb.Api(timeout=60)
out["after_delete"] = sorted(r.id for r in after.runs(path))
try:
    after.run(f"{path}/r2-{suffix}").state
    out["deleted_lookup"] = "still found"
except Exception as exc:
    out["deleted_lookup"] = f"{type(exc).__name__}: {exc}"
emit(out)
