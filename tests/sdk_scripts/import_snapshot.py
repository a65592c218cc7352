"""Everything wandb.Api() reads of a project, for the import tests to compare two servers:

    import_snapshot.py ENTITY PROJECT [PROJECT...]

Runs (attributes, config, summary, the full scan_history, system metrics, files with MD5),
artifacts (digest, aliases, tags, metadata, files, which run logged and used them) and sweeps.
Server-local ids (storage ids, URLs) are left out: they differ between servers by design.
"""

import sys

import wandb
from sdk_common import emit

entity = sys.argv[1]
api = wandb.Api(timeout=60)


def run_snapshot(run) -> dict:
    attrs = run._attrs
    return {
        "id": run.id, "display_name": run.name, "state": run.state, "config": run.config,
        "summary": dict(run.summary._json_dict), "tags": sorted(run.tags), "notes": run.notes,
        "group": run.group, "job_type": run.job_type, "created_at": run.created_at,
        "heartbeat_at": attrs.get("heartbeatAt"), "user": (attrs.get("user") or {}).get("username"),
        "sweep": attrs.get("sweepName"), "history_line_count": attrs.get("historyLineCount"),
        "history": list(run.scan_history(page_size=1000)),
        "events": run.history(stream="events", samples=10000, pandas=False),
        "files": sorted((f.name, f.md5, f.size) for f in run.files()),
        "logged": sorted(a.name for a in run.logged_artifacts()),
        "used": sorted(a.name for a in run.used_artifacts()),
    }


def project_snapshot(project: str) -> dict:
    path = f"{entity}/{project}"
    out = {"runs": sorted((run_snapshot(r) for r in api.runs(path)), key=lambda r: r["id"])}
    artifacts = []
    for artifact_type in api.artifact_types(project=path):
        for collection in artifact_type.collections():
            for artifact in api.artifacts(artifact_type.name, f"{path}/{collection.name}"):
                creator = artifact.logged_by()
                artifacts.append({
                    "name": artifact.name, "type": artifact.type, "digest": artifact.digest,
                    "aliases": sorted(artifact.aliases),
                    "tags": sorted(getattr(artifact, "tags", [])),
                    "metadata": artifact.metadata, "description": artifact.description,
                    "files": sorted((p, e.digest, e.size)
                                    for p, e in artifact.manifest.entries.items()),
                    "logged_by": creator.id if creator else None,
                    "used_by": sorted(r.id for r in artifact.used_by())})
    out["artifacts"] = sorted(artifacts, key=lambda a: a["name"])
    out["sweeps"] = sorted(({"id": s.id, "config": dict(s.config), "state": s.state,
                             "runs": sorted(r.id for r in s.runs)}
                            for s in api.project(project, entity).sweeps()), key=lambda s: s["id"])
    return out


emit({project: project_snapshot(project) for project in sys.argv[2:]})
