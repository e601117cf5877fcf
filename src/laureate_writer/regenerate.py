"""Regenerating one section of an article file on an editor's instruction.

Only that section changes: the other sections' bytes are left exactly as they are in the
file (the new text is spliced in between the markers), a section edited by hand is
protected unless forced, and the previous version is kept in the front matter's
history so the regeneration can be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laureate_writer.article import (
    Article,
    Section,
    SectionKind,
    splice,
)
from laureate_writer.dossier import Dossier
from laureate_writer.loading import InputError, load, read_text
from laureate_writer.violations import Violation
from laureate_writer.writers.base import SectionRequest, Writer
from laureate_writer.writers.chat import SectionFailure

__all__ = [
    "Regeneration",
    "RegenerationRefused",
    "Rewritten",
    "SectionFailure",
    "aregenerate",
    "arewrite",
    "restore_previous",
    "splice",
    "undo",
    "with_section_reports",
]


class RegenerationRefused(Exception):
    """The section was edited by hand and ``force`` was not given."""


@dataclass
class Regeneration:
    path: Path
    kind: SectionKind
    before: str  # the whole file before
    after: str  # the whole file after
    section: Section
    base: Article | None = None  # the article as read (what the store checks against)
    finish: Callable[[Article], Article] | None = None  # brings the reports up to date
    remaining: list[Violation] = field(default_factory=list)

    def diff(self) -> str:
        """The words that changed in the section (not the file's bookkeeping)."""
        from laureate_writer.prose_diff import text_diff

        return text_diff(self.before, self.after, str(self.path))

    def save(self) -> str:
        """Write the new section into the file through the article store: refused
        (StaleWrite) if that section changed on disk meanwhile; changes made to other
        sections meanwhile are kept. Returns the file's new version."""
        from laureate_writer.store import ArticleStore, version_of

        store = ArticleStore(self.path)
        if self.base is None:  # a restore: the whole file, compare-and-swap
            return store.write(self.after, expected=version_of(self.before))
        return store.replace_sections(self.base, [self.section], finish=self.finish)[1]


def read_article(path: str | Path) -> tuple[str, Article]:
    path = Path(path)
    text = read_text(path)
    return text, Article.from_markdown(text, str(path))


def article_dossier(path: Path, article: Article, dossier: str | Path | None = None) -> Dossier:
    """The article's dossier: ``dossier`` if given, else the front matter's path."""
    if dossier is None:
        if not article.dossier:
            raise InputError.single(
                str(path),
                "l’article ne nomme pas son dossier : indiquez --dossier",
                2,
                1,
                "dossier",
            )
        candidate = Path(article.dossier)
        dossier = candidate if candidate.is_absolute() else path.parent / candidate
    return load(Dossier, dossier)


def with_section_reports(
    article: Article, dossier: Dossier, kind: SectionKind, remaining: list[Violation]
) -> Article:
    """The article's fact report recomputed, and the section's unresolved findings and
    failure replaced by the new version's."""
    from laureate_writer.drafting import with_fact_report

    article = with_fact_report(article, dossier)
    reports = dict(article.reports)
    unresolved = [u for u in reports.get("unresolved", []) if u.get("section") != kind.value]
    unresolved += [
        {**v.model_dump(mode="json"), "section": v.section or kind.value} for v in remaining
    ]
    failures = {k: v for k, v in (reports.get("failures") or {}).items() if k != kind.value}
    for key, value in (("unresolved", unresolved), ("failures", failures)):
        if value:
            reports[key] = value
        else:
            reports.pop(key, None)
    return article.model_copy(update={"reports": reports})


@dataclass
class Rewritten:
    after: str  # the whole file after
    section: Section
    remaining: list[Violation]
    finish: Callable[[Article], Article]  # the reports of an article holding the section


async def arewrite(
    before: str,
    article: Article,
    kind: SectionKind,
    writer: Writer,
    dossier: Dossier,
    *,
    instruction: str | None = None,
    force: bool = False,
    style: Any = None,
    revise_rounds: int = 2,
    where: str = "-",
) -> Rewritten:
    """Rewrite section ``kind`` of the article file text ``before`` (already parsed as
    ``article``): refuse a hand edit unless ``force``; then the writer's new version
    goes through the same polish as a draft (safe fixes, checks, revise rounds), and
    the file text comes back with only that section and the front matter changed."""
    from laureate_writer.drafting import polish, to_section

    current = article.section(kind)
    if current is not None and current.edited and not force:
        raise RegenerationRefused(
            f"{where} : la section « {kind.value} » a été modifiée à la main ; "
            "--force pour la remplacer (le texte modifié est gardé dans l’historique)"
        )
    others = {s.kind: s.text for s in article.sections if s.kind != kind}
    request = SectionRequest(dossier=dossier, kind=kind, drafted=others, instruction=instruction)
    draft = await writer.aregenerate(
        request, current.text if current else "", current.intertitle if current else None
    )
    polished = await polish(request, draft, writer, style, revise_rounds)
    section = to_section(polished.draft, writer, dossier.content_hash())

    def finish(updated: Article) -> Article:
        return with_section_reports(updated, dossier, kind, polished.remaining)

    updated = finish(article.replace_section(section, keep_previous=True))
    return Rewritten(splice(before, updated, kind), section, polished.remaining, finish)


async def aregenerate(
    path: str | Path,
    kind: SectionKind | str,
    writer: Writer,
    *,
    instruction: str | None = None,
    force: bool = False,
    dossier: str | Path | None = None,
    style: Any = None,
    revise_rounds: int = 2,
) -> Regeneration:
    """Rewrite one section of the article file at ``path`` (nothing is written here)."""
    path = Path(path)
    kind = SectionKind(kind)
    before, article = read_article(path)
    facts = article_dossier(path, article, dossier)
    done = await arewrite(
        before,
        article,
        kind,
        writer,
        facts,
        instruction=instruction,
        force=force,
        style=style,
        revise_rounds=revise_rounds,
        where=str(path),
    )
    return Regeneration(
        path, kind, before, done.after, done.section, article, done.finish, done.remaining
    )


def restore_previous(
    before: str,
    article: Article,
    kind: SectionKind,
    where: str = "-",
    *,
    dossier: Dossier | None = None,
    style: Any = None,
) -> tuple[str, Section]:
    """The file text with the previous version of ``kind`` put back from the history.
    With the dossier, the article's reports are brought back in line with that version."""
    from laureate_writer.drafting import section_violations
    from laureate_writer.writers.base import SectionDraft

    entries = list(article.history.get(kind.value) or [])
    if not entries:
        raise InputError.single(
            where,
            f"pas de version précédente de « {kind.value} » à remettre",
            2,
            1,
            f"history.{kind.value}",
        )
    previous = Section.model_validate({**entries.pop(), "kind": kind})
    history = {k: v for k, v in article.history.items() if k != kind.value}
    if entries:
        history[kind.value] = entries
    updated = article.replace_section(previous).model_copy(update={"history": history})
    if dossier is not None:
        draft = SectionDraft(kind=kind, text=previous.text, intertitle=previous.intertitle)
        remaining = section_violations(draft, dossier, style)
        updated = with_section_reports(updated, dossier, kind, remaining)
    return splice(before, updated, kind), previous


def undo(
    path: str | Path,
    kind: SectionKind | str,
    *,
    dossier: str | Path | None = None,
    style: Any = None,
) -> Regeneration:
    """Put back the previous version of a section from the article's history."""
    path = Path(path)
    kind = SectionKind(kind)
    before, article = read_article(path)
    facts = article_dossier(path, article, dossier)
    after, previous = restore_previous(before, article, kind, str(path), dossier=facts, style=style)
    return Regeneration(path, kind, before, after, previous)
