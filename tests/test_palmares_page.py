"""The 2020 palmarès page: six write-ups, valid accessible HTML, Markdown structure."""

from __future__ import annotations

import html5lib
import pytest

from conftest import EDITION


@pytest.fixture(scope="module")
def page():
    from laureate_writer import api

    return api.palmares(EDITION)


@pytest.fixture(scope="module")
def html(page):
    from laureate_writer.palmares import render_html

    return render_html(page)


def test_prize_order_and_six_complete_write_ups(page):
    labels = [a.text_of("prize_label") for a in page.articles]
    assert [label.split("\u00a0:")[0] for label in labels] == [
        "Prix Coup de cœur", "Prix du Jury", "Prix GMF", "Prix La Gazette",
        "Prix spécial gestion de crise", "Prix des sociétaires GMF",
    ]  # fmt: skip
    assert all(len(a.sections) == 8 for a in page.articles)
    assert "21e édition" in page.title and page.year == 2020


def test_html_parses_strictly_as_html5(html):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)  # raises ParseError on any HTML5 parse error


def test_html_structure_and_toc(html):
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    assert tree.get("lang") == "fr"
    assert len(tree.findall(".//h1")) == 1
    articles = tree.findall(".//article")
    assert len(articles) == 6
    # semantic headings: h1 the page, h2 each laureate's headline, h3 its intertitles
    assert all(a.find("h2").get("class") == "headline" for a in articles)
    assert all(len(a.findall(".//h3")) >= 2 for a in articles)
    assert not tree.findall(".//h4") and not tree.findall(".//h5")
    metas = {m.get("name") or m.get("property"): m.get("content") for m in tree.iter("meta")}
    assert metas["description"].startswith("Créés en 2000") and len(metas["description"]) <= 160
    assert metas["og:title"] == tree.find(".//title").text
    assert metas["og:description"] == metas["description"] and metas["og:locale"] == "fr_FR"
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    links = [a.get("href") for a in tree.findall(".//nav//a")]
    assert len(links) == 6
    assert all(href.startswith("#") and href[1:] in ids for href in links)
    assert tree.find(".//title").text.strip()


def test_html_escapes_dossier_text(tmp_path):
    from laureate_writer.article import Article, Provenance, Section, SectionKind
    from laureate_writer.palmares import render_html, single_article_page

    prov = Provenance(writer="hand")
    article = Article(id="x", prize="P", laureate="L", sections=[
        Section.create(SectionKind.headline, "Titre <script>alert(1)</script>", prov),
        Section.create(SectionKind.context, "Texte <b>brut</b> & co", prov),
    ])  # fmt: skip
    out = render_html(single_article_page(article))
    assert "<script>alert" not in out and "&lt;script&gt;" in out and "&lt;b&gt;" in out


def test_markdown_page_structure(page):
    from laureate_writer.palmares import render_markdown

    text = render_markdown(page)
    lines = text.splitlines()
    assert sum(1 for line in lines if line.startswith("# ")) == 1
    assert "## Le palmarès 2020" in lines
    assert sum(1 for line in lines if line.startswith("### ")) == 6
    assert "<!-- lw:" not in text
