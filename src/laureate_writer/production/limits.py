"""The two bounds of a production run: a shared, prioritised concurrency gate and a
requests-per-minute limiter.

The gate hands its slots out by priority (laureate order, then section order), so a
run finishes laureates one after another instead of drafting every body section before
any lead: article files land early, and a stopped run has whole articles to keep.
The limiter is a reservation-based token bucket, safe across threads and event loops
(model calls run on the writer's own loop): it becomes the model client's
``rate_limiter`` (see :mod:`laureate_writer.writers.clients`), so every model request —
re-asks and revise rounds included — waits its turn.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


class PriorityGate:
    """At most ``limit`` holders at once; waiters are served lowest priority first."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("la limite de simultanéité doit valoir au moins 1")
        self.limit = limit
        self._free = limit
        self._waiters: list[tuple[Any, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self.peak = 0

    @property
    def in_use(self) -> int:
        return self.limit - self._free

    async def acquire(self, priority: Any = 0) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            self.peak = max(self.peak, self.in_use)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # granted, then cancelled before use: pass the slot on
            else:
                future.cancel()  # stays in the heap, skipped by release()
            raise
        self.peak = max(self.peak, self.in_use)

    def release(self) -> None:
        while self._waiters:
            _, _, future = heapq.heappop(self._waiters)
            if not future.done():
                future.set_result(None)  # the slot goes straight to the waiter
                return
        self._free += 1

    @asynccontextmanager
    async def slot(self, priority: Any = 0) -> AsyncIterator[None]:
        await self.acquire(priority)
        try:
            yield
        finally:
            self.release()


class TokenBucket:
    """``per_minute`` requests a minute, evenly spaced, with bursts of up to ``burst``.

    Reservation based (GCRA): each caller reserves the next free instant under a lock and
    sleeps until then, so waiting callers never spin and threads and loops share it."""

    def __init__(self, per_minute: float, burst: int = 1) -> None:
        if per_minute <= 0:
            raise ValueError("le débit doit être positif")
        self.per_minute = per_minute
        self.interval = 60.0 / per_minute
        self.burst = max(1, burst)
        self._lock = threading.Lock()
        self._next = 0.0  # the theoretical arrival time of the next request
        self.waited = 0.0  # total seconds callers spent waiting (for reports)

    def _reserve(self, blocking: bool) -> float | None:
        with self._lock:
            now = time.monotonic()
            start = max(self._next, now)
            wait = max(0.0, start - now - (self.burst - 1) * self.interval)
            if wait > 0 and not blocking:
                return None
            self._next = start + self.interval
            self.waited += wait
            return wait

    def acquire(self, *, blocking: bool = True) -> bool:
        wait = self._reserve(blocking)
        if wait is None:
            return False
        if wait > 0:
            time.sleep(wait)
        return True

    async def aacquire(self, *, blocking: bool = True) -> bool:
        wait = self._reserve(blocking)
        if wait is None:
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        return True
