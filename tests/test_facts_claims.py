"""Claim extraction from French text: figures, units, dates, names, quotations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from laureate_writer.facts.claims import ClaimKind, extract_claims

NNBSP, NBSP = "\u202f", "\u00a0"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(c.kind.value, c.display) for c in extract_claims(text) if c.kind != ClaimKind.name]


def only(text: str, kind: ClaimKind):
    found = [c for c in extract_claims(text) if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP])
def test_grouped_digits_read_as_one_figure(space: str) -> None:
    claim = only(f"Plus de 3{space}000 personnes se sont inscrites.", ClaimKind.number)
    assert claim.value == 3000 and claim.qualifier == "above" and claim.noun == "personn"
    assert only(f"dont 1{space}629 pour les ateliers", ClaimKind.number).value == 1629
    assert only(f"plus de 160{space}000 apprenants", ClaimKind.number).value == 160000


def test_decimals_percentages_money() -> None:
    assert kinds(f"soit 2,5{NBSP}% des habitants") == [("percent", "2,5 %")]
    assert kinds(f"63{NBSP}% des locataires") == [("percent", "63 %")]
    assert kinds("63 pour cent des locataires") == [("percent", "63 %")]
    assert only("un budget de 1,5 million d’euros", ClaimKind.money).value == 1_500_000
    assert only("pour 12 k€", ClaimKind.money).value == 12_000
    assert only(f"pour 3{NNBSP}000{NBSP}€", ClaimKind.money).value == 3000


def test_numbers_in_words_and_articles() -> None:
    assert kinds("la Handibox a été réservée vingt semaines") == [("quantity", "20 semaine")]
    assert kinds("Dix semaines étaient prévues") == [("quantity", "10 semaine")]
    assert kinds("quatre-vingt-dix bénévoles et soixante et onze agents") == [
        ("number", "90"),
        ("number", "71"),
    ]
    # "un"/"une" are articles, never figures; "deux fois" is a figure
    assert kinds("un ingénieur et une plateforme, un an après") == []
    assert kinds("l’offre a été multipliée deux fois") == [("ratio", "2 fois")]
    # "neuf" the adjective is not nine
    assert kinds("un regard neuf sur la ville") == []
    assert kinds("en neuf mois") == [("quantity", "9 mois")]


def test_ordinals() -> None:
    assert [c.value for c in extract_claims("la 21e édition, la 21ème, le 1er, la 1re")] == [
        21,
        21,
        1,
        1,
    ]
    assert only("la vingt et unième édition", ClaimKind.ordinal).value == 21
    assert kinds("la première vague, une seconde vague") == []


def test_hours_rates_phone_are_single_claims() -> None:
    text = "ouverte de 8 h à 18 h, 7 jours/7, au 05 34 140 140"
    assert kinds(text) == [
        ("quantity", "8 h"),
        ("quantity", "18 h"),
        ("rate", "7 jours/7"),
        ("phone", "05 34 140 140"),
    ]
    assert only("le 05 34 140 140", ClaimKind.phone).key == "0534140140"
    assert only("à 8h30", ClaimKind.quantity).value == 8.5
    assert only("sept jours sur sept", ClaimKind.rate).key == "7 jour/7"
    # the unit at the end of a range applies to its start
    assert kinds("de 8 à 18 h") == [("quantity", "8 h"), ("quantity", "18 h")]


def test_dates() -> None:
    assert kinds("lancé mi-octobre 2018") == [("date", "mi-octobre 2018")]
    assert kinds("lancée début 2019") == [("date", "début 2019")]
    assert kinds("en juillet 2020") == [("date", "juillet 2020")]
    assert kinds("de mars à août 2020") == [("date", "mars 2020"), ("date", "août 2020")]
    assert kinds("en mai et juin 2019") == [("date", "mai 2019"), ("date", "juin 2019")]
    assert kinds("Au mois de mars, au tout début de la crise") == [("date", "mars")]
    assert kinds("d’ici 2022, en 2024") == [("year", "2022"), ("year", "2024")]


def test_numbers_inside_names_urls_and_quotes() -> None:
    claims = extract_claims(
        "COVID-19 : le SDIS, Qioz (https://qioz.fr/2020) et les Prix Territoriaux 2020."
    )
    assert [(c.kind.value, c.text) for c in claims] == [
        ("name", "COVID-19"),
        ("name", "SDIS"),
        ("name", "Qioz"),
        ("contact", "https://qioz.fr/2020"),
        ("name", "Prix Territoriaux"),
        ("year", "2020"),
    ]
    quote = only("une « Région multilingue » d’ici 2022", ClaimKind.quote)
    assert quote.key == "région multilingue"
    assert not [c for c in extract_claims("« 100 % numérique »") if c.kind != ClaimKind.quote]


def test_names() -> None:
    names = [
        c.text
        for c in extract_claims(
            "Lancé en avril 2019, Qioz est né au conseil régional d’Île-de-France, avec la "
            "Communauté d'agglomération Pau Béarn Pyrénées et M. Dupont, à La Réunion."
        )
        if c.kind == ClaimKind.name
    ]
    # "Lancé" opens the sentence: not a name; elisions and titles are not part of names;
    # an institution with its place is one entity
    assert names == ["Qioz", "Dupont", "La Réunion"]
    assert only("le Curious Lab d’Île-de-France", ClaimKind.name).key == "curious lab ile de france"
    entity = only("le conseil régional d’Île-de-France", ClaimKind.entity)
    assert (entity.key, entity.agent, entity.target) == (
        "conseil regional ile de france",
        "conseil régional",
        "Île-de-France",
    )
    assert only("la Communauté d'agglomération Pau Béarn Pyrénées", ClaimKind.entity).target == (
        "Pau Béarn Pyrénées"
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999), st.sampled_from([" ", NBSP, NNBSP]))
def test_any_grouped_integer_reads_back(n: int, space: str) -> None:
    digits = f"{n:,}".replace(",", space)
    claim = only(f"Au total, {digits} dossiers ont été traités.", ClaimKind.number)
    assert claim.value == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=999_999))
def test_any_number_in_words_reads_back(n: int) -> None:
    words = num2words(n, lang="fr")
    claims = [
        c
        for c in extract_claims(f"Au total, {words} dossiers ont été traités.")
        if c.kind == ClaimKind.number
    ]
    assert [c.value for c in claims] == [n], words
