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
    entry = bench_editorial.fill(bench_editorial.Entry(path.stem), article)
    bench_editorial.measure(entry, dossier)
    assert entry.distortions == []
    assert entry.lead_words <= 40


# --- facts are sacred: the distortion classes an editor found ---------------------------


def test_a_paraphrase_is_reported_speech_never_between_guillemets():
    quote = {"speaker": "Jo Spiegel", "role": "maire", "kind": "paraphrase",
             "text": "La démocratie ne se limite pas au jour du vote."}  # fmt: skip
    text = " ".join(draft(quotes=[quote]).values())
    assert "«" not in text
    assert re.search(r"(Pour|Selon) Jo Spiegel, maire, la démocratie ne se limite pas", text)
    fragment = {**quote, "text": "un projet, des habitants, une ville"}
    text = " ".join(draft(quotes=[fragment]).values())
    assert "«" not in text and "Jo Spiegel, maire, résume ainsi sa position" in text


def test_a_verbatim_quote_is_still_quoted():
    quote = {"speaker": "Jo Spiegel", "role": "maire", "kind": "verbatim", "text": "On avance."}
    assert "«\u00a0On avance\u00a0»" in " ".join(draft(quotes=[quote]).values())


def test_an_outlook_note_dated_before_the_edition_is_history():
    sections = draft(
        outlook=["maison de l’alimentation ouverte en 2016", "extension prévue en 2025"]
    )
    assert "ouverte en 2016" in sections["context"]
    assert "a depuis franchi une autre étape" in sections["context"]
    assert "2016" not in sections.get("results", "")
    assert "extension prévue en 2025" in sections["results"]  # still ahead: outlook


def test_only_past_outlook_makes_no_outlook_section():
    sections = draft(outlook=["liste citoyenne réélue en 2020"])
    assert "results" not in sections
    assert "réélue en 2020" in sections["context"]


def test_targets_are_never_results():
    results = [{"label": "objectifs", "value": 38, "kind": "target", "highlight": True}]
    sections = draft(results=results)
    assert "results" not in sections
    assert "38 objectifs" not in sections["headline"] + sections["lead"]
    assert "se donne 38\u00a0objectifs" in sections["details"]


def test_a_results_title_only_over_an_outcome():
    outputs = [{"label": "repas servis", "value": 1000, "kind": "output", "highlight": True}]
    sections = draft(results=outputs)
    assert "repas servis" in sections["results"]
    assert "bilan" not in " ".join(sections.values()).lower()
    assert draft_titles(results=outputs)["results"] in ("En chiffres", "Quelques chiffres")
    outcome = [{**outputs[0], "kind": "outcome"}]
    assert draft_titles(results=outcome)["results"] not in ("En chiffres", "Quelques chiffres")


def draft_titles(**changes) -> dict[str, str]:
    article = draft_article(Dossier.model_validate({**BASE, **changes}), WRITER)
    return {s.kind.value: s.intertitle for s in article.sections if s.intertitle}


def test_an_extender_did_not_launch_what_it_extended():
    project = {**BASE["project"], "launch": 2015, "extended": "septembre 2018"}
    sections = draft(laureate=laureate(role="extended"), project=project)
    text = " ".join(sections.values())
    assert not re.search(r"\ba (lancé|créé|imaginé|conçu)", text)
    assert "a été lancé en 2015" in sections["context"]
    assert "le département l’a étendu en septembre 2018" in sections["context"]
    assert "2015" not in sections["lead"]  # the lead's date is the laureate's step


@pytest.mark.parametrize(("role", "verb"), [("adopted", "a adopté"), ("deployed", "a déployé")])
def test_the_dated_step_follows_the_role(role, verb):
    project = {**BASE["project"], "launch": "juin 2020"}
    context = draft(laureate=laureate(role=role), project=project)["context"]
    assert f"{verb} le village" in context and "juin 2020" in context
    assert "lancé" not in context


def test_the_project_name_is_said_in_the_lead_and_the_caption():
    project = {**BASE["project"], "name": "Mené, territoire à énergie positive"}
    sections = draft(project=project)
    name = "«\u00a0Mené, territoire à énergie positive\u00a0»"
    assert name in sections["lead"]
    assert sections["caption"].startswith(name)


def test_fragment_frames_do_not_say_what_a_note_is():
    project = {**BASE["project"], "method": ["concertation avec les acteurs", "schéma régional"]}
    sections = draft(project=project)
    text = " ".join(sections.values())
    assert not re.search(r"constat|principe|choix", text), text
    assert draft_titles(project=project)["method"] != "Les étapes du projet"
