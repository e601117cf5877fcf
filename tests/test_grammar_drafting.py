"""Grammar errors in the drafting loop: they join style and fact errors in the model's
revise rounds (fake OpenAI server over HTTP) and in the plugin's save_section."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, fake_server_writer
from model_answers import DRAFTS, section_of

pytest.importorskip("openai")

BREST = EXAMPLES / "brest.yaml"

# A model's first drafts, each with a grammar error no house rule sees, and the revised
# texts it sends back once the errors are quoted to it.
FLAWED = {
    "chapô": "La ville de Brest a lancé début 2019 la Handibox, une malle créé pour les "
    "organisateurs, qui facilite l’accès des personnes en situation de handicap aux "
    "événements culturels.",
    "légende": "La Handibox, une malle conçu par la ville de Brest, a reçu le Prix coup de "
    "cœur des Prix Territoriaux 2020.",
    "contexte": "Les organisateurs d’événements culturels cherchent à lever les freins "
    "pratiques et accueillir les personnes en situation de handicap lors des festivals.",
}
REVISED = {
    "chapô": DRAFTS["chapô"]["text"],
    "légende": DRAFTS["légende"]["text"],
    "contexte": "Les organisateurs d’événements culturels cherchent à lever les freins "
    "pratiques et à accueillir les personnes en situation de handicap lors des festivals.",
}


@pytest.fixture(autouse=True)
def grammar_on(tmp_path, monkeypatch):
    from laureate_writer.style import grammar

    if not grammar.available():
        if os.environ.get("LW_REQUIRE_GRAMMALECTE"):
            pytest.fail(grammar.INSTALL_HINT)
        pytest.skip(grammar.INSTALL_HINT)
    monkeypatch.setenv("LW_GRAMMAR", "on")
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    monkeypatch.delenv("LW_MODEL", raising=False)


def responder(request):
    mode, name = section_of(request)
    if name in FLAWED:
        return {"text": REVISED[name] if mode == "revise" else FLAWED[name]}
    return DRAFTS[name]


def test_the_flawed_drafts_carry_grammar_errors_the_house_style_misses():
    from laureate_writer.style import grammar, load_style

    g = grammar.default_grammar()
    for name, text in FLAWED.items():
        house = load_style().check(text, "body")
        found = [v for v in g.check(text, "body", house) if v.severity == 3]
        found += [v for v in house if v.rule == "grammar.coordination"]
        assert found, name
        assert REVISED[name] and not [
            v for v in g.check(REVISED[name], "body") if v.severity == 3
        ], name


def test_a_model_draft_with_grammar_errors_is_revised(fake_openai):
    from laureate_writer import api

    fake_openai.responder = responder
    writer = fake_server_writer(fake_openai, "openai:test-model", max_retries=1)
    outcome = api.draft_outcome(BREST, writer=writer)
    assert not outcome.partial
    revise = {
        section_of(r.json)[1]: "\n".join(m["content"] for m in r.json["messages"])
        for r in fake_openai.chat_requests
        if section_of(r.json)[0] == "revise"
    }
    assert "grammar.agreement" in revise["chapô"] and "créé" in revise["chapô"]
    assert "grammar.agreement" in revise["légende"] and "conçu" in revise["légende"]
    assert "grammar.coordination" in revise["contexte"]
    article = outcome.article
    assert article.text_of("lead") == REVISED["chapô"]
    assert article.text_of("caption") == REVISED["légende"]
    assert "et à accueillir" in article.text_of("context")
    assert not [u for u in article.reports.get("unresolved", []) if u["checker"] == "grammar"]


def test_save_section_reports_grammar_errors(tmp_path: Path):
    from laureate_writer import operations as ops

    shutil.copytree(EXAMPLES, tmp_path / "2020")
    ctx = ops.Context(tmp_path, model="offline")
    report = ops.save_section(ctx, "2020/brest.md", "caption", FLAWED["légende"],
                              dossier="2020/brest.yaml")  # fmt: skip
    assert report.ok is False
    grammar = [f for f in report.remaining if f.checker == "grammar"]
    assert grammar and grammar[0].rule == "grammar.agreement" and grammar[0].severity == "error"
    report = ops.save_section(ctx, "2020/brest.md", "caption", REVISED["légende"])
    assert report.ok is True, report.remaining
