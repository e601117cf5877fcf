"""The editorial bench's distortion check catches each class an editor found (so its
'0 distortions' means something), survives a set where every entry crashed, and exports
the drafts as the page shows them."""

from __future__ import annotations

import bench_editorial as bench
import pytest

from laureate_writer.dossier import Dossier
from laureate_writer.drafting import draft_article
from laureate_writer.writers.offline import OfflineWriter

BASE = {
    "id": "x",
    "award": {"name": "Trophées de l’action locale", "year": 2023, "edition": 5},
    "prize": {"name": "Prix de l’audace"},
    "laureate": {"name": "Ville de Saillans", "kind": "commune", "territory": "Saillans",
                 "in_text": "la ville de Saillans", "role": "created"},
    "project": {"name": "Régie", "in_text": "la régie agricole", "what": {"text": "une ferme"},
                "aim": "nourrir les écoles"},
}  # fmt: skip
LEAD = "La ville de Saillans a créé la régie agricole pour nourrir les écoles."
CAPTION = "La régie agricole, une ferme créée par la ville de Saillans, a reçu le Prix."


def dossier(**changes) -> Dossier:
    return Dossier.model_validate({**BASE, **changes})


def found(sections: dict[str, str], titled=(), **changes) -> list[str]:
    entry = bench.Entry("x", titled=set(titled))
    entry.sections = {"headline": "Une ferme", "lead": LEAD, **sections}
    entry.sections.setdefault("caption", CAPTION)
    return bench.distortions(entry, dossier(**changes))


def test_a_clean_entry_has_no_distortion():
    assert found({"context": "La municipalité a lancé la régie en 2010."}) == []


def test_a_paraphrase_between_guillemets_is_caught():
    quote = {"speaker": "Jo", "role": "maire", "text": "On avance ensemble.", "kind": "paraphrase"}
    quoted = {"context": "«\u00a0On avance ensemble\u00a0», souligne Jo, maire."}
    assert any("paraphrase printed" in f for f in found(quoted, quotes=[quote]))
    verbatim = {**quote, "kind": "verbatim"}
    assert found(quoted, quotes=[verbatim]) == []
    reported = {"context": "Pour Jo, maire, on avance ensemble."}
    assert found(reported, quotes=[quote]) == []
    invented = {"context": "«\u00a0Nous avons gagné\u00a0», dit Jo."}
    assert any("not in the dossier" in f for f in found(invented))
    named = {"context": "La ville lance «\u00a0Régie\u00a0» en 2010."}
    assert found(named) == []  # a name the dossier holds


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("Pour la suite, on retiendra un point : maison ouverte en 2016.", True),
        ("Pour la suite, on note un point : maison ouverte en 2016.", True),
        ("La suite se dessine ainsi : maison ouverte en 2016.", True),
        ("La maison ouvrira en 2023.", True),  # a future on the edition year
        ("La maison ouvrira en 2025.", False),
        ("Le projet a depuis franchi une autre étape : maison ouverte en 2016.", False),
    ],
)
def test_past_events_presented_as_outlook_are_caught(text, caught):
    hits = [f for f in found({"results": f"Le bilan\n\n{text}"}, titled={"results"},
                             results_notes=["x"]) if "outlook" in f or "future" in f]  # fmt: skip
    assert bool(hits) is caught, hits


def test_an_outlook_title_over_a_past_year_is_caught():
    hits = found({"results": "Les perspectives\n\nListe réélue en 2020."}, titled={"results"})
    assert any("presented as outlook" in f for f in hits)


def test_targets_and_objectives_presented_as_results_are_caught():
    target = [{"label": "objectifs", "value": 38, "kind": "target"}]
    hits = found({"results": "En chiffres\n\nOn compte 38\u00a0objectifs."}, results=target)
    assert any("target presented as a result" in f for f in hits)
    hits = found({"details": "La régie se donne 38\u00a0objectifs."}, results=target)
    assert hits == []
    counted = [{"label": "ambitions", "value": 11, "kind": "output"}]
    assert any("kind: target" in f for f in found({}, results=counted))


