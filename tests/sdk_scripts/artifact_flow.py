"""The whole artifact flow under one wandb version; prints what it observed as RESULT.

argv: PROJECT WORKDIR. Logs versions (files, a directory, many files, a large file, file:// references (s3:// ones are
checked at the GraphQL level: the SDK needs boto3 and network for them), metadata, description, tags, TTL, aliases), logs identical content again
(dedup), uses and downloads versions in another run, then drives the Public API: lookups,
listings, alias edits, save(), lineage, linking into a portfolio and deletion.
"""

import datetime
import hashlib
import json
import os
import shutil
import sys

import wandb

from sdk_common import emit

PROJECT, WORK = sys.argv[1], sys.argv[2]
SRC = os.path.join(WORK, "src")
LARGE_BYTES = 12 * 1024 * 1024
MANY = 40


def md5_hex(path):
    with open(path, "rb") as handle:
        return hashlib.md5(handle.read()).hexdigest()


def tree_digest(root):
    """{relative path: md5 hex} of every file under root."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = md5_hex(path)
    return found


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


# Content unique to this project, so each run's uploads can be told apart in a shared store.
rng = __import__("random").Random(PROJECT)
write(os.path.join(SRC, "a.txt"), f"hello artifact of {PROJECT}\n".encode())
write(os.path.join(SRC, "dir", "b.bin"), bytes(rng.getrandbits(8) for _ in range(300_000)))
write(os.path.join(SRC, "dir", "nested", "c.json"), json.dumps({"x": 1}).encode())
for i in range(MANY):
    write(os.path.join(SRC, "many", f"f{i:03d}.txt"), f"small file {i} of {PROJECT}\n".encode())
write(os.path.join(WORK, "large.bin"), os.urandom(LARGE_BYTES))
write(os.path.join(WORK, "referenced.txt"), f"known by reference in {PROJECT}\n".encode())
result = {"version": wandb.__version__}
v031 = wandb.__version__.startswith("0.31")


def build(name="ds", content=None):
    artifact = wandb.Artifact(name, type="dataset", description="the first dataset",
                              metadata={"rows": 3, "source": "unit"})
    artifact.add_file(os.path.join(SRC, "a.txt"))
    artifact.add_dir(os.path.join(SRC, "dir"), name="dir")
    artifact.add_dir(os.path.join(SRC, "many"), name="many")
    artifact.add_reference("file://" + os.path.join(WORK, "referenced.txt"), name="ref.txt")
    if content is not None:
        with artifact.new_file("extra.txt") as handle:
            handle.write(content + PROJECT)
    return artifact


# -- logging -----------------------------------------------------------------------------------
run1 = wandb.init(project=PROJECT, job_type="producer")
first = build()
first.ttl = datetime.timedelta(days=30)
logged = run1.log_artifact(first, aliases=["best"], tags=["raw"])
logged.wait()
result["v0"] = {"version": logged.version, "digest": logged.digest, "id": logged.id}

again = run1.log_artifact(build())  # identical content: no new version, no upload
again.wait()
result["again"] = {"version": again.version, "id": again.id}

changed = run1.log_artifact(build(content="new content of "), aliases=["candidate"])
changed.wait()
result["v1"] = {"version": changed.version, "id": changed.id}

model = wandb.Artifact("weights", type="model")
model.add_file(os.path.join(WORK, "large.bin"))
model_logged = run1.log_artifact(model)
model_logged.wait()
result["model"] = {"version": model_logged.version, "size": model_logged.size}
run1_path = f"{run1.entity}/{run1.project}/{run1.id}"
result["entity"] = run1.entity
run1.finish()

# -- using and downloading ---------------------------------------------------------------------
run2 = wandb.init(project=PROJECT, job_type="consumer")
used = run2.use_artifact("ds:v0")
download_root = used.download(root=os.path.join(WORK, "download-v0"))
result["downloaded_v0"] = tree_digest(download_root)
result["source_digests"] = tree_digest(SRC)
entry_path = used.get_entry("a.txt").download(root=os.path.join(WORK, "entry"))
result["entry_bytes"] = open(entry_path, "rb").read().decode()
latest = run2.use_artifact("ds:latest")
result["latest_version"] = latest.version
result["latest_extra"] = open(os.path.join(latest.download(root=os.path.join(WORK, "dl-latest")),
                                           "extra.txt")).read()
big = run2.use_artifact("weights:latest")
big_root = big.download(root=os.path.join(WORK, "download-big"))
result["large_ok"] = md5_hex(os.path.join(big_root, "large.bin")) == md5_hex(
    os.path.join(WORK, "large.bin"))
ref_entry = used.get_entry("ref.txt")
result["reference"] = {"ref": ref_entry.ref, "digest": ref_entry.digest}
# Incremental versions: a draft of v1, and a manifest of only the new entries.
draft = wandb.Api().artifact(f"{run2.entity}/{PROJECT}/ds:v1").new_draft()
write(os.path.join(WORK, "draft.txt"), f"added by a draft in {PROJECT}\n".encode())
draft.add_file(os.path.join(WORK, "draft.txt"))
draft.remove("a.txt")
run2.log_artifact(draft).wait()
increment = wandb.Artifact("ds", type="dataset", incremental=True)
write(os.path.join(WORK, "inc.txt"), f"one more file in {PROJECT}\n".encode())
increment.add_file(os.path.join(WORK, "inc.txt"))
run2.log_artifact(increment).wait()
run2_path = f"{run2.entity}/{run2.project}/{run2.id}"
run2.finish()

# -- Public API --------------------------------------------------------------------------------
api = wandb.Api()
base = f"{result['entity']}/{PROJECT}"
current = api.artifact(f"{base}/ds:candidate")
result["api_candidate"] = {"version": current.version, "aliases": sorted(current.aliases),
                        "metadata": current.metadata, "description": current.description,
                        "type": current.type, "file_count": current.file_count}
v0 = api.artifact(f"{base}/ds:v0")
result["api_v0"] = {"aliases": sorted(v0.aliases), "digest": v0.digest,
                    "ttl_days": v0.ttl.days if v0.ttl else None,
                    "tags": sorted(getattr(v0, "tags", []) or [])}
result["by_alias"] = api.artifact(f"{base}/ds:best").version
result["versions"] = sorted(a.version for a in api.artifacts("dataset", f"{base}/ds"))
result["types"] = sorted(t.name for t in api.artifact_types(project=base))
result["collections"] = sorted(c.name for c in api.artifact_collections(base, "dataset"))
result["files"] = sorted(f.name for f in v0.files())

v0.aliases.append("golden")
v0.description = "edited"
v0.metadata = {"rows": 4}
v0.save()
reread = api.artifact(f"{base}/ds:v0")
result["after_save"] = {"aliases": sorted(reread.aliases), "description": reread.description,
                        "metadata": reread.metadata}
reread.aliases.remove("golden")
reread.save()
result["after_remove"] = sorted(api.artifact(f"{base}/ds:v0").aliases)

producer = api.run(run1_path)
consumer = api.run(run2_path)
result["logged_by_run1"] = sorted(a.name for a in producer.logged_artifacts())
result["used_by_run2"] = sorted(a.name for a in consumer.used_artifacts())
result["used_by"] = sorted(r.id for r in api.artifact(f"{base}/ds:v0").used_by())
logged_by = api.artifact(f"{base}/ds:v0").logged_by()
result["logged_by"] = logged_by.id if logged_by else None

linked = api.artifact(f"{base}/ds:v1")
linked.link(f"{base}/portfolio", aliases=["production"])
in_portfolio = api.artifact(f"{base}/portfolio:production")
result["portfolio"] = {"digest": in_portfolio.digest, "source_digest": linked.digest}

drafted = api.artifact(f"{base}/ds:v2")
incremented = api.artifact(f"{base}/ds:v3")
result["draft"] = {"has_draft": "draft.txt" in {f.name for f in drafted.files()},
                   "has_a": "a.txt" in {f.name for f in drafted.files()},
                   "count": drafted.file_count}
inc_root = incremented.download(root=os.path.join(WORK, "dl-inc"))
result["incremental"] = {"count": incremented.file_count,
                         "inc": open(os.path.join(inc_root, "inc.txt")).read(),
                         "draft": open(os.path.join(inc_root, "draft.txt")).read()}


parts = []
for index, (piece, finish) in enumerate((("first", False), ("last", True))):
    write(os.path.join(WORK, "dist", f"{piece}.txt"), f"{piece} part of {PROJECT}\n".encode())
    worker = wandb.init(project=PROJECT, group="distributed", job_type=f"worker{index}")
    shard = wandb.Artifact("sharded", type="dataset")
    shard.add_file(os.path.join(WORK, "dist", f"{piece}.txt"))
    if finish:
        worker.finish_artifact(shard, distributed_id="shards-1").wait()
    else:
        worker.upsert_artifact(shard, distributed_id="shards-1").wait()
    worker.finish()
sharded = api.artifact(f"{base}/sharded:latest")
shard_root = sharded.download(root=os.path.join(WORK, "dl-sharded"))
result["distributed"] = {"version": sharded.version, "files": sorted(os.listdir(shard_root))}

shutil.rmtree(os.path.join(WORK, "download-v0"))
api.artifact(f"{base}/ds:v0").delete(delete_aliases=True)
try:
    api.artifact(f"{base}/ds:v0")
    result["deleted_gone"] = False
except Exception:  # noqa: BLE001 - any failure to find it is what the test wants
    result["deleted_gone"] = True
result["versions_after_delete"] = sorted(a.version for a in api.artifacts("dataset", f"{base}/ds"))
emit(result)
