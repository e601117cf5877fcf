"""Flags are visible: regenerate reports what remains and exits 1, pages mark flagged
sections (HTML and Markdown) and --strict writes no page while any is flagged (issue 12,
finding 7)."""

from __future__ import annotations

import pytest

from conftest import EDITION, EXAMPLES
from laureate_writer.palmares import Palmares, flagged_count, render_html, render_markdown

pytest.importorskip("langchain_openai")

from generic_answers import answer
from model_answers import brest_responder, section_of

INVENTED_RESULTS = {"intertitle": "Des chiffres", "text": "La Handibox a servi 4 812 personnes."}


def inventing(request: dict) -> dict:
    """Every results section (drafted, revised, regenerated) invents a figure."""
    if section_of(request)[1] == "résultats":
        return INVENTED_RESULTS
    return answer(request)


def test_regenerate_reports_remaining_findings_and_exits_1(
    fake_openai_env, cli, tmp_path, monkeypatch
):
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    fake_openai_env.responder = brest_responder
    target = tmp_path / "brest.md"
    env = ["--model", "openai:any"]
    assert cli("draft", str(EXAMPLES / "brest.yaml"), *env, "-o", str(target)).returncode == 0
    fake_openai_env.responder = lambda r: (
        INVENTED_RESULTS if section_of(r)[1] == "résultats" else brest_responder(r)
    )
    result = cli("regenerate", str(target), "--section", "results", *env)
    assert result.returncode == 1, result.stderr
    assert "écrit" in result.stderr and "results: facts" in result.stderr


def test_pages_mark_flagged_sections_and_strict_writes_none(
    fake_openai_env, cli, tmp_path, monkeypatch
):
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    fake_openai_env.responder = inventing
    args = ["palmares", str(EDITION), "--model", "openai:any", "--no-cache"]
    page = tmp_path / "page.html"
    result = cli(*args, "-o", str(page))
    assert result.returncode == 1, result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count('<aside class="flag" role="note">') == 6 and "À vérifier (results)" in html
    md = tmp_path / "page.md"
    assert cli(*args, "-o", str(md)).returncode == 1
    text = md.read_text(encoding="utf-8")
    assert text.count("<!-- À VÉRIFIER (results) : facts") >= 6  # one or more per laureate
    strict = tmp_path / "strict.html"
    result = cli(*args, "-o", str(strict), "--strict")
    assert result.returncode == 1 and not strict.exists()
    assert "6 sections signalées : page non écrite (--strict)" in result.stderr


def test_a_clean_page_has_no_flag_marks(offline_articles):
    page = Palmares("Titre", "Intro.", 2020, list(offline_articles.values()))
    assert flagged_count(page) == 0
    assert "flag" not in render_html(page).split("</style>")[1]
    assert "À VÉRIFIER" not in render_markdown(page)
