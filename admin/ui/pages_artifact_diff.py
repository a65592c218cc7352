"""The difference between two versions of an artifact: their manifests compared by path
(added, removed, changed: another digest; unchanged ones counted), as the version page's
"Compare with" form asks for it."""

from __future__ import annotations

from flask import render_template, request

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_artifacts import _context, _resolve
from roost.admin.urls import base_url
from roost.core.errors import InvalidArgument, NotFound

PAGE = 1000
# Past this many files per version the comparison says it stopped, rather than read forever.
MAX_FILES = 20000


def manifest(artifact_id: str) -> tuple[dict[str, object], bool]:
    """path -> file of one version, and whether it held more than MAX_FILES."""
    files, after = {}, ""
    while len(files) < MAX_FILES:
        page = core().artifacts.files(me(), artifact_id=artifact_id, after=after, first=PAGE,
                                      base_url=base_url())
        files.update((f.name, f) for f in page.files)
        if not page.has_next_page or not page.files:
            return files, False
        after = page.end_cursor
    return files, True


def compare(old: dict, new: dict) -> dict:
    added = [new[p] for p in sorted(set(new) - set(old))]
    removed = [old[p] for p in sorted(set(old) - set(new))]
    changed = [(old[p], new[p]) for p in sorted(set(old) & set(new))
               if (old[p].digest, old[p].ref) != (new[p].digest, new[p].ref)]
    return {"added": added, "removed": removed, "changed": changed,
            "unchanged": len(set(old) & set(new)) - len(changed)}


@bp.get("/<entity:entity>/<project>/artifacts/<type>/<name>/<version>/diff")
def artifact_diff(entity: str, project: str, type: str, name: str, version: str):
    against = request.args.get("against", "").strip()
    if not against:
        raise InvalidArgument("name the version to compare with: diff?against=v0 (or an alias)")
    context = _context(entity, project)
    new, old = _resolve(entity, project, name, version), _resolve(entity, project, name, against)
    if type not in (new.artifact.type, "_"):
        raise NotFound(f"artifact {name}:{version} is a {new.artifact.type!r}, not a {type!r}")
    new_files, new_cut = manifest(new.artifact.id)
    old_files, old_cut = manifest(old.artifact.id)
    return render_template("ui/artifact_diff.html", new=new, old=old, type=new.artifact.type,
                           name=name, diff=compare(old_files, new_files),
                           truncated=new_cut or old_cut, max_files=MAX_FILES, **context)
