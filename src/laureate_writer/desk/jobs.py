"""Jobs: long work (a palmarès page, a model rewriting a section) whose events the page
follows over server-sent events, replayed from the start to a late reader."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from laureate_writer.desk.service import DeskError

MAX_JOBS = 20
KEEPALIVE_SECONDS = 15


@dataclass
class Job:
    id: str
    loop: asyncio.AbstractEventLoop
    events: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    result: Any = None
    task: Any = None

    def emit(self, kind: str, **data: Any) -> None:
        """Queue an event; safe from any thread."""
        if threading.current_thread() is threading.main_thread() or self._on_loop():
            self.events.append({"event": kind, **data})
            self.changed.set()
        else:
            self.loop.call_soon_threadsafe(lambda: self.emit(kind, **data))

    def _on_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False


class Jobs:
    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def start(self, work: Callable[[Job], Awaitable[None]]) -> Job:
        job = Job(secrets.token_hex(8), asyncio.get_running_loop())
        while len(self.jobs) >= MAX_JOBS:
            self.jobs.pop(next(iter(self.jobs)))
        self.jobs[job.id] = job

        async def run() -> None:
            try:
                await work(job)
            except DeskError as exc:
                job.emit("error", message=str(exc))
            except Exception as exc:  # a bug: said, never a silent hang
                job.emit("error", message=f"erreur interne : {type(exc).__name__}: {exc}")
            finally:
                job.done = True
                job.changed.set()

        job.task = job.loop.create_task(run())
        return job

    async def follow(self, job: Job) -> AsyncIterator[str]:
        sent = 0
        while True:
            job.changed.clear()
            while sent < len(job.events):
                event = job.events[sent]
                sent += 1
                yield f"event: {event['event']}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
            if job.done and sent >= len(job.events):
                return
            try:
                await asyncio.wait_for(job.changed.wait(), timeout=KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": attente\n\n"  # keeps the connection open through idle proxies


async def in_thread(job: Job, work: Callable[[Callable[..., None]], Any]) -> Any:
    """Run ``work(emit)`` in a worker thread (the library's calls are synchronous)."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(work, job.emit)
