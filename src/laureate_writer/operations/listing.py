"""Listing the workspace and validating files."""

from __future__ import annotations

from laureate_writer.article import Article
from laureate_writer.dossier import Dossier
from laureate_writer.loading import InputError
from laureate_writer.operations.context import Context, _dossier_path, guarded
from laureate_writer.operations.results import (
    ArticleEntry,
    DossierEntry,
    ValidationReport,
    WorkspaceListing,
)
from laureate_writer.workspace import (
    ARTICLE_SUFFIXES,
    DOSSIER_SUFFIXES,
)

# --- listing and validation -----------------------------------------------------------------


@guarded
def list_workspace(ctx: Context) -> WorkspaceListing:
    """The dossiers, edition files and article files of the workspace."""
    from laureate_writer.loading import load, parse_document, read_text

    listing = WorkspaceListing(workspace=str(ctx.workspace.root))
    for path in ctx.workspace.files(DOSSIER_SUFFIXES):
        rel = ctx.rel(path)
        try:
            document = parse_document(path, read_text(path))
        except InputError:
            continue  # not a YAML/JSON document we know: not listed
        data = document.data
        if not isinstance(data, dict):
            continue
        if "dossiers" in data and "award" in data:
            listing.editions.append(rel)
            continue
        if not {"laureate", "project"} & set(data):
            continue  # some other YAML file (a style, a config)
        try:
            dossier = load(Dossier, path)
        except InputError as exc:
            listing.dossiers.append(
                DossierEntry(path=rel, ok=False, error=ctx.scrub(str(exc).splitlines()[0]))
            )
            continue
        listing.dossiers.append(
            DossierEntry(
                path=rel, id=dossier.id, laureate=dossier.laureate.name, prize=dossier.prize_name
            )
        )
    for path in ctx.workspace.files(ARTICLE_SUFFIXES):
        try:
            text = ctx.store.read(path)
        except InputError:
            continue
        if not text.startswith("---\n") or "<!-- lw:" not in text:
            continue  # a Markdown file that is not an article (a page, a README)
        rel = ctx.rel(path)
        try:
            article = Article.from_markdown(text, rel)
        except InputError as exc:
            listing.articles.append(ArticleEntry(path=rel, ok=False, error=str(exc)))
            continue
        listing.articles.append(
            ArticleEntry(
                path=rel,
                id=article.id,
                laureate=article.laureate,
                dossier=article.dossier,
                sections=[s.kind.value for s in article.sections],
                edited_by_hand=[k.value for k in article.edited_sections],
            )
        )
    return listing


@guarded
def validate(ctx: Context, path: str) -> ValidationReport:
    """Check a dossier (or an edition file with its dossiers) against the schema."""
    from laureate_writer.validation import validate_file

    resolved = _dossier_path(ctx, path)
    result = validate_file(resolved, resolve=ctx.reference)
    problems = [ctx.scrub(str(p)) for p in result.error.problems] if result.error else []
    return ValidationReport(
        path=ctx.rel(resolved), kind=result.kind, name=result.name, ok=result.ok, problems=problems
    )
