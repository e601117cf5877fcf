"""Autofix is safe and idempotent: fix(fix(x)) == fix(x), on generated text and on
real text; it never touches protected spans and keeps the Markdown structure."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laureate_writer.style import load_style
from laureate_writer.style.document import MASK, Document

STYLE = load_style()
SEED = Path(__file__).resolve().parents[2] / "shared/seeds/000_0665f5bfaebcfaeb.txt"

FRAGMENTS = [
    "l'équipe",
    "d' enfants",
    "Qui a gagné",
    "?",
    "!",
    ";",
    ":",
    "«",
    "»",
    '"',
    "“",
    "”",
    "...",
    "…",
    "etc",
    "etc...",
    "3000",
    "160 000",
    "1.000.000",
    "2019-2020",
    "21ème",
    "1ère",
    "18h30",
    "8h",
    "18:30",
    "63%",
    "63 %",
    "15km",
    "20€",
    "€3",
    "(",
    ")",
    "( ",
    " )",
    "[",
    "]",
    " - ",
    "-",
    ",",
    ".",
    " ,",
    " .",
    "  ",
    "\u00a0",
    "\u202f",
    "\t",
    "coeur",
    "Covid",
    "IOS",
    "Etat",
    "Mr",
    "Melle",
    "M. Dupont",
    "S.N.C.F.",
    "PMEs",
    "le 03 Mars",
    "le 1 juillet",
    "https://qioz.fr/",
    "contact@brest.fr",
    "05 34 140 140",
    "29200 Brest",
    "`code 'x' ;`",
    "**",
    "*",
    "_",
    "\n",
    "\n\n",
    "# ",
    "## ",
    "- ",
    "<!-- lw:lead -->\n",
    "<!-- lw:headline -->\n",
    "Brest",
    "la commune",
    "mal logement",
    "tiers lieu",
    "Conseil Départemental",
    "Jeux Olympiques",
    "ministère de la culture",
    "le le",
    "2.5",
    "CCAS",
    "en 2020",
    "article 1246",
    "x",
    "é",
    "'",
    "’",
    "–",
    "—",
]
text_strategy = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
mixed_strategy = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet="ab é'\":;!?«» .,-\u00a0\u202f0123456789\n", max_size=6),
    ),
    max_size=30,
).map("".join)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def protected(text: str) -> list[str]:
    doc = Document(text)
    return [text[m.start() : m.end()] for m in re.finditer(MASK + "+", doc.masked)]


@SETTINGS
@given(text_strategy)
def test_fix_is_idempotent_on_generated_fragments(text):
    once = STYLE.fix(text)
    assert STYLE.fix(once) == once


@SETTINGS
@given(mixed_strategy)
def test_fix_is_idempotent_on_random_text(text):
    once = STYLE.fix(text)
    assert STYLE.fix(once) == once


@settings(max_examples=150, deadline=None)
@given(text_strategy)
def test_fix_keeps_protected_spans_and_line_structure(text):
    fixed = STYLE.fix(text)
    keep = [p for p in protected(text) if p.strip() and not set(p) <= set("*_")]
    for piece in keep:
        if any(c in piece for c in "/@`<") or piece[:1].isdigit():
            assert piece in fixed
    markers = [line for line in text.split("\n") if line.startswith("<!--")]
    assert [line for line in fixed.split("\n") if line.startswith("<!--")] == markers


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["headline", "lead", "body", "intertitle", "caption"]), text_strategy)
def test_fix_is_idempotent_in_every_scope(scope, text):
    once = STYLE.fix(text, scope)
    assert STYLE.fix(once, scope) == once


def test_fix_is_idempotent_on_real_text():
    texts = [
        p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.glob("data/style/*.md"))
    ]
    if SEED.exists():
        seed = SEED.read_text(encoding="utf-8")
        texts.append(seed)
        texts.extend(seed.split("\n\n"))
    assert texts
    for text in texts:
        once = STYLE.fix(text)
        assert STYLE.fix(once) == once
