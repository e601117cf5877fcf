"""check --fix on an article file keeps its provenance honest: a section fixed only by
the safe typographic fixes is not reported as edited by hand; a hand edit still is."""

from __future__ import annotations

from laureate_writer.article import Article, Provenance, Section, SectionKind
from laureate_writer.style.command import run_check


def _article(tmp_path):
    prov = Provenance(writer="langchain", model="m")
    article = Article(id="x", prize="Prix", laureate="L", sections=[
        Section.create(SectionKind.headline, "Brest mise sur la Handibox", prov),
        Section.create(SectionKind.lead, "La ville a lancé la Handibox: un kit d'accueil.", prov),
        Section.create(SectionKind.context, "Un contexte ; propre.", prov),
    ])  # fmt: skip
    path = tmp_path / "x.md"
    path.write_text(article.to_markdown(), encoding="utf-8")
    return path


def test_fixed_sections_are_not_taken_for_hand_edits(tmp_path, capsys):
    path = _article(tmp_path)
    run_check([str(path)], None, True, False, "text", "error")
    fixed = Article.from_markdown(path.read_text(encoding="utf-8"))
    assert "Handibox\u00a0: un kit d’accueil" in fixed.text_of("lead")
    assert fixed.edited_sections == []


def test_hand_edited_sections_stay_edited_after_fix(tmp_path, capsys):
    path = _article(tmp_path)
    text = path.read_text(encoding="utf-8").replace("Un contexte ;", "Un contexte revu ;")
    path.write_text(text, encoding="utf-8")
    run_check([str(path)], None, True, False, "text", "error")
    fixed = Article.from_markdown(path.read_text(encoding="utf-8"))
    assert fixed.edited_sections == [SectionKind.context]
