"""The library API: what the CLI, the chat, the plugin and newsroom scripts all call.

>>> from laureate_writer.api import draft, palmares
>>> article = draft("examples/2020/brest.yaml")
>>> page = palmares("examples/2020/palmares.yaml")
"""

from __future__ import annotations

import os
from pathlib import Path

from laureate_writer.article import Article
from laureate_writer.dossier import Dossier, Edition
from laureate_writer.drafting import draft_article
from laureate_writer.loading import load
from laureate_writer.palmares import (
    Palmares,
    load_edition,
    render_html,
    render_markdown,
    single_article_page,
)
from laureate_writer.writers import Writer, get_writer


def load_dossier(path: str | Path) -> Dossier:
    """Load and validate one dossier file (raises ``InputError``)."""
    return load(Dossier, path)


def load_edition_file(path: str | Path) -> Edition:
    return load(Edition, path)


def _relative(target: Path, base_dir: Path | None) -> str:
    if base_dir is None:
        return str(target)
    return os.path.relpath(target.resolve(), base_dir.resolve())


def draft(
    dossier_path: str | Path,
    *,
    writer: Writer | None = None,
    article_dir: str | Path | None = None,
) -> Article:
    """Draft one article from a dossier file. ``article_dir`` is where the article file
    will live, so the front matter can point back to its dossier relatively."""
    path = Path(dossier_path)
    dossier = load_dossier(path)
    base = Path(article_dir) if article_dir is not None else None
    return draft_article(dossier, writer or get_writer(), dossier_path=_relative(path, base))


def palmares(
    edition_path: str | Path, *, writer: Writer | None = None, page_dir: str | Path | None = None
) -> Palmares:
    """Draft the whole palmarès page of an edition file."""
    from laureate_writer.writers.offline import OfflineWriter

    writer = writer or get_writer()
    loaded = load_edition(edition_path)
    base = Path(page_dir) if page_dir is not None else None
    articles = [
        draft_article(dossier, writer, dossier_path=_relative(path, base))
        for path, dossier in loaded.dossiers
    ]
    intro_writer = writer if isinstance(writer, OfflineWriter) else OfflineWriter()
    title, intro = intro_writer.draft_intro(loaded.edition)
    return Palmares(title=title, intro=intro, year=loaded.edition.award.year, articles=articles)


def render_article(article: Article, fmt: str) -> str:
    """``md`` (the article file), ``json`` or ``html`` (a standalone page)."""
    if fmt == "md":
        return article.to_markdown()
    if fmt == "json":
        return article.to_json() + "\n"
    if fmt == "html":
        return render_html(single_article_page(article))
    raise ValueError(f"unknown format '{fmt}'")


def render_page(page: Palmares, fmt: str) -> str:
    if fmt == "md":
        return render_markdown(page)
    if fmt == "html":
        return render_html(page)
    raise ValueError(f"unknown format '{fmt}'")
