"""The sentence planner of the offline writer: lexical choice from role and status,
co-builders kept, means never results, fragments realised, determinism; and the
development set (examples/dev) drafted within the issue's targets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from laureate_writer.dossier import Dossier
from laureate_writer.drafting import draft_article
from laureate_writer.loading import load
from laureate_writer.realiser import finite_verb
from laureate_writer.writers.offline import OfflineWriter
from laureate_writer.writers.planner import coordinate, is_clause

ROOT = Path(__file__).resolve().parents[1]
DEV = sorted((ROOT / "examples" / "dev").glob("*.yaml"))
WRITER = OfflineWriter()
BASE = {
    "id": "x",
    "award": {"name": "Trophées de l’action locale", "year": 2023, "edition": 5},
    "prize": {"name": "Prix de l’audace"},
    "laureate": {"name": "Département du Gers", "kind": "département", "territory": "Gers",
                 "in_text": "le département du Gers"},
    "project": {"name": "Village", "in_text": "le village landais", "short": {"in_text": "le village"},
                "what": {"text": "un village pour les malades"}, "aim": "soigner autrement",
                "context": ["isolement, perte d’autonomie", "des malades en établissements fermés"]},
}  # fmt: skip


def draft(**changes) -> dict[str, str]:
    data = {**BASE, **changes}
    article = draft_article(Dossier.model_validate(data), WRITER)
    return {s.kind.value: s.text for s in article.sections}


def laureate(**fields) -> dict:
    return {**BASE["laureate"], **fields}


@pytest.mark.parametrize(
    ("role", "verb"),
    [("adopted", "a adopté"), ("deployed", "a déployé"), ("designed", "a conçu")],
)
def test_the_verb_follows_the_role(role, verb):
    sections = draft(laureate=laureate(role=role))
    assert verb in sections["lead"]
    assert not re.search(r"\ba (créé|imaginé)", " ".join(sections.values()))


def test_a_nominee_is_never_written_as_a_winner():
    sections = draft(status="nominee")
    assert "était nommé pour le Prix de l’audace des Trophées" in sections["caption"]
    assert not re.search(r"a (reçu|remporté|obtenu)", " ".join(sections.values()))


def test_a_mention_and_an_unknown_prize():
    assert (
        "a reçu une mention dans la catégorie Prix de l’audace"
        in draft(status="mention")["caption"]
    )
    winner = draft(prize={})["caption"]
    assert "a été récompensé par les Trophées de l’action locale 2023" in winner


def test_co_builders_are_in_the_lead_and_the_caption():
    project = {**BASE["project"], "co_builders": ["l’association Alzheimer Landes", "l’Inserm"]}
    sections = draft(laureate=laureate(role="co-built"), project=project)
    for kind in ("lead", "caption"):
        assert "avec l’association Alzheimer Landes et l’Inserm" in sections[kind], kind
    assert "a co-construit" in sections["lead"]


def test_means_are_never_presented_as_results():
    results = [
        {"label": "bornes interactives", "value": 26, "kind": "means"},
        {"label": "visiteurs", "value": 1200, "highlight": True},
    ]
    sections = draft(results=results)
    assert "bornes" not in sections["results"] and "bornes" not in sections["lead"]
    assert "dispose de 26\u00a0bornes interactives" in sections["details"]


def test_only_means_and_no_notes_make_no_results_section():
    sections = draft(results=[{"label": "agents", "value": 12, "kind": "means"}])
    assert "results" not in sections


def test_fragments_become_sentences_with_a_verb_and_semicolons():
    context = draft()["context"]
    first = context.split(". ")[0]
    assert finite_verb(first), first
    assert "isolement, perte d’autonomie\u202f; des malades en établissements fermés" in context
    assert "C’est" not in context  # no launch date: nothing the lead has not said


@pytest.mark.parametrize(
    ("note", "clause"),
    [
        ("mémoire du territoire", False),
        ("harcèlement, violence, conflits", False),
        ("chaque projet municipal conçu avec les habitants", False),
        ("une régie agricole qui fournit la cantine", False),
        ("la commune a recruté deux animateurs", True),
        ("Le SDIS coordonne les acteurs", True),
        ("Ateliers avec les habitants.", True),  # a full stop: the journalist's sentence
    ],
)
def test_notes_are_told_apart(note, clause):
    assert is_clause(note) is clause


def test_coordination():
    assert coordinate(["a", "b", "c"]) == "a, b et c"
    assert coordinate(["a, b", "c"]) == "a, b ; c"


def test_quotes_are_used():
    quotes = [{"speaker": "Marie Dupont", "role": "maire", "text": "On a tout appris."}]
    text = " ".join(draft(quotes=quotes).values())
    assert "«\u00a0On a tout appris\u00a0», " in text and "Marie Dupont, maire." in text


def test_drafts_are_byte_identical_on_rerun():
    assert draft() == draft()


@pytest.mark.parametrize("path", DEV, ids=[p.stem for p in DEV])
def test_dev_set_within_targets(path):
    import bench_editorial

    dossier = load(Dossier, path)
    article = draft_article(dossier, WRITER)
    entry = bench_editorial.Entry(path.stem)
    for section in article.sections:
        text = section.text if not section.intertitle else f"{section.intertitle}\n\n{section.text}"
        entry.sections[section.kind.value] = text
    bench_editorial.measure(entry, dossier)
    assert entry.distortions == []
    assert entry.lead_words <= 40
