"""``existence``: words and phrases the house bans (clichés, pleonasms, anglicisms,
jargon) — Vale's ``existence``.

``tokens`` is a list of literal phrases, or a mapping phrase → reason (available to the
message as ``{reason}``); ``patterns`` adds regular expressions. Matches are
word-bounded and case-insensitive unless ``ignorecase: false``. ``max: N`` tolerates N
occurrences per article before flagging (proselint's threshold idea, for soft words such
as « innovant »). ``exceptions`` lists phrases inside which a match is fine (« empreinte
digitale »). ``suggest`` maps a match (lowercased) to a proposed replacement.
``sentence_start: true`` only flags matches that open a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import Document
from .base import Hit, Rule, RuleError, at_sentence_start, bounded, literal_pattern


class ExistenceRule(Rule):
    type_name = "existence"
    FIELDS: ClassVar[dict[str, Any]] = {
        "tokens": None,
        "patterns": None,
        "ignorecase": True,
        "max": 0,
        "suggest": None,
        "sentence_start": False,
        "exceptions": None,
    }

    def compile(self) -> None:
        o = self.options
        tokens = o["tokens"] or []
        reasons: dict[str, str] = {}
        if isinstance(tokens, dict):
            reasons = {k: str(v) for k, v in tokens.items() if k != "__line__"}
            tokens = list(reasons)
        if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
            raise RuleError(
                "tokens doit être une liste d’expressions ou une table expression → raison",
                "tokens",
            )
        patterns = o["patterns"] or []
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise RuleError("patterns doit être une liste d’expressions régulières", "patterns")
        if not tokens and not patterns:
            raise RuleError("une règle existence demande tokens ou patterns", "tokens")
        if not isinstance(o["max"], int) or o["max"] < 0:
            raise RuleError("max doit être un entier positif ou nul", "max")
        suggest = o["suggest"] or {}
        if not isinstance(suggest, dict):
            raise RuleError("suggest doit être une table trouvé → remplacement", "suggest")
        self.suggest = {str(k).lower(): str(v) for k, v in suggest.items() if k != "__line__"}
        flags = re.I if o["ignorecase"] else 0
        alts = [literal_pattern(t) for t in sorted(tokens, key=len, reverse=True)]
        for i, p in enumerate(patterns):
            self.check_regex(p, f"expression régulière invalide dans patterns[{i}]", "patterns")
            alts.append(p)
        self.rx = self.compile_regex(bounded("|".join(alts)), "tokens", flags)
        self.reasons = {
            re.sub(r"\s+", " ", k.lower().replace("'", "’")): v for k, v in reasons.items()
        }
        exceptions = o["exceptions"] or []
        if not isinstance(exceptions, list) or not all(isinstance(e, str) for e in exceptions):
            raise RuleError("exceptions doit être une liste d’expressions", "exceptions")
        self.exceptions = (
            self.compile_regex(
                bounded("|".join(literal_pattern(e) for e in exceptions)), "exceptions", flags
            )
            if exceptions
            else None
        )
        if not self.scanner.digits:
            if tokens and not patterns:
                self.set_anchors(tokens)
            elif patterns and not tokens:
                self.set_anchors(patterns, regex=True)

    def find(self, doc: Document) -> Iterator[Hit]:
        counts: dict[int, int] = {}
        limit = self.options["max"]
        sentence_start = self.options["sentence_start"]
        for m in self.scan(doc, self.rx):
            if sentence_start and not at_sentence_start(doc, m.start()):
                continue
            if not self.in_scope(doc, m.start(), m.end()):
                continue
            if self.exceptions is not None and any(
                x.start() <= m.start() and m.end() <= x.end()
                for x in self.exceptions.finditer(doc.masked, max(0, m.start() - 40), m.end() + 40)
            ):
                continue
            article = doc.article_of(m.start()) if limit else 0
            seen = counts[article] = counts.get(article, 0) + 1
            if seen <= limit:
                continue
            word = m.group()
            key = re.sub(r"[\s\u00a0\u202f]+", " ", word.lower().replace("'", "’"))
            values = {"reason": self.reasons.get(key, ""), "count": seen, "max": limit}
            yield Hit(m.start(), m.end(), self.suggest.get(key), values)


RULE = ExistenceRule
