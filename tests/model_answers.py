"""Answers a competent model would give for the Brest dossier, keyed by the section named
in the prompt — so concurrent requests get deterministic answers whatever their order.
The results section first carries a house-style defect and an invented figure; the
revise round (whose prompt quotes the violations) gets the corrected text."""

from __future__ import annotations

from typing import Any

INVENTED = "4\u202f812"

DRAFTS: dict[str, dict[str, str]] = {
    "titre": {"text": "Brest prête une Handibox pour rendre la culture accessible"},
    "chapô": {
        "text": "La ville de Brest a lancé début 2019 la Handibox, un kit de matériel "
        "d’accueil qui facilite l’accès des personnes en situation de handicap aux "
        "événements culturels."
    },
    "contexte": {
        "text": "Les organisateurs d’événements culturels rencontrent des freins pratiques "
        "et techniques pour accueillir les personnes en situation de handicap, en "
        "particulier lors des festivals en extérieur."
    },
    "méthode": {
        "intertitle": "Un atelier participatif",
        "text": "La municipalité a réuni un atelier de travail composé de membres des "
        "secteurs du handicap et de la culture. Il a produit un « guide repères » pour "
        "les organisateurs.",
    },
    "détails": {
        "intertitle": "Un kit complet",
        "text": "La Handibox comprend notamment une tente, des fauteuils roulants manuels "
        "et des rampes d’accès mobiles.",
    },
    "résultats": {
        "intertitle": "Vingt semaines de réservation",
        "text": "De juillet 2019 à février 2020, la Handibox a été réservée 20 semaines "
        f"et a servi {INVENTED} bénéficiaires. Dix semaines étaient prévues de mars à "
        "août 2020 avant l'arrêt des manifestations: la crise sanitaire.",
    },
    "légende": {
        "text": "La Handibox, un kit de matériel d’accueil conçu par la ville de Brest, a "
        "reçu le Prix coup de cœur des Prix Territoriaux 2020."
    },
}
REVISED_RESULTS = {
    "intertitle": "Vingt semaines de réservation",
    "text": "De juillet 2019 à février 2020, la Handibox a été réservée 20 semaines. Dix "
    "semaines étaient prévues de mars à août 2020, avant l’arrêt des manifestations "
    "culturelles lié à la crise sanitaire.",
}
REGENERATED_RESULTS = {
    "intertitle": "Une Handibox très demandée",
    "text": "La Handibox a été réservée 20 semaines de juillet 2019 à février 2020, et "
    "dix semaines de réservation étaient déjà prévues de mars à août 2020.",
}


def section_of(request: dict[str, Any]) -> tuple[str, str]:
    """(mode, section name) from the user messages of a chat request (a re-ask keeps the
    original request before it)."""
    text = "\n".join(m["content"] for m in request["messages"] if m["role"] == "user")
    for mode, marker in (("regenerate", "Version actuelle de la section « "),
                         ("revise", "Voici ta section « "),
                         ("draft", "Rédige maintenant la section « ")):  # fmt: skip
        if marker in text:
            return mode, text.split(marker, 1)[1].split(" »", 1)[0]
    return "other", ""


def brest_responder(request: dict[str, Any]) -> dict[str, str]:
    mode, name = section_of(request)
    if name == "résultats" and mode == "revise":
        return REVISED_RESULTS
    if name == "résultats" and mode == "regenerate":
        return REGENERATED_RESULTS
    return DRAFTS[name]
