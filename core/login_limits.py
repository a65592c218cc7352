"""Sign-in rate limiting: after too many failed password attempts for one username, or from
one address, further attempts are refused for a while without even checking the password.

Kept in the core's memory: there is one core per deployment (fronts scale, the core does
not), and a restart forgetting the counts is harmless.
"""

from __future__ import annotations

import threading
import time

from roost.core.errors import TooManyRequests


# Many people can share one address (a campus NAT, a proxy without proxy_count): an address
# may fail this many times more than one account before it is stopped.
ADDRESS_FACTOR = 5


class LoginLimiter:
    def __init__(self, max_failures: int = 10, window_seconds: float = 300.0,
                 clock=time.monotonic):
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, username: str, remote_addr: str) -> list[str]:
        keys = [f"user:{username.lower()}"] if username else []
        return keys + ([f"addr:{remote_addr}"] if remote_addr else [])

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, ()) if now - t < self.window]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def check(self, username: str, remote_addr: str) -> None:
        """Raise TooManyRequests while either key is over the limit."""
        if self.max_failures <= 0:
            return
        now = self._clock()
        with self._lock:
            for key in self._keys(username, remote_addr):
                times = self._recent(key, now)
                limit = self.max_failures * (1 if key.startswith("user:") else ADDRESS_FACTOR)
                if len(times) >= limit:
                    wait = int(self.window - (now - times[0])) + 1
                    what = "this account" if key.startswith("user:") else "this address"
                    raise TooManyRequests(
                        f"too many failed sign-in attempts for {what}; try again in {wait} s")

    def failed(self, username: str, remote_addr: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(username, remote_addr):
                self._failures[key] = self._recent(key, now) + [now]

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{username.lower()}", None)
