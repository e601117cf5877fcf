"""Typed claims (issue 15): role, qualifier, subject, entities, status and actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from laureate_writer.dossier import Dossier
from laureate_writer.facts import check_sections, trace_text
from laureate_writer.facts.claims import ClaimKind, extract_claims
from laureate_writer.facts.trace import qualifier_ok
from laureate_writer.loading import load

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "2020"


@pytest.fixture(scope="module")
def dossiers() -> dict[str, Dossier]:
    names = ("brest", "montpellier", "ariege", "pau", "ile-de-france")
    return {n: load(Dossier, EXAMPLES / f"{n}.yaml") for n in names}


def flagged(text: str, dossier: Dossier) -> dict[str, str]:
    return {t.claim.text: t.reason for t in trace_text(text, dossier) if not t.supported}


def test_roles_of_figures() -> None:
    roles = [
        (c.text, c.role)
        for c in extract_claims(
            "Au total, 2019 personnes, en 2019, la 21e édition, deux fois plus d’offres, "
            "vingt semaines, 63 %, deux locataires sur trois déclarent"
        )
        if c.kind
        in {
            ClaimKind.number,
            ClaimKind.year,
            ClaimKind.ordinal,
            ClaimKind.ratio,
            ClaimKind.quantity,
            ClaimKind.percent,
            ClaimKind.fraction,
        }
    ]
    assert roles == [
        ("2019", "count"),
        ("2019", "year"),
        ("21e", "ordinal"),
        ("deux fois", "ratio"),
        ("vingt semaines", "duration"),
        ("63 %", "percentage"),
        ("deux locataires sur trois", "fraction"),
    ]
    # a year followed by a verb stays a year; "un tiers-lieu" is a place
    assert [c.kind for c in extract_claims("Le palmarès 2020 distingue un tiers-lieu.")] == [
        ClaimKind.year
    ]


def test_year_and_ordinal_are_not_counts(dossiers) -> None:
    bad = flagged("Au total, 2019 personnes et 21 personnes ont réservé.", dossiers["brest"])
    assert "est une année dans le dossier" in bad["2019"]
    assert "comme un ordinal" in bad["21"]
    assert flagged("La 21e édition, en 2019.", dossiers["brest"]) == {}


def test_qualifiers_same_or_safely_weaker(dossiers) -> None:
    assert qualifier_ok("at_least", "above") and qualifier_ok(None, None)
    assert not qualifier_ok(None, "above") and not qualifier_ok("near", None)
    assert not qualifier_ok("near", "above") and not qualifier_ok("above", "at_least")
    m = dossiers["montpellier"]
    assert flagged("Plus de 3 000 personnes, au moins 3 000 inscrits.", m) == {}
    assert "nuance perdue" in flagged("3 000 personnes inscrites.", m)["3 000"]
    assert "nuance ajoutée" in flagged("Près de 891 inscrits.", m)["891"]
    assert "nuance changée" in flagged("Environ 3 000 personnes.", m)["3 000"]


def test_derived_figures_name_their_sources(dossiers) -> None:
    m, pau = dossiers["montpellier"], dossiers["pau"]
    assert "la somme de 891 et 1\u202f629" in flagged("2 520 inscrits.", m)["2 520"]
    assert (
        "arrondit le 1\u202f629 du dossier" in flagged("1 600 inscrits aux ateliers.", m)["1 600"]
    )
    share = flagged("Deux locataires sur trois déclarent des problèmes.", pau)
    assert "calculé d’après 63 %" in share["Deux locataires sur trois"]
    # stated beside its source, the share is a paraphrase the reader can check
    assert flagged("Près des deux tiers des locataires, 63 %, déclarent des problèmes.", pau) == {}
    assert "comme un pourcentage" in flagged("63 locataires déclarent des problèmes.", pau)["63"]


def test_swapped_results_sharing_a_noun(dossiers) -> None:
    m = dossiers["montpellier"]
    right = "Plus de 3 000 inscrits, dont 891 en accompagnement numérique et 1 629 aux ateliers."
    assert flagged(right, m) == {}
    swapped = flagged(right.replace("891", "X").replace("1 629", "891").replace("X", "1 629"), m)
    assert set(swapped) == {"1 629", "891"}
    assert "sujet inversé" in swapped["891"]


def test_entities_are_whole(dossiers) -> None:
    ariege, brest = dossiers["ariege"], dossiers["brest"]
    assert flagged("La préfecture de l’Ariège et le SDIS de l’Ariège.", ariege) == {}
    assert "mélange deux noms" in flagged("L’ARS de l’Ariège.", ariege)["ARS de l’Ariège"]
    assert flagged("La municipalité de Brest.", brest) == {}
    assert (
        "ne nomme pas « préfecture »"
        in flagged("La préfecture de Brest.", brest)["préfecture de Brest"]
    )


def test_status_and_actions(dossiers) -> None:
    ariege = dossiers["ariege"]
    nominee = ariege.model_copy(update={"status": "nominee"})
    assert flagged("Le SDIS a remporté le Prix spécial gestion de crise.", ariege) == {}
    assert "statut" in flagged("Le SDIS a remporté le prix.", nominee)["a remporté le prix"]
    assert (
        "« Le conseil départemental et la préfecture"
        in flagged("Le SDIS a déployé les centres COVID.", ariege)["déployé"]
    )
    assert "avec d’autres" in flagged("Le SDIS a créé quatre centres médicaux.", ariege)["créé"]
    assert flagged("Avec l’ARS, le SDIS a créé quatre centres médicaux.", ariege) == {}
    adopted = dossiers["pau"].model_copy(
        update={"laureate": dossiers["pau"].laureate.model_copy(update={"role": "adopted"})}
    )
    assert "l’a adopté" in flagged("L’agglomération a créé Histologe.", adopted)["créé"]
    cobuilt = ariege.model_copy(
        update={
            "laureate": ariege.laureate.model_copy(update={"role": "co-built"}),
            "project": ariege.project.model_copy(update={"co_builders": ["l’ARS Occitanie"]}),
        }
    )
    alone = "Le SDIS a conçu la plateforme téléphonique."
    assert "construit avec l’ARS Occitanie" in flagged(alone, cobuilt)["conçu"]
    assert flagged("Le SDIS a co-construit la plateforme téléphonique.", cobuilt) == {}
    # the offline writer's wording for a nominee is a nominee's
    assert flagged("La plateforme était nommée pour le prix.", nominee) == {}
    assert (
        "statut" in flagged("La plateforme était nommée pour le prix.", ariege)["était nommée pour"]
    )


def test_report_says_what_the_claim_is(dossiers) -> None:
    report = check_sections(
        {"results": "Près de 3 000 personnes. 60 % des usagers."}, dossiers["montpellier"]
    )
    first, second = report.unsupported
    assert (first.role, first.noun, first.qualifier) == ("count", "personnes", "près de")
    assert "(un nombre de personnes, avec « près de »)" in first.message()
    assert "plus de 3\u202f000 personnes inscrites" in (first.closest or "")
    # no percentage in the dossier: no hint cut from an unrelated note
    assert second.closest is None and "il n’indique pas de pourcentage" in second.message()
