"""What the editor's read of the dev-set drafts (bench/editorial/reviews/) found that the
tests did not: a nominee's label line read as a win, a budget written 'value: 1, unit:
million' flagged as absent, 'des produits vendus' read as the action 'produire', and a
headline opening on a figure 'fixed' to '85 % Des légumes' (that one is a good example of
cap.first-letter in the style file, run by test_style_rules)."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, ROOT
from laureate_writer import api
from laureate_writer.article import SectionKind
from laureate_writer.dossier import Dossier, Result, ResultKind
from laureate_writer.facts import check_text
from laureate_writer.facts.statements import find_actions
from laureate_writer.loading import load

DEV = ROOT / "examples" / "dev"


@pytest.mark.parametrize(
    ("name", "layout", "label"),
    [
        ("pipriac", None, "Nomination – Prix de l’emploi\u00a0: Commune de Pipriac"),
        ("pipriac", "2023", "Nomination – Prix de l’emploi"),
        (
            "eau-bassin-rennais",
            None,
            "Mention – Prix de l’environnement\u00a0: Collectivité Eau du Bassin rennais",
        ),
        ("gers", None, "Prix de la citoyenneté\u00a0: Département du Gers"),
    ],
)
def test_the_label_line_says_a_nomination_or_a_mention(name, layout, label):
    article = api.draft(DEV / f"{name}.yaml", writer=api.make_writer(None, layout=layout))
    assert article.text_of(SectionKind.prize_label) == label


def _flagged(text: str, dossier: Dossier) -> list[str]:
    return [text[v.start : v.end] for v in check_text(text, dossier)]


def test_a_scale_word_as_unit_multiplies_the_value():
    base = load(Dossier, EXAMPLES / "brest.yaml")
    budget = Result(label="d’euros par an", value=1, unit="million", kind=ResultKind.means)
    dossier = base.model_copy(update={"results": [*base.results, budget]})
    assert _flagged("La ville y consacre 1 million d’euros par an.", dossier) == []
    assert _flagged("La ville y consacre 2 millions d’euros par an.", dossier)
    assert _flagged("La ville y consacre 1 000 €.", dossier)


def test_a_noun_after_a_determiner_is_no_action():
    assert find_actions("Le label se traduit par des produits vendus en magasin.") == []
    assert find_actions("Ses créations sont exposées.") == []
    # the verb itself is still read, with its agent
    (action,) = find_actions("La ville a produit un guide.")
    assert action.family == "creation" and "ville" in action.agent
