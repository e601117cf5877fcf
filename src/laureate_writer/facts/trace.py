"""Tracing: is each claim of a draft stated by the dossier?

Rules, per kind of claim:

- figures: a fact of the same *role* (count, year, ordinal, ratio, fraction, percentage,
  money, duration, measure) with the same value and unit — 2019 personnes is not the year
  2019, 21 personnes is not the 21e édition, 63 locataires is not 63 %. A count's noun
  must match the fact's (stems; generic nouns such as "personnes" match any). The
  qualifier must be the fact's or safely weaker (``_SAFE_QUALIFIERS``): "3 000" for
  "plus de 3 000" drops it, "près de 891" for 891 adds one. For results sharing a noun,
  the words around the figure must not describe another result (swapped subjects).
  Derived figures — a sum of two facts, a rounded fact, a share worked out from a
  percentage — are reported as derived, with the facts they come from.
- dates: every part the claim states (year, month, "début/mi/fin") must be stated by one
  dossier date; a claim may be less precise than the dossier, never more.
- years: any dossier date, year field or year written in a note.
- phone numbers, rates ("7 jours/7"), URLs and e-mails: the same normalised key.
- names: the normalised words, contiguous, anywhere in the dossier's text (case,
  accents, apostrophes, hyphens, elisions and non-breaking spaces folded).
- entities, status and actions: see ``attribution.py``.
- quotations: identical to a dossier quote or « term » modulo typography; a short
  quoted term (three words at most) may also be dossier words; a longer excerpt of a
  dossier quote (three words or more, contiguous) is accepted as a partial quotation.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from laureate_writer.facts.attribution import trace_action, trace_entity, trace_status
from laureate_writer.facts.claims import NUMERIC_KINDS, Claim, ClaimKind
from laureate_writer.facts.index import Fact, FactIndex
from laureate_writer.facts.statements import lexicon
from laureate_writer.facts.text import (
    GENERIC_NOUNS,
    NON_NOUNS,
    QUALIFIER_WORDS,
    TOKEN,
    format_number,
    norm_tokens,
    norm_word,
    stem,
)


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
    if kind in NUMERIC_KINDS:
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
            reason=f"{KIND_WORDS[kind.value]} {NOT_IN_DOSSIER}",
            closest=fact.display if fact else None,
            closest_path=fact.path if fact else None,
        )
    if kind == ClaimKind.name:
        if index.has_tokens(claim.key):
            return Trace(claim, True)
        spelled = lexicon().abbreviations.get(claim.key, ())
        if any(index.has_tokens(w) for w in spelled):
            return Trace(claim, True)  # "séries TV" where the dossier writes "télévisées"
        clusters = name_clusters(claim.text)
        if len(clusters) > 1 and all(index.has_tokens(c) for c in clusters):
            return Trace(claim, True)  # "Prix du Jury des Prix Territoriaux": two dossier names
        best = _closest_text(claim.key, list(index.names))
        return Trace(
            claim,
            False,
            reason=f"nom {NOT_IN_DOSSIER}",
            closest=index.names.get(best) if best else None,
        )
    if kind == ClaimKind.quote:
        return _trace_quote(claim, index)
    if kind == ClaimKind.entity:
        ok, reason, closest = trace_entity(claim, index)
        return Trace(claim, ok, reason=reason, closest=closest)
    if kind == ClaimKind.status:
        ok, reason = trace_status(claim, index)
        return Trace(claim, ok, reason=reason)
    if kind == ClaimKind.action:
        ok, reason, closest, path = trace_action(claim, index)
        return Trace(claim, ok, reason=reason, closest=closest, closest_path=path)
    return Trace(claim, False, reason="type d’affirmation inconnu")


# --- claims read together -------------------------------------------------------------------

_TEMPORAL = re.compile(
    r"(?:\ben|depuis|dès|entre|sur|pendant|durant|au cours d['’]|de)"
    r"(?: la rentrée(?: de)?| l['’]année| le mois d['’]e?| (?:la |l['’])?année)? ?$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:!?…\n]")
_SENTENCE_END = re.compile(r"[.!?…\n]")


def cross_check(text: str, traces: list[Trace], index: FactIndex) -> list[Trace]:
    """Checks that need two claims: the date a result figure is given for ("3 000 inscrits
    en 2019" when the dossier says en 2020) and the year after the award's name
    ("Prix Territoriaux 2019")."""
    out = list(traces)
    for i, trace in enumerate(out):
        claim = trace.claim
        if claim.kind in (ClaimKind.year, ClaimKind.date) and trace.supported:
            out[i] = _check_award_year(text, i, out, index) or trace
        if claim.kind == ClaimKind.fraction and not trace.supported:
            out[i] = trace = _source_beside(text, i, out) or trace
        if trace.supported and claim.kind in NUMERIC_KINDS and trace.results:
            out[i] = trace = _check_subject(text, i, out, index) or trace
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
            reason=f"le dossier donne {claim.text} pour une autre date : « {f.display} »",
            closest=f.display,
            closest_path=f.path,
        )
    return out


def _check_subject(text: str, i: int, traces: list[Trace], index: FactIndex) -> Trace | None:
    """Two results sharing a noun, swapped: '1 629 inscrits en accompagnement numérique'
    when the dossier gives 1 629 for the ateliers and 891 for accompagnement numérique.
    The words around the figure (its clause, up to the neighbouring figures) name the
    subject; they must not name another result's subject and not its own."""
    claim = traces[i].claim
    own = [f for f in traces[i].facts if f.result is not None]
    siblings = [
        g
        for g in index.numeric
        if g.result is not None
        and g.value != claim.value
        and g.role == claim.role
        and g.unit == claim.unit
        and any(g.origin == f.origin and _share_noun(f, g) for f in own)
    ]
    if not own or not siblings:
        return None
    after, before = _figure_window(text, i, traces)
    wrong: list[tuple[Fact, Fact]] = []
    for f in own:
        swapped = None
        for g in siblings:
            if g.origin != f.origin or not _share_noun(f, g):
                continue
            mine, theirs = _distinct(f, g), _distinct(g, f)
            for window in (after, before):
                if window & mine or any(nouns_match(w, m) for w in window for m in mine):
                    break
                if any(nouns_match(w, t) for w in window for t in theirs):
                    swapped = g
                    break
            if swapped:
                break
        if swapped is None:
            return None  # one of the facts the figure may state fits its words
        wrong.append((f, swapped))
    f, g = wrong[0]
    return Trace(
        claim,
        False,
        reason=f"sujet inversé : dans le dossier, {claim.text} correspond à « {f.display} », "
        f"et les mots autour décrivent un autre résultat, « {g.display} »",
        closest=f.display,
        closest_path=f.path,
    )


def _source_beside(text: str, i: int, traces: list[Trace]) -> Trace | None:
    """'près des deux tiers des locataires (63 %)': a share worked out from a percentage is
    accepted when the sentence also states that percentage, so the reader has the fact."""
    claim = traces[i].claim
    source = traces[i].closest_path
    if source is None or not traces[i].reason.startswith(DERIVED):
        return None
    for other in traces:
        if (
            other.supported
            and other.claim.kind == ClaimKind.percent
            and any(f.path == source for f in other.facts)
            and not _SENTENCE_END.search(
                text, min(claim.end, other.claim.end), max(claim.start, other.claim.start)
            )
        ):
            return Trace(claim, True, other.facts)
    return None


def _share_noun(f: Fact, g: Fact) -> bool:
    if f.unit is not None:
        return True  # two durations of the same unit: 20 and 10 semaines de réservation
    return any(nouns_match(a, b) for a in f.nouns for b in g.nouns)


def _distinct(f: Fact, g: Fact) -> set[str]:
    """The words of f's label and period that g's do not have (generic nouns aside)."""
    return {
        w for w in f.words if w not in GENERIC_NOUNS and not any(nouns_match(w, x) for x in g.words)
    }


def _figure_window(text: str, i: int, traces: list[Trace]) -> tuple[set[str], set[str]]:
    """Stems after and before figure ``i`` within its clause, up to the next figures."""
    claim = traces[i].claim
    figures = [t.claim for t in traces if t.claim.kind in NUMERIC_KINDS]
    prev_end = max((c.end for c in figures if c.end <= claim.start), default=0)
    next_start = min((c.start for c in figures if c.start >= claim.end), default=len(text))
    stop = _CLAUSE_END.search(text, claim.end)
    end = min(next_start, stop.start() if stop else len(text))
    start = prev_end
    for m in _CLAUSE_END.finditer(text, prev_end, claim.start):
        start = m.end()
    return _stems(text[claim.end : end]), _stems(text[start : claim.start])


def _stems(chunk: str) -> set[str]:
    return {
        stem(m.group())
        for m in TOKEN.finditer(chunk)
        if len(m.group()) > 2 and norm_word(m.group()) not in NON_NOUNS
    }


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
        reason=f"l’année du prix est {year}, pas {claim.text}",
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


# A dossier fact's qualifier → the claim qualifiers that say the same or safely less.
# "au moins 891" is true of exactly 891; "près de 891" (under 891) or "plus de" are not;
# "3 000" for "plus de 3 000" drops the qualifier and states an exact count.
_SAFE_QUALIFIERS: dict[str | None, frozenset[str | None]] = {
    None: frozenset({None, "at_least", "up_to", "about"}),
    "above": frozenset({"above", "at_least"}),
    "at_least": frozenset({"at_least"}),
    "near": frozenset({"near", "about", "below", "up_to"}),
    "about": frozenset({"about"}),
    "below": frozenset({"below", "up_to"}),
    "up_to": frozenset({"up_to"}),
}
# How findings name things for people (kinds and roles stay identifiers elsewhere)
NOT_IN_DOSSIER = "introuvable dans le dossier"
DERIVED = "chiffre dérivé"
KIND_WORDS = {
    "number": "nombre",
    "ratio": "multiplicateur",
    "fraction": "fraction",
    "quantity": "quantité",
    "percent": "pourcentage",
    "money": "montant",
    "ordinal": "ordinal",
    "year": "année",
    "date": "date",
    "rate": "fréquence",
    "phone": "téléphone",
    "contact": "contact",
    "name": "nom",
    "quote": "citation",
    "entity": "entité",
    "status": "statut",
    "action": "action",
}
ROLE_WORDS = {
    "count": "un nombre",
    "ratio": "un multiplicateur",
    "fraction": "une fraction",
    "percentage": "un pourcentage",
    "money": "un montant",
    "duration": "une durée",
    "measure": "une mesure",
    "ordinal": "un ordinal",
    "year": "une année",
    "date": "une date",
}


def of(word: str) -> str:
    """« de » before ``word``, elided before a vowel: de personnes, d’habitants."""
    return ("d’" if word[:1].lower() in "aeiouyéèêàâîôûh" else "de ") + word


def qualifier_ok(claimed: str | None, stated: str | None) -> bool:
    return claimed in _SAFE_QUALIFIERS.get(stated, frozenset({stated}))


def describe(claim: Claim) -> str:
    """What a figure claim is, in an editor's words: « un nombre de personnes, avec
    « près de » »."""
    what = ROLE_WORDS.get(claim.role, claim.role)
    if claim.noun and claim.role in ("count", "fraction"):
        what += " " + of(claim.noun_text or claim.noun)
    if claim.qualifier:
        what += f", avec « {QUALIFIER_WORDS[claim.qualifier]} »"
    return what


def _qualifier_words(q: str | None) -> str:
    return f"« {QUALIFIER_WORDS[q]} »" if q else "sans nuance"


def _trace_figure(claim: Claim, index: FactIndex) -> Trace:
    value = claim.value
    assert value is not None
    if claim.kind == ClaimKind.fraction:
        return _trace_fraction(claim, index)
    role = claim.role
    if claim.approx:
        candidates = [
            f
            for f in index.numeric
            if f.role == role
            and f.unit == claim.unit
            and f.value is not None
            and 0.8 * value <= f.value <= 1.25 * value
        ]
    else:
        candidates = [f for f in index.numbers.get((claim.unit, value), []) if f.role == role]
    if not candidates:
        return _unsupported_figure(claim, index)
    noun = claim.noun
    if role == "count" and noun and noun not in GENERIC_NOUNS and all(f.nouns for f in candidates):
        matching = [f for f in candidates if any(nouns_match(noun, n) for n in f.nouns)]
        if not matching:
            elsewhere = [
                f
                for f in index.numeric
                if f.value == value
                and f.role != role
                and any(nouns_match(noun, n) for n in f.nouns)
            ]
            if elsewhere:
                return _other_role(claim, elsewhere[0])
            f = candidates[0]
            return Trace(
                claim,
                False,
                reason=f"dans le dossier, {format_number(value)} compte autre chose : "
                f"« {f.display} »",
                closest=f.display,
                closest_path=f.path,
            )
        candidates = matching
    if claim.approx:
        return Trace(claim, True, tuple(candidates))
    safe = [f for f in candidates if qualifier_ok(claim.qualifier, f.qualifier)]
    if safe:
        return Trace(claim, True, tuple(safe))
    f = candidates[0]
    if f.qualifier and not claim.qualifier:
        why = (
            f"nuance perdue : le dossier dit {_qualifier_words(f.qualifier)} "
            f"{format_number(value)}, pas exactement {format_number(value)}"
        )
    elif claim.qualifier and not f.qualifier:
        why = (
            f"nuance ajoutée : le dossier donne exactement {format_number(value)}, "
            f"pas {_qualifier_words(claim.qualifier)} {format_number(value)}"
        )
    else:
        why = (
            f"nuance changée : le dossier dit {_qualifier_words(f.qualifier)}, "
            f"pas {_qualifier_words(claim.qualifier)}"
        )
    return Trace(claim, False, reason=why, closest=f.display, closest_path=f.path)


def _unsupported_figure(claim: Claim, index: FactIndex) -> Trace:
    """Why no fact supports a figure: another role, a derived value, or nothing close."""
    value = claim.value or 0.0
    role = claim.role
    what = describe(claim)
    if role == "count" and value.is_integer() and int(value) in index.years:
        f = index.years[int(value)][0]
        return Trace(
            claim,
            False,
            reason=f"{int(value)} est une année dans le dossier ({f.display}), pas {what}",
            closest=f.display,
            closest_path=f.path,
        )
    other = [f for f in index.numeric if f.value == value and f.role != role]
    if other and not claim.approx:
        return _other_role(claim, other[0])
    same_role = [f for f in index.numeric if f.role == role and f.unit == claim.unit]
    if derived := _derived(claim, same_role):
        reason, sources = derived
        return Trace(
            claim,
            False,
            reason=reason,
            closest=" ; ".join(f.display for f in sources),
            closest_path=sources[0].path,
        )
    if not same_role:
        return Trace(
            claim,
            False,
            reason=f"chiffre {NOT_IN_DOSSIER} : il n’indique pas {of(_role_noun(role))}",
        )
    fact = _closest_number(claim, same_role)
    return Trace(
        claim,
        False,
        reason=f"chiffre {NOT_IN_DOSSIER} ({what})",
        closest=fact.display if fact else None,
        closest_path=fact.path if fact else None,
    )


def _other_role(claim: Claim, f: Fact) -> Trace:
    return Trace(
        claim,
        False,
        reason=f"le dossier donne {format_number(claim.value or 0)} comme "
        f"{ROLE_WORDS.get(f.role, f.role)} (« {f.display} »), pas comme {describe(claim)}",
        closest=f.display,
        closest_path=f.path,
    )


def _role_noun(role: str) -> str:
    return ROLE_WORDS.get(role, role).split(" ", 1)[-1]


def _derived(claim: Claim, pool: list[Fact]) -> tuple[str, list[Fact]] | None:
    """A figure computed from dossier facts: a sum of two, or one rounded."""
    value = claim.value or 0.0
    facts = [f for f in pool if f.value is not None and not f.ordinal]
    by_value = {f.value: f for f in facts}
    for f in facts:
        rest = value - (f.value or 0.0)
        g = by_value.get(rest)
        if g is not None and g is not f and rest > 0:
            return (
                f"{DERIVED} : {format_number(value)} est la somme de "
                f"{format_number(f.value or 0)} et {format_number(rest)} ; le dossier ne "
                "l’indique pas",
                [f, g],
            )
    if value >= 10 and value % 10 == 0:
        near = [
            f
            for f in facts
            if f.value and f.value != value and abs(f.value - value) <= 0.1 * f.value
        ]
        if near:
            f = min(near, key=lambda x: abs((x.value or 0) - value))
            return (
                f"{DERIVED} : {format_number(value)} arrondit le "
                f"{format_number(f.value or 0)} du dossier ; écrivez le chiffre exact",
                [f],
            )
    return None


def _trace_fraction(claim: Claim, index: FactIndex) -> Trace:
    value = claim.value or 0.0
    stated = [
        f for f in index.numeric if f.role == "fraction" and abs((f.value or 0) - value) < 1e-6
    ]
    if stated:
        return Trace(claim, True, tuple(stated))
    shown = f"{value * 100:.0f} %"
    percents = [f for f in index.numeric if f.role == "percentage" and f.value is not None]
    if percents:
        f = min(percents, key=lambda x: abs((x.value or 0) - value * 100))
        if abs((f.value or 0) - value * 100) <= 15:
            return Trace(
                claim,
                False,
                reason=f"{DERIVED} : « {claim.text} » (environ {shown}) est calculé d’après "
                f"{format_number(f.value or 0)} % (« {f.display} ») ; écrivez le pourcentage",
                closest=f.display,
                closest_path=f.path,
            )
    counts = [f for f in index.numeric if f.role == "count" and f.result is not None and f.value]
    for a in counts:
        for b in counts:
            if (
                a is not b
                and (a.value or 0) < (b.value or 0)
                and abs((a.value or 0) / (b.value or 1) - value) <= 0.02
            ):
                return Trace(
                    claim,
                    False,
                    reason=f"{DERIVED} : « {claim.text} » est calculé d’après "
                    f"« {a.display} » et « {b.display} » ; le dossier ne donne pas cette part",
                    closest=f"{a.display} ; {b.display}",
                    closest_path=a.path,
                )
    return Trace(claim, False, reason=f"le dossier ne donne pas cette part ({shown})")


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


def _closest_number(claim: Claim, pool: list[Fact]) -> Fact | None:
    value = claim.value or 0.0
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
        reason=f"année {NOT_IN_DOSSIER}",
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
        reason=f"date {NOT_IN_DOSSIER}",
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
    if joined in index.names:
        return Trace(claim, True)  # a name between « »: « Mené, territoire à énergie positive »
    if len(tokens) >= 3 and f" {joined} " in index.quote_corpus:
        return Trace(claim, True)  # an excerpt of a dossier quote
    best = _closest_text(key, list(index.quote_keys))
    return Trace(
        claim,
        False,
        reason="citation qui ne reprend aucune citation du dossier",
        closest=f"« {best} »" if best else None,
        closest_path=index.quote_keys.get(best) if best else None,
    )


def _closest_text(key: str, pool: list[str]) -> str | None:
    if not pool:
        return None
    return max(pool, key=lambda other: difflib.SequenceMatcher(None, key, other).ratio())
