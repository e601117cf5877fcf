"""The fact report and the API the drafting pipeline calls.

``check_text`` returns violations in the shared shape (``checker="facts"``) for the
revise loop; ``check_sections`` returns a :class:`FactReport` — every unsupported claim
with its section, span, kind and the closest dossier value, plus coverage (which dossier
results the article never mentions) — JSON-serialisable for the article's front matter.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field, computed_field

from laureate_writer.dossier import Dossier, Edition
from laureate_writer.facts.claims import NUMERIC_KINDS, Claim, extract_claims
from laureate_writer.facts.index import FactIndex, build_index
from laureate_writer.facts.text import QUALIFIER_WORDS, line_col
from laureate_writer.facts.trace import KIND_WORDS, ROLE_WORDS, Trace, cross_check, of, trace_claim
from laureate_writer.violations import Severity, Violation

Source = Dossier | Edition | FactIndex | Iterable[Dossier | Edition]
Sections = Mapping[str, str] | Iterable[tuple[str, str]]


class UnsupportedClaim(BaseModel):
    model_config = ConfigDict(frozen=True)

    section: str | None = None
    kind: str
    role: str | None = Field(
        default=None, description="What a figure is: count, year, ordinal, percentage…"
    )
    noun: str | None = Field(default=None, description="The counted noun, as written.")
    qualifier: str | None = Field(
        default=None, description="The qualifier written before the figure: 'près de'…"
    )
    text: str = Field(description="The claim as written in the draft.")
    value: str = Field(description="The claim as read: '1 692', 'mi-novembre 2018', '63 %'.")
    start: int
    end: int
    line: int | None = None
    column: int | None = None
    reason: str
    closest: str | None = Field(default=None, description="Closest dossier value, if any.")
    closest_path: str | None = Field(default=None, description="Where the dossier states it.")

    def message(self) -> str:
        same = "".join(self.text.split()) == "".join(self.value.split())
        shown = self.text if same else f"{self.text} ({self.value})"
        kind = KIND_WORDS.get(self.kind, self.kind)
        out = f"{kind} « {shown} » : {self.reason}"
        role = ROLE_WORDS.get(self.role or "", self.role)
        if role and role not in self.reason:
            what = role + (" " + of(self.noun) if self.noun else "")
            if self.qualifier:
                what += f", avec « {self.qualifier} »"
            out = f"{kind} « {shown} » ({what}) : {self.reason}"
        if self.closest and self.closest not in self.reason:
            where = f", {self.closest_path}" if self.closest_path else ""
            out += f" — au plus près dans le dossier : {self.closest}{where}"
        return out

    def violation(self) -> Violation:
        return Violation(
            checker="facts",
            rule=f"unsupported-{self.kind}",
            severity=Severity.error,
            message=self.message(),
            start=self.start,
            end=self.end,
            section=self.section,
            line=self.line,
            column=self.column,
            excerpt=self.text,
        )


class ResultCoverage(BaseModel):
    model_config = ConfigDict(frozen=True)

    dossier: str
    path: str
    text: str
    mentioned: bool
    sections: list[str] = Field(default_factory=list)


class FactCounts(BaseModel):
    sections: int = 0
    claims: int = 0
    supported: int = 0
    unsupported: int = 0
    claims_by_kind: dict[str, int] = Field(default_factory=dict)
    unsupported_by_kind: dict[str, int] = Field(default_factory=dict)
    results: int = 0
    results_mentioned: int = 0


class FactReport(BaseModel):
    """What the fact guard found in one article (or one text)."""

    dossier: str
    unsupported: list[UnsupportedClaim] = Field(default_factory=list)
    coverage: list[ResultCoverage] = Field(default_factory=list)
    counts: FactCounts = Field(default_factory=FactCounts)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """True when every claim traces to the dossier."""
        return not self.unsupported

    @property
    def missing_results(self) -> list[ResultCoverage]:
        return [r for r in self.coverage if not r.mentioned]

    @property
    def full_coverage(self) -> bool:
        return all(r.mentioned for r in self.coverage)

    def violations(self) -> list[Violation]:
        return [claim.violation() for claim in self.unsupported]


# --- API ------------------------------------------------------------------------------------

_INDEX_CACHE: OrderedDict[int, tuple[object, FactIndex]] = OrderedDict()
# Least recently used out: a palmarès run interleaves every laureate's sections, so the
# cache must hold a whole page's dossiers (an index is a few kilobytes).
_CACHE_SIZE = 1024


def index_for(source: Source) -> FactIndex:
    """The fact index of ``source``, built once per dossier object."""
    if isinstance(source, FactIndex):
        return source
    cached = _INDEX_CACHE.get(id(source))
    if cached is not None and cached[0] is source:
        _INDEX_CACHE.move_to_end(id(source))
        return cached[1]
    index = build_index(source)
    if isinstance(source, Dossier | Edition):
        if len(_INDEX_CACHE) >= _CACHE_SIZE:
            _INDEX_CACHE.popitem(last=False)
        _INDEX_CACHE[id(source)] = (source, index)
    return index


def trace_text(text: str, source: Source) -> list[Trace]:
    """Every claim of ``text`` with its trace to the dossier."""
    index = index_for(source)
    return cross_check(text, [trace_claim(claim, index) for claim in extract_claims(text)], index)


def _unsupported(trace: Trace, text: str, section: str | None) -> UnsupportedClaim:
    claim: Claim = trace.claim
    line, column = line_col(text, claim.start)
    figure = claim.kind in NUMERIC_KINDS
    return UnsupportedClaim(
        section=section,
        kind=claim.kind.value,
        role=claim.role if figure else None,
        noun=claim.noun_text if figure else None,
        qualifier=QUALIFIER_WORDS[claim.qualifier] if figure and claim.qualifier else None,
        text=claim.text,
        value=claim.display,
        start=claim.start,
        end=claim.end,
        line=line,
        column=column,
        reason=trace.reason,
        closest=trace.closest,
        closest_path=trace.closest_path,
    )


def check_text(text: str, dossier: Source, section: str | None = None) -> list[Violation]:
    """Violations (``checker='facts'``) for every claim of ``text`` the dossier does not support.

    Spans index into ``text``; line and column are 1-based within ``text``.
    """
    return [
        _unsupported(trace, text, section).violation()
        for trace in trace_text(text, dossier)
        if not trace.supported
    ]


def check_sections(sections: Sections, dossier: Source) -> FactReport:
    """The fact report of an article given as ``{section: text}`` or ``[(section, text)]``."""
    index = index_for(dossier)
    items = list(sections.items()) if isinstance(sections, Mapping) else list(sections)
    unsupported: list[UnsupportedClaim] = []
    by_kind: Counter[str] = Counter()
    bad_by_kind: Counter[str] = Counter()
    mentioned: dict[tuple[str, str], list[str]] = {}
    supported = 0
    for section, text in items:
        for trace in trace_text(text, index):
            kind = trace.claim.kind.value
            by_kind[kind] += 1
            if trace.supported:
                supported += 1
                for fact in trace.facts:
                    if fact.result is not None:
                        owners = mentioned.setdefault((fact.origin, fact.path), [])
                        if section not in owners:
                            owners.append(section)
            else:
                bad_by_kind[kind] += 1
                unsupported.append(_unsupported(trace, text, section))
    coverage = []
    for info in index.results:
        sections_seen = mentioned.get((info.dossier, info.path), [])
        coverage.append(
            ResultCoverage(
                dossier=info.dossier,
                path=info.path,
                text=info.display,
                mentioned=bool(sections_seen),
                sections=sections_seen,
            )
        )
    counts = FactCounts(
        sections=len(items),
        claims=sum(by_kind.values()),
        supported=supported,
        unsupported=len(unsupported),
        claims_by_kind=dict(sorted(by_kind.items())),
        unsupported_by_kind=dict(sorted(bad_by_kind.items())),
        results=len(coverage),
        results_mentioned=sum(1 for c in coverage if c.mentioned),
    )
    return FactReport(
        dossier=index.label, unsupported=unsupported, coverage=coverage, counts=counts
    )
