"""Fact guard: every figure, date, name and quotation of a draft traced to its dossier.

>>> from laureate_writer.facts import check_text, check_sections
>>> violations = check_text("Plus de 3 000 personnes inscrites.", dossier)  # doctest: +SKIP
>>> report = check_sections({"results": text}, dossier)  # doctest: +SKIP
"""

from laureate_writer.facts.claims import FIGURE_KINDS, Claim, ClaimKind, extract_claims
from laureate_writer.facts.index import FactIndex, build_index
from laureate_writer.facts.report import (
    FactCounts,
    FactReport,
    ResultCoverage,
    UnsupportedClaim,
    check_sections,
    check_text,
    index_for,
    trace_text,
)
from laureate_writer.facts.trace import Trace, trace_claim

__all__ = [
    "FIGURE_KINDS",
    "Claim",
    "ClaimKind",
    "FactCounts",
    "FactIndex",
    "FactReport",
    "ResultCoverage",
    "Trace",
    "UnsupportedClaim",
    "build_index",
    "check_sections",
    "check_text",
    "extract_claims",
    "index_for",
    "trace_claim",
    "trace_text",
]
