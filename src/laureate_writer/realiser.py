"""The French realiser: pyRealB (RALI, Université de Montréal) with the project lexicon.

pyRealB does agreement, elision, contractions, conjugation and pronouns; this module
loads it lazily (about 0.2 s: ``validate``, ``check`` and ``--help`` never pay it), adds
the project's words from ``data/lexicon.yaml``, and gives the planner the few services it
needs: a noun's gender, a verb's forms, and realisation of a tree with dossier text kept
verbatim (pyRealB writes "oe" for "œ"; canned text must come out exactly as written).
"""

from __future__ import annotations

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


def realise(tree: Any, ligatures: frozenset[str] = frozenset()) -> str:
    """Realise a pyRealB tree with typographic apostrophes; ``ligatures`` are the words
    with œ/æ of the canned text (pyRealB spells them "oe"/"ae"), restored as written."""
    text = tree.realize().strip().replace("'", APOSTROPHE)
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
