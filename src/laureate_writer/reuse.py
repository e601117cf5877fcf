"""What a new draft keeps from the article file it is about to replace.

Reviewed articles are the source of truth: a draft over an existing article never
destroys work. A section edited by hand is kept unless forced; a section that fails now
keeps the text it had; with ``reuse_current`` (palmarès over its articles folder) a
section already written from this very dossier is not drafted again at all. What is
replaced goes into the section's history, so it can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from laureate_writer.article import Article, Section, SectionKind

if TYPE_CHECKING:
    from laureate_writer.drafting import Polished, SectionStore, StyleChecker
    from laureate_writer.writers.base import SectionRequest, Writer

EDITED = "edited by hand"
CURRENT = "already written from this dossier"
FAILED = "failed now; its previous text is kept"


@dataclass
class Reuse:
    """The previous article and what to take from it as it is."""

    previous: Article | None
    sections: dict[SectionKind, tuple[Section, str]] = field(default_factory=dict)

    @classmethod
    def plan(
        cls,
        previous: Article | None,
        dossier_hash: str,
        *,
        force: bool = False,
        reuse_current: bool = False,
    ) -> Reuse:
        if previous is None:
            return cls(None)
        failed = set((previous.reports.get("failures") or {}).keys())
        kept: dict[SectionKind, tuple[Section, str]] = {}
        for section in previous.sections:
            if section.edited:
                if not force:
                    kept[section.kind] = (section, EDITED)
            elif (
                reuse_current
                and section.provenance.dossier_hash == dossier_hash
                and section.kind.value not in failed
            ):
                kept[section.kind] = (section, CURRENT)
        return cls(previous, kept)

    def store(self, inner: SectionStore | None, style: StyleChecker | None) -> SectionStore:
        return _ReusingStore(self, inner, style)

    def assemble(
        self, article: Article, fresh: set[SectionKind], failures: dict[str, str]
    ) -> tuple[Article, dict[str, str], bool]:
        """The drafted ``article`` with the kept sections put back as they were (their
        provenance and hash too), failed sections keeping their previous text, replaced
        sections in the history. Returns it, the kept sections with why (the hand-edited
        and failed ones: what to tell the editor), and whether anything new was drafted."""
        previous = self.previous
        if previous is None:
            return article, {}, bool(fresh)
        kept: dict[str, str] = {}
        result = article.model_copy(update={"history": dict(previous.history)})
        changed = False
        for kind, (section, reason) in self.sections.items():
            result = result.replace_section(section)
            if reason == EDITED:
                kept[kind.value] = reason
        for old in previous.sections:
            if old.kind.value in failures:
                result = result.replace_section(old)
                kept[old.kind.value] = FAILED
                continue
            new = article.section(old.kind)
            if new is None or old.kind in self.sections or old.kind not in fresh:
                continue
            if (new.text, new.intertitle) == (old.text, old.intertitle):
                result = result.replace_section(old)  # same words: the file keeps its bytes
            else:
                result = _with_history(result, old)
                changed = changed or old.kind != SectionKind.prize_label
        for kind in fresh:
            if previous.section(kind) is None and kind != SectionKind.prize_label:
                changed = True
        return result, kept, changed


def _with_history(article: Article, old: Section) -> Article:
    from laureate_writer.article import HISTORY_LIMIT

    history = {k: list(v) for k, v in article.history.items()}
    entries = history.setdefault(old.kind.value, [])
    entries.append(old.model_dump(mode="json", exclude={"kind"}))
    del entries[:-HISTORY_LIMIT]
    return article.model_copy(update={"history": history})


class _ReusingStore:
    """Gives the kept sections back instead of drafting them (checked again, not fixed:
    a hand edit is the editor's text), then asks ``inner`` (a production journal)."""

    def __init__(self, reuse: Reuse, inner: SectionStore | None, style: StyleChecker | None):
        self.reuse = reuse
        self.inner = inner
        self.style = style

    def restore(self, request: SectionRequest, writer: Writer) -> Polished | None:
        from laureate_writer.drafting import Polished, section_violations
        from laureate_writer.writers.base import SectionDraft

        kept = self.reuse.sections.get(request.kind)
        if kept is None:
            return self.inner.restore(request, writer) if self.inner is not None else None
        section = kept[0]
        tell = getattr(self.inner, "reused", None)  # a production run counts it as restored
        if tell is not None:
            tell(request, writer)
        draft = SectionDraft(kind=section.kind, text=section.text, intertitle=section.intertitle)
        remaining = section_violations(draft, request.dossier, self.style)
        return Polished(draft, remaining, 0, restored=True)

    def record(self, request: SectionRequest, writer: Writer, polished: Polished) -> None:
        if self.inner is not None:
            self.inner.record(request, writer, polished)
