"""``repetition``: repeated words.

* ``mode: doubled`` — the same word twice in a row (« le le »), except ``ignore``
  (« vous vous », « nous nous »...); the suggestion drops the second word;
* ``mode: openings`` — consecutive article sections (lead, context, method...) that
  open with the same word, except ``ignore`` (articles);
* ``mode: nearby`` — the same word of ``min_length`` letters or more again within
  ``window`` words, except ``ignore``.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import MASK, Document
from .base import Hit, Rule, RuleError

WORD = re.compile(r"[^\W\d_][\w\-]*(?:[’'][\w\-]+)?")


class RepetitionRule(Rule):
    type_name = "repetition"
    FIELDS: ClassVar[dict[str, Any]] = {"mode": None, "ignore": [], "window": 12, "min_length": 6}
    REQUIRED = ("mode",)

    def compile(self) -> None:
        o = self.options
        if o["mode"] not in ("doubled", "openings", "nearby"):
            raise RuleError("mode doit valoir doubled, openings ou nearby", "mode")
        ignore = o["ignore"] or []
        if not isinstance(ignore, list) or not all(isinstance(w, str) for w in ignore):
            raise RuleError("ignore doit être une liste de mots", "ignore")
        self.ignore = {w.lower().replace("'", "’") for w in ignore}
        for key in ("window", "min_length"):
            if not isinstance(o[key], int) or o[key] < 1:
                raise RuleError(f"{key} doit être un entier positif", key)
        self.document_level = o["mode"] != "doubled"

    def find(self, doc: Document) -> Iterator[Hit]:
        mode = self.options["mode"]
        m_ = doc.masked
        if mode == "doubled":
            # adjacent equal tokens of an article first (fast), then locate them
            # precisely in that article: an article in a batch gets what it gets alone
            spans = zip(doc.article_starts, doc.article_ends, strict=True)
            for (a_start, a_end), tokens in zip(spans, doc.article_tokens, strict=True):
                same = map(operator.eq, tokens, itertools.islice(tokens, 1, None))
                doubled = {a for a in set(itertools.compress(tokens, same)) if a[0].isalpha()}
                for word in sorted(doubled):
                    core = word.strip('.,;:!?…»«()"')
                    if not core or core in self.ignore:
                        continue
                    rx = re.compile(
                        r"(?<![\w\-’'])(" + re.escape(core) + r")[ \u00a0\u202f]+(\1)(?![\w\-])",
                        re.I,
                    )
                    for m in rx.finditer(m_, a_start, a_end):
                        yield Hit(m.start(), m.end(), m.group(1), {"word": m.group(1)})
            return
        if mode == "openings":
            prev: tuple[str, int] | None = None
            prev_section = -1
            prev_article = -1
            for seg in self.segments_in_scope(doc):
                if seg.section == prev_section:
                    continue  # only the opening paragraph of each section
                prev_section = seg.section
                article = doc.article_of(seg.start)
                if article != prev_article:
                    prev, prev_article = None, article
                wm = WORD.search(m_, seg.start, seg.end)
                if wm is None:
                    continue
                word = wm.group().lower().replace("'", "’")
                if prev and prev[0] == word and word not in self.ignore:
                    yield Hit(wm.start(), wm.end(), None, {"word": wm.group()})
                prev = (word, seg.section)
        else:
            window, min_len = self.options["window"], self.options["min_length"]
            for seg in self.segments_in_scope(doc):
                last: dict[str, int] = {}
                for i, wm in enumerate(WORD.finditer(m_, seg.start, seg.end)):
                    word = wm.group().lower()
                    if len(word) < min_len or word in self.ignore:
                        continue
                    if word in last and i - last[word] <= window:
                        yield Hit(wm.start(), wm.end(), None, {"word": wm.group()})
                    last[word] = i

    def hits(self, doc: Document) -> list[Hit]:
        self.ensure_compiled()
        out = []
        for h in self.find(doc):
            if MASK in doc.masked[h.start : h.end]:
                continue
            if self.options["mode"] == "doubled" and not self.in_scope(doc, h.start, h.end):
                continue
            out.append(h)
        return out


RULE = RepetitionRule
