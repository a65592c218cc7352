"""The artifact part of the Storage interface: what a storage plugin provides for artifacts.

Records are plain dicts whose keys are the field names of the messages in
``protos/artifacts.proto`` (``Artifact``, ``Collection``, ``Membership``, ``ArtifactFile``,
``Alias``); a storage plugin mixes this interface into its :class:`roost.core.storage.Storage`.
Permission checks are the core's; these methods only read and write consistently (each
write is one transaction).

Ids are strings. ``entity``/``project`` are names. A collection is a ``sequence`` (versions
are born there) or a ``portfolio`` (versions are linked there). A version is found by
``alias`` in a collection, where ``v3`` means version index 3 and a 32-character hex string
means the version with that digest.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class ArtifactStorage(ABC):
    # -- logging a version -------------------------------------------------------------------
    @abstractmethod
    def create_artifact(self, entity: str, project: str, type_name: str, collection: str,
                        run_id: str | None, fields: dict[str, Any], dedup: bool,
                        client_id: str, sequence_client_id: str) -> tuple[dict, bool]:
        """Create a PENDING version in the sequence ``collection`` (created with its type and
        the project when missing); returns (artifact, created).

        ``fields``: digest, description, metadata, aliases (list of alias names applied at
        commit), tags, ttl_duration_seconds, history_step, distributed_id. Returns the
        existing version instead when ``client_id`` is already known, when a PENDING version
        has the same distributed_id, or (with ``dedup``) when a COMMITTED version has the same
        digest, in which case the aliases are applied to it now. InvalidArgument when the
        collection exists with another type.
        """

    @abstractmethod
    def get_artifact(self, artifact_id: str) -> dict | None:
        """The version record (any state) by id, with its aliases; None when unknown
        (including a malformed id)."""

    @abstractmethod
    def create_manifest(self, artifact_id: str, name: str, kind: str, digest: str,
                        base_artifact_id: str | None) -> dict:
        """A manifest record ``{"id", "artifact_id", "name", "kind", "digest", "key"}``."""

    @abstractmethod
    def get_manifest(self, manifest_id: str) -> dict | None:
        """The manifest record by id; None when unknown."""

    @abstractmethod
    def update_manifest(self, manifest_id: str, digest: str | None,
                        base_artifact_id: str | None) -> dict:
        """Set the manifest's digest and/or base artifact (None: unchanged); return it.
        NotFound when unknown."""

    @abstractmethod
    def list_manifests(self, artifact_id: str) -> list[dict]:
        """The artifact's manifests, oldest first (PATCH manifests apply in that order)."""

    @abstractmethod
    def register_blobs(self, artifact_id: str, files: list[tuple[str, str]]) -> list[dict]:
        """For each ``(path, base64 md5)``: a blob record ``{"md5", "size", "stored",
        "birth_artifact_id"}`` (created, not stored and born in ``artifact_id``, when missing),
        in request order. The paths become the pending version's files, so the blobs are held
        (not garbage) until the commit replaces them with the manifest's entries."""

    @abstractmethod
    def get_blobs(self, md5_hexes: list[str]) -> dict[str, dict]:
        """``{md5 hex: blob record}`` for the blobs known among ``md5_hexes``; unknown ones are
        left out."""

    @abstractmethod
    def mark_blob_stored(self, md5_hex: str, size: int) -> None:
        """Record that the blob's bytes are in the media store, with their size."""

    @abstractmethod
    def commit_artifact(self, artifact_id: str, entries: list[dict], digest: str,
                        manifest_key: str) -> dict:
        """Make the version COMMITTED: assign the sequence's next version index, replace its
        file table with ``entries`` (dicts: path, digest, size, ref, blob_md5,
        birth_artifact_id, extra, mimetype), move ``latest``, apply the pending aliases."""

    @abstractmethod
    def artifact_files(self, artifact_id: str, names: list[str], after: str,
                       first: int) -> tuple[list[dict], bool, int]:
        """Files ordered by path: (page, has_next, total)."""

    @abstractmethod
    def find_file_by_blob(self, artifact_ids: list[str] | None, entity: str | None,
                          md5_hex: str) -> dict | None:
        """A file holding the blob, in one of the artifacts or (with ``entity``) in any live
        version of that entity's projects; with its ``artifact_id``, ``entity``, ``project``."""

    # -- reading -----------------------------------------------------------------------------
    @abstractmethod
    def get_membership(self, entity: str, project: str, collection: str,
                       alias: str) -> dict | None:
        """The membership of the version that ``alias`` names in the collection (an alias
        name, ``v<index>`` or a digest), with its ``artifact_id`` and ``collection_id``;
        None when the collection or the alias does not exist."""

    @abstractmethod
    def list_memberships(self, artifact_id: str) -> list[dict]:
        """Every collection the version belongs to (its sequence and portfolios), with the
        version index there and the aliases."""

    @abstractmethod
    def list_artifacts(self, entity: str, project: str, collection: str | None,
                       type_name: str | None, run_id: str | None, direction: str,
                       after: str, first: int) -> tuple[list[dict], bool, int]:
        """COMMITTED versions of a collection (newest first, each with ``membership_version``),
        or the ones a run logged (``output``) or used (``input``)."""

    @abstractmethod
    def get_collection(self, collection_id: str | None = None, entity: str = "",
                       project: str = "", name: str = "") -> dict | None:
        """A collection by id, or by entity/project/name; None when unknown."""

    @abstractmethod
    def list_collections(self, entity: str, project: str, type_name: str | None,
                         after: str, first: int) -> tuple[list[dict], bool, int]:
        """Collections of the project (of one type when ``type_name``), after the cursor
        ``after``, at most ``first``: (page, has_next, total)."""

    @abstractmethod
    def list_artifact_types(self, entity: str, project: str) -> list[dict]:
        """The project's artifact types: ``{"id", "name", ...}``, by name."""

    @abstractmethod
    def artifact_users(self, artifact_id: str) -> list[dict]:
        """Runs that used the version: ``{"id", "entity", "project", "project_id", "name"}``."""

    @abstractmethod
    def resolve_client_id(self, client_id: str) -> str | None:
        """The id of the version created with this client id; None when unknown."""

    # -- changing ----------------------------------------------------------------------------
    @abstractmethod
    def use_artifact(self, run_id: str, artifact_id: str, used_as: str) -> None:
        """Record that the run used (``used_as``: the name it used) the version; using it
        again is not a second record."""

    @abstractmethod
    def update_artifact(self, artifact_id: str, fields: dict[str, Any]) -> dict:
        """``fields`` may hold description, metadata, ttl_duration_seconds, tags_to_add,
        tags_to_delete."""

    @abstractmethod
    def set_aliases(self, artifact_id: str, add: list[tuple[str, str]],
                    remove: list[tuple[str, str]], replace_in: list[str] | None = None) -> None:
        """Add/remove ``(collection_id, alias)`` pairs; an added alias moves from whichever
        version had it. ``replace_in``: collection ids whose aliases on this version become
        exactly the added ones."""

    @abstractmethod
    def delete_artifact(self, artifact_id: str) -> list[str]:
        """Mark the version DELETED and drop its files, memberships and aliases; return the
        media keys of its manifests (its blobs are freed by garbage collection)."""

    @abstractmethod
    def link_artifact(self, artifact_id: str, entity: str, project: str, portfolio: str,
                      aliases: list[str]) -> dict:
        """Add the version to a portfolio (created when missing); return the membership."""

    @abstractmethod
    def unlink_artifact(self, artifact_id: str, portfolio_id: str) -> None:
        """Remove the version from the portfolio (its aliases there go too)."""

    @abstractmethod
    def update_collection(self, collection_id: str, fields: dict[str, Any]) -> dict:
        """Set name, description and/or tags (``tags_to_add``/``tags_to_delete``) of a
        collection; return it. NotFound when unknown, AlreadyExists for a taken name."""

    @abstractmethod
    def delete_collection(self, collection_id: str) -> list[str]:
        """Delete the collection; a sequence's versions too. Returns manifest media keys."""

    # -- garbage -----------------------------------------------------------------------------
    @abstractmethod
    def expired_artifacts(self, now: float, pending_before: float) -> list[str]:
        """Ids of committed versions whose TTL has run out, and of PENDING versions created
        before ``pending_before`` (abandoned uploads)."""

    @abstractmethod
    def garbage_blobs(self, limit: int) -> list[dict]:
        """Blobs (``{"md5", "size", "stored"}``) no file row references."""

    @abstractmethod
    def forget_blob(self, md5_hex: str) -> bool:
        """Delete the blob row if it is still unreferenced; False if it is referenced again."""
