"""Ingest: the file_stream write path. One request's history, events, console lines, summary
and the files the SDK reports uploaded, checked and written in one storage call
(docs/ingest.md follows one request through).

The Core builds one ``Ingest`` (``core.ingest``) and gives it what it uses: the storage
provider, the hooks (``roost_run_finished``), the ``Authorizer`` and ``RunFiles`` (files
written straight to an object store). The StorageService servicer calls it.
"""

from __future__ import annotations

from roost.core import history
from roost.core.auth import Principal
from roost.core.authorizer import Authorizer
from roost.core.run_files import RunFiles, check_run_file_name

FINISHED_FIELDS = ("entity", "project", "name", "state")


class Ingest:
    def __init__(self, storage, pm, authorizer: Authorizer, run_files: RunFiles):
        self.storage = storage
        self.pm = pm
        self.authorizer = authorizer
        self.run_files = run_files

    def write_file_stream(self, principal: Principal, entity: str, project: str, name: str,
                          files: dict[str, tuple[int, list[str]]], uploaded: list[str],
                          complete: bool, exitcode: int | None, preempting: bool) -> dict:
        run = self.authorizer.run(principal, entity, project, name, "run:write")
        for file_name in uploaded:
            check_run_file_name(file_name)
        update = history.build_update(files, uploaded, complete, exitcode, preempting)
        updated = self.storage.apply_file_stream(run["id"], update)
        self.run_files.record_direct_uploads(run["id"], uploaded)
        if complete:
            self.pm.hook.roost_run_finished(run={k: updated[k] for k in FINISHED_FIELDS},
                                            exitcode=exitcode)
        return updated
