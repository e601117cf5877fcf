"""Property test: the offline writer drafts every valid dossier — no exception, no empty
section — whatever its optional parts, list lengths, fragments, status, role or dates."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laureate_writer.dossier import Dossier, ResultKind, Role, Status
from laureate_writer.drafting import draft_article
from laureate_writer.realiser import finite_verb
from laureate_writer.writers.offline import OfflineWriter

WRITER = OfflineWriter()

FRAGMENTS = st.sampled_from([
    "mémoire du territoire", "harcèlement, violence, conflits", "Ateliers avec les habitants",
    "Les habitants ont été consultés en 2019.", "trop peu de médecins, surtout en zone rurale",
    "un guichet unique, ouvert le samedi, pour les démarches", "Des jeunes, des aînés, des familles",
    "la commune a recruté deux animateurs", "réunions publiques ; questionnaire en ligne",
    "maison ouverte en 2016", "extension prévue en 2030",
])  # fmt: skip
NAMES = st.sampled_from([
    ("la ville de Brest", "commune"), ("le département de la Gironde", "département"),
    ("l’agglomération du Grand Dax", "intercommunalité"), ("la région Occitanie", "région"),
    ("le SDIS du Gard", "sdis"), ("le syndicat des eaux du Vivier", "syndicat"),
    ("le CCAS de Lille", "ccas"), ("Les Mureaux", "commune"),
])  # fmt: skip
PROJECTS = st.sampled_from([
    ("la Handibox", "un kit d’accueil"), ("Qioz", "une plateforme d’apprentissage"),
    ("le tiers-lieu La Fabrique", "un tiers-lieu, un atelier et un café"),
    ("les ateliers du numérique", "des ateliers gratuits"),
])  # fmt: skip
DATES = st.sampled_from([None, "2019", "mars 2020", "été 2021", "fin 2019", "mi-2018"])


@st.composite
def dossiers(draw) -> Dossier:
    in_text, kind = draw(NAMES)
    project, what = draw(PROJECTS)
    notes = st.lists(FRAGMENTS, max_size=draw(st.sampled_from([0, 2, 7])))
    role = draw(st.sampled_from([None, *Role]))
    co_builders = ["l’association Les Petits Débrouillards", "la CAF, la MSA et l’ARS"]
    results = draw(st.lists(st.builds(
        dict, label=st.sampled_from(["personnes accueillies", "bornes installées, testées et réparées", "%"]),
        value=st.integers(0, 200000), kind=st.sampled_from([k.value for k in ResultKind]),
        highlight=st.booleans()), max_size=5))  # fmt: skip
    data = {
        "id": "prop",
        "status": draw(st.sampled_from([s.value for s in Status])),
        "award": {"name": "Trophées de l’innovation", "year": 2022, "edition": 4},
        "prize": draw(st.sampled_from([{}, {"name": "Prix de l’audace"}])),
        "laureate": {"name": in_text.capitalize(), "kind": kind, "territory": "X",
                     "in_text": in_text, **({"role": role.value} if role else {}),
                     **({"number": "plural"} if in_text.startswith("Les") else {})},
        "project": {"name": project, "in_text": project, "what": {"text": what},
                    "aim": "rapprocher les habitants des services publics",
                    "context": draw(notes), "method": draw(notes), "features": draw(notes),
                    "details": draw(notes), "partners": draw(notes),
                    "co_builders": co_builders if role == Role.co_built else draw(st.lists(st.sampled_from(co_builders), max_size=2, unique=True))},
        "results": results,
        "results_notes": draw(notes),
        "outlook": draw(notes),
        "quotes": draw(st.lists(st.builds(dict, speaker=st.just("Marie Dupont"), role=st.just("maire"),
                                          text=st.sampled_from(["On a tout appris en marchant.", "un projet, des habitants, une ville"]),
                                          kind=st.sampled_from(["verbatim", "paraphrase"])), max_size=2)),
    }  # fmt: skip
    for field in ("launch", "initiated"):
        if (value := draw(DATES)) is not None:
            data["project"][field] = value
    initiated, launch = data["project"].get("initiated"), data["project"].get("launch")
    if initiated and launch:
        data["project"].pop("initiated")
    return Dossier.model_validate(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers())
def test_every_valid_dossier_drafts_without_empty_sections(dossier):
    article = draft_article(dossier, WRITER)
    kinds = [s.kind.value for s in article.sections]
    for must in ("prize_label", "headline", "lead", "caption"):
        assert must in kinds
    for section in article.sections:
        assert section.text.strip(), section.kind
        assert "None" not in section.text and "None" not in (section.intertitle or "")
        if section.kind.value in ("prize_label", "headline"):
            continue  # titles, not sentences
        for sentence in SENTENCE_END.split(section.text):
            assert finite_verb(sentence), (section.kind.value, sentence)
    text = " ".join(s.text for s in article.sections)
    said = {q.text for q in dossier.quotes if q.verbatim}
    for quote in dossier.quotes:  # only verbatim words between « »
        if quote.text not in said:
            assert f"«\u00a0{quote.text.rstrip('.')}" not in text
    if "maison ouverte en 2016" in dossier.outlook:  # past at the edition: history
        assert "maison ouverte en 2016" in article.text_of("context")


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«A-ZÀÂÉÈÊÎÔÛÇ])")
