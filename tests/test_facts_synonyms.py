"""Dossier-declared noun synonyms for the fact guard: a counted noun the dossier says is
the same as another ("bénévoles" = "volontaires") supports the figure; without the
declaration the same claim is flagged (nouns are otherwise matched by stemming only)."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from laureate_writer.dossier import Dossier, Result
from laureate_writer.facts import check_text
from laureate_writer.loading import load

CLAIM = "La ville a mobilisé 35 volontaires et 120 lycéens pour la Handibox."


@pytest.fixture
def dossier() -> Dossier:
    base = load(Dossier, EXAMPLES / "brest.yaml")
    results = [
        *base.results,
        Result(label="bénévoles mobilisés", value=35),
        Result(label="élèves accueillis", value=120),
    ]
    return base.model_copy(update={"results": results})


def _flagged(text: str, dossier: Dossier) -> list[str]:
    return [text[v.start : v.end] for v in check_text(text, dossier)]


def test_without_a_declaration_other_nouns_are_flagged(dossier):
    flagged = _flagged(CLAIM, dossier)
    assert any("35" in f for f in flagged) and any("120" in f for f in flagged)


def test_a_declared_synonym_supports_the_figure_both_ways(dossier):
    declared = dossier.model_copy(
        update={"synonyms": {"bénévoles": ["volontaires"], "lycéens": ["élèves"]}}
    )
    assert _flagged(CLAIM, declared) == []
    # the declaration does not make any noun acceptable, nor another figure
    assert _flagged("La ville a mobilisé 35 agents.", declared)
    assert _flagged("La ville a mobilisé 36 volontaires.", declared)


def test_synonyms_are_read_from_the_file_and_keep_old_hashes(tmp_path):
    source = (EXAMPLES / "brest.yaml").read_text(encoding="utf-8")
    plain = load(Dossier, EXAMPLES / "brest.yaml")
    path = tmp_path / "brest.yaml"
    path.write_text(source + "synonyms:\n  semaines: [hebdomadaires]\n", encoding="utf-8")
    declared = load(Dossier, path)
    assert declared.synonyms == {"semaines": ["hebdomadaires"]}
    # an additive field: a dossier that does not use it hashes as before it existed
    # (articles drafted earlier do not look stale)
    assert plain.content_hash() == "sha256:1d9dfd233204bd83"
    assert declared.content_hash() != plain.content_hash()
