"""Tracing who is who and who did what: entity, status and action claims.

- entity: the whole name is in the dossier ("préfecture de l’Ariège"), or it names the
  laureate by its kind and territory ("le centre communal d’action sociale de
  Montpellier"), or a place word with a place the dossier names ("la ville de
  Montpellier"). Otherwise unsupported, saying which names were combined.
- status: the text's "a remporté le prix" / "finaliste" / "mention" against the dossier's
  ``status`` (laureate unless it says otherwise).
- action: when the laureate is the agent, the dossier's notes with a verb of the same
  family on the same object decide: done by the laureate (supported), done with others
  (supported only when the text says so: "avec", "aux côtés de", a partner named), done
  by someone else (unsupported: credited to the laureate). A creation verb is also held
  against the laureate's ``role`` (adopted, deployed, extended: it did not create it;
  co-built: not alone) and against what the dossier says it used ("selon la méthode …").
"""

from __future__ import annotations

import re

from laureate_writer.facts.claims import Claim
from laureate_writer.facts.index import Actor, FactIndex, NoteAction
from laureate_writer.facts.statements import content_stems, lexicon, norm_name
from laureate_writer.facts.text import norm_tokens

_CO_VERB = re.compile(r"co-|coconstr|cocré|coélabor", re.IGNORECASE)
# Objects too general to tie a sentence to a note ("le projet", "l'outil").
_GENERIC_OBJECTS = frozenset(
    {"projet", "outil", "dispositif", "servic", "method", "demarch", "action", "travail"}
)
_ROLE_WORDS = {  # as findings say it for people
    "adopted": "l’a adopté (il existait ailleurs)",
    "deployed": "l’a déployé sur son territoire (d’autres l’ont conçu)",
    "extended": "a étendu un dispositif existant",
}
_STATUS_WORDS = {
    "laureate": "a remporté le prix",
    "nominee": "a été finaliste (nommé), sans remporter le prix",
    "mention": "a reçu une mention, pas le prix",
}


def trace_entity(claim: Claim, index: FactIndex) -> tuple[bool, str, str | None]:
    """(supported, reason, closest) for an institution or place named as a whole."""
    head, place = norm_name(claim.agent), norm_name(claim.target)
    if index.has_tokens(claim.key):
        return True, "", None
    for actor in index.actors:
        territory, kind_words = actor.places[:1], actor.places[1:]
        if (head in kind_words or any(head in n for n in actor.names)) and (
            place in territory or any(n.endswith(f" {place}") for n in actor.names)
        ):
            return True, "", None
    place_known = index.has_tokens(place)
    if head in lexicon().places and place_known:
        return True, "", None
    if not place_known:
        return False, f"nom introuvable dans le dossier : « {claim.target} »", None
    known = [k for k in index.names if k.startswith(head + " ")]
    if index.has_tokens(head) or known:
        closest = index.names[known[0]] if known else None
        return (
            False,
            f"mélange deux noms du dossier : il nomme « {claim.agent} » et "
            f"« {claim.target} », jamais « {claim.text} »",
            closest,
        )
    return False, f"le dossier ne nomme pas « {claim.agent} »", None


def trace_status(claim: Claim, index: FactIndex) -> tuple[bool, str]:
    statuses = {a.status or "laureate" for a in index.actors}
    if not statuses or claim.key in statuses:
        return True, ""
    stated = sorted(statuses)[0]
    return False, (
        f"statut : le texte dit que le candidat {_STATUS_WORDS[claim.key].split(',')[0]} ; "
        f"le dossier dit qu’il {_STATUS_WORDS[stated]}"
    )


