"""In a batch (check FILE..., the batched API), every text is checked on its own: an
unclosed comment, fence, style-off block or front matter in one text never hides the
next one."""

from __future__ import annotations

import pytest

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
