"""A palmarès page: the edition's title and intro, then every write-up in prize order,
rendered to Markdown or to a standalone, accessible HTML page."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from laureate_writer.article import Article, SectionKind
from laureate_writer.dossier import Dossier, Edition
from laureate_writer.loading import InputError, Problem, load, parse_document, read_text, validate
from laureate_writer.markdown_text import inert_block, inert_line
from laureate_writer.prompts import template_problem


@dataclass
class LoadedEdition:
    path: Path
    edition: Edition
    dossiers: list[tuple[Path, Dossier]]  # in prize order


@dataclass
class Palmares:
    title: str
    intro: str
    year: int
    articles: list[Article] = field(default_factory=list)
    lang: str = "fr"
    single: bool = False


# How a path written in a file becomes the path read: (the file, what it says) → path,
# or WorkspaceError. The plugin passes its workspace's confinement.
Resolver = Callable[[Path, str], Path]


def beside(base_file: Path, given: str) -> Path:
    """The default resolver: relative to the file's folder (the command line trusts
    the files it is given, like a compiler its includes)."""
    return (base_file.parent / given) if not os.path.isabs(given) else Path(given)


def load_edition(path: str | Path, *, resolve: Resolver = beside) -> LoadedEdition:
    """Load an edition file and its dossiers, checked against each other, in prize order.
    Each dossier path goes through ``resolve`` before anything is read."""
    from laureate_writer.workspace import WorkspaceError

    path = Path(path)
    document = parse_document(path, read_text(path))
    edition = validate(Edition, document)
    problems: list[Problem] = []
    loaded: list[tuple[Path, Dossier]] = []
    for index, name in enumerate(edition.dossiers):
        where = document.position(("dossiers", index))
        field = f"dossiers[{index}]"
        try:
            dossier_path = resolve(path, name)
        except WorkspaceError as exc:
            problems.append(Problem(str(path), *where, field, str(exc)))
            continue
        try:
            dossier = load(Dossier, dossier_path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if dossier.award != edition.award:
            message = f"{name} : son prix n’est pas celui de cette édition (award)"
            problems.append(Problem(str(path), *where, field, message))
        if dossier.prize.name is None:
            message = f"{name} : prix inconnu (prize.name) ; un palmarès en a besoin"
            problems.append(Problem(str(path), *where, field, message))
        elif dossier.prize.name not in edition.prizes:
            message = f"{name} : le prix « {dossier.prize.name} » n’est pas dans « prizes »"
            problems.append(Problem(str(path), *where, field, message))
        loaded.append((dossier_path, dossier))
    ids = [d.id for _, d in loaded]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            Problem(str(path), 1, 1, "dossiers", f"deux dossiers ont le même id « {dup} »")
        )
    if problems:
        raise InputError(problems)
    loaded.sort(key=lambda item: edition.prizes.index(item[1].prize_name))
    return LoadedEdition(path, edition, loaded)


# --- Rendering ----------------------------------------------------------------------------


def flags_of(article: Article) -> dict[str, list[str]]:
    """What is still flagged in an article, by section: style and fact findings left
    unresolved, sections that failed. A page shows them unless it is built strict."""
    found: dict[str, list[str]] = {}
    for item in article.reports.get("unresolved", []):
        line = f"{item.get('checker')} {item.get('rule')} : {item.get('message')}"
        found.setdefault(str(item.get("section") or "article"), []).append(line)
    for kind, reason in (article.reports.get("failures") or {}).items():
        found.setdefault(kind, []).append(f"échec de la rédaction : {reason}")
    return found


def flagged_count(page: Palmares) -> int:
    """How many sections of the page are flagged."""
    return sum(len(flags_of(article)) for article in page.articles)


def _comment(text: str) -> str:
    # a Markdown comment cannot be closed early by what it quotes
    return "<!-- " + text.replace("--", "–").replace("\n", " ") + " -->"


def article_body_markdown(article: Article, level: int = 1) -> str:
    """The article as reading Markdown (no markers, no front matter); headline at ``level``;
    a flagged section is preceded by a comment saying what to check."""
    h = "#" * level
    parts: list[str] = []
    flags = flags_of(article)
    for section in article.sections:
        for line in flags.get(section.kind.value, []):
            parts.append(_comment(f"À VÉRIFIER ({section.kind.value}) : {line}"))
        # writer text is data: raw HTML and block structure come out literal
        match section.kind:
            case SectionKind.prize_label:
                continue
            case SectionKind.headline:
                parts.append(f"{h} {inert_line(section.text)}")
            case SectionKind.lead:
                parts.append(f"**{inert_line(section.text)}**")
            case SectionKind.caption:
                parts.append(f"*{inert_line(section.text)}*")
            case _:
                if section.intertitle:
                    parts.append(f"{h}# {inert_line(section.intertitle)}")
                parts.append(inert_block(section.text))
    present = {section.kind.value for section in article.sections}
    for kind, lines in flags.items():
        if kind not in present:  # a failed section the article goes without
            parts += [_comment(f"À VÉRIFIER ({kind}) : {line}") for line in lines]
    return "\n\n".join(parts)


def render_markdown(page: Palmares) -> str:
    lines = [f"# {inert_line(page.title)}", inert_block(page.intro), f"## Le palmarès {page.year}"]
    for article in page.articles:
        label = article.text_of(SectionKind.prize_label)
        lines.append(f"### {inert_line(label)}")
        lines.append(article_body_markdown(article, level=4))
    return "\n\n".join(lines) + "\n"


@cache
def _markdown() -> Any:
    # One parser for the page: building one costs more than rendering a section.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def _markdown_to_html(text: str) -> str:
    # the same text as the Markdown page: no heading, rule or quote opened by writer text
    return Markup(_markdown().render(inert_block(text)))


def _inline_html(text: str) -> str:
    return Markup(_markdown().renderInline(text))


@cache
def _page_env() -> Environment:
    env = Environment(
        loader=PackageLoader("laureate_writer", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _markdown_to_html
    env.filters["mdinline"] = _inline_html
    env.globals["flags_of"] = flags_of
    return env


def default_css() -> str:
    return (Path(__file__).parent / "templates" / "page.css").read_text(encoding="utf-8")


def description(page: Palmares, limit: int = 160) -> str:
    """The page's meta description: the intro (a single article: its lead), as plain
    text, cut at a word boundary."""
    source = page.intro
    if page.single or not source:
        source = page.articles[0].text_of(SectionKind.lead) if page.articles else page.title
    text = " ".join(re.sub(r"[*_`#>\[\]]", "", source).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def render_html(
    page: Palmares,
    *,
    toc: bool = True,
    fragment: bool = False,
    template: str | Path | Any = None,
    css: str | None = None,
) -> str:
    """The page as a standalone HTML document, or with ``fragment`` only its content
    (for a CMS's own page template). ``template`` renders with a newsroom's jinja2
    template instead (same variables); ``css`` replaces the default style sheet."""
    from laureate_writer import __version__

    if template is None:
        tpl = _page_env().get_template("page.html.j2")
    elif isinstance(template, str | Path):
        tpl = load_template(template)
    else:
        tpl = template
    return tpl.render(
        page=page,
        toc=toc and len(page.articles) > 1,
        fragment=fragment,
        css=Markup(css if css is not None else default_css()),
        description=description(page),
        SectionKind=SectionKind,
        version=__version__,
    )


def load_template(path: str | Path) -> Any:
    """A newsroom's page template, compiled (a mistake is a located error)."""
    from jinja2 import TemplateSyntaxError

    path = Path(path)
    text = read_text(path)
    try:
        return _page_env().from_string(text)
    except TemplateSyntaxError as exc:
        raise InputError.single(str(path), template_problem(exc.message), exc.lineno or 1) from None


def single_article_page(article: Article) -> Palmares:
    """A page holding one article (``draft --format html``)."""
    return Palmares(
        title=article.text_of(SectionKind.headline),
        intro="",
        year=0,
        articles=[article],
        single=True,
    )
