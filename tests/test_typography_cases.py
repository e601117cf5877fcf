"""The labelled typography and lexical cases (bench/typography/cases.yaml): the
acceptance thresholds of the house style, alone and with the grammar pass."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "typography"))

import recall as cases_bench

CASES = cases_bench.load_cases()


def _grammar_or_skip() -> None:
    from laureate_writer.style import grammar

    if not grammar.available():
        if os.environ.get("LW_REQUIRE_GRAMMALECTE"):
            pytest.fail(grammar.INSTALL_HINT)
        pytest.skip(grammar.INSTALL_HINT)


def test_the_set_is_big_enough_and_every_span_is_in_its_text():
    bad = [c for c in CASES if "span" in c]
    assert len(CASES) >= 150 and len(bad) >= 60 and len(CASES) - len(bad) >= 60
    assert len({c["text"] for c in CASES}) == len(CASES), "duplicate cases"
    assert all(c["ref"] in ("IN", "G", "BDL") for c in CASES)


def test_house_style_alone_meets_the_thresholds():
    stats = cases_bench.evaluate(CASES, cases_bench.checkers(grammar=False)["check --grammar off"])
    assert stats["spacing"]["recall"] >= 0.95
    assert stats["all"]["false_alarms"] <= 0.05, cases_bench.misses(
        CASES, cases_bench.checkers(grammar=False)["check --grammar off"]
    )


def test_with_the_grammar_pass_lexical_recall_is_at_least_grammalecte_alone():
    _grammar_or_skip()
    configs = cases_bench.checkers(grammar=True)
    ours = cases_bench.evaluate(CASES, configs["check --grammar on"])
    alone = cases_bench.evaluate(CASES, configs["Grammalecte alone"])
    assert ours["lexical"]["recall"] >= alone["lexical"]["recall"]
    assert ours["grammar"]["recall"] == 1.0
    assert ours["spacing"]["recall"] >= 0.95
    assert ours["all"]["false_alarms"] <= 0.05
