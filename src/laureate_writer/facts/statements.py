"""Claims that are not figures: entities, status and actions, read with ``lexicon.yaml``.

- An *entity* is an institution or a place named as a whole: "la préfecture de
  l’Ariège", "le CCAS de Montpellier", "l’Agence régionale de santé Occitanie". It is
  traced as a whole, so "préfecture de Brest" — two names a dossier may both hold — is
  not a fact unless the dossier names that préfecture.
- A *status* claim says what the entry got: "a remporté le prix", "est lauréate",
  "finaliste", "a reçu une mention".
- An *action* claim says who did something: "le SDIS a déployé les centres", "imaginée
  par la ville". Its agent (the words before the verb, or after "par") and its object
  (the words after the verb, or before it in the passive) are kept as written; whether
  the agent is the laureate is decided against the dossier (``attribution.py``).

The same reader runs on the dossier's notes, so a note's actions are compared with a
draft's by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from laureate_writer.facts.text import NON_NOUNS, SP, norm_tokens, stem, words

_CAPWORD = r"[A-ZÉÈÊÎÔÂÛÇ][\w’'\-‑]*"
_NAME_LINK = rf"(?:{SP}+(?:de{SP}+la|de|du|des|la|le){SP}+|{SP}+d['’]|{SP}+)"
_NAME_RUN = rf"{_CAPWORD}(?:{_NAME_LINK}{_CAPWORD})*"
_CONNECTOR = rf"(?:{SP}+(?P<conn>de{SP}+la|de{SP}+l['’]|du|des|de|d['’])(?:{SP}+)?|{SP}+)"
_ARTICLE = re.compile(r"^(?:les|le|la|l|un|une|des|du|de|d)$")


@dataclass(frozen=True)
class Lexicon:
    entity: re.Pattern[str]
    institutions: frozenset[str]  # normalised token strings
    places: frozenset[str]
    kinds: dict[str, tuple[str, ...]]  # laureate kind → normalised names
    status: tuple[tuple[str, re.Pattern[str]], ...]
    action: re.Pattern[str]
    families: tuple[str, ...]  # the family of each group of ``action``
    together: re.Pattern[str]
    adopted: re.Pattern[str]
    abbreviations: dict[str, tuple[str, ...]]  # 'tv' → normalised spelled-out forms


def _phrase(text: str) -> str:
    """A lexicon phrase as a regex: any space, either apostrophe."""
    out = re.escape(text).replace(r"\ ", f"{SP}+").replace("'", "['’]")
    return out.replace(r"\-", "[-‑]")


def norm_name(text: str) -> str:
    return " ".join(norm_tokens(text))


@cache
def lexicon() -> Lexicon:
    """The lexicon, read once (yaml is imported only when a text is first checked)."""
    import yaml

    data = yaml.safe_load(
        resources.files("laureate_writer.facts").joinpath("lexicon.yaml").read_text("utf-8")
    )
    heads = sorted(data["institutions"] + data["places"], key=len, reverse=True)
    entity = re.compile(
        rf"(?<![\w\-‑])(?P<head>{'|'.join(_phrase(h) for h in heads)})"
        rf"(?P<acr>{SP}*\((?-i:[A-Z]{{2,}})\))?{_CONNECTOR}(?P<name>(?-i:{_NAME_RUN}))",
        re.IGNORECASE,
    )
    status = tuple(
        (value, re.compile(rf"(?<![\w\-])(?:{'|'.join(patterns)})(?![\w\-])", re.IGNORECASE))
        for value, patterns in data["status"].items()
    )
    families: list[str] = []
    groups: list[str] = []
    for family, patterns in data["actions"].items():
        for pattern in patterns:
            families.append(family)
            groups.append(f"({pattern})")
    action = re.compile(rf"(?<![\w\-])(?:{'|'.join(groups)})(?![\w\-])", re.IGNORECASE)
    return Lexicon(
        entity=entity,
        institutions=frozenset(norm_name(h) for h in data["institutions"]),
        places=frozenset(norm_name(h) for h in data["places"]),
        kinds={k: tuple(norm_name(n) for n in v) for k, v in data["laureate_kinds"].items()},
        status=status,
        action=action,
        families=tuple(families),
        together=re.compile(rf"(?<!\w){data['together']}(?!\w)", re.IGNORECASE),
        adopted=re.compile(rf"(?<!\w){data['adopted_cues']}(?!\w)", re.IGNORECASE),
        abbreviations={
            norm_name(k): tuple(norm_name(x) for x in v) for k, v in data["abbreviations"].items()
        },
    )


@dataclass(frozen=True, slots=True)
class EntityMatch:
    start: int
    end: int
    head: str  # as written: 'préfecture'
    place: str  # as written: 'Ariège'
    key: str  # the whole, normalised: 'prefecture de ariege'


def find_entities(text: str) -> list[EntityMatch]:
    out = []
    for m in lexicon().entity.finditer(text):
        head, place = m.group("head"), m.group("name")
        if not norm_name(place):
            continue
        parts = (norm_name(head), norm_name(m.group("conn") or ""), norm_name(place))
        key = " ".join(p for p in parts if p)
        out.append(EntityMatch(m.start(), m.end(), head, place, key))
    return out


@dataclass(frozen=True, slots=True)
class StatusMatch:
    start: int
    end: int
    status: str  # 'laureate', 'nominee', 'mention'


def find_status(text: str) -> list[StatusMatch]:
    found: list[StatusMatch] = []
    for value, pattern in lexicon().status:
        for m in pattern.finditer(text):
            if not any(s.start < m.end() and m.start() < s.end for s in found):
                found.append(StatusMatch(m.start(), m.end(), value))
    return sorted(found, key=lambda s: s.start)


@dataclass(frozen=True, slots=True)
class ActionMatch:
    start: int
    end: int
    family: str  # 'creation', 'deployment', …
    agent: str  # the words naming who acts ('' when the text does not say)
    target: str  # the words naming what is acted on
    sentence: str


_SENTENCE = re.compile(r"[.!?;\n]")
_CLAUSE = re.compile(r"[,.;:!?()\n]")
_PASSIVE_BEFORE = re.compile(rf"(?:été|étaient|était|sont|est|a{SP}+été|ont{SP}+été){SP}+$")
_BY = re.compile(rf"{SP}+par{SP}+")
_CAUSATIVE = re.compile(rf"(?<!\w)(?:fait|faire|fera|font|faisant){SP}+$")
_RELATIVE = re.compile(rf"{SP}qui{SP}(?!.*{SP}qui{SP})", re.DOTALL)


# A determiner that is never a clitic pronoun: the word after it is a noun ("des
# produits vendus", "ses créations"), not an action. ('les', 'la', 'l’' can be pronouns.)
_NOUN_DETERMINER = re.compile(
    rf"(?<!\w)(?:des|ces|leurs|ses|nos|vos|mes|un|une|du|aux|au){SP}+$", re.IGNORECASE
)


def find_actions(text: str) -> list[ActionMatch]:
    lex = lexicon()
    matches = [
        m for m in lex.action.finditer(text) if not _NOUN_DETERMINER.search(text, 0, m.start())
    ]
    out: list[ActionMatch] = []
    for n, m in enumerate(matches):
        family = lex.families[m.lastindex - 1] if m.lastindex else "action"
        s_start = max((x.end() for x in _SENTENCE.finditer(text, 0, m.start())), default=0)
        stop = _SENTENCE.search(text, m.end())
        s_end = stop.start() if stop else len(text)
        prev_end = matches[n - 1].end() if n and matches[n - 1].end() > s_start else s_start
        before = text[prev_end : m.start()]
        by = _BY.match(text, m.end())
        if by:  # "imaginée par la ville de Brest": the agent follows "par"
            clause = _CLAUSE.search(text, by.end(), s_end)
            agent = text[by.end() : clause.start() if clause else s_end]
            target = before
        elif _PASSIVE_BEFORE.search(before):
            agent = ""  # "un numéro a été créé": nobody named
            target = before
        elif _CAUSATIVE.search(before):  # "a fait mener des audits par des professionnels"
            clause = _CLAUSE.search(text, m.end(), s_end)
            target = text[m.end() : clause.start() if clause else s_end]
            by_later = _BY.search(target)
            agent = target[by_later.end() :] if by_later else ""
            target = target[: by_later.start()] if by_later else target
        else:
            agent = _subject(before)
            if rel := _RELATIVE.search(agent):  # "la ville a réuni un atelier qui a produit"
                agent = " ".join(agent[: rel.start()].split()[-3:])
            clause = _CLAUSE.search(text, m.end(), s_end)
            target = text[m.end() : clause.start() if clause else s_end]
        out.append(ActionMatch(m.start(), m.end(), family, agent, target, text[s_start:s_end]))
    return out


_NUMBER_WORDS = frozenset(
    words(
        "deux trois quatre cinq sept huit neuf onze douze treize quatorze quinze seize vingt "
        "trente quarante cinquante soixante cent cents mille"
    )
)


_AUX = frozenset(
    words(
        "a ont avait avaient aura auront est sont était étaient été aussi également ensuite "
        "enfin puis déjà y en ne pas"
    )
)


def _subject(before: str) -> str:
    """The subject part of the words before a verb: after the last comma ("En mars 2020,
    le SDIS a créé"), or before the first one when only an incise follows it ("Les
    étudiants, dont le travail …, livrent")."""
    if "," not in before:
        return before
    last = before.rsplit(",", 1)[1]
    if any(w not in _AUX for w in last.lower().split()):
        return last
    return before.split(",", 1)[0]


def content_stems(text: str, head: int = 0) -> set[str]:
    """Stems of the words of four letters or more (articles, numbers aside); with
    ``head``, only the first ``head`` of them: an object's head noun and its modifier."""
    out: list[str] = []
    for token in norm_tokens(text):
        if len(token) < 4 or token.isdigit() or token in _NUMBER_WORDS or token in NON_NOUNS:
            continue
        word = stem(token)
        if word not in out:
            out.append(word)
        if head and len(out) == head:
            break
    return set(out)
