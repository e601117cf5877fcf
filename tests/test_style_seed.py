"""The reference page (../shared/seeds/) is a real corpus: pin what the house style
finds in it, and that nothing is flagged inside its URL or phone number."""

from __future__ import annotations

from pathlib import Path

import pytest

from laureate_writer.style import load_style

SEED = Path(__file__).resolve().parents[2] / "shared/seeds/000_0665f5bfaebcfaeb.txt"
pytestmark = pytest.mark.skipif(
    not SEED.exists(),
    reason=f"reference page not found at {SEED} (read-only copy beside the checkout)",
)
NB, NN = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def found(seed):
    return load_style().check(seed)


def by_rule(found, rule):
    return [v for v in found if v.rule == rule]


def test_ordinal_21eme(found):
    hits = by_rule(found, "typo.ordinals")
    assert [v.excerpt for v in hits] == ["21ème", "21ème"]
    assert all(v.suggestion == "21e" for v in hits)
    assert hits[0].line == 1


def test_mixed_apostrophes(seed, found):
    straight = by_rule(found, "typo.apostrophe")
    assert len(straight) == seed.count("'") == 23
    (mixed,) = by_rule(found, "cons.apostrophes")
    assert "23" in mixed.message and "107" in mixed.message


def test_coeur_beside_coeur(found):
    (sub,) = by_rule(found, "sub.ligatures")
    assert sub.excerpt == "coeur" and sub.suggestion == "cœur" and sub.line == 9
    (cons,) = by_rule(found, "cons.terms")
    assert cons.excerpt == "coeur" and "cœur" in cons.message


def test_missing_non_breaking_spaces(seed, found):
    colons = by_rule(found, "typo.colon-space")
    assert len(colons) == 12
    assert all(v.suggestion == NB for v in colons)
    assert len(by_rule(found, "typo.guillemet-open-space")) == 7
    assert len(by_rule(found, "typo.guillemet-close-space")) == 7
    high = by_rule(found, "typo.high-punctuation-space")
    assert len(high) == 4 and all(v.suggestion == NN for v in high)
    assert {v.excerpt for v in by_rule(found, "typo.thousands")} == {"3 000", "1 629", "160 000"}
    assert {v.excerpt for v in by_rule(found, "typo.hours")} == {"8 h", "18 h"}
    assert [v.line for v in by_rule(found, "typo.unit-space")] == [129]  # 63 %


def test_other_pinned_findings(found):
    rules = {v.rule for v in found}
    assert {
        "typo.spaced-hyphen",
        "typo.etc",
        "typo.ellipsis",
        "sub.brands",
        "sub.covid",
        "exist.anglicisms",
        "exist.cliches",
        "cap.institutions",
        "acr.first-use",
        "cons.spellings",
    } <= rules
    assert "EHPAD" in {v.excerpt for v in by_rule(found, "acr.first-use")}


def test_nothing_inside_url_or_phone(seed, found):
    for needle in ("https://qioz.fr/", "05 34 140 140"):
        start = seed.index(needle)
        end = start + len(needle)
        inside = [v for v in found if v.start < end and v.end > start]
        assert inside == [], inside


def test_fix_keeps_url_and_phone_and_is_idempotent(seed):
    style = load_style()
    fixed = style.fix(seed)
    assert "(https://qioz.fr/)" in fixed and "05 34 140 140" in fixed
    assert "21e édition" in fixed and f"3{NN}000 personnes" in fixed
    assert style.fix(fixed) == fixed
    assert not [v for v in style.check(fixed) if v.fixable]
