"""``consistency``: one thing written two ways in one article (coeur / cœur,
COVID-19 / Covid-19, iOS / IOS, événement / évènement, ' / ’).

``groups`` is a list of variant lists. Variants are literal words (word-bounded), or
regular expressions with ``regex: true``; ``boundaries: false`` drops the word
boundaries (for punctuation such as apostrophes). When several variants of a group occur,
the most frequent one (the first used, on a tie) is the article's choice and every
other occurrence is reported (``report: each``), or only the first one (``report:
first``, with the counts). Placeholders: ``{preferred}``, ``{count}``, ``{other_count}``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import Document
from .base import Hit, Rule, RuleError, Scanner, bounded, literal_pattern


class ConsistencyRule(Rule):
    type_name = "consistency"
    FIELDS: ClassVar[dict[str, Any]] = {
        "groups": None,
        "regex": False,
        "ignorecase": False,
        "boundaries": True,
        "report": "each",
    }
    REQUIRED = ("groups",)
    document_level = True

    def compile(self) -> None:
        o = self.options
        groups = o["groups"]
        if not isinstance(groups, list) or not groups:
            raise RuleError("groups doit être une liste de listes de variantes", "groups")
        if o["report"] not in ("each", "first"):
            raise RuleError("report doit valoir each ou first", "report")
        flags = re.I if o["ignorecase"] else 0
        self.compiled = []
        for gi, group in enumerate(groups):
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(v, str) for v in group)
            ):
                raise RuleError(f"groups[{gi}] doit lister au moins deux variantes", "groups")
            variants = []
            for vi, v in enumerate(group):
                pat = v if o["regex"] else literal_pattern(v)
                self.check_regex(pat, f"expression régulière invalide « {v} »", "groups")
                rx = self.compile_regex(bounded(pat) if o["boundaries"] else pat, "groups", flags)
                variants.append((f"v{vi}", rx))
            scanner = Scanner(self.scopes)
            scanner.set_anchors(group, regex=bool(o["regex"]))
            self.compiled.append((variants, group, scanner))

    def find(self, doc: Document) -> Iterator[Hit]:
        for variants, _group, scanner in self.compiled:
            if not scanner.possible(doc):
                continue
            per_article: dict[int, dict[str, list[re.Match[str]]]] = {}
            # one regex per variant: each starts with a literal, so scanning is fast
            for name, rx in variants:
                for m in scanner.scan(doc, rx):
                    if self.in_scope(doc, m.start(), m.end()):
                        found_a = per_article.setdefault(doc.article_of(m.start()), {})
                        found_a.setdefault(name, []).append(m)
            for found in per_article.values():
                yield from self._report(found)

    def _report(self, found: dict[str, list[re.Match[str]]]) -> Iterator[Hit]:
        if len(found) >= 2:
            ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start()))
            best = ranked[0][1]
            preferred = best[0].group()
            others = sorted((m for _, ms in ranked[1:] for m in ms), key=lambda m: m.start())
            if self.options["report"] == "first":
                others = others[:1]
            for m in others:
                yield Hit(
                    m.start(),
                    m.end(),
                    preferred if not self.options["regex"] else None,
                    {
                        "preferred": preferred,
                        "count": len(best),
                        "other_count": sum(len(ms) for _, ms in ranked[1:]),
                    },
                )

    def hits(self, doc: Document) -> list[Hit]:
        self.ensure_compiled()
        return list(self.find(doc))


RULE = ConsistencyRule
