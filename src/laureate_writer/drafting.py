"""Drafting a whole article: sections in dependency order, each polished and checked.

Body sections (context, method, details, results) are drafted concurrently first; then
the lead, headline and caption, which are written knowing the body. Every section then
goes through the same polish: safe house-style fixes, style, grammar (Grammalecte, when
installed: see ``style.grammar``) and fact checks, and — for writers that can revise —
at most ``revise_rounds`` rounds sending the violations back.
What remains is stored in the article's reports, never dropped. A section that fails is
reported with its reason while the others are kept (a partial article).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from laureate_writer.article import SECTION_ORDER, Article, Provenance, Section, SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.violations import Severity, Violation
from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer

BODY = (SectionKind.context, SectionKind.method, SectionKind.details, SectionKind.results)
FRAMING = (SectionKind.lead, SectionKind.headline, SectionKind.caption)
DRAFT_ORDER = [*BODY, *FRAMING, SectionKind.prize_label]


class StyleChecker(Protocol):
    """What drafting needs of the house style engine."""

    def fix(self, text: str, scope: str | None = None) -> str: ...

    def check(self, text: str, scope: str | None = None) -> list[Violation]: ...

    def fix_and_check(self, text: str, scope: str | None = None) -> tuple[str, list[Violation]]:
        """The fixed text and what remains in it."""
        ...


@dataclass
class Polished:
    draft: SectionDraft
    remaining: list[Violation] = field(default_factory=list)
    revise_rounds: int = 0
    restored: bool = False  # taken from a store of finished sections, not drafted now


class SectionStore(Protocol):
    """Finished sections kept outside the run (a production journal): ``restore`` gives a
    finished section back instead of drafting it again; ``record`` keeps one as it lands."""

    def restore(self, request: SectionRequest, writer: Writer) -> Polished | None: ...

    def record(self, request: SectionRequest, writer: Writer, polished: Polished) -> None: ...


def to_section(draft: SectionDraft, writer: Writer, dossier_hash: str) -> Section:
    provenance = Provenance(
        writer=writer.name,
        model=draft.model or writer.model,
        template=draft.template,
        template_hash=draft.template_hash,
        dossier_hash=dossier_hash,
        tokens_in=draft.tokens_in,
        tokens_out=draft.tokens_out,
    )
    return Section.create(draft.kind, draft.text, provenance, draft.intertitle)


def _scope(kind: SectionKind) -> str | None:
    """The style scope of a section; None for the prize label (the award's own wording)."""
    return None if kind == SectionKind.prize_label else kind.scope


def _style_errors(found: list[Violation]) -> list[Violation]:
    return [v for v in found if v.severity >= Severity.error]


def _parts(draft: SectionDraft) -> list[tuple[str, str, str]]:
    """(field, text, style scope) of a draft's checked parts."""
    scope = _scope(draft.kind)
    parts = [("text", draft.text, scope or "")]
    if draft.intertitle:
        parts.append(("intertitle", draft.intertitle, "intertitle"))
    return parts


def _fact_errors(draft: SectionDraft, dossier: Dossier) -> list[Violation]:
    from laureate_writer.facts import check_text

    found: list[Violation] = []
    for _, text, _ in _parts(draft):
        found += check_text(text, dossier, section=draft.kind.value)
    return found


def _grammar_errors(
    text: str, scope: str, house: list[Violation], dossier: Dossier
) -> list[Violation]:
    """Grammar errors in a checked part (the grammar pass runs with the house style,
    when LW_GRAMMAR allows; the dossier's words are known words)."""
    from laureate_writer.style.grammar import drafting_grammar, words_of

    grammar = drafting_grammar()
    if grammar is None:
        return []
    found = grammar.check(text, scope, house, accept=words_of([dossier.model_dump()]))
    return _style_errors(found)


def section_violations(
    draft: SectionDraft, dossier: Dossier, style: StyleChecker | None
) -> list[Violation]:
    """Errors left in a draft: house style and grammar (errors only) and unsupported
    facts."""
    found: list[Violation] = []
    if style is not None and _scope(draft.kind) is not None:
        for _, text, scope in _parts(draft):
            house = style.check(text, scope)
            found += _style_errors(house) + _grammar_errors(text, scope, house, dossier)
    return found + _fact_errors(draft, dossier)


def apply_safe_fixes(draft: SectionDraft, style: StyleChecker | None) -> SectionDraft:
    if style is None or _scope(draft.kind) is None:
        return draft
    update = {name: style.fix(text, scope) for name, text, scope in _parts(draft)}
    return draft.model_copy(update=update)


def fixed_and_checked(
    draft: SectionDraft, dossier: Dossier, style: StyleChecker | None
) -> tuple[SectionDraft, list[Violation]]:
    """Safe fixes then the checks, in one pass of the style engine per part (the same
    result as :func:`apply_safe_fixes` followed by :func:`section_violations`)."""
    if style is None or _scope(draft.kind) is None:
        return draft, _fact_errors(draft, dossier)
    update: dict[str, Any] = {}
    found: list[Violation] = []
    for name, text, scope in _parts(draft):
        update[name], violations = style.fix_and_check(text, scope)
        found += _style_errors(violations)
        found += _grammar_errors(update[name], scope, violations, dossier)
    fixed = draft.model_copy(update=update)
    return fixed, found + _fact_errors(fixed, dossier)


async def polish(
    request: SectionRequest,
    draft: SectionDraft,
    writer: Writer,
    style: StyleChecker | None,
    revise_rounds: int,
) -> Polished:
    """Safe fixes, checks, and bounded revise rounds for one section."""
    draft, violations = fixed_and_checked(draft, request.dossier, style)
    rounds = 0
    while violations and writer.supports_revision and rounds < revise_rounds:
        rounds += 1
        revised = await writer.arevise(request, draft, violations)
        draft, violations = fixed_and_checked(revised, request.dossier, style)
    return Polished(draft, violations, rounds)


@dataclass
class DraftOutcome:
    article: Article
    failures: dict[str, str] = field(default_factory=dict)
    # over a previous article: the sections kept from it and why (hand edit, failure)
    kept: dict[str, str] = field(default_factory=dict)
    changed: bool = True  # something new was drafted (False: the file needs no write)

    @property
    def partial(self) -> bool:
        return bool(self.failures)

    @property
    def unresolved(self) -> int:
        return len(self.article.reports.get("unresolved", []))

    @property
    def nothing_drafted(self) -> bool:
        """Every section failed: only the prize label (never asked of a model) is left.
        Such an article is not written, nor put on a page: it would be a label alone."""
        kinds = {s.kind for s in self.article.sections}
        return bool(self.failures) and kinds <= {SectionKind.prize_label}


async def adraft_article(
    dossier: Dossier,
    writer: Writer,
    *,
    dossier_path: str | None = None,
    style: StyleChecker | None = None,
    revise_rounds: int = 2,
    concurrency: int = 4,
    on_section: Callable[[SectionKind, str], Awaitable[None] | None] | None = None,
    gate: Callable[[SectionKind], AbstractAsyncContextManager[Any]] | None = None,
    store: SectionStore | None = None,
    previous: Article | None = None,
    force: bool = False,
    reuse_current: bool = False,
) -> DraftOutcome:
    """Draft, polish and assemble one article. ``on_section(kind, status)`` is told as
    each section lands ("ok", "fixed", "flagged", "failed") — for progress displays.

    For production runs: ``gate(kind)`` replaces the article's own ``concurrency`` bound
    (a slot shared by many articles); ``store`` restores finished sections instead of
    drafting them, and records each section as it lands.

    Over a ``previous`` article (the file being replaced) nothing is lost: its hand-edited
    sections are kept unless ``force``, a section failing now keeps its previous text,
    and with ``reuse_current`` a section already written from this dossier is reused
    (see :mod:`laureate_writer.reuse`)."""
    from laureate_writer.reuse import Reuse
    from laureate_writer.writers.base import NothingToSay
    from laureate_writer.writers.chat import SectionFailure
    from laureate_writer.writers.offline import OfflineWriter

    dossier_hash = dossier.content_hash()
    reuse = Reuse.plan(previous, dossier_hash, force=force, reuse_current=reuse_current)
    if reuse.sections:
        store = reuse.store(store, style)
    semaphore = asyncio.Semaphore(concurrency)
    drafted: dict[SectionKind, str] = {}
    done: dict[SectionKind, Polished] = {}
    failures: dict[str, str] = {}

    async def drafted_and_polished(request: SectionRequest, section_writer: Writer) -> Polished:
        restored = store.restore(request, section_writer) if store is not None else None
        if restored is not None:
            return restored
        slot = gate(request.kind) if gate is not None else semaphore
        async with slot:
            draft = await section_writer.adraft_section(request)
            result = await polish(request, draft, section_writer, style, revise_rounds)
        if store is not None:
            store.record(request, section_writer, result)
        return result

    async def one(kind: SectionKind, section_writer: Writer) -> None:
        request = SectionRequest(dossier=dossier, kind=kind, drafted=dict(drafted))
        try:
            result = await drafted_and_polished(request, section_writer)
        except NothingToSay:
            status = "empty"  # nothing in the dossier for it: the article goes without
        except SectionFailure as failure:
            failures[kind.value] = failure.reason
            status = "failed"
        else:
            done[kind] = result
            status = "flagged" if result.remaining else ("fixed" if result.revise_rounds else "ok")
        if on_section is not None:
            maybe = on_section(kind, status)
            if asyncio.iscoroutine(maybe):
                await maybe

    await asyncio.gather(*(one(kind, writer) for kind in BODY))
    # In section order, not completion order: the prompts (and their cache keys) must not
    # depend on which body section happened to finish first.
    drafted.update({k: done[k].draft.text for k in BODY if k in done})
    await asyncio.gather(*(one(kind, writer) for kind in FRAMING))
    # The prize label is the award's own wording: always the deterministic template.
    label_writer = writer if isinstance(writer, OfflineWriter) else OfflineWriter()
    await one(SectionKind.prize_label, label_writer)

    sections = []
    unresolved: list[dict[str, Any]] = []
    for kind in SECTION_ORDER:
        if kind not in done:
            continue
        polished = done[kind]
        section_writer = label_writer if kind == SectionKind.prize_label else writer
        sections.append(to_section(polished.draft, section_writer, dossier_hash))
        unresolved += [v.model_dump(mode="json") for v in polished.remaining]
    article = Article(
        id=dossier.id,
        dossier=dossier_path,
        dossier_hash=dossier_hash,
        prize=dossier.prize_name,
        laureate=dossier.laureate.name,
        sections=sections,
    )
    article = with_fact_report(article, dossier)
    extra: dict[str, Any] = {}
    if unresolved:
        extra["unresolved"] = unresolved
    if failures:
        extra["failures"] = failures
    if extra:
        article = article.model_copy(update={"reports": {**article.reports, **extra}})
    fresh = {kind for kind in done if kind not in reuse.sections}
    article, kept, changed = reuse.assemble(article, fresh, failures)
    if kept:
        article = with_fact_report(article, dossier)
    return DraftOutcome(article, failures, kept, changed)


def draft_article(
    dossier: Dossier,
    writer: Writer,
    *,
    dossier_path: str | None = None,
    style: StyleChecker | None = None,
    revise_rounds: int = 2,
) -> Article:
    """Synchronous form of :func:`adraft_article`, returning the article."""
    outcome = asyncio.run(
        adraft_article(
            dossier, writer, dossier_path=dossier_path, style=style, revise_rounds=revise_rounds
        )
    )
    return outcome.article


def with_fact_report(article: Article, dossier: Dossier) -> Article:
    """Attach the fact guard's report (unsupported claims, result coverage) to the article,
    so what the guard found travels with the file instead of being silently dropped."""
    from laureate_writer.facts import check_sections

    texts = [(s.kind.value, _checked_text(s)) for s in article.sections]
    report = check_sections(texts, dossier)
    reports = {**article.reports, "facts": report.model_dump(mode="json")}
    return article.model_copy(update={"reports": reports})


def _checked_text(section: Section) -> str:
    return f"{section.intertitle}\n\n{section.text}" if section.intertitle else section.text
