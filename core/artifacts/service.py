"""ArtifactService: every artifact operation the front may ask for, with its permission check.

The Core builds one (``core.artifacts``); the gRPC servicer and the CLI call it. Checks use
the ``Authorizer``'s ``check(principal, "artifact:read"|"artifact:write"|"artifact:delete",
{"entity", "project"})``, the same call every other area makes.
"""

from __future__ import annotations

import logging
import threading
import time

from roost.core.artifacts import blobs
from roost.core.artifacts.uploads import ArtifactUploads, check_alias, check_collection_name
from roost.core.auth import Principal
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from roost.core.leader import LeaderJob
from roost.core.metrics import count_gc_round

log = logging.getLogger("roost.artifacts")

MAX_PAGE = 5000
# A version left PENDING this long was abandoned: garbage collection deletes it and frees
# what it uploaded.
ABANDONED_AFTER_SECONDS = 7 * 24 * 3600
GC_BATCH = 1000


class ArtifactService(ArtifactUploads):
    def __init__(self, storage, media, config, authorizer):
        self.storage = storage
        self.media = media
        self.config = config
        self.authorizer = authorizer

    # -- checks ------------------------------------------------------------------------------
    def _project_access(self, principal: Principal, action: str, entity: str,
                        project: str) -> None:
        self.authorizer.check(principal, action, {"entity": entity, "project": project})

    def _authorize_artifact(self, principal: Principal, artifact_id: str, action: str,
                            live: bool = True) -> dict:
        artifact = self.storage.get_artifact(artifact_id)
        if artifact is None or (live and artifact["state"] == "DELETED"):
            raise NotFound(f"artifact {artifact_id} does not exist")
        self._project_access(principal, action, artifact["entity"], artifact["project"])
        return artifact

    def _with_urls(self, artifact: dict, base_url: str) -> dict:
        if artifact.get("manifest_key") and base_url:
            artifact["manifest_url"] = self.media.download_url(
                artifact["manifest_key"], base_url, self.config.url_expiry)
        return artifact

    # -- reading -----------------------------------------------------------------------------
    def get_artifact(self, principal: Principal, artifact_id: str, base_url: str = "") -> dict:
        return self._with_urls(self._authorize_artifact(principal, artifact_id, "artifact:read"),
                               base_url)

    def get_membership(self, principal: Principal, entity: str, project: str, collection: str,
                       alias: str, base_url: str = "") -> dict:
        entity = entity or principal.default_entity
        self._project_access(principal, "artifact:read", entity, project)
        if not alias and ":" in collection:
            collection, alias = collection.rsplit(":", 1)
        membership = self.storage.get_membership(entity, project, collection, alias or "latest")
        if membership is None:
            raise NotFound(f"artifact {entity}/{project}/{collection}:{alias or 'latest'} "
                           "does not exist")
        self._with_urls(membership["artifact"], base_url)
        return membership

    def list_memberships(self, principal: Principal, artifact_id: str) -> list[dict]:
        self._authorize_artifact(principal, artifact_id, "artifact:read")
        return [m for m in self.storage.list_memberships(artifact_id)
                if self._may(principal, "artifact:read", m["collection"])]

    def _may(self, principal: Principal, action: str, where: dict) -> bool:
        try:
            self._project_access(principal, action, where["entity"], where["project"])
        except (PermissionDenied, NotFound, Unauthenticated):
            return False
        return True

    def list_artifacts(self, principal: Principal, entity: str, project: str, collection: str,
                       type_name: str, run: str, direction: str, after: str,
                       first: int) -> tuple[list[dict], bool, int]:
        entity = entity or principal.default_entity
        first = min(first or 50, MAX_PAGE)
        run_id = None
        if run:
            self.authorizer.check(principal, "run:read", {"entity": entity, "project": project})
            found = self.storage.get_run(entity, project, run)
            if found is None:
                raise NotFound(f"run {entity}/{project}/{run} does not exist")
            run_id = found["id"]
        else:
            self._project_access(principal, "artifact:read", entity, project)
        records, has_next, total = self.storage.list_artifacts(
            entity, project, collection, type_name or None, run_id, direction, after, first)
        if run_id:  # a run may have used artifacts from other projects
            records = [r for r in records if self._may(principal, "artifact:read", r)]
        return records, has_next, total

    def list_files(self, principal: Principal, artifact_id: str, names: list[str], after: str,
                   first: int, base_url: str) -> tuple[list[dict], bool, int]:
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:read")
        files, has_next, total = self.storage.artifact_files(artifact_id, names, after,
                                                             min(first or 50, MAX_PAGE))
        ttl = self.config.url_expiry
        for record in files:
            record["storage_path"] = blobs.blob_key(record["blob_md5"]) if record["blob_md5"] else ""
            # References (s3://, file://) have no bytes here: the client fetches them itself.
            record["direct_url"] = (self.media.download_url(record["storage_path"], base_url, ttl)
                                    if record["blob_md5"] and artifact["state"] == "COMMITTED"
                                    else record["ref"])
            record["updated_at"] = artifact["updated_at"]
        return files, has_next, total

    def get_collection(self, principal: Principal, collection_id: str = "", entity: str = "",
                       project: str = "", name: str = "", type_name: str = "") -> dict:
        found = self.storage.get_collection(collection_id or None, entity, project, name)
        if found is None or (type_name and found["type"] != type_name):
            raise NotFound(f"artifact collection {name or collection_id!r} does not exist")
        self._project_access(principal, "artifact:read", found["entity"], found["project"])
        return found

    def list_collections(self, principal: Principal, entity: str, project: str, type_name: str,
                         after: str, first: int) -> tuple[list[dict], bool, int]:
        self._project_access(principal, "artifact:read", entity, project)
        return self.storage.list_collections(entity, project, type_name or None, after,
                                             min(first or 50, MAX_PAGE))

    def list_types(self, principal: Principal, entity: str, project: str) -> list[dict]:
        self._project_access(principal, "artifact:read", entity, project)
        return self.storage.list_artifact_types(entity, project)

    def list_users(self, principal: Principal, artifact_id: str) -> list[dict]:
        self._authorize_artifact(principal, artifact_id, "artifact:read")
        return [r for r in self.storage.artifact_users(artifact_id)
                if self._may(principal, "run:read", r)]

    def resolve_client_id(self, principal: Principal, client_id: str) -> str | None:
        server_id = self.storage.resolve_client_id(client_id)
        if server_id is None:
            return None
        artifact = self.storage.get_artifact(server_id)
        where = artifact or self.storage.get_collection(server_id)
        if where is None or not self._may(principal, "artifact:read", where):
            return None
        return server_id

    # -- lineage -----------------------------------------------------------------------------
    def use_artifact(self, principal: Principal, entity: str, project: str, run: str,
                     artifact_id: str, used_as: str) -> dict:
        entity = entity or principal.default_entity
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:read")
        self.authorizer.check(principal, "run:write", {"entity": entity, "project": project})
        found = self.storage.get_run(entity, project, run)
        if found is None:
            raise NotFound(f"run {entity}/{project}/{run} does not exist")
        self.storage.use_artifact(found["id"], artifact_id, used_as)
        return artifact

    # -- changing ----------------------------------------------------------------------------
    def _alias_pairs(self, principal: Principal, artifact: dict,
                     aliases: list[dict]) -> list[tuple[str, str]]:
        pairs = []
        for item in aliases:
            check_alias(item["alias"])
            entity = item.get("entity") or artifact["entity"]
            project = item.get("project") or artifact["project"]
            name = item.get("collection") or artifact["collection"]
            collection = self.storage.get_collection(None, entity, project, name)
            if collection is None:
                raise NotFound(f"artifact collection {entity}/{project}/{name} does not exist")
            self._project_access(principal, "artifact:write", entity, project)
            if not any(m["collection"]["id"] == collection["id"]
                       for m in self.storage.list_memberships(artifact["id"])):
                raise InvalidArgument(f"this artifact is not in collection {name!r}")
            pairs.append((collection["id"], item["alias"]))
        return pairs

    def update_artifact(self, principal: Principal, artifact_id: str, fields: dict,
                        aliases: list[dict] | None) -> dict:
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:write")
        from roost.core.artifacts.uploads import check_metadata
        check_metadata(fields.get("metadata"))
        if aliases is not None:
            pairs = self._alias_pairs(principal, artifact, aliases)
            self.storage.set_aliases(artifact_id, pairs, [],
                                     replace_in=[artifact["collection_id"]])
        return self.storage.update_artifact(artifact_id, fields)

    def edit_aliases(self, principal: Principal, artifact_id: str, add: list[dict],
                     remove: list[dict]) -> None:
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:write")
        self.storage.set_aliases(artifact_id, self._alias_pairs(principal, artifact, add),
                                 self._alias_pairs(principal, artifact, remove))

    def delete_artifact(self, principal: Principal, artifact_id: str,
                        delete_aliases: bool) -> None:
        artifact = self._authorize_artifact(principal, artifact_id, "artifact:delete")
        custom = [a for a in artifact["aliases"] if a["alias"] != "latest"]
        if custom and not delete_aliases:
            raise InvalidArgument(
                f"artifact {artifact['collection']}:v{artifact['version_index']} has aliases "
                f"({', '.join(a['alias'] for a in custom)}); remove them first or delete with "
                "delete_aliases=True")
        self._drop(artifact_id)

    def _drop(self, artifact_id: str) -> None:
        for key in self.storage.delete_artifact(artifact_id):
            self.media.delete(key)
        self.media.delete(f"{blobs.MANIFEST_PREFIX}{artifact_id}/current.json")

    def link_artifact(self, principal: Principal, artifact_id: str, client_id: str,
                      entity: str, project: str, portfolio: str, portfolio_id: str,
                      aliases: list[str]) -> dict:
        if not artifact_id and client_id:
            artifact_id = self.storage.resolve_client_id(client_id) or ""
        if not artifact_id:
            raise NotFound("link_artifact needs the id of a logged artifact")
        self._authorize_artifact(principal, artifact_id, "artifact:read")
        if portfolio_id:
            target = self.storage.get_collection(portfolio_id)
            if target is None:
                raise NotFound(f"no artifact collection with id {portfolio_id}")
            entity, project, portfolio = target["entity"], target["project"], target["name"]
        entity = entity or principal.default_entity
        check_collection_name(portfolio)
        for alias in aliases:
            check_alias(alias)
        self._project_access(principal, "artifact:write", entity, project)
        return self.storage.link_artifact(artifact_id, entity, project, portfolio, aliases)

    def unlink_artifact(self, principal: Principal, artifact_id: str, portfolio_id: str) -> None:
        target = self.storage.get_collection(portfolio_id)
        if target is None:
            raise NotFound(f"no artifact collection with id {portfolio_id}")
        self._project_access(principal, "artifact:write", target["entity"], target["project"])
        self.storage.unlink_artifact(artifact_id, portfolio_id)

    def update_collection(self, principal: Principal, collection_id: str, fields: dict) -> dict:
        found = self.get_collection(principal, collection_id)
        self._project_access(principal, "artifact:write", found["entity"], found["project"])
        if fields.get("name"):
            check_collection_name(fields["name"])
        return self.storage.update_collection(collection_id, fields)

    def delete_collection(self, principal: Principal, collection_id: str) -> dict:
        found = self.get_collection(principal, collection_id)
        self._project_access(principal, "artifact:delete", found["entity"], found["project"])
        for key in self.storage.delete_collection(collection_id):
            self.media.delete(key)
        return found | {"state": "DELETED"}

    # -- the authenticated fallback download -------------------------------------------------
    def resolve_download(self, principal: Principal, entity: str, md5_hex: str, project: str,
                         artifact_ids: list[str], base_url: str) -> str:
        """A signed URL for the blob, when the caller may read a live version holding it."""
        if not blobs.BLOB_KEY.match(blobs.blob_key(md5_hex)):
            raise InvalidArgument(f"{md5_hex!r} is not a hex MD5 digest")
        found = None
        ids = [a for a in artifact_ids if a]
        if ids:
            for artifact_id in ids:
                artifact = self.storage.get_artifact(artifact_id)
                if artifact is None or artifact["entity"] != entity:
                    continue
                if project and artifact["project"] != project:
                    continue
                candidate = self.storage.find_file_by_blob([artifact_id], None, md5_hex)
                if candidate is None:
                    # The birth artifact may be gone while a later version holds the bytes.
                    candidate = self.storage.find_file_by_blob(None, entity, md5_hex)
                if candidate and self._may(principal, "artifact:read", candidate):
                    found = candidate
                    break
        else:
            candidate = self.storage.find_file_by_blob(None, entity, md5_hex)
            if candidate and self._may(principal, "artifact:read", candidate):
                found = candidate
        if found is None:
            raise NotFound(f"no artifact file with digest {md5_hex} that you may read in "
                           f"entity {entity!r}")
        return self.media.download_url(blobs.blob_key(md5_hex), base_url, self.config.url_expiry)

    # -- garbage collection ------------------------------------------------------------------
    def collect_garbage(self, principal: Principal | None, dry_run: bool = False) -> dict:
        """Delete expired and abandoned versions, then every blob no version holds.

        ``principal`` None is the local operator (``roost gc``); over gRPC only an admin may.
        """
        if principal is not None and not principal.admin:
            raise PermissionDenied("only an admin may run garbage collection")
        now = time.time()
        report = {"blobs_deleted": 0, "bytes_freed": 0, "artifacts_expired": 0}
        for artifact_id in self.storage.expired_artifacts(now, now - ABANDONED_AFTER_SECONDS):
            report["artifacts_expired"] += 1
            if not dry_run:
                self._drop(artifact_id)
        seen: set[str] = set()
        while True:
            batch = [b for b in self.storage.garbage_blobs(GC_BATCH) if b["md5"] not in seen]
            if not batch:
                break
            for blob in batch:
                seen.add(blob["md5"])
                if dry_run or self.storage.forget_blob(blob["md5"]):
                    report["blobs_deleted"] += 1
                    report["bytes_freed"] += blob["size"]
                    if not dry_run:
                        self.media.delete(blobs.blob_key(blob["md5"]))
            if dry_run:
                break
        if report["blobs_deleted"] or report["artifacts_expired"]:
            log.info("garbage collection: %s", report)
        return report

    def start_periodic_gc(self, interval: float) -> threading.Event | None:
        """Collect garbage every ``interval`` seconds on a daemon thread; set the event to stop.
        Of several cores on one database, one collects each round (core/leader.py)."""
        if not interval or interval <= 0:
            return None
        return LeaderJob(self.storage, "gc", interval,
                         lambda: count_gc_round(self.collect_garbage(None))).start()
