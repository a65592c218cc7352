"""The audit log: every admin action and every permission change, stored by the core.

Entries name the actor, the action (``team.member.set``, ``user.update``, ...), the target
and a small JSON detail. Secrets never go in: keys, tokens and passwords are recorded as
the fact that they changed, not their value.
"""

from __future__ import annotations

import logging

from roost.core.auth import Principal

log = logging.getLogger("roost.audit")
SECRET_FIELDS = {"password", "secret", "token", "key", "api_key", "password_hash"}


def actor_name(principal: Principal | None) -> str:
    if principal is None:
        return "(server operator)"
    return principal.username or principal.kind


class Audit:
    def __init__(self, storage):
        self.storage = storage

    def record(self, principal: Principal | None, action: str, target: str,
               **detail) -> None:
        clean = {k: ("(changed)" if k in SECRET_FIELDS else v) for k, v in detail.items()}
        actor = actor_name(principal)
        self.storage.add_audit_entry(actor, action, target, clean)
        log.info("audit: %s %s %s %s", actor, action, target, clean or "")

    def entries(self, limit: int = 100, before_id: str = "", action: str = "") -> list[dict]:
        return self.storage.list_audit_entries(max(1, min(limit, 1000)), before_id, action)
