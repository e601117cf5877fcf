"""``substitution``: wrong term → right term (Vale's ``substitution``).

``swap`` maps each wrong form to its replacement. Keys are literal words (spaces match
any space, apostrophes ' or ’) matched between word boundaries (a hyphen counts as part
of a word, so ``COVID`` does not match inside ``COVID-19``); ``regex: true`` makes keys
regular expressions. ``ignorecase: true`` (default) matches any case and gives the
replacement the case of the match (Coeur → Cœur, COEUR → CŒUR). ``fix: safe`` applies
the replacement; ``fix: suggest`` only proposes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import Document
from .base import Hit, Rule, RuleError, bounded, literal_pattern, match_case


class SubstitutionRule(Rule):
    type_name = "substitution"
    FIELDS: ClassVar[dict[str, Any]] = {"swap": None, "ignorecase": True, "regex": False}
    REQUIRED = ("swap",)

    def compile(self) -> None:
        swap = self.options["swap"]
        if not isinstance(swap, dict) or not swap:
            raise RuleError("swap doit être une table non vide fautif → correct", "swap")
        swap = {k: v for k, v in swap.items() if k != "__line__"}
        for k, v in swap.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise RuleError(
                    f"l’entrée « {k} » de swap doit associer un texte à un texte", "swap"
                )
        self.ignorecase = bool(self.options["ignorecase"])
        self.is_regex = bool(self.options["regex"])
        flags = re.I if self.ignorecase else 0
        keys = sorted(swap, key=len, reverse=True)
        if self.is_regex:
            parts = []
            for i, k in enumerate(keys):
                self.check_regex(k, f"expression régulière invalide « {k} »", "swap")
                parts.append(f"(?P<k{i}>{k})")
            self.rx = self.compile_regex(bounded("|".join(parts)), "swap", flags)
            self.set_anchors(keys, regex=True)
            self.by_group = {f"k{i}": swap[k] for i, k in enumerate(keys)}
        else:
            self.rx = self.compile_regex(
                bounded("|".join(literal_pattern(k) for k in keys)), "swap", flags
            )
            self.set_anchors(keys)
            self.lookup = {self._norm(k): v for k, v in swap.items()}

    def _norm(self, s: str) -> str:
        s = re.sub(r"[ \u00a0\u202f]+", " ", s.replace("'", "’"))
        return s.lower() if self.ignorecase else s

    def find(self, doc: Document) -> Iterator[Hit]:
        for m in self.scan(doc, self.rx):
            if self.is_regex:
                repl = m.expand(self.by_group[m.lastgroup])
            else:
                repl = self.lookup[self._norm(m.group())]
            if self.ignorecase:
                repl = match_case(m.group(), repl)
            yield Hit(m.start(), m.end(), repl)


RULE = SubstitutionRule
