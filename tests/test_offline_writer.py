"""The offline writer's drafts: complete, French typography, grammatical, faithful, varied."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from conftest import DOSSIERS, EDITION, EXAMPLES
from laureate_writer.article import SectionKind

NB = "\u00a0\u202f"
WORD_VALUES = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
               "neuf": 9, "dix": 10, "vingt": 20}  # fmt: skip
YEAR = re.compile(r"^(19|20)\d\d$")
PHONE = re.compile(r"\b0\d(?:[ \u00a0][0-9]{2,3}){3,4}\b")
NUMBER = re.compile(r"(?<![\w,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:,\d+)?")


def _texts(article) -> list[str]:
    out = []
    for section in article.sections:
        if section.intertitle:
            out.append(section.intertitle)
        out.append(section.text)
    return out


def _numbers(text: str) -> set[float]:
    text = PHONE.sub(" ", text)
    found = set()
    for match in NUMBER.finditer(text):
        raw = re.sub(rf"[ {NB}]", "", match.group(0)).replace(",", ".")
        found.add(float(raw))
    for word, value in WORD_VALUES.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            found.add(value)
    return found


def _dossier_numbers(path) -> set[float]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    numbers: set[float] = set()

    def walk(value):
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            numbers.add(float(value))
        elif isinstance(value, str):
            numbers.update(_numbers(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return numbers


# --- Typography ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [p.stem for p in DOSSIERS])
def test_french_typography(name, offline_articles):
    for text in _texts(offline_articles[name]):
        assert "'" not in text and '"' not in text, text
        assert not re.search(rf"[^{NB}][:;!?»]", text), text
        assert not re.search(rf"«[^{NB}]", text), text
        assert not re.search(rf"\d[^{NB}\d]?%", text.replace("\u00a0%", "")), text
        assert not re.search(r"\dème", text) and "  " not in text
        assert not re.search(r" [,.]", text), text
        for run in re.findall(r"\d{4,}", PHONE.sub(" ", text)):
            assert YEAR.match(run), f"ungrouped number {run} in {text!r}"
        assert not re.search(r"\d \d{3}\b", text), f"breakable thousands in {text!r}"


def test_known_figures_are_typeset(offline_articles):
    montpellier = " ".join(_texts(offline_articles["montpellier"]))
    assert "3\u202f000" in montpellier and "1\u202f629" in montpellier
    assert "160\u202f000" in " ".join(_texts(offline_articles["ile-de-france"]))
    assert "63\u00a0%" in " ".join(_texts(offline_articles["pau"]))
    assert "05\u00a034\u00a0140\u00a0140" in " ".join(_texts(offline_articles["ariege"]))


# --- Facts -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", DOSSIERS, ids=[p.stem for p in DOSSIERS])
def test_every_number_in_a_draft_comes_from_its_dossier(path, offline_articles):
    allowed = _dossier_numbers(path)
    article = offline_articles[path.stem]
    for text in _texts(article):
        extra = _numbers(text) - allowed
        assert not extra, f"{path.stem}: {sorted(extra)} not in the dossier: {text!r}"


@pytest.mark.parametrize("path", DOSSIERS, ids=[p.stem for p in DOSSIERS])
def test_every_result_figure_is_in_the_results_section(path, offline_articles):
    from laureate_writer.dossier import Dossier
    from laureate_writer.french import format_figure, typeset
    from laureate_writer.loading import load

    dossier = load(Dossier, path)
    results = offline_articles[path.stem].text_of(SectionKind.results)
    for result in dossier.results:
        shown = format_figure(result.value, result.unit, words_below=10)
        assert f"{shown}\u00a0{typeset(result.label)}" in results, (shown, result.label)


def test_every_figure_of_the_reference_page_is_in_some_dossier(seed_text):
    body = seed_text.split("Youtube est désactivé")[0]
    allowed: set[float] = set()
    for path in [*DOSSIERS, EDITION]:
        allowed |= _dossier_numbers(path)
    phones = set(PHONE.findall(body))
    dossier_text = " ".join(p.read_text(encoding="utf-8") for p in DOSSIERS)
    assert phones and all(phone in dossier_text for phone in phones)
    body = re.sub(r"(\d+)ème", r"\1", body).replace("qioz.fr", "")
    missing = _numbers(body) - allowed
    assert not missing, f"figures of the reference page missing from the dossiers: {missing}"


# --- Determinism and variation --------------------------------------------------------


def test_drafting_is_deterministic(offline_articles):
    from laureate_writer import api

    again = api.draft(DOSSIERS[0])
    first = offline_articles[DOSSIERS[0].stem]
    assert [s.text for s in again.sections] == [s.text for s in first.sections]


def test_six_laureates_do_not_read_like_one_form(offline_articles):
    articles = list(offline_articles.values())

    def openings(kind, words=3):
        return {" ".join(a.text_of(kind).split()[:words]) for a in articles}

    assert len(openings(SectionKind.lead)) >= 3
    assert len(openings(SectionKind.headline, 2)) >= 5
    intertitles = {
        a.section(k).intertitle for a in articles for k in ("method", "details", "results")
    }
    assert len(intertitles) >= 8
    captions = {re.search(r" (a \w+) le Prix", a.text_of("caption")).group(1) for a in articles}
    assert len(captions) >= 2


def test_newsroom_prompt_overlay_replaces_a_template(tmp_path):
    from laureate_writer import api
    from laureate_writer.writers import get_writer

    (tmp_path / "offline").mkdir()
    (tmp_path / "offline" / "headline.md.j2").write_text("{{ d.project.name }} primé\n")
    article = api.draft(DOSSIERS[0], writer=get_writer("offline", prompts=[str(tmp_path)]))
    assert article.text_of("headline").endswith(" primé")


def test_a_broken_overlay_template_is_a_located_input_error(tmp_path):
    from laureate_writer import api
    from laureate_writer.loading import InputError
    from laureate_writer.writers import get_writer

    (tmp_path / "offline").mkdir()
    (tmp_path / "offline" / "lead.md.j2").write_text("ligne un\n{{ d.project.nom }}\n")
    with pytest.raises(InputError) as info:
        api.draft(DOSSIERS[0], writer=get_writer("offline", prompts=[str(tmp_path)]))
    assert "lead.md.j2:2:" in str(info.value) and "nom" in str(info.value)


# --- Grammar (Grammalecte) -------------------------------------------------------------

DEV_DOSSIERS = sorted((EXAMPLES.parent / "dev").glob("*.yaml"))


def _grammar():
    from laureate_writer.style import grammar

    if not grammar.available():
        if os.environ.get("LW_REQUIRE_GRAMMALECTE"):
            pytest.fail(grammar.INSTALL_HINT)
        pytest.skip(grammar.INSTALL_HINT)
    return grammar


@pytest.mark.parametrize("path", DOSSIERS + DEV_DOSSIERS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_drafts_are_grammatical(path):
    """No grammar error (the grammar pass, with the house style's protections and the
    dossier's words) in any section of the offline draft; the prize label is a name."""
    from laureate_writer import api
    from laureate_writer.style import load_style

    grammar = _grammar()
    g = grammar.default_grammar()
    style = load_style()
    dossier = api.load_dossier(path)
    article = api.draft(path)
    accept = grammar.words_of([dossier.model_dump()])
    errors = []
    for s in article.sections:
        if s.kind == SectionKind.prize_label:
            continue
        parts = [(s.text, s.kind.scope)] + ([(s.intertitle, "intertitle")] if s.intertitle else [])
        for text, scope in parts:
            house = style.check(text, scope)
            errors += [
                (s.kind.value, v.excerpt, v.rule, v.message)
                for v in g.check(text, scope, house, accept)
                if v.severity >= 3
            ]
    assert errors == [], errors
