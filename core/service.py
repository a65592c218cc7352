"""The Core: the composition root of the core process. It builds the providers (storage checked
against its contract, media) and one service per area, giving each only what it uses; it
holds no checks of its own.

| attribute | service | what it serves |
| --- | --- | --- |
| ``accounts`` | ``Accounts`` (core/accounts.py) | authentication, users, API keys |
| ``runs`` | ``Runs`` (core/runs.py) | entities, projects, runs and their Public API reads |
| ``ingest`` | ``Ingest`` (core/ingest.py) | the file_stream write path |
| ``run_files`` | ``RunFiles`` (core/run_files.py) | a run's uploaded files |
| ``transfer`` | ``SignedTransfer`` (core/transfer.py) | signed upload and download URLs |
| ``tenancy`` | ``Tenancy`` (core/tenancy.py) | teams, invites, users, settings, administration |
| ``share_links`` | ``ShareLinks`` (core/share_links.py) | read-only links to a project or run |
| ``identity`` | ``Identity`` (core/identity.py) | web sign-ins, every key, SCIM tokens |
| ``artifacts`` | ``ArtifactService`` (core/artifacts/) | artifacts |
| ``sweeps`` | ``SweepService`` (core/sweeps/) | sweeps and agents |
| ``views`` | ``ViewService`` (core/views/) | saved views and reports |
| ``ui`` | ``UiReads`` (core/ui_reads.py) | the web UI's own reads |

The gRPC servicers take their service from here; the CLI builds a Core in-process and calls
the same services, so permissions and validation live in one place.
"""

from __future__ import annotations

import logging

from roost.core.accounts import Accounts
from roost.core.artifacts.service import ArtifactService
from roost.core.audit import Audit
from roost.core.authorizer import Authorizer
from roost.core.config import Config
from roost.core.errors import RoostError
from roost.core.identity import Identity
from roost.core.ingest import Ingest
from roost.core.media import MediaStore
from roost.core.run_files import RunFiles
from roost.core.runs import Runs
from roost.core.share_links import ShareLinks
from roost.core.storage import Storage, provide_storage
from roost.core.sweeps.service import SweepService
from roost.core.tenancy import Tenancy
from roost.core.transfer import SignedTransfer
from roost.core.ui_reads import UiReads
from roost.core.views.service import ViewService

log = logging.getLogger("roost.core")


class Core:
    def __init__(self, config: Config, pm):
        self.config = config
        self.pm = pm
        self.storage: Storage = provide_storage(pm, config)
        self.media: MediaStore = pm.hook.roost_media_backend(config=config)
        if self.media is None:
            raise RuntimeError(f"no plugin provides the media store {config.media!r}")
        storage, media = self.storage, self.media
        authorizer = self.authorizer = Authorizer(storage, pm)
        audit = self.audit = Audit(storage)
        self.accounts = Accounts(storage, pm, config, authorizer, audit)
        self.runs = Runs(storage, media, authorizer)
        self.run_files = RunFiles(storage, media, config, authorizer)
        self.ingest = Ingest(storage, pm, authorizer, self.run_files)
        self.artifacts = ArtifactService(storage, media, config, authorizer)
        self.transfer = SignedTransfer(media, self.run_files, self.artifacts)
        self.tenancy = Tenancy(storage, media, pm, authorizer, audit, self.accounts)
        self.share_links = ShareLinks(storage, authorizer, audit)
        self.identity = Identity(storage, authorizer, audit, self.accounts.authenticate, pm,
                                 config)
        self.sweeps = SweepService(storage, config, authorizer)
        self.views = ViewService(storage, config, authorizer.check)
        self.ui = UiReads(storage, authorizer)
        pm.hook.roost_startup(core=self)

    def close(self) -> None:
        self.storage.close()

    def health(self) -> dict:
        """Whether the providers answer: the health check of the storage and media plugins."""
        report = {"ok": True, "storage": "", "media": "", "detail": ""}
        for part, provider in (("storage", self.storage), ("media", self.media)):
            try:
                report[part] = provider.health()
            except Exception as exc:  # a health check reports any failure, it does not raise
                report["ok"] = False
                report["detail"] += f"{part}: {exc}; "
        return report


__all__ = ["Core", "RoostError"]
