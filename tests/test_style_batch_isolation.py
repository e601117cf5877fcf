"""In a batch (check FILE..., the batched API), every text is checked on its own: an
unclosed comment, fence, style-off block or front matter in one text never hides the
next one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laureate_writer.style import load_style

DEFECT = "Le verdict: la 21ème édition."


@pytest.mark.parametrize(
    "first",
    [
        "Texte normal.\n\n<!-- note jamais fermée\n\nSuite.",
        "Texte normal.\n\n```\ncode jamais fermé\n\nSuite.",
        "Texte normal.\n\n<!-- lw-style off -->\n\nSuite.",
        "---\ntitle: front matter jamais fermé\n\nSuite du texte.",
    ],
)
def test_an_unclosed_construct_does_not_leak_into_the_next_text(first):
    style = load_style()
    alone = style.check(DEFECT)
    assert alone, "the defect must be found on its own"
    batched = style.check_many([first, DEFECT])
    assert [(v.rule, v.start) for v in batched[1]] == [(v.rule, v.start) for v in alone]
    fixed = style.fix_and_check_many([first, DEFECT])
    assert fixed[1][0] == style.fix(DEFECT)


# An article checked in a batch gets exactly what it gets checked alone: its start is a
# line start and its end a line end (the separator's own line breaks are not
# protected), no finding reaches into the separator, and the doubled-word check
# compares neighbours within an article.
ARTICLE_PIECES = st.sampled_from(
    [
        "a ",
        "b",
        " ",
        "\n",
        "\n\n",
        "« x »",
        "1000",
        "M. X",
        "l'a",
        "...",
        "\u00a0",
        "#",
        "- ",
        "`c`",
        "x  y",
        "?",
        "!",
        "\t",
        "<!-- lw:lead -->\n",
        "---\nt: x\n---\n",
        "Le le chat",
        "choisi choisi.",
        "coeur",
        "CCAS",
        "https://a.fr/x.",
        '"a"',
        "21ème",
        "8h30",
        "(x)",
    ]
)


@given(st.lists(st.lists(ARTICLE_PIECES, max_size=8).map("".join), min_size=2, max_size=4))
@settings(max_examples=200, deadline=None)
def test_an_article_in_a_batch_gets_what_it_gets_alone(texts):
    style = load_style()
    assert style.fix_and_check_many(texts) == [style.fix_and_check(t) for t in texts]
    assert style.check_many(texts) == [style.check(t) for t in texts]
