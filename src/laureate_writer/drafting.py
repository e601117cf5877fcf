"""Drafting a whole article: sections in dependency order, each with its provenance.

Body sections are drafted first; the lead, headline and caption are then written knowing
the body (a model summarises what it wrote; the offline writer ignores it).
"""

from __future__ import annotations

from laureate_writer.article import SECTION_ORDER, Article, Provenance, Section, SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer

DRAFT_ORDER = [
    SectionKind.context,
    SectionKind.method,
    SectionKind.details,
    SectionKind.results,
    SectionKind.lead,
    SectionKind.headline,
    SectionKind.caption,
    SectionKind.prize_label,
]


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


def draft_article(dossier: Dossier, writer: Writer, *, dossier_path: str | None = None) -> Article:
    """Draft every section of ``dossier`` with ``writer`` and assemble the article."""
    dossier_hash = dossier.content_hash()
    drafted: dict[SectionKind, str] = {}
    sections: dict[SectionKind, Section] = {}
    for kind in DRAFT_ORDER:
        request = SectionRequest(dossier=dossier, kind=kind, drafted=dict(drafted))
        section = to_section(writer.draft_section(request), writer, dossier_hash)
        sections[kind] = section
        drafted[kind] = section.text
    article = Article(
        id=dossier.id,
        dossier=dossier_path,
        dossier_hash=dossier_hash,
        prize=dossier.prize.name,
        laureate=dossier.laureate.name,
        sections=[sections[k] for k in SECTION_ORDER if k in sections],
    )
    return with_fact_report(article, dossier)


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
