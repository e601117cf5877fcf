"""``acronym``: an acronym is spelled out at its first use — « centre communal d’action
sociale (CCAS) » — unless it is universally known (``known``). Later uses are free.

The first occurrence (in the rule's scope, in article order) is a definition when it
stands in parentheses right after its expansion, ``… (CCAS)``, or is followed by one,
``CCAS (centre communal…)``. ``expansions`` maps acronyms to their spelled-out form for
the suggestion. Roman numerals and words in all-caps passages are ignored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..document import Document
from .base import Hit, Rule, RuleError

ROMAN = re.compile(r"^[IVXLCDM]+$")


class AcronymRule(Rule):
    type_name = "acronym"
    FIELDS: ClassVar[dict[str, Any]] = {
        "known": [],
        "expansions": None,
        "min_length": 2,
        "max_length": 6,
    }
    document_level = True

    def compile(self) -> None:
        o = self.options
        known = o["known"] or []
        if not isinstance(known, list) or not all(isinstance(k, str) for k in known):
            raise RuleError("known doit être une liste de sigles", "known")
        self.known = set(known)
        exp = o["expansions"] or {}
        if not isinstance(exp, dict):
            raise RuleError("expansions doit être une table sigle → forme développée", "expansions")
        self.expansions = {k: str(v) for k, v in exp.items() if k != "__line__"}
        lo, hi = o["min_length"], o["max_length"]
        if not (isinstance(lo, int) and isinstance(hi, int) and 2 <= lo <= hi):
            raise RuleError(
                "min_length et max_length doivent être des entiers, 2 ≤ min ≤ max", "min_length"
            )
        self.rx = re.compile(
            rf"[A-ZÀ-ÖØ-Þ](?<![\w\-][A-ZÀ-ÖØ-Þ])[A-ZÀ-ÖØ-Þ0-9]{{{lo - 1},{hi - 1}}}(?![\w])"
        )

    def find(self, doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        seen: set[tuple[int, str]] = set()
        for m in self.rx.finditer(m_):
            acr = m.group()
            if acr in self.known or ROMAN.match(acr) or acr.isdigit():
                continue
            if not any(c.isalpha() for c in acr[1:]):
                continue
            s, e = m.span()
            if not self.in_scope(doc, s, e):
                continue
            key = (doc.article_of(s), acr)
            if key in seen:
                continue
            seen.add(key)
            # words in an all-caps passage are not acronyms
            before = m_[max(0, s - 12) : s].split()
            after = m_[e : e + 12].split()
            if (
                before
                and before[-1].isupper()
                and len(before[-1]) > 3
                and not before[-1].startswith("(")
            ) or (after and after[0].isupper() and len(after[0]) > 3 and after[0].isalpha()):
                continue
            if s > 0 and m_[s - 1] == "(" and m_[e : e + 1] == ")":
                continue  # expansion (ACR)
            j = e
            while j < len(m_) and m_[j] in " \u00a0":
                j += 1
            if m_[j : j + 1] == "(" and re.match(r"\(\s*[^\W\d_][^()]{6,}\)", m_[j : j + 200]):
                continue  # ACR (expansion)
            expansion = self.expansions.get(acr)
            suggestion = f"{expansion} ({acr})" if expansion else None
            yield Hit(s, e, suggestion, {"expansion": expansion or "…"})

    def hits(self, doc: Document) -> list[Hit]:
        self.ensure_compiled()
        return list(self.find(doc))


RULE = AcronymRule
