"""The conversation panel: a request in plain French, or one of the terminal chat's slash
commands, mapped onto the desk's operations.

« Raccourcis le chapô », « mets en avant les résultats », « réécris l’intertitre 2 »
name a section and what to do with it: the section is regenerated (nothing written) and
offered as a word-level diff to accept or refuse. Offline, the instruction cannot be
followed: the section is drafted again from the dossier and the answer says so plainly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from laureate_writer import operations as ops
from laureate_writer.chat.session import HINTS, SECTION_ALIASES
from laureate_writer.desk.service import Desk, DeskError

HELP = """\
Demandez en clair, en nommant la section : « Raccourcis le chapô », « mets en avant les \
résultats », « réécris l’intertitre 2 ». Je propose la nouvelle version, mot à mot ; vous \
l’acceptez ou la refusez.

Commandes du chat en terminal : /regen SECTION consigne (--force pour une section \
modifiée à la main), /check (style), /fix (corrections sûres), /facts (faits), /undo \
SECTION (version précédente), /help. Chaque remarque de style marquée dans l’article \
se corrige d’un clic (« Corriger »)."""

NEEDS_MODEL = """\
Hors ligne (aucun modèle configuré), je ne comprends que les demandes qui nomment une \
section à réécrire — elle est alors rédigée de nouveau à partir du dossier, sans suivre la \
consigne — et les commandes /regen, /check, /facts, /undo, /help. Pour converser librement \
(raccourcir, reformuler, mettre en avant), lancez le bureau avec --model."""

# The terminal chat's commands that the desk does by other means: said plainly.
SAID = {
    "/show": "L’article est affiché à gauche, section par section.",
    "/diff": "Chaque proposition montre sa différence mot à mot ; l’historique de chaque "
    "section garde ses versions précédentes (« Historique », « Annuler »).",
    "/save": "Rien à enregistrer : dans le bureau, chaque changement accepté ou corrigé est "
    "enregistré aussitôt.",
    "/draft": "L’article est déjà rédigé : nommez une section à réécrire, ou « Régénérer » "
    "sur une section pour la reprendre du dossier.",
    "/quit": "Fermez simplement l’onglet : tout ce qui a été accepté est enregistré.",
}

REWRITE = re.compile(
    r"\b(raccourci|r[ée][ée]cri|reformul|r[ée]g[ée]n[ée]r|refai|mets? en avant|all[èe]g|"
    r"d[ée]velopp|simplifi|change|modifi|am[ée]liore|corrige|r[ée]dige)",
    re.IGNORECASE,
)
INTERTITLE = re.compile(r"\bintertitre\s*(?:n[°o]\s*)?(\d+)", re.IGNORECASE)
BODY = ("method", "details", "results")


def _plain(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn"
    )


ALIASES = {_plain(k): v for k, v in SECTION_ALIASES.items()} | {
    "chapeau": "lead",
    "titre": "headline",
    "accroche": "lead",
    "intertitre": None,
}


@dataclass
class Understood:
    action: str  # "regen", "check", "fix", "facts", "undo", "help", "say", "unknown"
    section: str | None = None
    instruction: str | None = None
    force: bool = False
    problem: str | None = None


def understand(message: str, sections: list[dict[str, Any]]) -> Understood:
    """What a message asks for, given the article's sections (in order)."""
    text = message.strip()
    if text.startswith("/"):
        name, _, rest = text.partition(" ")
        words = rest.split()
        force = "--force" in words
        words = [w for w in words if w != "--force"]
        name = name.lower()
        if name in ("/help", "/aide"):
            return Understood("help")
        if name in ("/check", "/style"):
            return Understood("check")
        if name in ("/facts", "/faits"):
            return Understood("facts")
        if name in ("/fix", "/corrige"):
            return Understood("fix")
        if name in SAID:
            return Understood("say", problem=SAID[name])
        if name in ("/regen", "/undo"):
            if not words:
                return Understood(
                    "unknown",
                    problem=f"Usage : {name} SECTION" + (" consigne" if name == "/regen" else ""),
                )
            section = SECTION_ALIASES.get(words[0].lower(), words[0].lower())
            return Understood(name[1:], section, " ".join(words[1:]) or None, force)
        return Understood("unknown", problem=f"Commande inconnue dans le bureau : {name}.")
    plain = _plain(text)
    section = None
    if match := INTERTITLE.search(text):
        titled = [s["kind"] for s in sections if s["kind"] in BODY and s.get("intertitle")]
        number = int(match.group(1))
        if not 1 <= number <= len(titled):
            return Understood(
                "unknown",
                problem=f"L’article a {len(titled)} intertitre(s) : "
                f"il n’y a pas d’intertitre {number}.",
            )
        section = titled[number - 1]
    else:
        for word in re.findall(r"[a-z]+", plain):
            if ALIASES.get(word):
                section = ALIASES[word]
                break
    if section is not None:
        return Understood("regen", section, text)
    if re.search(r"\bfaits?\b|\bchiffres?\b", plain):
        return Understood("facts")
    if re.search(r"\bstyle\b|\btypo", plain):
        return Understood("check")
    if REWRITE.search(text):
        return Understood(
            "unknown",
            problem="Quelle section ? Nommez-la : titre, chapô, "
            "contexte, méthode, détails, résultats, légende, ou « intertitre 2 ».",
        )
    return Understood("unknown")


