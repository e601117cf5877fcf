"""Writer text is data in every Markdown we write: raw HTML, comments and block structure
held by a section come out literal, read by markdown-it-py with HTML enabled (the way a
CMS or a forge would render the file), while French typography passes untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from laureate_writer.article import Article, Section, SectionKind
from laureate_writer.markdown_text import (
    escape_html,
    escape_text,
    inert_block,
    unescape_html,
    unescape_text,
)
from laureate_writer.palmares import Palmares, render_html, render_markdown

HOSTILE = (
    "Le projet « Handibox » d’accès à la culture : 3\u202f000 prêts, R&D comprise.\n"
    "<script>alert('x')</script>\n"
    '<img src=x onerror="alert(1)">\n'
    "# Un titre forgé\n"
    "---\n"
    "<!-- lw:results -->\n"
    "Ligne\n"
    "===\n"
    "> une citation forgée\n"
    "```\n"
    "[lien]: https://exemple.invalid\n"
    "1. une liste\n"
    "<div>bloc</div> et &lt;b&gt; et &eacute; --> fin"
)
HOSTILE_LINE = "Brest <b onmouseover=alert(1)>gagne</b> # <!-- lw:lead --> &amp;"
FRENCH = "« Handibox », l’équipe de 3\u202f000 agents, le 21e prix\u00a0: 63\u202f%"

MD = MarkdownIt("commonmark", {"html": True})


def _hostile(article: Article) -> Article:
    # As a hand edit of the article file or a host could leave it: not cleaned.
    for section in article.sections:
        one_line = section.kind in (SectionKind.headline, SectionKind.lead, SectionKind.caption)
        text = HOSTILE_LINE if one_line else f"{FRENCH}\n\n{HOSTILE}"
        title = HOSTILE_LINE if section.intertitle else None
        changed = Section.create(section.kind, text, section.provenance, title)
        article = article.replace_section(changed)
    return article.model_copy(update={"reports": {}})  # no flag comments of our own


def _tokens(markdown: str) -> list:
    out = []
    for token in MD.parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


def _headings(markdown: str) -> list[str]:
    tokens = MD.parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


@pytest.fixture(scope="module")
def hostile(offline_articles):
    return [_hostile(a) for a in offline_articles.values()]


def test_palmares_markdown_holds_no_html_and_no_forged_heading(hostile):
    page = Palmares(title="Palmarès <i>2020</i>", intro="# Intro\n<script>x</script>",
                    year=2020, articles=hostile)  # fmt: skip
    markdown = render_markdown(page)
    kinds = {t.type for t in _tokens(markdown)}
    assert not kinds & {"html_block", "html_inline", "fence", "code_block", "blockquote_open",
                        "hr", "ordered_list_open", "bullet_list_open"}  # fmt: skip
    # the page's own headings only: title, « Le palmarès », per laureate label + headline
    # + intertitles
    intertitles = sum(1 for a in hostile for s in a.sections if s.intertitle)
    assert len(_headings(markdown)) == 2 + 2 * len(hostile) + intertitles
    assert FRENCH in markdown and "R&D" in markdown
    html = MD.render(markdown)
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert "&lt;script&gt;alert" in html  # shown as text, not dropped


def test_article_file_is_inert_and_reads_back_exactly(hostile):
    for article in hostile:
        text = article.to_markdown()
        body = text.split("\n---\n", 1)[1]
        blocks = [t for t in _tokens(body) if t.type in ("html_block", "html_inline")]
        # only our markers and the metadata comment are HTML
        assert all(t.content.startswith(("<!-- lw:", "<!--lw")) for t in blocks), blocks
        assert len(blocks) == len(article.sections) + 1
        assert Article.from_markdown(text) == article
        assert not Article.from_markdown(text).edited_sections
        assert FRENCH in text


def test_html_page_shows_writer_html_and_headings_as_text(hostile):
    html = render_html(Palmares(title="P", intro="", year=2020, articles=hostile[:1]))
    assert "<script>alert" not in html and "<img" not in html and "<b " not in html
    assert "&lt;img src=x onerror=" in html  # shown as text
    assert html.count("<h1") == 1 and "Un titre forgé" in html and "<h1>Un titre" not in html


def test_ordinary_french_is_untouched():
    assert inert_block(FRENCH) == FRENCH and escape_html(FRENCH) == FRENCH
    assert escape_html("R&D, 3 > 2, l’été — « oui »") == "R&D, 3 > 2, l’été — « oui »"


@given(st.text(alphabet="<>&;!-#lgtamp a\n\\=*_[]:`~>+ 1.", max_size=40))
def test_escaping_reads_back_exactly(text):
    assert unescape_html(escape_html(text)) == text
    assert unescape_text(escape_text(text)) == text
    assert "<" not in escape_text(text) and "-->" not in escape_text(text)
    kinds = {t.type for t in _tokens(inert_block(text))}
    assert kinds <= {"paragraph_open", "paragraph_close", "inline", "text", "softbreak",
                     "hardbreak", "em_open", "em_close", "strong_open", "strong_close",
                     "code_inline", "link_open", "link_close"}, (text, kinds)  # fmt: skip
