"""A quick pass of the fuzzers (``make fuzz`` runs ten thousand inputs per entry point):
no traceback, an exit code from the documented table, nothing written on exit 2."""

from __future__ import annotations

import os

import pytest

from fuzzing import Workspace, entry_points, fuzz

EXAMPLES_PER_ENTRY = int(os.environ.get("LW_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def points():
    return entry_points(Workspace())


@pytest.mark.parametrize(
    "name", ["dossier-yaml", "dossier-json", "edition", "article", "model-answer"]
)
def test_fuzz_entry_point(name, points):
    strategy, body = points[name]
    assert fuzz(strategy, body, EXAMPLES_PER_ENTRY) == EXAMPLES_PER_ENTRY
