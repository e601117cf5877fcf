"""Tracing: is each claim of a draft stated by the dossier?

Rules, per kind of claim:

- figures (counts, quantities, percentages, money, ordinals): the same value with the
  same unit somewhere in the dossier (63 % is not 63 personnes; vingt semaines is not
  vingt mois). A qualifier pointing the other way ("près de" for "plus de") does not
  trace. A count whose noun is the noun of *another* result ("92 dossiers résolus" when
  92 are signalements) is reported as misattributed. No arithmetic: a derived figure
  traces only when the dossier lists it.
- dates: every part the claim states (year, month, "début/mi/fin") must be stated by one
  dossier date; a claim may be less precise than the dossier, never more.
- years: any dossier date, year field or year written in a note.
- phone numbers, rates ("7 jours/7"), URLs and e-mails: the same normalised key.
- names: the normalised words, contiguous, anywhere in the dossier's text (case,
  accents, apostrophes, hyphens, elisions and non-breaking spaces folded).
- quotations: identical to a dossier quote or « term » modulo typography; a short
  quoted term (three words at most) may also be dossier words; a longer excerpt of a
  dossier quote (three words or more, contiguous) is accepted as a partial quotation.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from laureate_writer.facts.claims import Claim, ClaimKind
from laureate_writer.facts.index import Fact, FactIndex
from laureate_writer.facts.text import GENERIC_NOUNS, TOKEN, format_number, norm_tokens


@dataclass(frozen=True, slots=True)
class Trace:
    claim: Claim
    supported: bool
    facts: tuple[Fact, ...] = ()
    reason: str = ""
    closest: str | None = None
    closest_path: str | None = None

    @property
    def results(self) -> set[tuple[str, int]]:
        return {(f.path, f.result) for f in self.facts if f.result is not None}


def trace_claim(claim: Claim, index: FactIndex) -> Trace:
    kind = claim.kind
    if kind in (
        ClaimKind.number,
        ClaimKind.quantity,
        ClaimKind.percent,
        ClaimKind.money,
        ClaimKind.ordinal,
    ):
        return _trace_figure(claim, index)
    if kind == ClaimKind.year:
        return _trace_year(claim, index)
    if kind == ClaimKind.date:
        return _trace_date(claim, index)
    if kind in (ClaimKind.phone, ClaimKind.rate, ClaimKind.contact):
        facts = index.keys.get(kind.value, {}).get(claim.key, [])
        if facts:
            return Trace(claim, True, tuple(facts))
        known = [
            f for by_key in [index.keys.get(kind.value, {})] for fs in by_key.values() for f in fs
        ]
        best = _closest_text(claim.key, [f.key for f in known])
        fact = next((f for f in known if f.key == best), None)
        return Trace(
            claim,
            False,
            reason=f"{kind.value} not in the dossier",
            closest=fact.display if fact else None,
            closest_path=fact.path if fact else None,
        )
    if kind == ClaimKind.name:
        if index.has_tokens(claim.key):
            return Trace(claim, True)
        clusters = name_clusters(claim.text)
        if len(clusters) > 1 and all(index.has_tokens(c) for c in clusters):
            return Trace(claim, True)  # "Prix du Jury des Prix Territoriaux": two dossier names
        best = _closest_text(claim.key, list(index.names))
        return Trace(
            claim,
            False,
            reason="name not in the dossier",
            closest=index.names.get(best) if best else None,
        )
    if kind == ClaimKind.quote:
        return _trace_quote(claim, index)
    return Trace(claim, False, reason="unknown claim kind")


# --- claims read together -------------------------------------------------------------------

_TEMPORAL = re.compile(
    r"(?:\ben|depuis|dès|entre|sur|pendant|durant|au cours d['’]|de)"
    r"(?: la rentrée(?: de)?| l['’]année| le mois d['’]e?| (?:la |l['’])?année)? ?$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:!?…\n]")


def cross_check(text: str, traces: list[Trace], index: FactIndex) -> list[Trace]:
    """Checks that need two claims: the date a result figure is given for ("3 000 inscrits
    en 2019" when the dossier says en 2020) and the year after the award's name
    ("Prix Territoriaux 2019")."""
    out = list(traces)
    for i, trace in enumerate(out):
        claim = trace.claim
        if claim.kind in (ClaimKind.year, ClaimKind.date) and trace.supported:
            out[i] = _check_award_year(text, i, out, index) or trace
        if not trace.supported or not trace.facts or claim.kind == ClaimKind.year:
            continue
        if claim.kind not in (
            ClaimKind.number,
            ClaimKind.quantity,
            ClaimKind.percent,
            ClaimKind.money,
        ):
            continue
        if not all(f.result is not None and f.when for f in trace.facts):
            continue
        j = _next_dated(text, i, out)
        if j is None or not out[j].supported:
            continue
        dated = out[j].claim
        if any(_date_fits(dated, w) for f in trace.facts for w in f.when):
            continue
        f = trace.facts[0]
        out[j] = Trace(
            dated,
            False,
            reason=f"the dossier gives {claim.text} for another date: '{f.display}'",
            closest=f.display,
            closest_path=f.path,
        )
    return out


def _next_dated(text: str, i: int, traces: list[Trace]) -> int | None:
    """The date right after figure ``i`` in its clause, introduced by 'en', 'depuis'…"""
    claim = traces[i].claim
    for j in range(i + 1, len(traces)):
        other = traces[j].claim
        if _CLAUSE_END.search(text, claim.end, other.start):
            return None
        if other.kind == ClaimKind.name:
            continue
        if other.kind in (ClaimKind.year, ClaimKind.date) and other.start - claim.end <= 100:
            before = text[max(0, other.start - 28) : other.start]
            return j if _TEMPORAL.search(before) else None
        return None
    return None


def _date_fits(claimed: Claim, stated: object) -> bool:
    c = claimed.date
    if claimed.kind == ClaimKind.year:
        return getattr(stated, "year", None) == int(claimed.value or 0)
    if c is None:
        return False
    return (c.year is None or c.year == getattr(stated, "year", None)) and (
        c.month is None or getattr(stated, "month", None) in (None, c.month)
    )


def _check_award_year(text: str, i: int, traces: list[Trace], index: FactIndex) -> Trace | None:
    claim = traces[i].claim
    if claim.kind != ClaimKind.year or not index.award_years or i == 0:
        return None
    prev = traces[i - 1].claim
    if prev.kind != ClaimKind.name or text[prev.end : claim.start].strip(" \u00a0\u202f"):
        return None
    if not any(prev.key == k or prev.key.endswith(" " + k) for k in index.award_keys):
        return None
    if int(claim.value or 0) in index.award_years:
        return None
    year = sorted(index.award_years)[0]
    return Trace(
        claim,
        False,
        reason=f"the award year is {year}, not {claim.text}",
        closest=str(year),
        closest_path="award.year",
    )


def name_clusters(name: str) -> list[str]:
    """Normalised capitalised clusters of a name chain, split at its connectors
    ('Curious Lab du Conseil' → ['curious lab', 'conseil'])."""
    clusters: list[list[str]] = [[]]
    for match in TOKEN.finditer(name):
        word = match.group()
        if word[0].isupper():
            clusters[-1].extend(norm_tokens(word))
        elif clusters[-1]:
            clusters.append([])
    return [" ".join(c) for c in clusters if c]


# --- figures -----------------------------------------------------------------------------


def _conflict(claimed: str | None, stated: str | None) -> bool:
    return {claimed, stated} == {"up", "down"}


def _trace_figure(claim: Claim, index: FactIndex) -> Trace:
    value = claim.value
    assert value is not None
    if claim.approx:
        candidates = [
            f
            for f in index.numeric
            if f.unit == claim.unit
            and f.value is not None
            and 0.8 * value <= f.value <= 1.25 * value
        ]
    elif claim.kind == ClaimKind.ordinal:
        candidates = [f for f in index.numbers.get((None, value), [])]
        candidates += [f for f in index.numeric if f.ordinal and f.value == value]
    else:
        candidates = list(index.numbers.get((claim.unit, value), []))
    candidates = [f for f in candidates if not _conflict(claim.qualifier, f.qualifier)]
    if not candidates:
        other = [f for f in index.numeric if f.value == value and f.unit != claim.unit]
        if other and not claim.approx:
            f = other[0]
            shown = f"{format_number(value)} {f.unit}" if f.unit else format_number(value)
            return Trace(
                claim,
                False,
                reason=f"the dossier has {shown} ({f.display}), not {claim.display}",
                closest=f.display,
                closest_path=f.path,
            )
        same = [f for f in index.numbers.get((claim.unit, value), [])]
        if same:
            f = same[0]
            return Trace(
                claim,
                False,
                reason=f"the dossier's qualifier differs ({f.display})",
                closest=f.display,
                closest_path=f.path,
            )
        fact = _closest_number(claim, index)
        return Trace(
            claim,
            False,
            reason="figure not in the dossier",
            closest=fact.display if fact else None,
            closest_path=fact.path if fact else None,
        )
    noun = claim.noun
    if (
        claim.unit is None
        and claim.kind == ClaimKind.number
        and noun
        and noun not in GENERIC_NOUNS
        and all(f.nouns for f in candidates)
    ):
        matching = [f for f in candidates if any(nouns_match(noun, n) for n in f.nouns)]
        if matching:
            return Trace(claim, True, tuple(matching))
        f = candidates[0]
        return Trace(
            claim,
            False,
            reason=f"in the dossier {format_number(value)} counts something else: '{f.display}'",
            closest=f.display,
            closest_path=f.path,
        )
    return Trace(claim, True, tuple(candidates))


def nouns_match(a: str, b: str) -> bool:
    """Same word family: 'inscription' ~ 'inscrit', 'appel' ~ 'appelant', not 'dossier' ~ 'dos'."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 5 and common >= 0.7 * shorter


def _closest_number(claim: Claim, index: FactIndex) -> Fact | None:
    value = claim.value or 0.0
    pool = [f for f in index.numeric if f.unit == claim.unit] or index.numeric
    if not pool:
        return None
    digits = _digits(value)

    def score(f: Fact) -> tuple[float, float]:
        other = f.value or 0.0
        ratio = difflib.SequenceMatcher(None, digits, _digits(other)).ratio()
        distance = abs(math.log1p(abs(value)) - math.log1p(abs(other)))
        return (-ratio if len(digits) > 1 else 0.0, distance)

    return min(pool, key=score)


def _digits(value: float) -> str:
    return format_number(value).replace("\u202f", "")


# --- dates and years -------------------------------------------------------------------------


def _trace_year(claim: Claim, index: FactIndex) -> Trace:
    year = int(claim.value or 0)
    facts = index.years.get(year)
    if facts:
        return Trace(claim, True, tuple(facts))
    known = sorted(index.years)
    best = min(known, key=lambda y: abs(y - year)) if known else None
    fact = index.years[best][0] if best is not None else None
    return Trace(
        claim,
        False,
        reason="year not in the dossier",
        closest=str(best) if best is not None else None,
        closest_path=fact.path if fact else None,
    )


def _date_matches(claimed: Claim, fact: Fact) -> bool:
    c, f = claimed.date, fact.date
    if c is None or f is None:
        return False
    if c.year is not None and f.year != c.year:
        return False
    if c.month is not None and f.month != c.month:
        return False
    if c.part is not None:
        if f.part != c.part:
            return False
        if c.month is None and f.month is not None:
            return False  # "début 2019" is not "début mars 2019"
    return True


def _trace_date(claim: Claim, index: FactIndex) -> Trace:
    facts = [f for f in index.dates if _date_matches(claim, f)]
    if facts:
        return Trace(claim, True, tuple(facts))
    c = claim.date
    assert c is not None

    def distance(f: Fact) -> float:
        d = f.date
        assert d is not None
        cy, fy = c.year or d.year or 0, d.year or c.year or 0
        return (
            abs((cy * 12 + (c.month or 6)) - (fy * 12 + (d.month or 6))) + (c.part != d.part) * 0.5
        )

    best = min(index.dates, key=distance) if index.dates else None
    return Trace(
        claim,
        False,
        reason="date not in the dossier",
        closest=best.display if best else None,
        closest_path=best.path if best else None,
    )


# --- quotations ----------------------------------------------------------------------------


def _trace_quote(claim: Claim, index: FactIndex) -> Trace:
    key = claim.key
    if key in index.quote_keys:
        return Trace(claim, True)
    tokens = norm_tokens(key)
    joined = " ".join(tokens)
    if tokens and len(tokens) <= 3 and index.has_tokens(joined):
        return Trace(claim, True)  # a quoted term made of dossier words: « usager »
    if len(tokens) >= 3 and f" {joined} " in index.quote_corpus:
        return Trace(claim, True)  # an excerpt of a dossier quote
    best = _closest_text(key, list(index.quote_keys))
    return Trace(
        claim,
        False,
        reason="quotation matches no dossier quote",
        closest=f"« {best} »" if best else None,
        closest_path=index.quote_keys.get(best) if best else None,
    )


def _closest_text(key: str, pool: list[str]) -> str | None:
    if not pool:
        return None
    return max(pool, key=lambda other: difflib.SequenceMatcher(None, key, other).ratio())
