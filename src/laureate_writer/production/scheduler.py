"""Scheduling a whole palmarès: every section of every laureate in one pool.

Each article keeps its own order (body sections, then lead/headline/caption written
knowing the body, then the prize label) — that is :func:`~laureate_writer.drafting.
adraft_article`; here all articles run together, their sections sharing one prioritised
gate of ``concurrency`` slots (earlier laureates first) and an optional requests-per-
minute limiter. Each finished section goes into the journal as it lands; each finished
article is written to ``out_dir`` at once. A stop (Ctrl-C, SIGTERM, or ``stop`` set)
cancels what is in flight and keeps everything that has landed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laureate_writer.article import SectionKind
from laureate_writer.drafting import (
    BODY,
    DraftOutcome,
    Polished,
    StyleChecker,
    adraft_article,
    fixed_and_checked,
)
from laureate_writer.palmares import LoadedEdition
from laureate_writer.production.journal import Journal, section_key
from laureate_writer.production.limits import PriorityGate, TokenBucket
from laureate_writer.production.report import Tally
from laureate_writer.store import MISSING
from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer

#: Within a laureate: body sections first, then the framing sections, then the label.
RANK = {kind: (0 if kind in BODY else 2 if kind == SectionKind.prize_label else 1)
        for kind in SectionKind}  # fmt: skip


def prompt_hash(writer: Writer, request: SectionRequest) -> str:
    """A hash of how ``writer`` would be asked for this section: the rendered messages and
    parameters for a model writer (plus the revise template, since revise rounds shape
    the finished section), the writer and its inputs otherwise."""
    payload: dict[str, Any] = {"writer": writer.name, "model": writer.model}
    messages = getattr(writer, "messages", None)
    if callable(messages):
        # the request itself, not the client that sends it: a journal written through
        # LangChain resumes through the openai SDK (and back) without asking again
        payload["writer"] = "model"
        payload["messages"] = messages(request)
        payload["params"] = getattr(writer, "params", None)
        hashes = getattr(writer, "template_hashes", None)
        if callable(hashes):
            with contextlib.suppress(Exception):
                payload["revise"] = hashes("model/revise.md.j2")
    else:
        payload["drafted"] = {k.value: v for k, v in sorted(request.drafted.items())}
        payload["instruction"] = request.instruction
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


class JournalStore:
    """The :class:`~laureate_writer.drafting.SectionStore` of a production run: restores
    sections from the journal (re-checked against the current style and fact guard, no
    model call) and records each new one as it lands; tells the tally either way.
    Sections of the offline writer are neither journaled nor restored: they cost nothing."""

    def __init__(
        self, journal: Journal | None, style: StyleChecker | None, revise_rounds: int, tally: Tally
    ) -> None:
        self.journal = journal
        self.style = style
        self.revise_rounds = revise_rounds
        self.tally = tally
        self.restored = 0
        self.recorded = 0
        # a request's key, from restore() to record(): rendering and hashing the prompt once
        self._keys: dict[int, tuple[SectionRequest, str, str]] = {}

    def _key(self, request: SectionRequest, writer: Writer) -> tuple[str, str]:
        known = self._keys.get(id(request))
        if known is not None and known[0] is request:
            return known[1], known[2]
        p_hash = prompt_hash(writer, request)
        key = section_key(request.dossier.content_hash(), request.kind.value, p_hash,
                          writer.model, self.revise_rounds)  # fmt: skip
        self._keys[id(request)] = (request, key, p_hash)
        return key, p_hash

    @staticmethod
    def _journaled(writer: Writer) -> bool:
        return writer.name != "offline"

    def restore(self, request: SectionRequest, writer: Writer) -> Polished | None:
        if self.journal is None or not self._journaled(writer):
            return None
        key, _ = self._key(request, writer)
        entry = self.journal.get(key)
        if entry is None:
            # the journal holds only this run and the stopped runs it resumes: a section
            # they finished is kept even if the sections before it changed since
            entry = self.journal.latest(request.dossier.content_hash(), request.kind.value,
                                        writer.model, self.revise_rounds)  # fmt: skip
        if entry is None:
            return None
        try:
            journaled = SectionDraft.model_validate(entry.draft)
        except ValueError:  # a damaged row is work not done: drafted again
            return None
        self._keys.pop(id(request), None)
        draft, remaining = fixed_and_checked(journaled, request.dossier, self.style)
        self.restored += 1
        self.tally.landed(request.dossier.id, request.kind,
                          (entry.tokens_in, entry.tokens_out), restored=True)  # fmt: skip
        return Polished(draft, remaining, entry.revise_rounds, restored=True)

    def reused(self, request: SectionRequest, writer: Writer) -> None:
        """A section taken from the article file already written: no request, no cost."""
        if not self._journaled(writer):
            return
        self.restored += 1
        self.tally.landed(request.dossier.id, request.kind, (0, 0), restored=True)

    def record(self, request: SectionRequest, writer: Writer, polished: Polished) -> None:
        tokens = (polished.draft.tokens_in or 0, polished.draft.tokens_out or 0)
        self.tally.landed(request.dossier.id, request.kind, tokens, restored=False)
        if self.journal is None or not self._journaled(writer):
            return
        key, p_hash = self._key(request, writer)
        self._keys.pop(id(request), None)
        status = "flagged" if polished.remaining else ("fixed" if polished.revise_rounds else "ok")
        self.journal.put(
            key,
            dossier_id=request.dossier.id,
            dossier_hash=request.dossier.content_hash(),
            section=request.kind.value,
            prompt_hash=p_hash,
            model=writer.model,
            status=status,
            revise_rounds=polished.revise_rounds,
            tokens_in=tokens[0],
            tokens_out=tokens[1],
            draft=polished.draft.model_dump(mode="json"),
        )
        self.recorded += 1


@dataclass
class Production:
    """The result of :func:`produce`: one outcome per laureate in page order (None for a
    laureate a stop left unfinished), the tally, and whether the run was stopped."""

    loaded: LoadedEdition
    outcomes: list[DraftOutcome | None]
    tally: Tally
    interrupted: bool = False
    written: list[Path] = field(default_factory=list)
    peak_concurrency: int = 0
    intro: Any = None  # what the ``intro`` job returned (None if it did not finish)
    refused: dict[str, str] = field(default_factory=dict)  # article id → why not written

    @property
    def finished(self) -> list[DraftOutcome]:
        return [o for o in self.outcomes if o is not None]


def _previous_articles(loaded: LoadedEdition, out_dir: Path | None) -> dict[str, tuple[Any, str]]:
    """The article files already in ``out_dir``, with their versions, by dossier id (a
    file that cannot be read is bad input: the run stops before anything is written)."""
    from laureate_writer.store import ArticleStore

    found: dict[str, tuple[Any, str]] = {}
    if out_dir is None:
        return found
    for _, dossier in loaded.dossiers:
        store = ArticleStore(out_dir / f"{dossier.id}.md")
        if store.path.exists():
            found[dossier.id] = store.read()
    return found


@contextlib.contextmanager
def _rate_limited(writer: Writer, limiter: TokenBucket | None) -> Iterator[bool]:
    """Attach ``limiter`` to the writer's model client for the run (every model request
    waits its turn, re-asks and revise rounds included). Yields False when the writer has
    no such client (the gate then limits per section request)."""
    client = getattr(getattr(writer, "inner", writer), "client", None)
    if limiter is None or client is None or not hasattr(client, "rate_limiter"):
        yield False
        return
    previous = client.rate_limiter
    client.rate_limiter = limiter
    try:
        yield True
    finally:
        client.rate_limiter = previous


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event, enabled: bool) -> Iterator[None]:
    """SIGINT/SIGTERM set ``stop`` (a clean stop) instead of raising; a second Ctrl-C
    during the stop raises KeyboardInterrupt as usual."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    installed = []

    def on_signal(sig: signal.Signals) -> None:
        if stop.is_set() and sig == signal.SIGINT:
            loop.remove_signal_handler(signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)  # the default handler: KeyboardInterrupt
            return
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal, sig)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - not on Windows
            pass
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def produce(
    loaded: LoadedEdition,
    writer: Writer,
    *,
    style: StyleChecker | None,
    revise_rounds: int = 2,
    concurrency: int = 4,
    rpm: float | None = None,
    journal: Journal | None = None,
    tally: Tally | None = None,
    dossier_path: Callable[[Path], str] = str,
    out_dir: Path | None = None,
    stop: asyncio.Event | None = None,
    handle_signals: bool = False,
    intro: Callable[[], Awaitable[Any]] | None = None,
    force: bool = False,
) -> Production:
    """Draft every laureate of ``loaded`` together. ``dossier_path(path)`` is what each
    article's front matter records as its dossier; finished articles are written to
    ``out_dir/<id>.md`` as they complete. ``intro``: the page's own model request, run
    meanwhile in a slot of the same gate (after every laureate's waiting sections) and
    under the same limiter; its result is :attr:`Production.intro`.

    ``out_dir`` is the articles folder: an article file already there is the source of
    truth — only its missing, stale (dossier changed) or failed sections are drafted, its
    hand-edited ones are kept unless ``force``, and it is rewritten (through the article
    store, refused if edited meanwhile) only when something new was drafted. An article
    whose every section failed is not written (it would hold the prize label alone)."""
    from laureate_writer.output import WriteRefused
    from laureate_writer.store import ArticleStore

    previous = _previous_articles(loaded, out_dir)

    tally = tally or Tally([(d.id, d.laureate.name) for _, d in loaded.dossiers],
                           model=writer.model)  # fmt: skip
    stop = stop or asyncio.Event()
    gate = PriorityGate(concurrency)
    limiter = TokenBucket(rpm) if rpm else None
    store = JournalStore(journal, style, revise_rounds, tally)
    result = Production(loaded, [None] * len(loaded.dossiers), tally)

    def slot_for(index: int) -> Callable[[SectionKind], Any]:
        @contextlib.asynccontextmanager
        async def slot(kind: SectionKind) -> Any:
            if kind == SectionKind.prize_label:  # the award's wording: no model, no slot
                yield
                return
            async with gate.slot((index, RANK[kind])):
                if limiter is not None and not limited_in_model:
                    await limiter.aacquire()
                yield

        return slot

    async def one(index: int, path: Path, dossier: Any) -> None:
        def on_section(kind: SectionKind, status: str) -> None:
            tally.status(dossier.id, kind, status)

        outcome = await adraft_article(
            dossier,
            writer,
            dossier_path=dossier_path(path),
            style=style,
            revise_rounds=revise_rounds,
            gate=slot_for(index),
            store=store,
            on_section=on_section,
            previous=previous[dossier.id][0] if dossier.id in previous else None,
            force=force,
            reuse_current=True,
        )
        for kind, reason in outcome.failures.items():
            tally.status(dossier.id, SectionKind(kind), "failed", reason)
        result.outcomes[index] = outcome
        if out_dir is not None and not outcome.nothing_drafted:
            target = out_dir / f"{outcome.article.id}.md"
            seen = previous[dossier.id][1] if dossier.id in previous else MISSING
            if outcome.changed or seen == MISSING:
                try:
                    ArticleStore(target).write(outcome.article.to_markdown(), expected=seen)
                except WriteRefused as refused:
                    result.refused[dossier.id] = str(refused)
                else:
                    result.written.append(target)

    async def page_intro() -> Any:
        assert intro is not None
        async with gate.slot((len(loaded.dossiers), 0)):
            if limiter is not None and not limited_in_model:
                await limiter.aacquire()
            return await intro()

    with _rate_limited(writer, limiter) as limited_in_model, _stop_on_signals(stop, handle_signals):
        tasks = [asyncio.create_task(one(i, path, dossier), name=f"laureate:{dossier.id}")
                 for i, (path, dossier) in enumerate(loaded.dossiers)]  # fmt: skip
        if intro is not None:
            tasks.append(asyncio.create_task(page_intro(), name="page:intro"))
        all_done = asyncio.gather(*tasks)
        stopper = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait([all_done, stopper], return_when=asyncio.FIRST_COMPLETED)
            if all_done.done():
                results = all_done.result()  # a bug in a task surfaces here
                if intro is not None:
                    result.intro = results[-1]
            else:
                result.interrupted = True
        finally:
            stopper.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(BaseException):
                all_done.exception()  # retrieved: no "exception never retrieved" noise
    tally.interrupted = result.interrupted
    tally.finished = time.monotonic()
    result.peak_concurrency = gate.peak
    return result
