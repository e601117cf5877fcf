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
    prose, meta_text = text.split("\n<!-- lw:meta\n", 1)
    meta = yaml.safe_load(meta_text.removesuffix("-->\n"))
    del meta["sections"]["caption"]
    rebuilt = prose + "\n<!-- lw:meta\n" + yaml.safe_dump(meta, allow_unicode=True) + "-->\n"
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
        ("no front matter\n", "front matter YAML absent"),
        ("---\nid: x\n", "non fermé"),
        ("---\nid: [x\n---\n<!-- lw:lead -->\nx\n", "erreur de syntaxe YAML du front matter"),
        (
            "---\nid: x\nprize: p\nlaureate: l\n---\n\n<!-- lw:lede -->\nx\n",
            "marqueur de section inconnu",
        ),
        ("---\nid: x\nprize: p\nlaureate: l\n---\n\nplain\n", "aucun marqueur de section"),
    ],
)
def test_bad_article_files_raise_located_errors(text, fragment):
    with pytest.raises(InputError) as info:
        Article.from_markdown(text, "x.md")
    assert fragment in str(info.value) and str(info.value).startswith("x.md:")


def test_front_matter_is_the_same_with_or_without_libyaml(offline_articles, monkeypatch):
    import yaml

    from laureate_writer import article as article_module

    fast = [a.to_markdown() for a in offline_articles.values()]
    monkeypatch.setattr(article_module, "_DUMPER", yaml.SafeDumper)
    assert [a.to_markdown() for a in offline_articles.values()] == fast


def test_prose_comes_first_and_files_of_format_1_are_still_read(offline_articles):
    import yaml

    for article in offline_articles.values():
        text = article.to_markdown()
        first = text.splitlines()[:25]
        assert "<!-- lw:lead -->" in first and "<!-- lw:context -->" in first
        assert "history" not in text.split("<!-- lw:meta", 1)[0]
    # an article written before: everything in one front matter
    article = offline_articles["pau"].replace_section(
        offline_articles["pau"].section("lead").model_copy(update={"text": "Autre."}),
        keep_previous=True,
    )
    old_meta = article.model_dump(mode="json", exclude={"sections"})
    old_meta["format"] = 1
    old_meta["sections"] = {
        s.kind.value: {**s.provenance.model_dump(mode="json", exclude_none=True), "hash": s.hash}
        for s in article.sections
    }
    body = article.to_markdown().split("---\n", 2)[2].split("\n<!-- lw:meta\n")[0]
    old = "---\n" + yaml.safe_dump(old_meta, allow_unicode=True) + "---\n" + body + "\n"
    again = Article.from_markdown(old, "old.md")
    assert again == article and again.history["lead"]
    from laureate_writer.article import splice

    moved = splice(old, again, SectionKind.lead)  # the next write moves the bookkeeping
    assert Article.from_markdown(moved) == again and "<!-- lw:meta" in moved


def test_metadata_cannot_be_closed_early_by_a_quoted_text(offline_articles):
    article = offline_articles["brest"]
    lead = article.section("lead")
    odd = lead.model_copy(update={"text": "Une flèche --> et un <!-- commentaire"})
    article = article.replace_section(odd, keep_previous=True)
    text = article.to_markdown()
    assert text.count("-->") == text.count("<!--")  # markers and the metadata only
    assert Article.from_markdown(text) == article


def test_a_missing_metadata_marker_line_is_located(offline_articles):
    text = offline_articles["brest"].to_markdown()
    broken = text[: text.rstrip().rfind("-->")]
    with pytest.raises(InputError, match="métadonnées non fermées"):
        Article.from_markdown(broken, "x.md")
