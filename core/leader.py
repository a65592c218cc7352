"""Periodic jobs that one core runs for all: several cores on one database each start the
job, and a lease in the database (storage area ``coordination``) lets exactly one of them
do the work each round.

The holder renews its lease every round; the lease lasts ``LEASE_ROUNDS`` rounds, so when its
core dies another takes the job over at most that many rounds later.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from typing import Callable

from roost.core.storage.coordination import CoordinationStorage

log = logging.getLogger("roost.core")

LEASE_ROUNDS = 2.5


def holder_name() -> str:
    """Who this process is in a lease: readable in the database, and unique even for two
    cores in one process (the tests start several)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaderJob:
    def __init__(self, store: CoordinationStorage, name: str, interval: float,
                 work: Callable[[], object], clock: Callable[[], float] = time.time):
        self.store, self.name, self.interval, self.work = store, name, interval, work
        self.holder = holder_name()
        self._clock = clock

    def run_once(self) -> bool:
        """Do the work if this process holds (or now takes) the job's lease; True if it did."""
        if not self.store.acquire_lease(self.name, self.holder, self._clock(),
                                        self.interval * LEASE_ROUNDS):
            return False
        self.work()
        return True

    def start(self) -> threading.Event:
        """Run a round every ``interval`` seconds on a daemon thread; set the event to stop
        (the lease is then given up, so another core takes the job at its next round)."""
        stop = threading.Event()

        def loop():
            while not stop.wait(self.interval):
                try:
                    self.run_once()
                except Exception:  # a failed round is logged; the next one tries again
                    log.exception("periodic job %s failed", self.name)
            try:
                self.store.release_lease(self.name, self.holder)
            except Exception:
                log.exception("giving up the lease of %s failed", self.name)

        threading.Thread(target=loop, name=f"roost-{self.name}", daemon=True).start()
        return stop
