"""Storage area ``coordination``: what several core processes on one database share instead
of keeping it in one process's memory (docs/architecture.md, "Several cores").

- **Leases**: one holder at a time for a named job (the periodic garbage collection), taken
  for a while and renewed by its holder; a core that dies stops renewing and another takes it
  once it expires.
- **Sign-in failures**: the failed password attempts the sign-in limiter counts
  (core/login_limits.py), by key (``user:<name>``, ``addr:<address>``), so a limit holds
  whichever core a front's call reaches.

Times are seconds since the epoch, as the caller's clock gives them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class CoordinationStorage(ABC):
    # -- leases ------------------------------------------------------------------------------
    @abstractmethod
    def acquire_lease(self, name: str, holder: str, now: float, ttl_seconds: float) -> bool:
        """Take the lease ``name`` for ``holder`` until ``now + ttl_seconds``, or renew it when
        ``holder`` has it already. True when ``holder`` holds it after the call; False while
        another holder's lease has not expired. Atomic across processes: of two callers racing
        for a free lease, exactly one gets True."""

    @abstractmethod
    def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up at once if ``holder`` has it (else nothing happens)."""

    @abstractmethod
    def lease_holder(self, name: str, now: float) -> dict | None:
        """``{"holder", "expires_at"}`` of the lease while it has not expired at ``now``, or
        None."""

    # -- sign-in failures --------------------------------------------------------------------
    @abstractmethod
    def record_login_failure(self, keys: list[str], at: float) -> None:
        """Record one failed sign-in at ``at`` under every key in ``keys``."""

    @abstractmethod
    def login_failures_since(self, keys: list[str], since: float) -> dict[str, tuple[int, float]]:
        """For each key with failures at or after ``since``: ``(count, oldest time)`` of
        those failures. Keys without any are left out."""

    @abstractmethod
    def clear_login_failures(self, key: str) -> None:
        """Forget every failure recorded under ``key`` (a successful sign-in)."""

    @abstractmethod
    def prune_login_failures(self, before: float) -> int:
        """Delete failures older than ``before``; returns how many were deleted."""
