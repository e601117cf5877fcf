"""``capitalization``: one of three modes.

* ``match: sentence`` — a headline in sentence case: flags Title Case Headlines
  (``min_words`` capitalised words of 4+ letters, most of them), ``exceptions`` lists
  proper nouns to ignore;
* ``match: first_upper`` — the first letter must be a capital (safe fix);
* ``terms`` — canonical spellings whose case must be kept (« Assemblée nationale »,
  « conseil municipal », « ministère de la Culture »); a capital at a sentence start is
  accepted; the fix restores the canonical case;
* ``lowercase`` — words in lowercase except at a sentence start (months, weekdays).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import MASK, Document
from .base import (
    Hit,
    Rule,
    RuleError,
    at_sentence_start,
    bounded,
    literal_pattern,
)

WORD = re.compile(r"[^\W\d_][\w’'\-]*")


_SPACES = re.compile(r"[ \u00a0\u202f]+")


def _norm(s: str) -> str:
    return _SPACES.sub(" ", s.replace("'", "’"))


class CapitalizationRule(Rule):
    type_name = "capitalization"
    FIELDS: ClassVar[dict[str, Any]] = {
        "match": None,
        "terms": None,
        "lowercase": None,
        "exceptions": [],
        "min_words": 3,
    }

    def compile(self) -> None:
        o = self.options
        modes = [k for k in ("match", "terms", "lowercase") if o[k]]
        if len(modes) != 1:
            raise RuleError("indiquez un seul de match, terms, lowercase", "match")
        self.mode = modes[0]
        if self.mode == "match":
            if o["match"] not in ("sentence", "first_upper"):
                raise RuleError("match doit valoir sentence ou first_upper", "match")
            self.document_level = True
            self.exceptions = {e.lower() for e in o["exceptions"] or []}
            return
        words = o[self.mode]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RuleError(f"{self.mode} doit être une liste de textes", self.mode)
        self.rx = self.compile_regex(
            bounded("|".join(literal_pattern(w) for w in sorted(words, key=len, reverse=True))),
            self.mode,
            re.I,
        )
        self.canonical = {_norm(w).lower(): w for w in words}
        self.exact = frozenset(words)  # written exactly as listed: nothing to check
        self.set_anchors(words)

    def find(self, doc: Document) -> Iterator[Hit]:
        if self.mode == "match":
            yield from self._find_match(doc)
            return
        for m in self.scan(doc, self.rx):
            word = m.group()
            if self.mode == "lowercase":
                if not word[0].isupper() or (len(word) > 1 and word.isupper()):
                    continue
                if at_sentence_start(doc, m.start()):
                    continue
                yield Hit(m.start(), m.end(), word[0].lower() + word[1:])
                continue
            if word in self.exact:
                continue
            canon = self.canonical[_norm(word).lower()]
            if _norm(word) == _norm(canon):
                continue
            start = at_sentence_start(doc, m.start())
            expected = canon[0].upper() + canon[1:] if start else canon
            if start and _norm(word) == _norm(expected):
                continue
            if word.isupper() and len(word) > 3:
                continue  # all-caps text
            yield Hit(m.start(), m.end(), expected)

    def _find_match(self, doc: Document) -> Iterator[Hit]:
        for seg in self.segments_in_scope(doc):
            if self.options["match"] == "first_upper":
                fm = WORD.search(doc.masked, seg.start, seg.end)
                opening = doc.masked[seg.start : fm.start()].replace(MASK, "").strip() if fm else ""
                if opening[:1].isdigit():
                    continue  # '85 % des légumes …': a figure opens it, and takes no capital
                if fm is not None and fm.group()[0].islower():
                    yield Hit(fm.start(), fm.start() + 1, fm.group()[0].upper())
                continue
            text = doc.masked[seg.start : seg.end]
            words = list(WORD.finditer(text))
            if not words:
                continue
            first = words[0]
            caps = 0
            long_words = 0
            for w in words[1:]:
                word = w.group()
                if len(word) < 4 or word.lower() in self.exceptions:
                    continue
                if word.isupper():
                    continue
                long_words += 1
                if word[0].isupper():
                    caps += 1
            if caps >= self.options["min_words"] and caps * 2 > long_words:
                s = seg.start + first.start()
                e = seg.start + len(text.rstrip(" \t" + MASK))
                yield Hit(s, e, None, {"count": caps})

    def hits(self, doc: Document) -> list[Hit]:
        self.ensure_compiled()
        if self.mode == "match":
            return [
                h
                for h in self.find(doc)
                if h.replacement is None or MASK not in doc.masked[h.start : h.end]
            ]
        return super().hits(doc)


RULE = CapitalizationRule
