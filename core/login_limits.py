"""Sign-in rate limiting: after too many failed password attempts for one username, or from
one address, further attempts are refused for a while without even checking the password.

The failures are kept in the database (storage area ``coordination``), not in a core's
memory: with several cores behind the fronts, each attempt may reach another core, and the
limit must hold across all of them.
"""

from __future__ import annotations

import time

from roost.core.errors import TooManyRequests
from roost.core.storage.coordination import CoordinationStorage


# Many people can share one address (a campus NAT, a proxy without proxy_count): an address
# may fail this many times more than one account before it is stopped.
ADDRESS_FACTOR = 5
# Failures older than this many windows are deleted, at most once per window.
PRUNE_AFTER_WINDOWS = 2


class LoginLimiter:
    def __init__(self, store: CoordinationStorage, max_failures: int = 10,
                 window_seconds: float = 300.0, clock=time.time):
        self.store = store
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._pruned_at = 0.0

    @staticmethod
    def _keys(username: str, remote_addr: str) -> list[str]:
        keys = [f"user:{username.lower()}"] if username else []
        return keys + ([f"addr:{remote_addr}"] if remote_addr else [])

    def check(self, username: str, remote_addr: str) -> None:
        """Raise TooManyRequests while either key is over the limit."""
        if self.max_failures <= 0:
            return
        now = self._clock()
        found = self.store.login_failures_since(self._keys(username, remote_addr),
                                                now - self.window)
        for key, (count, oldest) in found.items():
            limit = self.max_failures * (1 if key.startswith("user:") else ADDRESS_FACTOR)
            if count >= limit:
                wait = int(self.window - (now - oldest)) + 1
                what = "this account" if key.startswith("user:") else "this address"
                raise TooManyRequests(
                    f"too many failed sign-in attempts for {what}; try again in {wait} s")

    def failed(self, username: str, remote_addr: str) -> None:
        if self.max_failures <= 0:
            return
        now = self._clock()
        self.store.record_login_failure(self._keys(username, remote_addr), now)
        if now - self._pruned_at > self.window:
            self._pruned_at = now
            self.store.prune_login_failures(now - PRUNE_AFTER_WINDOWS * self.window)

    def succeeded(self, username: str) -> None:
        if self.max_failures > 0:
            self.store.clear_login_failures(f"user:{username.lower()}")
