"""The French realiser: pyRealB (RALI, Université de Montréal) with the project lexicon.

pyRealB does agreement, elision, contractions, conjugation and pronouns; this module
loads it lazily (about 0.2 s: ``validate``, ``check`` and ``--help`` never pay it), adds
the project's words from ``data/lexicon.yaml``, and gives the planner the few services it
needs: a noun's gender, a verb's forms, and realisation of a tree with dossier text kept
verbatim (pyRealB writes "oe" for "œ"; canned text must come out exactly as written).
"""

from __future__ import annotations

import contextlib
import io
import re
from functools import cache
from importlib import resources
from types import ModuleType
from typing import Any

import yaml

from laureate_writer.french import APOSTROPHE


@cache
def pyrealb() -> ModuleType:
    """The realiser, loaded once with the French lexicon and the project's additions."""
    import pyrealb as module

    module.loadFr()
    for word, entry in project_lexicon().items():
        module.addToLexicon(word, _pyrealb_entry(entry), "fr")
    return module


@cache
def project_lexicon() -> dict[str, dict[str, Any]]:
    source = resources.files("laureate_writer") / "data" / "lexicon.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def _pyrealb_entry(entry: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for pos, infos in entry.items():
        infos = dict(infos)
        if pos == "V" and isinstance(infos.get("aux"), str):
            infos["aux"] = infos["aux"]
        out[pos] = infos
    return out


def noun_gender(word: str) -> str | None:
    """'f' or 'm' for a noun of the project lexicon or pyRealB's, else None."""
    key = word.lower()
    entry = project_lexicon().get(key)
    if entry is None:
        entry = pyrealb().getLexicon().get(key) or pyrealb().getLexicon().get(word)
    if entry and "N" in entry:
        gender = entry["N"].get("g")
        return gender if gender in ("m", "f") else None
    return None


WARNINGS: list[str] = []  # what pyRealB complained about (unknown words…), for tests


def realise(tree: Any, ligatures: frozenset[str] = frozenset()) -> str:
    """Realise a pyRealB tree with typographic apostrophes; ``ligatures`` are the words
    with œ/æ of the canned text (pyRealB spells them "oe"/"ae"), restored as written.
    pyRealB's warnings go to :data:`WARNINGS`, not to the user's terminal."""
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        text = tree.realize().strip().replace("'", APOSTROPHE)
    if buffer.getvalue():
        WARNINGS.extend(buffer.getvalue().splitlines())
    return restore_ligatures(text, ligatures)


def ligature_words(texts: list[str]) -> frozenset[str]:
    """The words with a ligature in ``texts``, for :func:`realise`."""
    return frozenset(
        w for t in texts for w in re.findall(r"[\wœæŒÆ-]+", t) if re.search("[œæŒÆ]", w)
    )


def restore_ligatures(text: str, words: frozenset[str]) -> str:
    for word in words:
        for form in (word, word[:1].upper() + word[1:]):
            plain = form.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
            text = re.sub(rf"(?<![\w-]){re.escape(plain)}(?![\w-])", form, text)
    return text


# --- Is a note a clause? -----------------------------------------------------------------

_IRREGULAR_FINITE = frozenset(
    word
    for line in (resources.files("laureate_writer") / "data" / "finite_verbs.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if not line.startswith("#")
    for word in line.split()
)
# A word after these is a noun or sits in a relative clause: not the note's own verb.
_NOT_BEFORE_A_MAIN_VERB = frozenset(
    [
        "le",
        "la",
        "les",
        "l’",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d’",
        "au",
        "aux",
        "ce",
        "cet",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "notre",
        "nos",
        "chaque",
        "plusieurs",
        "quelques",
        "qui",
        "que",
        "qu’",
        "où",
        "dont",
        "par",
        "pour",
        "avec",
        "sans",
        "sur",
        "sous",
        "dans",
    ]
)
_TOKEN = re.compile(r"[\wÀ-ÿœæ-]+’?|’")
_FINITE_TENSES = ("p", "i", "ps", "f", "c")


def finite_verb(text: str) -> str | None:
    """The first word of ``text`` that is a finite verb of its main clause, or None.

    Fragments ("mémoire du territoire", "chaque projet conçu avec les habitants") have
    none; a clause ("la commune a recruté deux animateurs") has one. Words after a
    determiner or a relative pronoun are not counted ("une lutte", "qui fournit")."""
    tokens = _TOKEN.findall(text.replace("'", APOSTROPHE).lower())
    previous = ""
    for token in tokens:
        # "liste", "programme", "contre" are a noun or a preposition too: a verb only
        # after a subject pronoun
        if (
            previous not in _NOT_BEFORE_A_MAIN_VERB
            and _is_finite(token)
            and (
                token in _IRREGULAR_FINITE or previous in _SUBJECT_CLITICS or not _other_pos(token)
            )
        ):
            return token
        previous = token
    return None


_SUBJECT_CLITICS = frozenset(["il", "elle", "ils", "elles", "on", "se", "s’", "ne", "n’"])


def _other_pos(token: str) -> bool:
    """Whether ``token`` is also a noun, adjective, preposition or adverb form."""
    lexicon = pyrealb().getLexicon()
    for form in {token, token.removesuffix("s"), token.removesuffix("x")}:
        entry = lexicon.get(form) or project_lexicon().get(form) or {}
        if any(pos != "V" for pos in entry):
            return True
    return False


@cache
def _is_finite(token: str) -> bool:
    if token in _IRREGULAR_FINITE:
        return True
    if len(token) < 3 or not token.isalpha():
        return False
    lexicon = pyrealb().getLexicon()
    for lemma in _candidate_lemmas(token):
        entry = lexicon.get(lemma) or project_lexicon().get(lemma)
        if entry and "V" in entry and token in _finite_forms(lemma):
            return True
    return False


def _candidate_lemmas(token: str) -> set[str]:
    stems = {token}
    for ending in ("aient", "ait", "ent", "ront", "ra", "rent", "es", "e", "a", "it", "t"):
        if token.endswith(ending) and len(token) > len(ending) + 1:
            stems.add(token[: -len(ending)])
    out = set()
    for stem in stems:
        base = stem.removesuffix("iss")
        out |= {stem + "er", stem + "ir", stem + "re", base + "ir", stem + "r", stem}
        if stem.endswith("i"):
            out.add(stem[:-1] + "yer")  # relaient → relayer
    return out


@cache
def _finite_forms(lemma: str) -> frozenset[str]:
    module = pyrealb()
    forms = set()
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        for tense in _FINITE_TENSES:
            for number in ("s", "p"):
                forms.add(module.V(lemma).t(tense).pe(3).n(number).realize().strip().lower())
    return frozenset(forms)