def answer(desk: Desk, article: str, message: str, version: str) -> dict[str, Any]:
    """The assistant's answer: a proposal, a report, or plain words."""
    state = desk.article(article)
    asked = understand(message, state["sections"])
    if asked.action == "help":
        return {"text": HELP}
    if asked.action == "regen":
        return desk.propose(article, asked.section or "", asked.instruction, version, asked.force)
    if asked.action == "undo":
        done = desk.undo(article, asked.section or "", version)
        return {"text": f"Version précédente de la section {asked.section} remise.", **done}
    if asked.action == "say":
        return {"text": asked.problem}
    if asked.action == "fix":
        if state["version"] != version:
            from laureate_writer.desk.service import Conflict

            raise Conflict(f"L’article {state['path']}")
        report = desk._op(ops.fix_style, article)
        done = (
            f"Corrections sûres appliquées : {', '.join(report.changed_sections)}."
            if report.changed_sections
            else "Aucune correction sûre à appliquer."
        )
        left = len(report.remaining.findings)
        if left:
            done += f" Reste {left} remarque(s) à traiter à la main, marquées dans l’article."
        return {"text": done, "article": desk.article(article)}
    if asked.action == "check":
        report = desk._op(ops.check_style, article)
        if not report.findings:
            return {"text": "Style maison : aucune remarque."}
        return {
            "text": f"Style maison : {report.errors} erreur(s), {report.warnings} "
            f"avertissement(s), {report.suggestions} suggestion(s). Elles sont marquées dans "
            "l’article ; « Corriger » applique la correction sûre quand il y en a une.",
            "findings": [f.model_dump() for f in report.findings[:20]],
        }
    if asked.action == "facts":
        facts = desk._op(ops.check_facts, article)
        lines = [
            f"Faits : {facts.supported}/{facts.claims} affirmation(s) vérifiée(s) dans "
            f"le dossier {facts.dossier}."
        ]
        lines += [f"Résultat du dossier jamais cité : {m}" for m in facts.missing_results]
        if facts.ok and not facts.missing_results:
            lines.append("Tout est étayé.")
        return {"text": "\n\n".join(lines), "findings": [f.model_dump() for f in facts.unsupported]}
    words = [asked.problem] if asked.problem else []
    if not getattr(desk.ctx.writer, "supports_revision", False):
        words.append(NEEDS_MODEL)
        hints = [command for pattern, command in HINTS if pattern.search(message)]
        if hints and not asked.problem:
            words.append(f"Pour cette demande, essayez : {hints[0]}.")
    elif not asked.problem:
        words.append("Je n’ai pas compris quelle section changer. " + HELP)
    return {"text": "\n\n".join(words)}


def conversation_routes(desk: Desk, jobs: Any, api: Any) -> list[Any]:
    """``POST /api/article/demander``: offline, the answer comes back at once; with a
    model, the rewrite runs as a job the page follows (server-sent events)."""
    from starlette.routing import Route

    def text(data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            raise DeskError(f"'{key}' doit être un texte")
        return value

    async def ask(data: dict[str, Any]) -> dict[str, Any]:
        article, message, version = (
            text(data, "article"),
            text(data, "message"),
            text(data, "version"),
        )
        if not getattr(desk.ctx.writer, "supports_revision", False):
            return answer(desk, article, message, version)
        from laureate_writer.desk.jobs import in_thread

        async def work(job: Any) -> None:
            job.emit("status", message=f"Le modèle ({desk.ctx.writer.model}) écrit…")
            result = await in_thread(
                job, lambda emit: answer_streamed(desk, article, message, version, emit)
            )
            job.emit("done", answer=result)

        return {"job": jobs.start(work).id}

    return [Route("/api/article/demander", api(ask, threaded=False), methods=["POST"])]


def answer_streamed(desk: Desk, article: str, message: str, version: str, emit: Any) -> Any:
    """:func:`answer`, with the model's text passed to ``emit`` as it arrives."""
    from laureate_writer.desk.streaming import streaming_to

    with streaming_to(desk.ctx.writer, lambda delta: emit("delta", text=delta)):
        return answer(desk, article, message, version)