def test_results_titles_and_a_bilan_need_an_outcome():
    output = [{"label": "repas servis", "value": 1000, "kind": "output"}]
    sections = {"results": "Ce que le projet change\n\nOn compte 1\u202f000\u00a0repas servis."}
    assert any("intertitle without an outcome" in f
               for f in found(sections, titled={"results"}, results=output))  # fmt: skip
    bilan = {"results": "En chiffres\n\nLe bilan fait état de 1\u202f000\u00a0repas servis."}
    assert any("without an outcome" in f for f in found(bilan, titled={"results"}, results=output))
    outcome = [{**output[0], "kind": "outcome"}]
    assert found(sections, titled={"results"}, results=outcome) == []


@pytest.mark.parametrize(
    ("role", "text", "caught"),
    [
        ("extended", "La communauté urbaine a lancé le réseau en septembre 2018.", True),
        ("extended", "Le réseau a été lancé en 2015.", False),
        ("adopted", "La ville a lancé la méthode en 2001.", True),
        ("adopted", "La ville a conçu la méthode en 2001.", True),
        ("designed", "Le département a adopté le village en 2020.", True),
        ("designed", "Le département a lancé le village en 2020.", False),
    ],
)
def test_role_verbs_against_the_role(role, text, caught):
    laureate = {**BASE["laureate"], "role": role}
    lead = LEAD.replace("a créé", "a étendu" if role == "extended" else "a repris")
    hits = found({"lead": lead, "context": text}, laureate=laureate)
    assert bool([f for f in hits if "role" in f]) is caught, hits


def test_a_project_name_never_said_is_caught():
    project = {**BASE["project"], "name": "Mené, territoire à énergie positive"}
    hits = found({}, project=project)
    assert any("missing from the lead" in f for f in hits)
    assert any("missing from the caption" in f for f in hits)
    said = {"lead": LEAD.replace("agricole", "agricole («\u00a0Mené, territoire à énergie positive\u00a0»)"),
            "caption": "«\u00a0Mené, territoire à énergie positive\u00a0», une ferme, a reçu le Prix."}  # fmt: skip
    assert found(said, project=project) == []


@pytest.mark.parametrize(
    "text",
    [
        "Le projet part d’un constat : climat, biodiversité, foncier.",
        "Tout part de quelques constats : attentats de 2015.",
        "Le projet s’appuie sur quelques principes : concertation et schéma.",
        "La démarche repose sur plusieurs choix : consortium et appel à projets.",
    ],
)
def test_slot_labels_the_dossier_does_not_declare_are_caught(text):
    assert any("slot label" in f for f in found({"context": text}))


def test_a_steps_title_over_no_dated_step_is_caught():
    hits = found({"method": "Les étapes du projet\n\nSur la méthode, on retient : x."},
                 titled={"method"})  # fmt: skip
    assert any("no dated step" in f for f in hits)


def test_grammar_survives_a_set_where_every_entry_crashed():
    crashed = bench.Entry("x", crash="boom")
    assert bench.grammar([]) in (True, False)
    assert bench.grammar([bench.Entry("y")]) in (True, False)
    totals = bench.report("dev", [crashed], False)
    assert totals["crashes"] == 1


def test_export_writes_the_prize_label_line_and_the_entry_id():
    article = draft_article(dossier(), OfflineWriter())
    entry = bench.fill(bench.Entry("x"), article)
    text = bench.export(entry)
    assert text.startswith("<!-- x -->\n\n### Prix de l’audace\u00a0: Ville de Saillans\n\n#### ")
    assert "\n\n**" in text and text.rstrip().endswith("*")  # the lead, the caption
    assert bench.export(bench.Entry("y", crash="boom")).startswith("<!-- y -->")
