"""Host-drafted sections: the brief the host's own model writes from, and saving its
text back through the same fixes and checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from laureate_writer.article import Article, Provenance, Section, SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.loading import InputError
from laureate_writer.operations.context import (
    SECTION_NAMES,
    Context,
    OperationError,
    _article_path,
    _dossier_path,
    _kind,
    _load_article,
    _relative_to,
    article_dossier_of,
    guarded,
)
from laureate_writer.operations.results import BriefMessage, Finding, SaveReport, SectionBrief
from laureate_writer.operations.writing import default_article_path
from laureate_writer.workspace import (
    ARTICLE_SUFFIXES,
    DOSSIER_SUFFIXES,
    MAX_INSTRUCTION_CHARS,
    MAX_INTERTITLE_CHARS,
    MAX_SECTION_CHARS,
    limit_text,
)

# --- host-drafted sections -------------------------------------------------------------------

HOW_TO_ANSWER = (
    "Write the section yourself, in French, from these messages (ignore the line asking "
    "for a JSON object). Then call save_section with article={article!r}, "
    "section={section!r}, text=<the section's text>{intertitle}{dossier}. save_section "
    "applies the safe house-style fixes and returns the remaining style and fact errors: "
    "correct them and call save_section again until ok is true."
)


def _host_writer(ctx: Context) -> Any:
    from laureate_writer import api
    from laureate_writer.writers.chat import ChatModelWriter

    return ChatModelWriter(
        None, "host", prompts=ctx.prompts, style_summary=api.style_summary(ctx.style)
    )


@guarded
def section_brief(
    ctx: Context,
    target: str,
    section: str,
    instruction: str | None = None,
) -> SectionBrief:
    """The brief for one section — the rendered prompt with the dossier data — for a host
    model to write it. ``target`` is a dossier (a new article) or an existing article."""
    from laureate_writer.writers.base import SectionRequest
    from laureate_writer.writers.chat import fenced_text

    kind = _kind(section)
    instruction = limit_text(instruction, MAX_INSTRUCTION_CHARS, "instruction")
    resolved = ctx.workspace.resolve(
        target,
        must_exist=False,
        suffixes=(*DOSSIER_SUFFIXES, *ARTICLE_SUFFIXES),
        what="dossier or article",
    )
    current: Section | None = None
    drafted: dict[SectionKind, str] = {}
    if resolved.suffix.lower() in ARTICLE_SUFFIXES:
        article_path = _article_path(ctx, target)
        _, parsed = _load_article(ctx, article_path)
        dossier_path, dossier = article_dossier_of(ctx, article_path, parsed)
        current = parsed.section(kind)
        drafted = {s.kind: s.text for s in parsed.sections if s.kind != kind}
    else:
        from laureate_writer import api

        dossier_path = _dossier_path(ctx, target)
        dossier = api.load_dossier(dossier_path)
        article_path = default_article_path(dossier_path)
        if ctx.store.exists(article_path):
            try:
                _, parsed = _load_article(ctx, article_path)
            except InputError:
                parsed = None
            if parsed is not None:
                current = parsed.section(kind)
                drafted = {s.kind: s.text for s in parsed.sections if s.kind != kind}
    writer = _host_writer(ctx)
    request = SectionRequest(dossier=dossier, kind=kind, drafted=drafted, instruction=instruction)
    if instruction and current is not None:
        messages = writer.regenerate_messages(request, current.text, current.intertitle)
    else:
        messages = writer.messages(request)
        if instruction:
            messages[-1]["content"] += (
                f"\n\nConsigne de l'éditeur :\n<consigne>\n{fenced_text(instruction)}\n</consigne>"
            )
    rel_article = ctx.rel(article_path)
    how = HOW_TO_ANSWER.format(
        article=rel_article,
        section=kind.value,
        intertitle=", intertitle=<a short intertitle>" if kind.has_intertitle else "",
        dossier="" if ctx.store.exists(article_path) else f", dossier={ctx.rel(dossier_path)!r}",
    )
    return SectionBrief(
        dossier=ctx.rel(dossier_path),
        article=rel_article,
        section=kind.value,
        section_name=kind.french,
        needs_intertitle=kind.has_intertitle,
        messages=[BriefMessage(**m) for m in messages],
        current_text=current.text if current else None,
        current_intertitle=current.intertitle if current else None,
        how_to_answer=how,
    )


def _new_article(ctx: Context, path: Path, dossier_path: Path, dossier: Dossier) -> Article:
    """An article holding only its prize label (the award's wording, from the template)."""
    from laureate_writer.drafting import to_section
    from laureate_writer.writers.base import SectionRequest
    from laureate_writer.writers.offline import OfflineWriter

    label_writer = OfflineWriter(prompts=ctx.prompts)
    label = label_writer.draft_section(
        SectionRequest(dossier=dossier, kind=SectionKind.prize_label)
    )
    return Article(
        id=dossier.id,
        dossier=_relative_to(dossier_path, path.parent),
        dossier_hash=dossier.content_hash(),
        prize=dossier.prize_name,
        laureate=dossier.laureate.name,
        sections=[to_section(label, label_writer, dossier.content_hash())],
    )


@guarded
def save_section(
    ctx: Context,
    article: str,
    section: str,
    text: str,
    intertitle: str | None = None,
    dossier: str | None = None,
    model: str | None = None,
    force: bool = False,
) -> SaveReport:
    """Store a section written by the host model: safe fixes applied, style and fact
    checks run, provenance ``host``; returns what is left to correct."""
    from laureate_writer.drafting import fixed_and_checked
    from laureate_writer.regenerate import with_section_reports
    from laureate_writer.writers.base import SectionDraft

    kind = _kind(section)
    text = limit_text(text, MAX_SECTION_CHARS, "text", required=True) or ""
    intertitle = limit_text(intertitle, MAX_INTERTITLE_CHARS, "intertitle")
    model = limit_text(model, 100, "model")
    path = _article_path(ctx, article, must_exist=False)
    created = not ctx.store.exists(path)
    if created:
        if not dossier:
            raise OperationError(
                f"{ctx.rel(path)} n’existe pas encore : indiquez le dossier pour créer l’article"
            )
        dossier_path = _dossier_path(ctx, dossier)
        from laureate_writer import api

        facts = api.load_dossier(dossier_path)
        parsed = _new_article(ctx, path, dossier_path, facts)
    else:
        _, parsed = _load_article(ctx, path)
        dossier_path, facts = article_dossier_of(ctx, path, parsed, dossier)
        current = parsed.section(kind)
        if current is not None and current.edited and not force:
            raise OperationError(
                f"{ctx.rel(path)} : la section « {kind.value} » a été modifiée à la main ; "
                "force=true pour la remplacer (le texte modifié est gardé dans l’historique)"
            )
    draft = SectionDraft(
        kind=kind,
        text=text,
        intertitle=intertitle if kind.has_intertitle else None,
        template=f"model/sections/{kind.value}.md.j2",
        model=model,
    )
    fixed, remaining = fixed_and_checked(draft, facts, ctx.style)
    findings = [Finding.of(v, kind.value) for v in remaining]
    if kind.has_intertitle and not fixed.intertitle:
        findings.append(
            Finding(
                checker="structure",
                rule="missing-intertitle",
                severity="warning",
                section=kind.value,
                message="cette section demande un intertitre court",
            )
        )
    provenance = Provenance(
        writer="host", model=model, template=draft.template, dossier_hash=facts.content_hash()
    )
    stored = Section.create(kind, fixed.text, provenance, fixed.intertitle)
    # Written through the store: refused if this section changed since it was read; the
    # other sections (other host calls, an editor) are kept as they are now.
    updated = ctx.store.replace_sections(
        path,
        parsed,
        [stored],
        finish=lambda a: with_section_reports(a, facts, kind, remaining),
        note=f"host {kind.value}",
    )
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        next_step = (
            f"{len(errors)} error(s) remain: rewrite the text to correct them (use "
            "only facts from the dossier) and call save_section again"
        )
    else:
        missing = [n for n in SECTION_NAMES if updated.section(n) is None]
        next_step = (
            f"section stored; sections still to write: {', '.join(missing)}"
            if missing
            else "section stored; the article is complete"
        )
    return SaveReport(
        article=ctx.rel(path),
        section=kind.value,
        created=created,
        text=stored.text,
        intertitle=stored.intertitle,
        fixes_applied=(fixed.text, fixed.intertitle) != (draft.text, draft.intertitle),
        ok=not errors,
        remaining=findings,
        next_step=next_step,
    )
