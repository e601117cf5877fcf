"""The grammar pass (Grammalecte behind the Violation interface): rule mapping,
severities, protections, no double report, accepted words, lazy loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from laureate_writer.style import grammar, load_style
from laureate_writer.violations import Severity


@pytest.fixture(scope="module")
def g():
    if not grammar.available():
        if os.environ.get("LW_REQUIRE_GRAMMALECTE"):
            pytest.fail(grammar.INSTALL_HINT)
        pytest.skip(grammar.INSTALL_HINT)
    return grammar.default_grammar()


def test_agreement_errors_are_grammar_errors(g):
    found = g.check("La commune a reçu le Nommée. La médiathèque, créé en 2019, ouvre.", "body")
    rules = {(v.rule, v.excerpt) for v in found}
    assert ("grammar.agreement", "créé") in rules
    assert any(v.excerpt in ("le", "Nommée") for v in found)
    assert all(v.checker == "grammar" and v.severity == Severity.error for v in found)


def test_clean_prose_has_no_finding(g):
    text = "La commune a associé les écoles, les associations et les habitants du quartier."
    assert g.check(text, "body") == []


def test_protected_text_and_prize_label_are_never_reported(g):
    text = (
        "---\nid: x\n---\n<!-- lw:prize_label -->\nLe Nommée des villes\n\n"
        "<!-- lw:context -->\nVoir `les projet` et https://ex.fr/les-projet-ambitieux.\n"
    )
    assert g.check(text) == []


def test_a_span_a_house_rule_reports_is_not_reported_again(g):
    style = load_style()
    text = "Le programme couvre l’urbanisme, la culture etc."
    house = style.check(text, "body")
    assert [v.rule for v in house] == ["typo.etc-comma"]
    assert g.check(text, "body", house) == []
    assert [v.rule for v in g.check(text, "body")] == ["grammar.comma"]


def test_spelling_accepts_the_word_list_and_the_callers_words(g):
    assert [v.rule for v in g.check("Un projet handiboxé.", "body")] == ["spelling.unknown-word"]
    assert g.check("Un projet handiboxé.", "body", accept=["handiboxé"]) == []
    assert g.check("Le SDIS et la Handibox, primés par La Gazette.", "body") == []


def test_words_of_a_dossier_dump():
    assert grammar.words_of([{"a": "la Handibox", "b": ["Qioz’s", 3]}]) >= {"Handibox", "la"}


def test_mode_resolution(monkeypatch):
    assert grammar.resolve_mode("off") is False
    with pytest.raises(ValueError):
        grammar.resolve_mode("maybe")
    monkeypatch.setenv("LW_GRAMMALECTE", "/nonexistent")
    assert grammar.resolve_mode("auto") is False
    with pytest.raises(grammar.GrammarUnavailable, match="apt-get install python3-grammalecte"):
        grammar.resolve_mode("on")


def test_the_style_package_does_not_load_grammalecte():
    code = (
        "import sys; from laureate_writer.style import load_style, grammar; "
        "load_style().check('Un texte.'); grammar.available(); "
        "assert 'grammalecte' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


FLAWED = "La commune a reçu le Nommée pour son projet, culture etc.\n"


def test_check_cli_grammar_on_off_and_missing(cli, tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text(FLAWED, encoding="utf-8")
    off = cli("check", "--grammar", "off", str(path))
    assert off.returncode == 1 and "grammar." not in off.stdout and "typo.etc-comma" in off.stdout
    if grammar.available():
        on = cli("check", "--grammar", "on", "--format", "json", str(path))
        rules = [f["rule"] for f in json.loads(on.stdout)]
        assert on.returncode == 1 and "grammar.agreement" in rules and "typo.etc-comma" in rules
        assert "grammar.comma" not in rules  # the house rule already reports that span
    monkeypatch.setenv("LW_GRAMMALECTE", "/none")
    missing = cli("check", "--grammar", "on", str(path))
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.strip().endswith("son paquet grammalecte)")
    assert "apt-get install python3-grammalecte" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_check_grammar_off_never_imports_grammalecte(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(FLAWED, encoding="utf-8")
    code = (
        "import sys; from laureate_writer.style.command import Options, run_check; "
        f"run_check([{str(path)!r}], options=Options(grammar='off')); "
        "assert 'grammalecte' not in sys.modules and "
        "'laureate_writer.style.grammar' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_the_offline_writer_repeats_de_before_a_coordinated_infinitive():
    from laureate_writer.french import before_infinitives

    aim = "conseiller la population et orienter les malades"
    assert before_infinitives("de", aim) == "de conseiller la population et d’orienter les malades"
    assert before_infinitives("de", "la ville et Brest") == "de la ville et Brest"
    text = f"La commune agit afin {before_infinitives('de', aim)}."
    assert load_style().check(text, "body") == []
