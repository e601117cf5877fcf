"""Writing with the configured writer: drafts, regenerations, undo, palmarès pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from laureate_writer.article import Article, SectionKind
from laureate_writer.loading import InputError
from laureate_writer.operations.context import (
    Context,
    OperationError,
    _article_path,
    _diff,
    _dossier_path,
    _kind,
    _load_article,
    _run,
    _summaries,
    article_dossier_of,
    guarded,
)
from laureate_writer.operations.results import DraftReport, Finding, PalmaresReport, SectionChange
from laureate_writer.violations import Violation

if TYPE_CHECKING:
    from laureate_writer.regenerate import Rewritten
from laureate_writer.workspace import (
    DOSSIER_SUFFIXES,
    MAX_INSTRUCTION_CHARS,
    PAGE_SUFFIXES,
    limit_text,
)

if TYPE_CHECKING:
    from laureate_writer.palmares import LoadedEdition

# --- drafting with the configured writer --------------------------------------------------


def default_article_path(dossier_path: Path) -> Path:
    """Where the article of a dossier goes by default: next to it, ``NAME.md``."""
    return dossier_path.with_suffix(".md")


@guarded
def draft_article(
    ctx: Context, dossier: str, output: str | None = None, overwrite: bool = False
) -> DraftReport:
    """Draft a whole article from a dossier with the configured writer and save it."""
    from laureate_writer import api

    dossier_path = _dossier_path(ctx, dossier)
    target = (
        _article_path(ctx, output, must_exist=False)
        if output
        else default_article_path(dossier_path)
    )
    if ctx.store.exists(target) and not overwrite:
        raise OperationError(
            f"{ctx.rel(target)} existe déjà : overwrite=true pour le remplacer, ou "
            "regenerate_section pour réécrire une section"
        )
    from laureate_writer.store import version_of

    seen = version_of(ctx.store.read(target)) if ctx.store.exists(target) else version_of(None)
    writer = ctx.writer
    outcome = _run(
        api.adraft(
            dossier_path,
            writer=writer,
            article_dir=target.parent,
            style=ctx.style,
            revise_rounds=ctx.revise_rounds,
        )
    )
    article = outcome.article
    markdown = article.to_markdown()
    ctx.store.write(target, markdown, expected=seen, note="draft")
    remaining = [
        Finding.of(Violation.model_validate(u)) for u in article.reports.get("unresolved", [])
    ]
    return DraftReport(
        article=ctx.rel(target),
        written=True,
        writer=writer.name,
        model=writer.model,
        sections=_summaries(article),
        failures=outcome.failures,
        remaining=remaining,
        facts_ok=bool((article.reports.get("facts") or {}).get("ok", True)),
        markdown=markdown,
    )


async def _aregenerate_text(
    ctx: Context,
    path: Path,
    before: str,
    kind: SectionKind,
    instruction: str | None,
    force: bool,
) -> tuple[Article, Rewritten]:
    from laureate_writer.regenerate import arewrite

    article = Article.from_markdown(before, ctx.rel(path))
    _, facts = article_dossier_of(ctx, path, article)
    done = await arewrite(
        before,
        article,
        kind,
        ctx.writer,
        facts,
        instruction=instruction,
        force=force,
        style=ctx.style,
        revise_rounds=ctx.revise_rounds,
        where=ctx.rel(path),
    )
    return article, done


@guarded
def regenerate_section(
    ctx: Context,
    article: str,
    section: str,
    instruction: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> SectionChange:
    """Rewrite one section with the configured writer, following an instruction; every
    other section stays byte for byte; the previous version is kept (undo_section)."""
    kind = _kind(section)
    instruction = limit_text(instruction, MAX_INSTRUCTION_CHARS, "instruction")
    path = _article_path(ctx, article)
    before = ctx.store.read(path)
    base, done = _run(_aregenerate_text(ctx, path, before, kind, instruction, force))
    after, new, remaining = done.after, done.section, done.remaining
    if not dry_run:
        ctx.store.replace_sections(
            path, base, [new], finish=done.finish, note=f"regen {kind.value}"
        )
    writer = ctx.writer
    note = None
    if instruction and not getattr(writer, "supports_revision", False):
        # Shown as is in the (French) chat and to the plugin's host.
        note = (
            "le rédacteur hors ligne ne suit pas de consigne : la section a été rédigée "
            "de nouveau à partir du dossier"
        )
    return SectionChange(
        article=ctx.rel(path),
        section=kind.value,
        action="regenerated",
        writer=writer.name,
        text=new.text,
        intertitle=new.intertitle,
        remaining=[Finding.of(v, kind.value) for v in remaining],
        diff=_diff(before, after, ctx.rel(path)),
        written=not dry_run,
        note=note,
    )


@guarded
def undo_section(ctx: Context, article: str, section: str) -> SectionChange:
    """Put back the previous version of a section (from the article's history)."""
    from laureate_writer.regenerate import restore_previous

    kind = _kind(section)
    path = _article_path(ctx, article)
    before, current = _load_article(ctx, path)
    try:
        _, facts = article_dossier_of(ctx, path, current)
        after, previous = restore_previous(
            before, current, kind, ctx.rel(path), dossier=facts, style=ctx.style
        )
    except InputError:
        raise OperationError(
            f"{ctx.rel(path)} : pas de version précédente de « {kind.value} » à remettre"
        ) from None
    from laureate_writer.store import version_of

    ctx.store.write(path, after, expected=version_of(before), note=f"undo {kind.value}")
    return SectionChange(
        article=ctx.rel(path),
        section=kind.value,
        action="restored",
        writer=previous.provenance.writer,
        text=previous.text,
        intertitle=previous.intertitle,
        diff=_diff(before, after, ctx.rel(path)),
    )


def load_workspace_edition(ctx: Context, edition: str) -> LoadedEdition:
    """An edition file of the workspace with its dossiers, all inside the workspace."""
    from laureate_writer.palmares import load_edition

    edition_path = ctx.workspace.resolve(edition, suffixes=DOSSIER_SUFFIXES, what="edition")
    # each dossier path is confined before it is read, like a path given directly
    return load_edition(edition_path, resolve=ctx.reference)


@guarded
def build_palmares(
    ctx: Context,
    edition: str,
    output: str | None = None,
    format: Literal["md", "html"] | None = None,
    articles_dir: str | None = None,
    overwrite: bool = True,
) -> PalmaresReport:
    """Draft a whole palmarès page (title, intro, every laureate) from an edition file."""
    from laureate_writer import api

    loaded = load_workspace_edition(ctx, edition)
    edition_path = loaded.path
    fmt = format or ("html" if output and output.lower().endswith((".html", ".htm")) else "md")
    if output:
        page_path = ctx.workspace.resolve(
            output, must_exist=False, suffixes=PAGE_SUFFIXES, what="page"
        )
    else:
        page_path = edition_path.with_name(f"{edition_path.stem}-page.{fmt}")
    if page_path.exists() and not overwrite:
        raise OperationError(f"{ctx.rel(page_path)} existe déjà : overwrite=true pour le remplacer")
    out_dir = None
    if articles_dir:
        out_dir = ctx.workspace.resolve(
            articles_dir.rstrip("/") + "/.probe.md", must_exist=False, what="folder"
        ).parent
    from laureate_writer.output import refuse_article, refuse_inputs

    refuse_inputs(page_path, [edition_path, *(p for p, _ in loaded.dossiers)])
    refuse_article(page_path)
    result = _run(
        api.apalmares(
            loaded,
            writer=ctx.writer_for(loaded),
            page_dir=out_dir,
            out_dir=out_dir,
            style=ctx.style,
            revise_rounds=ctx.revise_rounds,
        )
    )
    if result.production.refused:
        raise OperationError("; ".join(result.production.refused.values()))
    from laureate_writer.output import write_atomic

    write_atomic(page_path, api.render_page(result.page, fmt))
    files = []
    if out_dir is not None:
        files = [ctx.rel(out_dir / f"{article.id}.md") for article in result.page.articles]
    return PalmaresReport(
        page=ctx.rel(page_path),
        format=fmt,
        written=True,
        laureates=[a.laureate for a in result.page.articles],
        article_files=files,
        failures={o.article.id: o.failures for o in result.outcomes if o.failures},
        remaining=result.unresolved,
    )
