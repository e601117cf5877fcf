"""Every rule of the bundled style runs its own examples (LanguageTool-style): text
that must trigger it, text that must not, and for safe fixes the exact fixed text."""

from __future__ import annotations

import pytest

from laureate_writer.style.engine import Style, load_style

STYLE = load_style(include_disabled=True)
NOTATION = {"~": "\u00a0", "^": "\u202f"}


def decode(text: str) -> str:
    for k, v in NOTATION.items():
        text = text.replace(k, v)
    return text


def example_scope(rule, example: dict) -> str | None:
    scope = example.get("scope")
    if scope == "article":
        return None
    if scope:
        return scope
    return "body" if rule.scopes is None or "body" in rule.scopes else sorted(rule.scopes)[0]


def solo(rule) -> Style:
    return Style(rule.id, STYLE.settings, [rule], STYLE.source)


CASES = [
    pytest.param(rule, i, ex, id=f"{rule.id}[{i}]")
    for rule in STYLE.rules
    for i, ex in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "index", "example"), CASES)
def test_rule_example(rule, index, example):
    style = solo(rule)
    scope = example_scope(rule, example)
    if "bad" in example:
        text = decode(example["bad"])
        found = style.check(text, scope)
        assert found, f"{rule.id} should flag {text!r}"
        assert all(v.rule == rule.id and v.checker == "style" for v in found)
        if "fixed" in example:
            assert rule.fixable, f"{rule.id} has a fixed example but no safe fix"
            fixed = style.fix(text, scope)
            assert fixed == decode(example["fixed"])
            assert not [v for v in style.check(fixed, scope) if v.fixable]
            assert style.fix(fixed, scope) == fixed
    if "good" in example:
        text = decode(example["good"])
        assert style.check(text, scope) == [], f"{rule.id} should not flag {text!r}"
        if rule.fixable:
            assert style.fix(text, scope) == text


def test_bundled_style_is_big_enough_and_covers_every_type():
    types = {r.type_name for r in STYLE.rules}
    assert len(STYLE.rules) >= 30
    assert types == {
        "typography",
        "substitution",
        "existence",
        "length",
        "capitalization",
        "acronym",
        "consistency",
        "repetition",
    }


@pytest.mark.parametrize("rule", STYLE.rules, ids=lambda r: r.id)
def test_every_rule_is_documented_with_examples(rule):
    assert rule.why, f"{rule.id}: no 'why'"
    assert any("bad" in ex for ex in rule.examples), f"{rule.id}: no triggering example"
    assert any("good" in ex for ex in rule.examples), f"{rule.id}: no non-triggering example"
    if rule.fixable:
        assert any("fixed" in ex for ex in rule.examples), f"{rule.id}: safe fix untested"
    for ex in rule.examples:
        assert set(ex) <= {"bad", "good", "fixed", "scope", "__line__"}, ex


def test_rule_ids_are_unique_and_namespaced():
    ids = [r.id for r in STYLE.rules]
    assert len(ids) == len(set(ids))
    assert all("." in i for i in ids)


def test_bundled_patterns_all_compile_and_lazy_changes_no_result(seed_text, dossier_paths):
    """The bundled styles compile their patterns on first use (start-up); built eagerly,
    every pattern and replacement is compiled and validated here instead, and both
    forms find and fix exactly the same things."""
    from laureate_writer.style.engine import STYLES_DIR, build_style
    from laureate_writer.style.rules.base import LazyPattern

    eager = {}
    for path in sorted(STYLES_DIR.glob("*.yaml")):
        eager[path.stem] = build_style(path, include_disabled=True, lazy=False)  # raises if bad
    lazy = build_style(STYLES_DIR / "gazette.yaml", include_disabled=True)
    assert any(isinstance(rx, LazyPattern) for r in lazy.rules for rx in vars(r).values())
    assert not any(
        isinstance(rx, LazyPattern) for r in eager["gazette"].rules for rx in vars(r).values()
    )
    texts = [seed_text, *(p.read_text(encoding="utf-8") for p in dossier_paths)]
    texts += [decode(ex[k]) for r in STYLE.rules for ex in r.examples for k in ("bad", "good")
              if k in ex]  # fmt: skip
    for text in texts:
        assert lazy.check(text, None) == eager["gazette"].check(text, None)
        assert lazy.fix(text, None) == eager["gazette"].fix(text, None)
