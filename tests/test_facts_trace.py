"""Tracing claims to the 2020 example dossiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from laureate_writer.dossier import Dossier, Edition, Quote
from laureate_writer.facts import check_text, trace_text
from laureate_writer.loading import load

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "2020"
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def dossiers() -> dict[str, Dossier]:
    return {p.stem: load(Dossier, p) for p in EXAMPLES.glob("*.yaml") if p.stem != "palmares"}


def unsupported(text: str, source) -> list[str]:
    return [t.claim.text for t in trace_text(text, source) if not t.supported]


def test_figures_with_their_units(dossiers) -> None:
    pau = dossiers["pau"]
    assert unsupported(f"Une enquête : 63{NBSP}% des locataires ont eu des problèmes.", pau) == []
    assert unsupported("Une enquête : 63 locataires ont eu des problèmes.", pau) == ["63"]
    reason = next(t.reason for t in trace_text("63 locataires", pau) if not t.supported)
    assert "63 %" in reason
    brest = dossiers["brest"]
    assert unsupported("Réservée vingt semaines, puis 20 semaines encore.", brest) == []
    assert unsupported("Réservée vingt mois.", brest) == ["vingt mois"]


def test_altered_and_invented_figures_name_the_closest_value(dossiers) -> None:
    mtp = dossiers["montpellier"]
    traces = [
        t for t in trace_text(f"dont 1{NNBSP}692 inscrits aux ateliers", mtp) if not t.supported
    ]
    assert [t.claim.text for t in traces] == [f"1{NNBSP}692"]
    assert traces[0].closest and "1\u202f629" in traces[0].closest
    assert traces[0].closest_path == "results[2]"
    assert unsupported("Le CEIS compte 4 812 bénéficiaires.", mtp) == ["4 812"]


def test_derived_figures_trace_only_when_listed(dossiers) -> None:
    mtp = dossiers["montpellier"]
    assert unsupported("Au total, 2 520 inscrits en accompagnement ou aux ateliers.", mtp) == [
        "2 520"
    ]
    assert unsupported("L’offre a été multipliée par deux.", mtp) == []  # listed: 2 fois


def test_numbers_from_text_notes_and_words(dossiers) -> None:
    ariege = dossiers["ariege"]
    text = (
        "Pour soulager le 15, le 18 et le 112, trois postes ont été ouverts au 05 34 140 140, "
        "de 8 h à 18 h, 7 jours/7 ; quatre centres dédiés ont ouvert en mars 2020."
    )
    assert unsupported(text, ariege) == []
    assert unsupported("au 05 34 140 141", ariege) == ["05 34 140 141"]
    assert unsupported("de 8 h à 20 h, 6 jours/7", ariege) == ["20 h", "6 jours/7"]


def test_a_count_of_something_else_does_not_trace(dossiers) -> None:
    pau = dossiers["pau"]
    assert unsupported("En trois mois, 92 signalements et 10 dossiers résolus.", pau) == []
    assert unsupported("En trois mois, 92 dossiers résolus.", pau) == ["92"]
    # 3 is in the dossier, as relogements: three engineers are not
    assert unsupported("La conception a mobilisé trois ingénieurs.", pau) == ["trois"]
    # generic nouns and word families are paraphrases, not other counts
    assert unsupported("Le CEIS a accompagné 891 personnes.", dossiers["montpellier"]) == []
    assert unsupported("Plus de 3 000 inscriptions en 2020.", dossiers["montpellier"]) == []


def test_dates(dossiers) -> None:
    mtp = dossiers["montpellier"]
    assert unsupported("Ouvert mi-octobre 2018, puis en octobre 2018 et en 2018.", mtp) == []
    assert unsupported("Ouvert fin 2018.", mtp) == ["fin 2018"]
    assert unsupported("Ouvert mi-novembre 2018.", mtp) == ["mi-novembre 2018"]
    brest = dossiers["brest"]
    assert unsupported("Dix semaines prévues de mars à août 2020.", brest) == []
    assert unsupported("Dix semaines prévues de mars à août 2021.", brest) == ["mars", "août 2021"]
    idf = dossiers["ile-de-france"]
    assert unsupported("Campagne en mai et juin ; application à la mi-décembre.", idf) == []


def test_a_result_keeps_its_date(dossiers) -> None:
    mtp = dossiers["montpellier"]
    assert unsupported("Lancé en 2018, le CEIS compte plus de 3 000 inscrits en 2020.", mtp) == []
    assert unsupported("Plus de 3 000 personnes inscrites en 2019.", mtp) == ["2019"]


def test_award_year_follows_the_award(dossiers) -> None:
    hds = dossiers["hauts-de-seine"]
    assert unsupported("Lauréat des Prix Territoriaux 2020, lancé en mars 2019.", hds) == []
    assert unsupported("Lauréat des Prix Territoriaux 2019.", hds) == ["2019"]


def test_names_modulo_case_accents_elision_typography(dossiers) -> None:
    idf = dossiers["ile-de-france"]
    for spelled in ("d’Île-de-France", "d'Île-de-France", "d'Ile-de-France", "de l’Ile de France"):
        assert unsupported(f"Le conseil régional {spelled} a lancé Qioz.", idf) == [], spelled
    assert unsupported("La Région Bretagne a lancé Qioz.", idf) == ["Région Bretagne"]
    pau = dossiers["pau"]
    assert unsupported("La Communauté d’agglomération Pau Béarn Pyrénées et la CAF.", pau) == [
        "CAF"
    ]
    # a chain of two dossier names is supported
    assert unsupported("Le Prix des sociétaires GMF des Prix Territoriaux 2020.", pau) == []


def test_quotes(dossiers) -> None:
    idf = dossiers["ile-de-france"]
    assert unsupported(f"devenir une «{NBSP}Région multilingue{NBSP}» d’ici 2022", idf) == []
    assert unsupported("devenir une « Région bilingue »", idf) == ["« Région bilingue »"]
    quoted = idf.model_copy(
        update={
            "quotes": [
                Quote(
                    speaker="Jeanne Martin",
                    role="vice-présidente",
                    text="Qioz permet à chacun d'apprendre une langue à son rythme, gratuitement.",
                )
            ]
        }
    )
    assert (
        unsupported(
            "« Qioz permet à chacun d’apprendre une langue à son rythme, gratuitement », "
            "dit Jeanne Martin.",
            quoted,
        )
        == []
    )
    assert unsupported("« apprendre une langue à son rythme »", quoted) == []  # an excerpt
    assert unsupported("« Qioz permet à chacun d’apprendre deux langues »", quoted) == [
        "« Qioz permet à chacun d’apprendre deux langues »"
    ]


def test_edition_facts() -> None:
    edition = load(Edition, EXAMPLES / "palmares.yaml")
    text = "Créés en 2000, les Prix Territoriaux La Gazette – GMF en sont à leur 21e édition."
    assert unsupported(text, edition) == []
    assert unsupported("Créés en 2001, ils en sont à la 22e édition.", edition) == ["2001", "22e"]


def test_check_text_returns_shared_violations(dossiers) -> None:
    text = "Qioz compte plus de 160 000 apprenants.\nIl compte aussi 610 000 apprenants."
    violations = check_text(text, dossiers["ile-de-france"], section="results")
    assert len(violations) == 1
    v = violations[0]
    assert (v.checker, v.rule, str(v.severity), v.section) == (
        "facts",
        "unsupported-number",
        "error",
        "results",
    )
    assert text[v.start : v.end] == v.excerpt == "610 000"
    assert (v.line, v.column) == (2, 17)
    assert "160" in v.message and not v.fixable
