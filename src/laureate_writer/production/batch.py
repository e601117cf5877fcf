"""``--via batch``: the same production run, with model requests sent through the
provider's Batch API (OpenAI ``/v1/files`` + ``/v1/batches``) — slower, half the price,
outside the per-minute rate limit.

:class:`BatchWriter` wraps the model writer. Every section request the scheduler makes
is queued instead of sent; when the run has nothing left to do but wait (every article
is waiting on a model answer), the queue is written as one JSONL file, uploaded, and
submitted as a batch, which is polled until it ends. Answers come back to the waiting
sections, which are polished and journaled as usual — so the phases of a page (body
sections, revise rounds, then lead/headline/caption) become a few batches. A line that
failed (an error, an invalid or cut answer, an expired batch) is re-queued as an
interactive request through the wrapped writer, with its own retries and re-asks.

Each batch id is journaled when submitted: a run killed while a batch was being
processed collects that batch on ``--resume`` instead of paying for it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from laureate_writer.article import SectionKind
from laureate_writer.production.journal import Journal
from laureate_writer.violations import Violation
from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer
from laureate_writer.writers.clients import answer_from_completion
from laureate_writer.writers.schemas import output_schema

TERMINAL = {"completed", "failed", "expired", "cancelled"}


@dataclass
class _Pending:
    key: str
    kind: SectionKind
    body: dict[str, Any]
    futures: list[asyncio.Future[dict[str, Any] | None]] = field(default_factory=list)


class BatchWriter(Writer):
    """A :class:`~laureate_writer.writers.chat.ChatModelWriter` whose requests go through
    the Batch API. ``idle`` is how long the run must be waiting before a batch is sent;
    ``poll_interval`` the seconds between status polls; ``max_lines`` a batch's size;
    ``concurrency`` bounds the re-queued interactive requests. Run it with an unbounded
    scheduler gate (:attr:`gate_limit`): every waiting section belongs in the batch."""

    gate_limit = 1_000_000

    def __init__(
        self,
        inner: Writer,
        *,
        journal: Journal | None = None,
        idle: float = 0.2,
        poll_interval: float = 10.0,
        max_lines: int = 50_000,
        concurrency: int = 4,
        client: Any = None,
    ) -> None:
        model = getattr(inner, "client", None)
        if model is None or model.openai_settings() is None:
            raise ValueError("--via batch needs an OpenAI model (OpenAI or compatible Batch API)")
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.supports_revision = inner.supports_revision
        self.journal = journal
        self.idle = idle
        self.poll_interval = poll_interval
        self.max_lines = max_lines
        self._client = client
        self.concurrency = concurrency  # for the interactive re-queue only
        self._interactive: asyncio.Semaphore | None = None
        self._queue: dict[str, _Pending] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()
        self._collected: dict[str, dict[str, Any] | None] = {}
        self._resume_task: asyncio.Future[None] | None = None
        self.error: str | None = None
        self.batches = 0
        self.batch_lines = 0
        self.requeued = 0

    # what the journal's prompt hash and reports read: the same as the wrapped writer
    def messages(self, request: SectionRequest) -> list[dict[str, str]]:
        return self.inner.messages(request)  # type: ignore[attr-defined]

    @property
    def params(self) -> Any:
        return getattr(self.inner, "params", None)

    def template_hashes(self, *names: str) -> str:
        return self.inner.template_hashes(*names)  # type: ignore[attr-defined]

    @property
    def calls(self) -> int:
        """Requests made: batch lines plus interactive ones (re-queued lines)."""
        return self.batch_lines + getattr(self.inner, "calls", 0)

    def stats(self) -> dict[str, int]:
        return {"batches": self.batches, "lines": self.batch_lines, "requeued": self.requeued,
                "error": self.error}  # fmt: skip

    # --- the OpenAI client for files and batches (sync, run in threads) -----------------

    def client(self) -> Any:
        if self._client is None:
            import openai

            endpoint = self.inner.client.openai_settings()  # type: ignore[attr-defined]
            self._client = openai.OpenAI(
                api_key=endpoint["api_key"],
                base_url=endpoint["base_url"],
                max_retries=endpoint["max_retries"] if endpoint["max_retries"] is not None else 2,
                timeout=endpoint["timeout"] or 60,
            )
        return self._client

    # --- the Writer interface ---------------------------------------------------------

    def draft_section(self, request: SectionRequest) -> SectionDraft:
        return asyncio.run(self.adraft_section(request))

    async def adraft_section(self, request: SectionRequest) -> SectionDraft:
        messages = self.inner.messages(request)  # type: ignore[attr-defined]
        template = f"model/sections/{request.kind.value}.md.j2"
        parsed, tokens = await self._ask(request.kind, messages)
        return self.inner.make_draft(request.kind, parsed, template, tokens)  # type: ignore[attr-defined]

    async def arevise(
        self, request: SectionRequest, draft: SectionDraft, violations: list[Violation]
    ) -> SectionDraft:
        inner: Any = self.inner
        messages = inner.revise_messages(request, draft, violations)
        parsed, tokens = await self._ask(request.kind, messages)
        return inner.revised_draft(draft, parsed, tokens)

    # --- one structured request, batched -----------------------------------------------

    def _key(self, kind: SectionKind, messages: list[dict[str, str]]) -> str:
        # The response cache's key: a batch answer serves later interactive runs, and back.
        return self.inner.cache_key(kind, messages)  # type: ignore[attr-defined]

    async def _ask(
        self, kind: SectionKind, messages: list[dict[str, str]]
    ) -> tuple[BaseModel, tuple[int, int]]:
        inner: Any = self.inner
        schema = output_schema(kind)
        key = self._key(kind, messages)
        if inner.cache is not None and (hit := inner.cache.get(key)):
            return schema.model_validate(hit["parsed"]), (hit["tokens_in"], hit["tokens_out"])
        await self._resume_open_batches()
        if key in self._collected:
            line = self._collected.pop(key)
        else:
            line = await self._enqueue(key, kind, messages)
        answer = _parse_line(line, schema)
        if answer is None:
            # failed or unusable line: once more, interactively (retries, re-asks)
            self.requeued += 1
            if self._interactive is None:
                self._interactive = asyncio.Semaphore(self.concurrency)
            async with self._interactive:
                parsed, t_in, t_out = await inner._ask(kind, messages)
            return parsed, (t_in, t_out)
        parsed, t_in, t_out = answer
        if inner.cache is not None:
            inner.cache.put(key, inner.model, {"parsed": parsed.model_dump(),
                                               "tokens_in": t_in, "tokens_out": t_out})  # fmt: skip
        return parsed, (t_in, t_out)

    async def _enqueue(
        self, key: str, kind: SectionKind, messages: list[dict[str, str]]
    ) -> dict[str, Any] | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any] | None] = loop.create_future()
        pending = self._queue.get(key)
        if pending is None:
            pending = self._queue[key] = _Pending(key, kind, self._body(kind, messages))
        pending.futures.append(future)
        if len(self._queue) >= self.max_lines:
            self._flush_now()
        else:
            self._arm(loop)
        return await future

    def _body(self, kind: SectionKind, messages: list[dict[str, str]]) -> dict[str, Any]:
        """The chat-completion request the model client would send, as a batch line body."""
        return self.inner.client.request_body(output_schema(kind), messages)  # type: ignore[attr-defined]

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        # Reset on every new request: the batch goes once the run has been idle a while
        # (the loop only runs timers when every article is waiting).
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(self.idle, self._flush_now)

    def _flush_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._queue:
            return
        lines, self._queue = list(self._queue.values()), {}
        task = asyncio.get_running_loop().create_task(self._run_batch(lines))
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _run_batch(self, lines: list[_Pending]) -> None:
        try:
            results = await self._submit_and_collect(lines)
        except asyncio.CancelledError:
            for line in lines:
                for future in line.futures:
                    future.cancel()
            raise
        except Exception as exc:  # the Batch API itself failed: every line goes interactive
            results = {}
            self.error = f"batch failed: {type(exc).__name__}: {str(exc)[:200]}"
        for line in lines:
            for future in line.futures:
                if not future.done():
                    future.set_result(results.get(line.key))

    async def _submit_and_collect(self, lines: list[_Pending]) -> dict[str, dict[str, Any]]:
        jsonl = "".join(
            json.dumps(
                {
                    "custom_id": p.key,
                    "method": "POST",
                    "url": "/v1/chat/completions",
                    "body": p.body,
                },
                ensure_ascii=False,
            )
            + "\n"
            for p in lines
        )
        client = self.client()
        uploaded = await asyncio.to_thread(
            client.files.create, file=("sections.jsonl", jsonl.encode("utf-8")), purpose="batch"
        )
        batch = await asyncio.to_thread(
            client.batches.create,
            input_file_id=uploaded.id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
            metadata={"tool": "laureate-writer"},
        )
        self.batches += 1
        self.batch_lines += len(lines)
        if self.journal is not None:
            self.journal.add_batch(batch.id, uploaded.id, len(lines))
        return await self._collect(batch.id)

    async def _collect(self, batch_id: str) -> dict[str, dict[str, Any]]:
        """Poll a batch until it ends; its lines by custom id (error lines included)."""
        client = self.client()
        while True:
            batch = await asyncio.to_thread(client.batches.retrieve, batch_id)
            if batch.status in TERMINAL:
                break
            await asyncio.sleep(self.poll_interval)
        results: dict[str, dict[str, Any]] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            content = await asyncio.to_thread(client.files.content, file_id)
            for raw in content.text.splitlines():
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    item = json.loads(raw)
                    results[item["custom_id"]] = item
        if self.journal is not None:
            self.journal.close_batch(batch_id, batch.status)
        return results

    async def _resume_open_batches(self) -> None:
        """Once per run, before any new batch: collect the batches a killed run left open
        (already paid for); every request waits for it."""
        if self.journal is None:
            return
        if self._resume_task is None:
            self._resume_task = asyncio.ensure_future(self._collect_open())
        await asyncio.shield(self._resume_task)

    async def _collect_open(self) -> None:
        assert self.journal is not None
        for batch_id in self.journal.open_batches():
            try:
                self._collected.update(await self._collect(batch_id))
            except Exception:  # gone or unreadable: its lines are simply asked again
                self.journal.close_batch(batch_id, "lost")


def _parse_line(
    line: dict[str, Any] | None, schema: type[BaseModel]
) -> tuple[Any, int, int] | None:
    """(parsed, tokens in, tokens out) from one batch output line, or None when the line
    failed or its answer is not a usable section (refusal, cut, invalid, empty)."""
    if not line or line.get("error") or not line.get("response"):
        return None
    response = line["response"]
    if response.get("status_code") != 200 or not isinstance(response.get("body"), dict):
        return None
    try:
        answer = answer_from_completion(schema, response["body"])
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    if answer.parsed is None or not getattr(answer.parsed, "text", "").strip():
        return None
    return answer.parsed, answer.tokens_in, answer.tokens_out
