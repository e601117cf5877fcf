"""Checks on an article: house style (and its safe fixes), facts, and reading it."""

from __future__ import annotations

from laureate_writer.article import Section, SectionKind
from laureate_writer.operations.context import (
    Context,
    OperationError,
    _article_path,
    _diff,
    _kind,
    _load_article,
    _style_report,
    article_dossier_of,
    guarded,
)
from laureate_writer.operations.results import (
    ArticleView,
    FactsReport,
    Finding,
    FixReport,
    StyleReport,
)
from laureate_writer.workspace import (
    MAX_SECTION_CHARS,
    limit_text,
)

# --- checks ----------------------------------------------------------------------------------


@guarded
def check_style(
    ctx: Context,
    article: str | None = None,
    text: str | None = None,
    section: str | None = None,
) -> StyleReport:
    """House-style findings for an article file, or for a text (as section ``section``)."""
    if (article is None) == (text is None):
        raise OperationError("indiquez un article ou un texte à vérifier")
    if text is not None:
        kind = _kind(section or "context")
        checked = limit_text(text, MAX_SECTION_CHARS, "text", required=True) or ""
        return _style_report("text", ctx.style.check(checked, kind.scope), kind.value)
    path = _article_path(ctx, article or "")
    markdown, parsed = _load_article(ctx, path)
    if section:
        kind = _kind(section, allow_label=True)
        found = parsed.section(kind)
        if found is None:
            raise OperationError(f"{ctx.rel(path)} n’a pas de section « {kind.value} »")
        violations = ctx.style.check(found.text, kind.scope)
        if found.intertitle:
            violations += ctx.style.check(found.intertitle, "intertitle")
        return _style_report(ctx.rel(path), violations, kind.value)
    return _style_report(ctx.rel(path), ctx.style.check(markdown, None))


@guarded
def fix_style(ctx: Context, article: str, dry_run: bool = False) -> FixReport:
    """Apply every safe house-style fix to an article's sections (each change is a new
    version: undo_section puts a section back)."""
    from laureate_writer.regenerate import splice

    path = _article_path(ctx, article)
    before, parsed = _load_article(ctx, path)
    style = ctx.style
    updated = parsed
    text = before
    changed = []
    fixed_sections: list[Section] = []
    for section in parsed.sections:
        if section.kind == SectionKind.prize_label:
            continue
        new_text = style.fix(section.text, section.kind.scope)
        new_title = style.fix(section.intertitle, "intertitle") if section.intertitle else None
        if new_text == section.text and new_title == section.intertitle:
            continue
        if section.edited:  # still counts as edited by hand: keep the writer's hash
            fixed = section.model_copy(update={"text": new_text, "intertitle": new_title})
        else:
            fixed = Section.create(section.kind, new_text, section.provenance, new_title)
        updated = updated.replace_section(fixed, keep_previous=True)
        text = splice(text, updated, section.kind)
        changed.append(section.kind.value)
        fixed_sections.append(fixed)
    if changed and not dry_run:
        ctx.store.replace_sections(path, parsed, fixed_sections, note="fix")
    remaining = _style_report(ctx.rel(path), style.check(text, None))
    return FixReport(
        article=ctx.rel(path),
        changed_sections=changed,
        diff=_diff(before, text, ctx.rel(path)),
        written=bool(changed) and not dry_run,
        remaining=remaining,
    )


@guarded
def check_facts(ctx: Context, article: str, dossier: str | None = None) -> FactsReport:
    """Trace every figure, date, name and quote of an article to its dossier."""
    from laureate_writer.facts import check_sections

    path = _article_path(ctx, article)
    _, parsed = _load_article(ctx, path)
    dossier_path, facts = article_dossier_of(ctx, path, parsed, dossier)
    texts = [
        (s.kind.value, f"{s.intertitle}\n\n{s.text}" if s.intertitle else s.text)
        for s in parsed.sections
    ]
    report = check_sections(texts, facts)
    return FactsReport(
        article=ctx.rel(path),
        dossier=ctx.rel(dossier_path),
        ok=report.ok,
        claims=report.counts.claims,
        supported=report.counts.supported,
        unsupported=[Finding.of(v) for v in report.violations()],
        missing_results=[r.text for r in report.missing_results],
    )


@guarded
def show_article(ctx: Context, article: str, section: str | None = None) -> ArticleView:
    """An article file's Markdown, or one section's text."""
    path = _article_path(ctx, article)
    markdown, parsed = _load_article(ctx, path)
    if not section:
        return ArticleView(article=ctx.rel(path), text=markdown)
    kind = _kind(section, allow_label=True)
    found = parsed.section(kind)
    if found is None:
        raise OperationError(f"{ctx.rel(path)} n’a pas de section « {kind.value} »")
    text = f"## {found.intertitle}\n\n{found.text}" if found.intertitle else found.text
    return ArticleView(article=ctx.rel(path), section=kind.value, text=text)
