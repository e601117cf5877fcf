"""A responder for the fake OpenAI server that answers any dossier, any section, with
French built only from the dossier JSON fenced in the prompt — so the fact guard finds
every figure and name in the dossier, whatever laureate is asked about. Used by the
production tests and by ``bench/palmares``."""

from __future__ import annotations

import json
from typing import Any

from model_answers import section_of


def _dossier(request: dict[str, Any]) -> dict[str, Any]:
    text = "\n".join(m["content"] for m in request["messages"] if m["role"] == "user")
    if "<dossier>" not in text:
        return {}
    inside = text.split("<dossier>", 1)[1].split("</dossier>", 1)[0]
    try:
        return json.loads(inside)
    except ValueError:
        return {}


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _join(items: list[str], fallback: str) -> str:
    return " ".join(_sentence(i) for i in items) if items else fallback


def answer(request: dict[str, Any]) -> dict[str, str]:
    """The JSON answer (for a json_schema request) for the section the prompt names."""
    _mode, name = section_of(request)
    d = _dossier(request)
    project = d.get("project", {})
    laureate = d.get("laureate", {})
    prize = d.get("prize", {})
    award = d.get("award", {})
    if name == "titre":
        return {"text": f"{project.get('name', 'Un projet')} récompensé aux Prix Territoriaux"}
    if name == "chapô":
        return {"text": _sentence(project.get("summary") or project.get("aim", "Un projet utile"))}
    if name == "contexte":
        return {"text": _join(project.get("context", []), "Le projet répond à un besoin local.")}
    if name == "méthode":
        return {
            "intertitle": "La méthode",
            "text": _join(project.get("method", []), "Le projet a été construit pas à pas."),
        }
    if name == "détails":
        items = project.get("details") or project.get("features", [])
        return {"intertitle": "Le dispositif", "text": _join(items, "Le dispositif est complet.")}
    if name == "résultats":
        notes = d.get("results_notes", []) + d.get("outlook", [])
        return {"intertitle": "Les suites", "text": _join(notes, "Le projet se poursuit.")}
    if name == "légende":
        what = (project.get("what") or {}).get("text", "un projet")
        short = (award.get("short") or {}).get("in_text", "les Prix Territoriaux")
        contracted = short.replace("les ", "des ", 1) if short.startswith("les ") else short
        return {
            "text": f"{project.get('name', 'Le projet')}, {what} par "
            f"{laureate.get('in_text', 'la collectivité')}, a reçu le "
            f"{prize.get('in_text') or prize.get('name', 'prix')} {contracted} "
            f"{award.get('year', '')}.".replace("  ", " ")
        }
    return {"text": "Texte de la section."}
