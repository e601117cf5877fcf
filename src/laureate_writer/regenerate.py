"""Regenerating one section of an article file on an editor's instruction.

Only that section changes: the other sections' bytes are left exactly as they are in the
file (the new text is spliced in between the markers), a section edited by hand is
protected unless forced, and the previous version is kept in the front matter's
history so the regeneration can be undone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laureate_writer.article import (
    Article,
    Section,
    SectionKind,
    iter_section_spans,
    render_section,
)
from laureate_writer.dossier import Dossier
from laureate_writer.loading import InputError, load, read_text
from laureate_writer.writers.base import SectionRequest, Writer
from laureate_writer.writers.chat import SectionFailure

__all__ = ["Regeneration", "RegenerationRefused", "SectionFailure", "aregenerate", "undo"]


class RegenerationRefused(Exception):
    """The section was edited by hand and ``force`` was not given."""


@dataclass
class Regeneration:
    path: Path
    kind: SectionKind
    before: str  # the whole file before
    after: str  # the whole file after
    section: Section

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"{self.path} (before)",
                tofile=f"{self.path} (after)",
            )
        )


def read_article(path: str | Path) -> tuple[str, Article]:
    path = Path(path)
    text = read_text(path)
    return text, Article.from_markdown(text, str(path))


def article_dossier(path: Path, article: Article, dossier: str | Path | None = None) -> Dossier:
    """The article's dossier: ``dossier`` if given, else the front matter's path."""
    if dossier is None:
        if not article.dossier:
            raise InputError.single(
                str(path), "the article names no dossier: pass --dossier", 2, 1, "dossier"
            )
        candidate = Path(article.dossier)
        dossier = candidate if candidate.is_absolute() else path.parent / candidate
    return load(Dossier, dossier)


def splice(text: str, updated: Article, kind: SectionKind) -> str:
    """The file ``text`` with the front matter of ``updated`` and the body of section
    ``kind`` replaced; every other byte of the body is left as it was."""
    end = text.find("\n---\n", 3)
    body = text[end + len("\n---\n") :]
    section = updated.section(kind)
    spans = {name: (start, stop) for name, start, stop in iter_section_spans(body)}
    if section is None or kind.value not in spans:
        # A section the file lacks is placed in order by re-rendering the body.
        return updated.to_markdown()
    start, stop = spans[kind.value]
    old = body[start:stop]
    trailing = old[len(old.rstrip("\n")) :]
    rendered = render_section(section).split("\n", 1)[1]
    body = body[:start] + "\n" + rendered + trailing + body[stop:]
    return f"---\n{updated.front_matter()}---\n{body}"


async def aregenerate(
    path: str | Path,
    kind: SectionKind | str,
    writer: Writer,
    *,
    instruction: str | None = None,
    force: bool = False,
    dossier: str | Path | None = None,
    style: Any = None,
) -> Regeneration:
    """Rewrite one section of the article file at ``path`` (nothing is written here)."""
    from laureate_writer.drafting import apply_safe_fixes, to_section

    path = Path(path)
    kind = SectionKind(kind)
    before, article = read_article(path)
    current = article.section(kind)
    if current is not None and current.edited and not force:
        raise RegenerationRefused(
            f"{path}: section '{kind.value}' was edited by hand since it was written; "
            "use --force to replace it (the hand-edited text is kept in the history)"
        )
    facts = article_dossier(path, article, dossier)
    others = {s.kind: s.text for s in article.sections if s.kind != kind}
    request = SectionRequest(dossier=facts, kind=kind, drafted=others, instruction=instruction)
    draft = await writer.aregenerate(
        request, current.text if current else "", current.intertitle if current else None
    )
    draft = apply_safe_fixes(draft, style)
    section = to_section(draft, writer, facts.content_hash())
    updated = article.replace_section(section, keep_previous=True)
    return Regeneration(path, kind, before, splice(before, updated, kind), section)


def undo(path: str | Path, kind: SectionKind | str) -> Regeneration:
    """Put back the previous version of a section from the article's history."""
    path = Path(path)
    kind = SectionKind(kind)
    before, article = read_article(path)
    entries = list(article.history.get(kind.value) or [])
    if not entries:
        raise InputError.single(
            str(path),
            f"no previous version of '{kind.value}' to restore",
            2,
            1,
            f"history.{kind.value}",
        )
    previous = Section.model_validate({**entries.pop(), "kind": kind})
    history = {k: v for k, v in article.history.items() if k != kind.value}
    if entries:
        history[kind.value] = entries
    updated = article.replace_section(previous).model_copy(update={"history": history})
    return Regeneration(path, kind, before, splice(before, updated, kind), previous)
