"""The article file: lossless round trip, hand-edit detection, JSON export."""

from __future__ import annotations

import json

import pytest

from laureate_writer.article import SECTION_ORDER, Article, SectionKind
from laureate_writer.loading import InputError


def test_every_example_has_all_sections_in_order(offline_articles):
    assert len(offline_articles) == 6
    for article in offline_articles.values():
        assert [s.kind for s in article.sections] == SECTION_ORDER
        for section in article.sections:
            assert section.text.strip(), (article.id, section.kind)
            assert section.provenance.writer == "offline"
            assert section.provenance.template_hash.startswith("sha256:")
            assert section.provenance.dossier_hash == article.dossier_hash
            assert (section.intertitle is not None) == section.kind.has_intertitle


def test_markdown_round_trip_is_identical(offline_articles):
    for article in offline_articles.values():
        text = article.to_markdown()
        again = Article.from_markdown(text, "a.md")
        assert again == article
        assert again.to_markdown() == text
        assert again.edited_sections == []


def test_hand_edit_is_detected(offline_articles):
    article = offline_articles["pau"]
    text = article.to_markdown()
    lead = article.text_of(SectionKind.lead)
    edited = Article.from_markdown(text.replace(lead, lead.replace("Histologe", "HISTOLOGE", 1)))
    assert edited.edited_sections == [SectionKind.lead]
    retitled = text.replace(f"## {article.section('method').intertitle}", "## Autre titre")
    assert Article.from_markdown(retitled).edited_sections == [SectionKind.method]


def test_section_without_provenance_counts_as_written_by_hand(offline_articles):
    import yaml

    text = offline_articles["brest"].to_markdown()
    front, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    del meta["sections"]["caption"]
    rebuilt = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    article = Article.from_markdown(rebuilt)
    assert article.section("caption").provenance.writer == "hand"
    assert article.edited_sections == [SectionKind.caption]


def test_json_export_is_the_same_model(offline_articles):
    article = offline_articles["ariege"]
    data = json.loads(article.to_json())
    assert Article.model_validate(data) == article
    assert [s["kind"] for s in data["sections"]] == [k.value for k in SECTION_ORDER]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no front matter\n", "missing YAML front matter"),
        ("---\nid: x\n", "not closed"),
        ("---\nid: [x\n---\n<!-- lw:lead -->\nx\n", "front matter YAML error"),
        (
            "---\nid: x\nprize: p\nlaureate: l\n---\n\n<!-- lw:lede -->\nx\n",
            "unknown section marker",
        ),
        ("---\nid: x\nprize: p\nlaureate: l\n---\n\nplain\n", "no section markers"),
    ],
)
def test_bad_article_files_raise_located_errors(text, fragment):
    with pytest.raises(InputError) as info:
        Article.from_markdown(text, "x.md")
    assert fragment in str(info.value) and str(info.value).startswith("x.md:")


def test_front_matter_is_the_same_with_or_without_libyaml(offline_articles, monkeypatch):
    import yaml

    from laureate_writer import article as article_module

    fast = [a.front_matter() for a in offline_articles.values()]
    monkeypatch.setattr(article_module, "_DUMPER", yaml.SafeDumper)
    assert [a.front_matter() for a in offline_articles.values()] == fast
