from __future__ import annotations

import pytest

from laureate_writer.dossier import Gender, GrammaticalNumber
from laureate_writer.french import (
    NBSP,
    NNBSP,
    NounPhrase,
    agree,
    capitalize,
    format_figure,
    format_number,
    join,
    ordinal,
    typeset,
)

F, M = Gender.feminine, Gender.masculine
PL = GrammaticalNumber.plural


@pytest.mark.parametrize(
    ("text", "gender", "number", "definite", "de", "a"),
    [
        ("la ville de Brest", F, None, "la ville de Brest", "de la ville de Brest", "à la ville de Brest"),
        ("le CCAS de Montpellier", M, None, "le CCAS de Montpellier", "du CCAS de Montpellier", "au CCAS de Montpellier"),
        ("l'agglomération", F, None, "l’agglomération", "de l’agglomération", "à l’agglomération"),
        ("l’hôtel de ville", M, None, "l’hôtel de ville", "de l’hôtel de ville", "à l’hôtel de ville"),
        ("le Havre", M, None, "le Havre", "du Havre", "au Havre"),
        ("Île-de-France", F, None, "Île-de-France", "d’Île-de-France", "à Île-de-France"),
        ("Qioz", F, None, "Qioz", "de Qioz", "à Qioz"),
        ("les Hauts-de-Seine", M, PL, "les Hauts-de-Seine", "des Hauts-de-Seine", "aux Hauts-de-Seine"),
    ],
)  # fmt: skip
def test_articles_contract_and_elide(text, gender, number, definite, de, a):
    phrase = NounPhrase.parse(text, gender, number or GrammaticalNumber.singular)
    assert (phrase.definite, phrase.de, phrase.a) == (definite, de, a)


def test_elision_override_for_aspirated_h():
    phrase = NounPhrase.parse("le hangar", M, elision=False)
    assert phrase.de == "du hangar"


@pytest.mark.parametrize(
    ("word", "gender", "number", "expected"),
    [("lancé", F, GrammaticalNumber.singular, "lancée"), ("conçu", M, PL, "conçus"),
     ("créé", F, PL, "créées"), ("mis", M, PL, "mis"), ("ouvert", F, GrammaticalNumber.singular, "ouverte")],
)  # fmt: skip
def test_agreement(word, gender, number, expected):
    assert agree(word, gender, number) == expected


def test_numbers_follow_french_typography():
    assert format_number(3000) == f"3{NNBSP}000"
    assert format_number(160000) == f"160{NNBSP}000"
    assert format_number(1629) == f"1{NNBSP}629"
    assert format_number(2.5) == "2,5"
    assert format_figure(63, "%") == f"63{NBSP}%"
    assert format_figure(3, words_below=10) == "trois"
    assert format_figure(20, words_below=10) == "20"
    assert ordinal(21) == "21e" and ordinal(1, M) == "1er" and ordinal(1, F) == "1re"


def test_typeset_spaces_apostrophes_and_keeps_urls():
    out = typeset("Le verdict: « oui » ! Voir https://qioz.fr/ à 8 h, 63 % et l'accès.")
    assert f"verdict{NBSP}:" in out and f"«{NBSP}oui{NBSP}»" in out and f"{NNBSP}!" in out
    assert "https://qioz.fr/" in out and f"8{NBSP}h" in out and f"63{NBSP}%" in out
    assert "l’accès" in out and "'" not in out
    assert typeset(out) == out


def test_phone_numbers_do_not_break():
    assert typeset("le 05 34 140 140.") == f"le 05{NBSP}34{NBSP}140{NBSP}140."


def test_join_and_capitalize():
    assert join(["a", "b", "c"]) == "a, b et c" and join(["a"]) == "a" and join([]) == ""
    assert capitalize("à Brest") == "À Brest" and capitalize("« oui »") == "« Oui »"
