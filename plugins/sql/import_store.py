"""The `imports` storage area on SQL (contract: roost.core.storage.imports): what `roost
import` needs beyond what the SDK's write path offers.

The import state table remembers, per source server and object (run, artifact version,
sweep), what was imported and in which state, so a second import brings only what changed and
an interrupted one continues (docs/import.md). The other methods set what a client may never
set: a run's times, user and state as the source recorded them, and an artifact version's
creation time and version index.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from roost.core.errors import NotFound
from roost.plugins.sql import run_search
from roost.plugins.sql.artifact_models import Artifact, ArtifactCollection, ArtifactMembership
from roost.plugins.sql.area import SqlArea
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.import_models import ImportRecord
from roost.plugins.sql.models import Run, User


# Run columns an import may set to the source's values.
RUN_IMPORT_COLUMNS = ("created_at", "heartbeat_at", "updated_at", "state", "exitcode",
                      "summary", "system_metrics", "user")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _record_dict(record: ImportRecord) -> dict:
    return {"source_id": record.source_id, "target_id": record.target_id,
            "fingerprint": record.fingerprint, "complete": record.complete,
            "detail": json.loads(record.detail or "{}"), "updated_at": record.updated_at}


@connection_per_call
class ImportStore(SqlArea):

    def import_records(self, source: str, kind: str) -> dict[str, dict]:
        """Every record of this source and kind, by source id."""
        rows = ImportRecord.select().where(ImportRecord.scope == _digest(source, kind))
        return {row.source_id: _record_dict(row) for row in rows}

    def put_import_record(self, source: str, kind: str, source_id: str, target_id: str,
                          fingerprint: str, complete: bool, detail: dict | None = None) -> None:
        key = _digest(source, kind, source_id)
        values = {"target_id": target_id, "fingerprint": fingerprint, "complete": complete,
                  "detail": json.dumps(detail or {}), "updated_at": time.time()}
        with self.write():
            if not ImportRecord.update(values).where(ImportRecord.key == key).execute():
                ImportRecord.create(key=key, scope=_digest(source, kind), source=source,
                                    kind=kind, source_id=source_id, **values)

    def set_run_imported_fields(self, run_id: str, fields: dict[str, Any]) -> None:
        """Set a run's times, state, exit code, summary, system metrics and user (``user_id``)
        to what the source recorded."""
        values = {}
        for name, value in fields.items():
            column = "user" if name == "user_id" else name
            if column not in RUN_IMPORT_COLUMNS:
                raise ValueError(f"an import cannot set the run field {name!r}")
            values[column] = int(value) if column == "user" and value else value
        with self.write():
            if not Run.update(values).where(Run.id == int(run_id)).execute():
                raise NotFound(f"run {run_id} does not exist")
            if "summary" in values:
                run_search.index_run(int(run_id), summary=values["summary"])

    def users_by_email(self) -> dict[str, str]:
        """Lower-cased e-mail -> username of every user with an e-mail."""
        return {u.email.lower(): u.username for u in User.select(User.username, User.email)
                .where(User.email != "").order_by(User.id.desc())}

    def set_artifact_imported_fields(self, artifact_id: str, created_at: float,
                                     version_index: int | None) -> None:
        """Give an imported version its creation time and, when free, the version index it
        had in the source (a source whose versions were deleted has gaps)."""
        pk = int(artifact_id)
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == pk)
            if artifact is None:
                raise NotFound(f"artifact {artifact_id} does not exist")
            Artifact.update(created_at=created_at, committed_at=created_at).where(
                Artifact.id == pk).execute()
            if version_index is None:
                return
            taken = ArtifactMembership.select().where(
                (ArtifactMembership.collection == artifact.sequence_id)
                & (ArtifactMembership.version_index == version_index)
                & (ArtifactMembership.artifact != pk)).exists()
            if taken:
                return
            ArtifactMembership.update(version_index=version_index).where(
                (ArtifactMembership.collection == artifact.sequence_id)
                & (ArtifactMembership.artifact == pk)).execute()
            ArtifactCollection.update(next_version=version_index + 1).where(
                (ArtifactCollection.id == artifact.sequence_id)
                & (ArtifactCollection.next_version <= version_index)).execute()
