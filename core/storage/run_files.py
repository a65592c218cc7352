"""Storage area ``run_files``: the records of files a run uploads (the bytes are the media
store's). A file record: ``{"id", "name", "key" (its media key), "size", "md5",
"mimetype", "updated_at", "uploaded"}``. A run id that is not one of the provider's ids
raises NotFound.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class RunFileStorage(ABC):
    @abstractmethod
    def register_run_files(self, run_id: str, names: list[str]) -> list[dict]:
        """Create (or keep) a file record per name, in the order of ``names``. A new record's
        media ``key`` holds a random part, so a new run that reuses a deleted run's id never
        reaches the old run's files."""

    @abstractmethod
    def mark_run_file_uploaded(self, key: str, size: int, md5: str) -> dict | None:
        """Record the upload of the file with media key ``key`` (size, md5, uploaded, now);
        return its record; None when no file has that key."""

    @abstractmethod
    def mark_run_files_present(self, run_id: str, names: list[str]) -> None:
        """Mark these files of the run uploaded (file_stream's ``uploaded`` list); names
        without a record are ignored."""

    @abstractmethod
    def list_run_files(self, run_id: str, names: list[str], after: str, first: int,
                       pattern: str) -> tuple[list[dict], bool, int]:
        """The run's uploaded files by name: only ``names`` when given, only those matching
        ``pattern`` (MySQL LIKE syntax, ``*`` as ``%``, any case) when given, after the name
        ``after``, at most ``first`` (0: all). Returns (page, has_next, total matching)."""

    @abstractmethod
    def get_run_file(self, run_id: str, name: str) -> dict | None:
        """The file record (uploaded or not); None when the run has no file of that name."""