def trace_action(claim: Claim, index: FactIndex) -> tuple[bool, str, str | None, str | None]:
    """(supported, reason, closest note, its path) for 'the laureate did this'."""
    actor = _acting(claim.agent, index)
    if actor is None:
        return True, "", None, None  # not about the laureate: nothing to hold it against
    sentence = claim.noun_text or ""
    # "a co-construit" says the work was shared, even without naming the partners
    together = bool(_CO_VERB.match(claim.text)) or _together(sentence, claim.agent, actor)
    target = content_stems(claim.target, head=2) - _GENERIC_OBJECTS
    notes = [
        n
        for n in index.actions
        if n.dossier == actor.dossier
        and n.family == claim.key
        and n.agent.strip()
        and (
            all(any(_overlap({w}, {t}) for t in target) for w in n.target)
            if n.whole
            else _overlap(target, n.target)
        )
    ]
    if notes:
        by_laureate = [n for n in notes if _acting(n.agent, index) is actor]
        alone = [n for n in by_laureate if not _together(n.sentence, n.agent, actor)]
        if alone or (by_laureate and together):
            return True, "", None, None
        if by_laureate:
            n = by_laureate[0]
            return (
                False,
                f"attribué au seul lauréat : le dossier dit que c’était avec d’autres "
                f"(« {n.sentence.strip()} ») ; nommez-les ou écrivez « avec »",
                n.sentence.strip(),
                n.path,
            )
        n = notes[0]
        return (
            False,
            f"attribué au lauréat : d’après le dossier, c’est {_agent_words(n)} "
            f"(« {n.sentence.strip()} »)",
            n.sentence.strip(),
            n.path,
        )
    if claim.key != "creation":
        return True, "", None, None
    on_project = _overlap(target, _project_stems(actor)) or not target
    if on_project and actor.role in _ROLE_WORDS:
        return (
            False,
            f"rôle : le texte dit que {actor.display} l’a créé ; le dossier dit qu’il "
            f"{_ROLE_WORDS[actor.role]}",
            None,
            None,
        )
    if on_project and actor.role == "co-built" and not together:
        builders = ", ".join(actor.co_builders)
        return (
            False,
            f"attribué au seul lauréat : le dossier dit qu’il a été construit avec {builders}",
            builders,
            None,
        )
    for dossier, path, stems, text in index.adopted:
        if dossier == actor.dossier and _overlap(target, stems - _GENERIC_OBJECTS):
            return (
                False,
                f"rôle : le dossier dit que le lauréat l’a utilisé, pas qu’il l’a créé "
                f"(« {text.strip()} »)",
                text.strip(),
                path,
            )
    return True, "", None, None


def _acting(agent: str, index: FactIndex) -> Actor | None:
    """The laureate (or its project) named in an agent phrase, if any."""
    if not agent.strip():
        return None
    tokens = norm_tokens(agent)
    padded = f" {' '.join(tokens)} "
    for actor in index.actors:
        if any(f" {n} " in padded for n in actor.names + actor.project):
            return actor
        for place in actor.places:
            at = padded.find(f" {place} ")
            while at >= 0:
                before = padded[:at].split()[-1:] or [""]
                if before[0] not in ("de", "du", "des"):
                    return actor
                at = padded.find(f" {place} ", at + 1)
    return None


def _together(sentence: str, agent: str, actor: Actor) -> bool:
    """Does the sentence share the action: 'avec', 'ensemble', a partner, 'X et le SDIS'?"""
    if lexicon().together.search(sentence):
        return True
    padded = f" {' '.join(norm_tokens(sentence))} "
    if any(f" {p} " in padded for p in actor.partners):
        return True
    return " et " in f" {' '.join(norm_tokens(agent))} "


def _overlap(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> bool:
    from laureate_writer.facts.trace import nouns_match

    return any(x == y or nouns_match(x, y) for x in a for y in b)


def _project_stems(actor: Actor) -> set[str]:
    return {w for name in actor.project for w in content_stems(name)} | set()


def _agent_words(note: NoteAction) -> str:
    words = note.agent.strip().rstrip(",")
    for aux in (" ont", " a", " ont été", " a été"):
        if words.endswith(aux):
            words = words[: -len(aux)]
    return f"« {words.strip()} »" if words else "quelqu’un d’autre"
