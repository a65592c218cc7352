"""The Core: what the gRPC servicers and the CLI call. It owns the providers and every check.

Servicers stay thin (decode, call a method here, encode); the CLI calls the same methods
in-process, so there is one place where permissions and validation live.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
import time
from typing import Any, Iterable, Iterator

from roost.core import auth, history
from roost.core.artifacts import blobs as artifact_blobs
from roost.core.artifacts.service import ArtifactService
from roost.core.auth import REJECT, Credentials, Principal
from roost.core.authorizer import Authorizer, present_run, stale_before
from roost.core.config import Config
from roost.core.errors import (InvalidArgument, NotFound, PermissionDenied, RoostError,
                               Unauthenticated)
from roost.core.identity import Identity
from roost.core.media import MediaStore, check_key
from roost.core.login_limits import LoginLimiter
from roost.core.storage import Storage, provide_storage
from roost.core.sweeps.service import SweepService
from roost.core.tenancy import Tenancy
from roost.core.ui_reads import UiReads

log = logging.getLogger("roost.core")
MD5_HEX = re.compile(r"[0-9a-f]{32}")

DEFAULT_PROJECT = "uncategorized"
# Public API pages: runs and projects per page, and rows per history read.
DEFAULT_PAGE, MAX_PAGE = 50, 1000
MAX_SAMPLES = 100_000
MAX_FILE_NAME = 512


def check_run_file_name(name: str) -> str:
    if not isinstance(name, str) or not name or len(name) > MAX_FILE_NAME:
        raise InvalidArgument(f"invalid file name {name!r}")
    try:
        return check_key(name)
    except InvalidArgument:
        raise InvalidArgument(
            f"invalid file name {name!r}: use a relative path without '..', '.', "
            "empty parts, backslashes or a leading '/'") from None


class Core:
    def __init__(self, config: Config, pm):
        self.config = config
        self.pm = pm
        self.storage: Storage = provide_storage(pm, config)
        self.media: MediaStore = pm.hook.roost_media_backend(config=config)
        if self.media is None:
            raise RuntimeError(f"no plugin provides the media store {config.media!r}")
        self.authorizer = Authorizer(self.storage, pm)
        # One service per area, each given what it uses; the Core keeps accounts and runs.
        self.tenancy = Tenancy(self.storage, self.media, pm, self.authorizer,
                               create_user=self.create_user, create_api_key=self.create_api_key)
        self.ui = UiReads(self.storage, self.authorizer)
        self.artifacts = ArtifactService(self.storage, self.media, config, self.authorizer)
        self.sweeps = SweepService(self.storage, config, self.authorizer)
        self.identity = Identity(self.storage, self.tenancy, self.authenticate, pm, config)
        self.login_limiter = LoginLimiter(int(config.get("login_max_failures", 10)),
                                          float(config.get("login_window_seconds", 300)))
        pm.hook.roost_startup(core=self)

    def close(self) -> None:
        self.storage.close()

    # -- first start -------------------------------------------------------------------------
    def bootstrap_admin(self) -> str | None:
        """Create the ``admin`` user with a random password when there are no users yet."""
        if self.storage.count_users():
            return None
        password = secrets.token_urlsafe(18)
        self.storage.create_user("admin", "", auth.hash_password(password), admin=True)
        return password

    # -- identity ----------------------------------------------------------------------------
    def authenticate(self, credentials: Credentials) -> Principal:
        if credentials.scheme == "share":
            # Share tokens are the core's own, not an auth plugin's: read-only, revocable.
            return self.tenancy.share_principal(credentials.secret)
        if credentials.scheme == "view_token":  # a report's view-only link
            from roost.core.views.tokens import principal as view_token_principal
            return view_token_principal(self.storage, credentials.secret)
        if not credentials.secret and credentials.scheme != "header":
            raise Unauthenticated("no credentials given")
        password = credentials.scheme == "password"
        if password:
            self.login_limiter.check(credentials.username, credentials.remote_addr)
        result = self.pm.hook.roost_authenticate(credentials=credentials, storage=self.storage)
        if result is None or result is REJECT:
            if password:
                self.login_limiter.failed(credentials.username, credentials.remote_addr)
            if credentials.scheme == "api_key":
                raise Unauthenticated(
                    "invalid API key: this server knows no such key (mistyped, revoked, or made "
                    "for another server); create one with `roost key create USER` or under "
                    "Settings in the web UI")
            raise Unauthenticated("invalid username or password")
        if password:
            self.login_limiter.succeeded(credentials.username)
        return result

    def _require_admin_or_self(self, principal: Principal | None, username: str) -> None:
        if not self.tenancy.may_manage_account(principal, username):
            raise PermissionDenied("only an admin may manage other users' accounts and keys")

    def create_user(self, principal: Principal | None, username: str, email: str = "",
                    password: str = "", admin: bool = False, audit: bool = True) -> dict:
        """``principal`` None means a local operator (the CLI on the server itself)."""
        if principal is not None:
            self.tenancy.require_admin(principal, "create users")
        auth.validate_name("user", username)
        if password and len(password) < 8:
            raise InvalidArgument("password must be at least 8 characters")
        if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise InvalidArgument(f"{email!r} is not an email address")
        user = self.storage.create_user(username, email,
                                        auth.hash_password(password) if password else None, admin)
        if audit:  # sign-ups through an invite or /register are recorded as such instead
            self.tenancy.audit.record(principal, "user.create", username, admin=admin,
                                      email=email)
        return user

    def get_user(self, username: str) -> dict:
        user = self.storage.get_user(username)
        if user is None:
            raise NotFound(f"user {username!r} does not exist")
        return user

    def read_user(self, principal: Principal, username: str) -> dict:
        """A user's account (email, admin flag, teams): for that user and admins only."""
        self._require_admin_or_self(principal, username)
        return self.get_user(username)

    def create_api_key(self, principal: Principal | None, username: str,
                       description: str = "", expires_at: float = 0.0) -> tuple[dict, str]:
        """A new key for ``username``; ``expires_at`` (epoch seconds, 0: never) ends it."""
        self._require_admin_or_self(principal, username)
        if expires_at and expires_at <= time.time():
            raise InvalidArgument("a key's expiry must be in the future")
        user = self.get_user(username)
        key = auth.generate_api_key(self.config.get("key_prefix", ""))
        record = self.storage.create_api_key(user["id"], auth.api_key_hash(key), auth.key_hint(key),
                                             description, expires_at or None)
        if principal is None or principal.username != username:
            self.tenancy.audit.record(principal, "api_key.create", username, key_id=record["id"])
        return record | {"username": username}, key

    def list_api_keys(self, principal: Principal | None, username: str) -> list[dict]:
        self._require_admin_or_self(principal, username)
        return self.storage.list_api_keys(self.get_user(username)["id"])

    def revoke_api_key(self, principal: Principal | None, key_id: str) -> None:
        key = self.storage.get_api_key(key_id)
        if key is None or not self.tenancy.may_manage_account(principal, key["username"]):
            raise NotFound(f"API key {key_id!r} does not exist")
        self.storage.revoke_api_key(key_id)
        if principal is None or principal.username != key["username"]:
            self.tenancy.audit.record(principal, "api_key.revoke", key["username"],
                                      key_id=key_id)

    # -- entities and projects ---------------------------------------------------------------
    def get_entity(self, principal: Principal, name: str) -> dict:
        entity = self.storage.get_entity(name)
        if entity is None:
            raise NotFound(f"entity {name!r} does not exist")
        return entity

    def get_project(self, principal: Principal, entity: str, name: str) -> dict:
        return self.authorizer.project(principal, entity, name)

    # -- runs --------------------------------------------------------------------------------
    def upsert_run(self, principal: Principal, fields: dict[str, Any]) -> tuple[dict, bool]:
        if principal.kind == "anonymous":
            raise Unauthenticated("logging runs needs an API key: set WANDB_API_KEY (create one "
                                  "with `roost key create NAME` or on your settings page)")
        fields = {k: v for k, v in fields.items() if v is not None}
        run_id = fields.pop("id", None)
        entity = fields.pop("entity", None) or principal.default_entity
        project = fields.pop("project", None) or DEFAULT_PROJECT
        name = fields.pop("name", None)
        for key in ("config", "summary_metrics"):
            if key in fields:
                history.parse_line(fields[key], key, 0)
        if run_id:
            self.authorizer.run_by_id(principal, run_id, "run:write")
        else:
            auth.validate_project_name(project)
            if not name:
                name = auth.generate_api_key()[:8].lower()
            self.authorizer.check(principal, "run:write", {"entity": entity, "project": project})
            if self.storage.get_entity(entity) is None:
                raise NotFound(f"entity {entity!r} does not exist")
        run, inserted = self.storage.upsert_run(entity, project, name, run_id, fields,
                                                principal.user_id)
        return present_run(run), inserted

    def get_run(self, principal: Principal, entity: str, project: str, name: str) -> dict:
        return present_run(self.authorizer.run(principal, entity, project, name, tails=True))

    def delete_run(self, principal: Principal, run_id: str) -> None:
        run = self.authorizer.run_by_id(principal, run_id, "run:delete")
        for key in self.storage.delete_run(run["id"]):
            self.media.delete(key)

    def write_file_stream(self, principal: Principal, entity: str, project: str, name: str,
                          files: dict[str, tuple[int, list[str]]], uploaded: list[str],
                          complete: bool, exitcode: int | None, preempting: bool) -> dict:
        run = self.authorizer.run(principal, entity, project, name, "run:write")
        for file_name in uploaded:
            check_run_file_name(file_name)
        update = history.build_update(files, uploaded, complete, exitcode, preempting)
        updated = self.storage.apply_file_stream(run["id"], update)
        self._record_direct_uploads(run["id"], uploaded)
        if complete:
            self.pm.hook.roost_run_finished(run={k: updated[k] for k in
                                                 ("entity", "project", "name", "state")},
                                            exitcode=exitcode)
        return updated

    # -- run files ---------------------------------------------------------------------------
    def _record_direct_uploads(self, run_id: str, names: list[str]) -> None:
        """Bytes the client PUT straight to an object store never passed the core: when the
        client reports them uploaded, read their size and md5 back from the store."""
        if not names or not isinstance(self.media, artifact_blobs.ObjectStoreFeatures):
            return
        for name in names:
            record = self.storage.get_run_file(run_id, name)
            found = self.media.stat(record["key"]) if record else None
            if found is None:
                continue
            size, etag = found
            # A single-part upload's ETag is the hex md5; a multipart one's is not (it has -N).
            md5 = base64.b64encode(bytes.fromhex(etag)).decode() if MD5_HEX.fullmatch(etag) else ""
            self.storage.mark_run_file_uploaded(record["key"], size, md5)

    def prepare_run_file_uploads(self, principal: Principal, entity: str, project: str,
                                 name: str, names: list[str], base_url: str) -> tuple[dict, list]:
        run = self.authorizer.run(principal, entity, project, name, "run:write")
        for file_name in names:
            check_run_file_name(file_name)
        records = self.storage.register_run_files(run["id"], names)
        ttl = self.config.url_expiry
        uploads = []
        for record in records:
            url, headers = self.media.upload_url(record["key"], base_url, ttl)
            uploads.append({"name": record["name"], "upload_url": url, "headers": headers})
        return run, uploads

    def mark_run_files_uploaded(self, principal: Principal, entity: str, project: str,
                                name: str, names: list[str]) -> None:
        run = self.authorizer.run(principal, entity, project, name, "run:write")
        self.storage.mark_run_files_present(run["id"], [check_run_file_name(n) for n in names])
        self._record_direct_uploads(run["id"], names)

    def list_run_files(self, principal: Principal, entity: str, project: str, name: str,
                       names: list[str], after: str, first: int, pattern: str,
                       base_url: str) -> tuple[list[dict], bool, int]:
        run = self.authorizer.run(principal, entity, project, name)
        files, has_next, total = self.storage.list_run_files(run["id"], names, after, first, pattern)
        ttl = self.config.url_expiry
        for record in files:
            record["direct_url"] = self.media.download_url(record["key"], base_url, ttl)
        return files, has_next, total

    def read_run_file(self, principal: Principal, entity: str, project: str, name: str,
                      file_name: str) -> tuple[int, Iterator[bytes]]:
        run = self.authorizer.run(principal, entity, project, name)
        record = self.storage.get_run_file(run["id"], check_run_file_name(file_name))
        if record is None or not record["uploaded"]:
            raise NotFound(f"run {entity}/{project}/{name} has no file {file_name!r}")
        return self.media.open(record["key"])

    def read_console(self, principal: Principal, entity: str, project: str, name: str,
                     offset: int, limit: int) -> tuple[list[str], int]:
        run = self.authorizer.run(principal, entity, project, name)
        return self.storage.read_console(run["id"], max(offset, 0), min(max(limit, 1), 10000))

    def read_history(self, principal: Principal, entity: str, project: str, name: str,
                     stream: str, min_step: int | None, max_step: int | None,
                     limit: int) -> list[str]:
        if stream not in ("history", "events"):
            raise InvalidArgument(f"unknown history stream {stream!r}")
        run = self.authorizer.run(principal, entity, project, name)
        return self.storage.read_history(run["id"], stream, min_step, max_step, limit)

    # -- the Public API's reads (wandb.Api()) ------------------------------------------------
    def list_projects_page(self, principal: Principal, entity: str, after: str,
                           first: int) -> tuple[list[dict], bool]:
        """One page of the entity's projects the principal may read."""
        if self.storage.get_entity(entity) is None:
            raise NotFound(f"entity {entity!r} does not exist")
        first = min(max(first or DEFAULT_PAGE, 1), MAX_PAGE)
        page: list[dict] = []
        while True:
            projects, more = self.storage.projects_page(entity, after, first)
            for project in projects:
                try:
                    self.authorizer.check(principal, "project:read",
                                    {"entity": entity, "project": project["name"]})
                except PermissionDenied:
                    continue
                page.append(project)
                if len(page) == first:
                    return page, more or project is not projects[-1]
            if not more or not projects:
                return page, False
            after = projects[-1]["id"]

    def count_runs(self, principal: Principal, entity: str, project: str, filters: str) -> int:
        self.authorizer.check(principal, "project:read", {"entity": entity, "project": project})
        return self.storage.count_runs(entity, project, filters or "",
                                       stale_before())

    def list_runs(self, principal: Principal, entity: str, project: str, filters: str,
                  order: str, after: str, first: int) -> tuple[list[dict], list[str], bool]:
        self.authorizer.check(principal, "project:read", {"entity": entity, "project": project})
        first = min(max(first or DEFAULT_PAGE, 1), MAX_PAGE)
        runs, cursors, more = self.storage.list_runs(entity, project, filters or "", order or "",
                                                     after or "", first,
                                                     stale_before())
        return [present_run(run) for run in runs], cursors, more

    @staticmethod
    def _check_samples(samples: int) -> int:
        if not 1 <= samples <= MAX_SAMPLES:
            raise InvalidArgument(f"samples must be between 1 and {MAX_SAMPLES}, got {samples}")
        return samples

    def sample_history(self, principal: Principal, entity: str, project: str, name: str,
                       specs: list[dict]) -> list[list[dict]]:
        """Per spec (``keys``, ``samples``, ``min_step``, ``max_step``): at most ``samples``
        rows holding every key, projected to them, min/max/last-sampled when more match."""
        run = self.authorizer.run(principal, entity, project, name)
        results = []
        for spec in specs:
            keys = [k for k in spec["keys"] if isinstance(k, str) and k]
            if not keys:
                raise InvalidArgument("a history spec needs at least one key")
            results.append(self.storage.sample_history(
                run["id"], keys, self._check_samples(spec["samples"]), spec.get("min_step"),
                spec.get("max_step")))
        return results

    def sample_history_lines(self, principal: Principal, entity: str, project: str, name: str,
                             stream: str, samples: int, min_step: int | None,
                             max_step: int | None) -> list[str]:
        if stream not in ("history", "events"):
            raise InvalidArgument(f"unknown history stream {stream!r}")
        run = self.authorizer.run(principal, entity, project, name)
        return self.storage.sample_history_lines(run["id"], stream, self._check_samples(samples),
                                                 min_step, max_step)

    # -- signed blob transfer ----------------------------------------------------------------
    def _check_signature(self, method: str, key: str, expires: int, signature: str) -> None:
        problem = self.media.verify(method, key, expires, signature)
        if problem:
            raise PermissionDenied(problem)

    def upload_signed(self, method: str, key: str, expires: int, signature: str,
                      chunks: Iterable[bytes]) -> tuple[int, str]:
        self._check_signature(method, key, expires, signature)
        if artifact_blobs.owns_key(key):
            return self.artifacts.receive_upload(key, chunks)
        size, md5 = self.media.put(key, chunks, self.config.max_upload_bytes)
        self.storage.mark_run_file_uploaded(key, size, md5)
        return size, md5

    def download_signed(self, key: str, expires: int, signature: str) -> tuple[int, Iterator[bytes]]:
        self._check_signature("GET", key, expires, signature)
        return self.media.open(key)

    # -- health ------------------------------------------------------------------------------
    def health(self) -> dict:
        report = {"ok": True, "storage": "", "media": "", "detail": ""}
        for part, provider in (("storage", self.storage), ("media", self.media)):
            try:
                report[part] = provider.health()
            except Exception as exc:  # a health check reports any failure, it does not raise
                report["ok"] = False
                report["detail"] += f"{part}: {exc}; "
        return report


__all__ = ["Core", "RoostError"]
