"""``length``: characters, words or sentences per section, paragraph or sentence
(headline ≤ 90 characters, lead ≤ 2 sentences, body sentences ≤ 45 words...).

``unit``: chars | words | sentences. ``per``: section (all paragraphs of one article
section in this scope, the default), paragraph, or sentence. ``min`` / ``max`` bound the
count; ``message_min`` is used when the count is under ``min``. Message placeholders:
``{count}``, ``{min}``, ``{max}``, ``{unit}``. Protected text (URLs, Markdown syntax) is
not counted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import MASK, Document
from .base import Hit, Rule, RuleError

UNITS = {"chars": "caractères", "words": "mots", "sentences": "phrases"}
PERS = ("section", "paragraph", "sentence")
SENTENCE_END = re.compile(r"[.!?…]+")
_ABBREV = re.compile(r"(?:\b[A-Z]|\bM|\bMM|\bMmes?|\bMlles?|\betc|\bp|\bn°|\bDr|\bPr|\bSt)\Z")
_CLOSERS = "»”)]" + MASK
_EDGE = " \t\n\u00a0\u202f" + MASK
_PUNCT_TOKENS = (":", ";", "!", "?", "«", "»", "–", "—", "-", "…", "/", "&", "*", "•", MASK)


def sentence_spans(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``masked[start:end]``: ends at . ! ? … followed by a space or the
    end, except after abbreviations (M., Mme, etc., initials)."""
    spans = []
    pos = start
    for m in SENTENCE_END.finditer(masked, start, end):
        e = m.end()
        while e < end and masked[e] in _CLOSERS:
            e += 1
        if e < end and masked[e] not in " \t\n\u00a0\u202f":
            continue
        if m.group()[0] == "." and _ABBREV.search(masked, max(start, m.start() - 5), m.start()):
            continue
        spans.append((pos, e))
        pos = e
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and masked[s] in _EDGE:
            s += 1
        while e > s and masked[e - 1] in _EDGE:
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def count_words(text: str) -> int:
    tokens = text.split()
    return len(tokens) - sum(tokens.count(p) for p in _PUNCT_TOKENS)


def measure(doc: Document, unit: str, spans: list[tuple[int, int]]) -> int:
    if unit == "sentences":
        return sum(len(sentence_spans(doc.masked, s, e)) for s, e in spans)
    if unit == "words":
        return sum(count_words(doc.masked[s:e]) for s, e in spans)
    text = " ".join(doc.visible(s, e) for s, e in spans)
    return len(" ".join(text.split()))


class LengthRule(Rule):
    type_name = "length"
    FIELDS: ClassVar[dict[str, Any]] = {
        "unit": "chars",
        "per": "section",
        "min": None,
        "max": None,
        "message_min": None,
    }
    document_level = True

    def compile(self) -> None:
        o = self.options
        if o["unit"] not in UNITS:
            raise RuleError(f"unit doit valoir {', '.join(UNITS)}", "unit")
        if o["per"] not in PERS:
            raise RuleError(f"per doit valoir {', '.join(PERS)}", "per")
        for key in ("min", "max"):
            if o[key] is not None and (not isinstance(o[key], int) or o[key] < 0):
                raise RuleError(f"{key} doit être un entier positif ou nul", key)
        if o["min"] is None and o["max"] is None:
            raise RuleError("une règle length demande min ou max", "max")
        if o["per"] == "sentence" and o["unit"] == "sentences":
            raise RuleError("per: sentence ne peut pas compter des phrases", "per")

    def hits(self, doc: Document) -> list[Hit]:
        self.ensure_compiled()
        return list(self.find(doc))

    def _units(self, doc: Document) -> Iterator[list[tuple[int, int]]]:
        per = self.options["per"]
        if per == "section":
            groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
            for seg in self.segments_in_scope(doc):
                groups.setdefault((seg.section, seg.scope), []).append((seg.start, seg.end))
            yield from groups.values()
            return
        o = self.options
        # a sentence has no more whitespace tokens than its paragraph: a paragraph
        # within a max-only word limit has no sentence over it
        skip_short = per == "sentence" and o["unit"] == "words" and o["min"] is None
        masked = doc.masked
        for seg in self.segments_in_scope(doc):
            if skip_short and len(masked[seg.start : seg.end].split()) <= o["max"]:
                continue
            if per == "paragraph":
                yield [(seg.start, seg.end)]
            else:
                for span in sentence_spans(doc.masked, seg.start, seg.end):
                    yield [span]

    def find(self, doc: Document) -> Iterator[Hit]:
        o = self.options
        unit = o["unit"]
        for spans in self._units(doc):
            # words <= whitespace tokens: most units are settled without counting
            if (
                unit == "words"
                and o["min"] is None
                and sum(len(doc.masked[s:e].split()) for s, e in spans) <= o["max"]
            ):
                continue
            count = measure(doc, unit, spans)
            too_long = o["max"] is not None and count > o["max"]
            too_short = o["min"] is not None and count < o["min"]
            if not (too_long or too_short):
                continue
            s, e = spans[0][0], spans[-1][1]
            while s < e and doc.masked[s] in _EDGE:
                s += 1
            while e > s and doc.masked[e - 1] in _EDGE:
                e -= 1
            values = {"count": count, "min": o["min"], "max": o["max"], "unit": UNITS[unit]}
            if too_short and o["message_min"]:
                values["_message"] = o["message_min"]
            yield Hit(s, e, None, values)

    def format_message(self, doc: Document, hit: Hit) -> str:
        if hit.values and "_message" in hit.values:
            return hit.values["_message"].format_map(hit.values)
        return super().format_message(doc, hit)


RULE = LengthRule
