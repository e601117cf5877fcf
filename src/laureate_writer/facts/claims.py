"""Claim extraction: every checkable statement in a French text, with its span.

A *claim* is something a reader could verify against the dossier: a figure (digits with
French grouping, decimals, words via text2num), a percentage, an amount of money, a
quantity with its unit, an ordinal, a date or a year, an opening rate ("7 jours/7"), a
phone number, a URL or e-mail, a proper name, a quotation in « ».

Extraction runs in priority order over one text and marks what it consumed, so that a
phone number is one claim and not four numbers, a date owns its year, a quotation owns
the words inside it, and "pour cent" after a figure is a unit, not the number 100.
The same extractor reads the dossier's own notes (see ``index.py``): both sides of every
comparison are parsed by the same rules.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from laureate_writer.facts.statements import find_actions, find_entities, find_status
from laureate_writer.facts.text import (
    FUNCTION_WORDS,
    MONTH_NUMBER,
    MONTH_RE,
    NAME_CONNECTORS,
    NON_NOUNS,
    QUALIFIERS,
    SKIPPED_ADJECTIVES,
    SP,
    TIME_UNITS,
    TITLES,
    TOKEN,
    UNIT_WORDS_RE,
    canon_unit,
    fold,
    format_number,
    norm_tokens,
    norm_word,
    stem,
    strip_accents,
    words,
)


class ClaimKind(StrEnum):
    number = "number"  # a count: 621 appelants, trois postes
    ratio = "ratio"  # a multiplier: deux fois plus, multipliée par deux
    fraction = "fraction"  # deux locataires sur trois, les deux tiers, la moitié
    quantity = "quantity"  # a figure with a measure unit: vingt semaines, 8 h, 15 ans
    percent = "percent"
    money = "money"
    ordinal = "ordinal"  # 21e édition
    year = "year"
    date = "date"  # mi-octobre 2018, début 2019, juillet 2020, en mai
    rate = "rate"  # 7 jours/7, 24 h/24
    phone = "phone"
    contact = "contact"  # URL or e-mail
    name = "name"
    quote = "quote"
    entity = "entity"  # préfecture de l’Ariège, CCAS de Montpellier
    status = "status"  # a remporté le prix, finaliste
    action = "action"  # le SDIS a déployé …, imaginée par la ville


NUMERIC_KINDS = frozenset(
    {
        ClaimKind.number,
        ClaimKind.ratio,
        ClaimKind.fraction,
        ClaimKind.quantity,
        ClaimKind.percent,
        ClaimKind.money,
        ClaimKind.ordinal,
    }
)
# Statements that are not figures (names, quotations, who did or got what).
STATEMENT_KINDS = frozenset(
    {ClaimKind.name, ClaimKind.quote, ClaimKind.entity, ClaimKind.status, ClaimKind.action}
)
# What "0 unsupported figures" counts.
FIGURE_KINDS = frozenset(set(ClaimKind) - STATEMENT_KINDS)


@dataclass(frozen=True, slots=True)
class DateValue:
    year: int | None = None
    month: int | None = None
    part: str | None = None  # "début", "mi" or "fin"

    def __str__(self) -> str:
        from laureate_writer.facts.text import MONTHS

        core = " ".join(
            p for p in ((MONTHS[self.month - 1] if self.month else ""), str(self.year or "")) if p
        )
        if self.part == "mi":
            return f"mi-{core}"
        return f"{self.part} {core}" if self.part else core


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable statement. ``start``/``end`` index into the text it was found in."""

    kind: ClaimKind
    start: int
    end: int
    text: str
    value: float | None = None
    unit: str | None = None  # canonical unit: '%', '€', 'semaine', 'h', …
    noun: str | None = None  # stem of the noun right after a figure ('appel', 'centr')
    noun_text: str | None = None  # that noun as written ('appelants')
    qualifier: str | None = None  # a class of text.QUALIFIERS: 'above', 'near', 'about', …
    approx: bool = False  # une centaine, une vingtaine
    date: DateValue | None = None
    key: str = ""  # normalised form for phones, rates, contacts, names, quotes, entities
    agent: str = ""  # action: who acts, as written; entity: its head ('prefecture')
    target: str = ""  # action: what is acted on, as written; entity: its place ('ariege')

    @property
    def role(self) -> str:
        """What the figure is: a count, a year, a duration… (see ``role_of``)."""
        return role_of(self.kind, self.unit)

    @property
    def display(self) -> str:
        if self.kind == ClaimKind.fraction:
            return self.text
        if self.kind == ClaimKind.ratio and self.value is not None:
            return f"{format_number(self.value)} fois"
        if self.kind in NUMERIC_KINDS and self.value is not None:
            unit = f" {self.unit}" if self.unit else ""
            suffix = "e" if self.kind == ClaimKind.ordinal else ""
            return f"{format_number(self.value)}{suffix}{unit}"
        if self.kind == ClaimKind.year and self.value is not None:
            return str(int(self.value))
        if self.kind == ClaimKind.date and self.date:
            return str(self.date)
        return self.text


_KIND_ROLE = {
    ClaimKind.number: "count",
    ClaimKind.ratio: "ratio",
    ClaimKind.fraction: "fraction",
    ClaimKind.percent: "percentage",
    ClaimKind.money: "money",
    ClaimKind.ordinal: "ordinal",
    ClaimKind.year: "year",
    ClaimKind.date: "date",
    ClaimKind.rate: "rate",
    ClaimKind.phone: "reference",
    ClaimKind.contact: "reference",
}


def role_of(kind: ClaimKind, unit: str | None) -> str:
    """The role a figure plays: a claim is supported only by a fact of the same role."""
    if kind == ClaimKind.quantity:
        return "duration" if unit in TIME_UNITS else "measure"
    return _KIND_ROLE.get(kind, kind.value)


# --- number words (text2num) -----------------------------------------------------------

_NUMBER_WORDS = frozenset(
    words(
        "zéro zero un une deux trois quatre cinq six sept huit neuf dix onze douze treize "
        "quatorze quinze seize vingt vingts trente quarante cinquante soixante septante "
        "huitante octante nonante cent cents mille million millions milliard milliards"
    )
)
_ORDINAL_FIX = {"cinqu": "cinq", "neuv": "neuf", "un": "un"}
_APPROX = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}


def _ordinal_base(part: str) -> str | None:
    """'deuxième' → 'deux', 'cinquième' → 'cinq', 'vingt et unième' part 'unième' → 'un'."""
    for suffix in ("ièmes", "ième"):
        if part.endswith(suffix):
            base = part[: -len(suffix)]
            base = _ORDINAL_FIX.get(base, base)
            if base in _NUMBER_WORDS:
                return base
            if base + "e" in _NUMBER_WORDS:
                return base + "e"
    return None


def _word_kind(token: str) -> tuple[bool, bool]:
    """(is a number word, is an ordinal) for one token, hyphenated compounds included."""
    parts = token.lower().replace("‑", "-").split("-")
    ordinal = False
    seen = False
    for i, part in enumerate(parts):
        if part == "et" and 0 < i < len(parts) - 1:
            continue
        if part in _NUMBER_WORDS:
            seen = True
            continue
        if i == len(parts) - 1 and _ordinal_base(part):
            seen = ordinal = True
            continue
        return False, False
    return seen, ordinal


@lru_cache(maxsize=4096)
def words_to_number(words: str) -> float | None:
    """French number words → value, via text2num (imported on first use)."""
    from text_to_num import text2num  # lazy: only texts with numbers in words need it

    parts = words.lower().replace("‑", "-").split()
    if parts:
        last = parts[-1].split("-")
        base = _ordinal_base(last[-1])
        if base:
            last[-1] = base
            parts[-1] = "-".join(last)
    phrase = " ".join(parts).replace("zero", "zéro")
    try:
        return float(text2num(phrase, "fr"))
    except ValueError:
        return None


# --- patterns -------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>«»\"')\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_QUOTE = re.compile(
    r"«(?P<q>[^«»]{0,1000}?)»|“(?P<q2>[^“”\n]{0,600}?)”|(?<!\w)\"(?P<q3>[^\"\n]{1,300}?)\"(?!\w)"
)
_PHONE = re.compile(
    rf"(?<![\w+])(?:\+33{SP}?(?:\(0\){SP}?)?|0)[1-9](?:[ \u00a0\u202f.\-]?\d){{8}}(?!\d)"
)
_RATE = re.compile(
    rf"(?<![\w])(?P<a>\d{{1,3}}){SP}*(?P<u>jours?|j|heures?|h){SP}*(?:/|{SP}sur{SP}){SP}*"
    rf"(?P<b>\d{{1,3}})(?!\d)",
    re.IGNORECASE,
)
_RATE_WORDS = re.compile(
    rf"(?<!\w)(?P<a>sept|vingt-quatre){SP}+(?P<u>jours|heures){SP}+sur{SP}+(?P<b>sept|vingt-quatre)(?!\w)",
    re.IGNORECASE,
)
_PART = r"(?P<part>début|debut|fin|courant|mi)"
_DATE_MONTH = re.compile(
    rf"(?<!\w)(?:{_PART}(?:{SP}*[-‑]{SP}*|{SP}+(?:de{SP}+|d['’])?)|mois{SP}+(?:de{SP}+|d['’]))?"
    rf"(?P<month>{MONTH_RE})"
    rf"(?:{SP}+(?:de{SP}+l['’]ann[ée]e{SP}+)?(?P<year>(?:1[89]|20|21)\d{{2}})(?![\d\w]))?(?!\w)",
    re.IGNORECASE,
)
_DATE_PART_YEAR = re.compile(
    rf"(?<!\w)(?P<part>début|debut|fin|mi)(?:{SP}*[-‑]{SP}*|{SP}+)(?P<year>(?:1[89]|20|21)\d{{2}})(?![\d\w])",
    re.IGNORECASE,
)
_DATE_LINK = re.compile(rf"^{SP}*(?:à|au|et|ou|,|-|–|jusqu['’]à|puis){SP}*$")
_DIGITS = re.compile(
    r"(?<![\w\-‑/.,])"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+)"
    r"(?:,(?P<dec>\d+))?"
)
_ORD_SUFFIX = re.compile(r"(?:ères|ère|ers|er|res|re|èmes|ème|eme|es|e|nde|nd)(?![\w])")
_HOUR = re.compile(rf"{SP}?h(?:{SP}?(?P<min>[0-5]\d))?(?![\w])")
_MULT = re.compile(rf"{SP}+(?P<m>millions?|milliards?|mille)(?!\w)", re.IGNORECASE)
_SCALED_EURO = re.compile(rf"{SP}?(?P<s>k€|M€|Md€|Mds€)")
_OF = re.compile(rf"{SP}+(?:de{SP}+|d['’])")
_UNIT = re.compile(rf"(?:{SP}*(?P<sym>%|€)|{SP}+(?P<word>{UNIT_WORDS_RE}))(?![\w²])")
_NEXT_WORD = re.compile(rf"{SP}+(?P<w>[^\W\d_][\w’'\-‑]*)")
_QUALIFIER = re.compile(  # 'environ 120', and elided after de: 'd’environ 120'
    r"(?:^|[^\w'-]|(?<![\w-])d')(?P<q>"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r") ?$"
)
_APPROX_RE = re.compile(
    rf"(?<!\w)une?{SP}+(?P<w>{'|'.join(_APPROX)})(?!\w)",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(
    r"\b(?:en|depuis|dès|d'ici|avant|après|fin|début|rentrée|année|l'an|printemps|été|automne"
    r"|hiver|saison|exercice|de|à|au) $"
)
# Before a year even when a plural word follows ("dès 2019 les communes…").
_YEAR_CUE = re.compile(
    r"\b(?:en|depuis|dès|d'ici|avant|après|fin|début|rentrée|année|l'an|printemps|été"
    r"|automne|hiver|saison|exercice) $"
)
_DEMONYM = re.compile(r"[A-ZÉÈ][a-zéèêëîïôûüç-]+(?:iens|iennes|ais|aises|ois|oises|ains|aines)")
_RATIO_AFTER = re.compile(rf"{SP}+fois(?!\w)")
_RATIO_BEFORE = re.compile(r"multipli\w*(?: \w+)? par $")
_FRACTION_GAP = re.compile(rf"^(?:{SP}+[^\W\d_][\w’'\-]*){{0,2}}{SP}+sur{SP}+$")
_FRACTION_WORDS = re.compile(
    rf"(?<!\w)(?:(?P<n>un|une|deux|trois)(?:{SP}+|-)(?P<d>tiers|quarts?)|la{SP}+moiti[ée])(?!\w)"
    rf"(?![{SP[1:-1]}\-‑]*lieu)",  # "un tiers-lieu" is a place, not a third
    re.IGNORECASE,
)
_ONE_IN = re.compile(
    rf"(?<!\w)(?:un|une)(?:{SP}+[^\W\d_][\w’'\-]*)?{SP}+sur{SP}+(?P<m>deux|trois|quatre|cinq|six|dix|\d+)(?!\w)",
    re.IGNORECASE,
)
_DENOMINATOR = {"tiers": 3, "quart": 4, "quarts": 4}
_SENTENCE_GAP = re.compile(r"[.!?…:;\n•]")
_NAME_GAP = re.compile(r"^(?:[ \u00a0\u202f]+|['’]|[ \u00a0\u202f]+[-–][ \u00a0\u202f]+)$")
_FOLD_1TO1 = str.maketrans({"’": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
MULTIPLIERS = {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9}
_SCALES = {"k€": 1e3, "m€": 1e6, "md€": 1e9, "mds€": 1e9}


def quote_key(text: str) -> str:
    """A quotation modulo typography: apostrophes, spaces, dashes, case, final punctuation."""
    key = fold(text).replace("...", "…").casefold()
    key = re.sub(r"\s+", " ", key).strip()
    return key.strip(" .,;:!?…\"'")


def contact_key(text: str) -> str:
    key = text.strip().rstrip(".,;:!?").lower()
    key = re.sub(r"^(?:https?://)?(?:www\.)?", "", key)
    return key.rstrip("/")


def phone_key(text: str) -> str:
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    return "0" + digits[2:] if digits.startswith("33") else digits


class _Extractor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = text.translate(_FOLD_1TO1).lower()  # same length as text
        self.mask = bytearray(len(text))
        self.claims: list[Claim] = []

    # -- bookkeeping

    def free(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) == -1

    def take(self, claim: Claim) -> None:
        self.mask[claim.start : claim.end] = b"\x01" * (claim.end - claim.start)
        self.claims.append(claim)

    # -- passes

    def contacts(self) -> None:
        for pattern in (_URL, _EMAIL):
            for m in pattern.finditer(self.text):
                raw = m.group().rstrip(".,;:!?")
                end = m.start() + len(raw)
                if self.free(m.start(), end):
                    self.take(Claim(ClaimKind.contact, m.start(), end, raw, key=contact_key(raw)))

    def quotes(self) -> None:
        for m in _QUOTE.finditer(self.text):
            inner = m.group("q") if m.group("q") is not None else (m.group("q2") or m.group("q3"))
            if inner is None or not inner.strip() or not self.free(m.start(), m.end()):
                continue
            self.take(Claim(ClaimKind.quote, m.start(), m.end(), m.group(), key=quote_key(inner)))

    def phones(self) -> None:
        for m in _PHONE.finditer(self.text):
            if self.free(m.start(), m.end()):
                self.take(
                    Claim(ClaimKind.phone, m.start(), m.end(), m.group(), key=phone_key(m.group()))
                )

    def rates(self) -> None:
        for pattern in (_RATE, _RATE_WORDS):
            for m in pattern.finditer(self.text):
                if not self.free(m.start(), m.end()):
                    continue
                a, b = m.group("a"), m.group("b")
                if not a.isdigit():
                    a, b = (str(int(words_to_number(x) or 0)) for x in (a, b))
                unit = canon_unit(m.group("u")) or m.group("u")
                self.take(
                    Claim(ClaimKind.rate, m.start(), m.end(), m.group(), key=f"{a} {unit}/{b}")
                )

    def dates(self) -> None:
        found: list[Claim] = []
        for m in _DATE_MONTH.finditer(self.text):
            if not self.free(m.start(), m.end()):
                continue
            part = _part(m.group("part"))
            start = m.start("part") if m.group("part") else m.start("month")
            if m.group("part") and part is None:  # "courant mars": no part, span from the month
                start = m.start("month")
            year = int(m.group("year")) if m.group("year") else None
            month = MONTH_NUMBER[norm_word(m.group("month"))]
            found.append(
                Claim(
                    ClaimKind.date,
                    start,
                    m.end(),
                    self.text[start : m.end()],
                    date=DateValue(year, month, part),
                )
            )
        for m in _DATE_PART_YEAR.finditer(self.text):
            if self.free(m.start(), m.end()) and not any(
                c.start < m.end() and m.start() < c.end for c in found
            ):
                part = _part(m.group("part"))
                found.append(
                    Claim(
                        ClaimKind.date,
                        m.start(),
                        m.end(),
                        m.group(),
                        date=DateValue(int(m.group("year")), None, part),
                    )
                )
        found.sort(key=lambda c: c.start)
        # "de mars à août 2020", "en mai et juin 2019": the year closes the whole range.
        for i in range(len(found) - 2, -1, -1):
            here, after = found[i], found[i + 1]
            if (
                here.date
                and after.date
                and here.date.year is None
                and after.date.year is not None
                and _DATE_LINK.match(self.text[here.end : after.start])
            ):
                found[i] = Claim(
                    here.kind,
                    here.start,
                    here.end,
                    here.text,
                    date=DateValue(after.date.year, here.date.month, here.date.part),
                )
        for claim in found:
            self.take(claim)

    def numbers(self) -> None:
        candidates: list[tuple[int, int, float, bool, bool, bool]] = []
        # (start, end, value, is_ordinal_word, from_digits, plain_four_digits)
        for m in _DIGITS.finditer(self.text):
            raw_int = re.sub(r"[ \u00a0\u202f\u2009.]", "", m.group("int"))
            value = float(raw_int + ("." + m.group("dec") if m.group("dec") else ""))
            plain4 = (
                m.group("dec") is None and len(m.group("int")) == 4 and m.group("int").isdigit()
            )
            candidates.append((m.start(), m.end(), value, False, True, plain4))
        candidates.extend(self._word_runs())
        candidates.sort()
        numeric: list[Claim] = []
        for start, end, value, ordinal_word, from_digits, plain4 in candidates:
            if not self.free(start, end):
                continue
            claim = self._figure(start, end, value, ordinal_word, from_digits, plain4)
            if claim is not None and self.free(claim.start, claim.end):
                self.take(claim)
                numeric.append(claim)
        for m in _APPROX_RE.finditer(self.text):
            if not self.free(m.start(), m.end()):
                continue
            value = float(_APPROX[m.group("w").lower()])
            end, unit, word = self._unit_or_noun(m.end(), after_of=True)
            kind = _kind_for(unit)
            claim = Claim(
                kind,
                m.start(),
                end,
                self.text[m.start() : end],
                value=value,
                unit=unit,
                noun=noun_stem(word),
                noun_text=word,
                qualifier=self._qualifier(m.start()),
                approx=True,
            )
            self.take(claim)
            numeric.append(claim)
        # "de 8 à 18 h", "entre 10 et 20 %": the unit of the range's end applies to its start.
        numeric.sort(key=lambda c: c.start)
        for i in range(len(numeric) - 2, -1, -1):
            here, after = numeric[i], numeric[i + 1]
            if (
                here.kind == ClaimKind.number
                and here.unit is None
                and after.unit is not None
                and re.fullmatch(
                    rf"{SP}*(?:à|et|-|–|au|ou){SP}*", self.text[here.end : after.start]
                )
            ):
                replaced = Claim(
                    after.kind,
                    here.start,
                    here.end,
                    here.text,
                    value=here.value,
                    unit=after.unit,
                    qualifier=here.qualifier,
                )
                self.claims[self.claims.index(here)] = replaced
                numeric[i] = replaced

    def _word_runs(self) -> list[tuple[int, int, float, bool, bool, bool]]:
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(self.text)]
        runs: list[tuple[int, int, float, bool, bool, bool]] = []
        i = 0
        while i < len(tokens):
            is_num, _ = _word_kind(tokens[i][2])
            if not is_num:
                i += 1
                continue
            j = i
            while j + 1 < len(tokens):
                gap = self.text[tokens[j][1] : tokens[j + 1][0]]
                if gap.strip(" \u00a0\u202f"):
                    break
                nxt = tokens[j + 1][2]
                if nxt.lower() == "et" and j + 2 < len(tokens):
                    after = tokens[j + 2][2].lower()
                    if after in ("un", "une", "onze", "unième", "onzième") and not self.text[
                        tokens[j + 1][1] : tokens[j + 2][0]
                    ].strip(" \u00a0\u202f"):
                        j += 2
                        continue
                    break
                nxt_num, _ = _word_kind(nxt)
                last = tokens[j][2].lower().replace("‑", "-").split("-")[-1]
                if not nxt_num or (
                    nxt.lower() in ("un", "une") and last not in ("cent", "cents", "mille")
                ):
                    break  # "deux un" is not a number; "cent un" is
                j += 1
            runs.extend(self._run_values(tokens, i, j))
            i = j + 1
        return runs

    def _run_values(
        self, tokens: list[tuple[int, int, str]], i: int, j: int
    ) -> list[tuple[int, int, float, bool, bool, bool]]:
        start, end = tokens[i][0], tokens[j][1]
        words = self.text[start:end]
        low = words.lower()
        if low in ("un", "une"):  # an article, never a figure
            return []
        if low in ("neuf", "neuve", "neufs", "neuves") and not self._followed_by_noun(end):
            return []  # "un regard neuf sur …": the adjective
        value = words_to_number(words)
        if value is None:  # not one number ("deux trois"): take the words one by one
            if i == j:
                return []
            out = []
            for k in range(i, j + 1):
                out.extend(self._run_values(tokens, k, k))
            return out
        _, ordinal = _word_kind(tokens[j][2])
        return [(start, end, value, ordinal, False, False)]

    def _followed_by_noun(self, pos: int) -> bool:
        m = _NEXT_WORD.match(self.text, pos)
        return bool(m) and m.group("w")[0].islower() and norm_word(m.group("w")) not in NON_NOUNS

    def _figure(
        self,
        start: int,
        end: int,
        value: float,
        ordinal_word: bool,
        from_digits: bool,
        plain4: bool,
    ) -> Claim | None:
        text = self.text
        qualifier = self._qualifier(start)
        if from_digits:
            if m := _ORD_SUFFIX.match(text, end):
                return Claim(ClaimKind.ordinal, start, m.end(), text[start : m.end()], value=value)
            if m := _HOUR.match(text, end):
                minutes = int(m.group("min")) / 60 if m.group("min") else 0
                return Claim(
                    ClaimKind.quantity,
                    start,
                    m.end(),
                    text[start : m.end()],
                    value=value + minutes,
                    unit="h",
                    qualifier=qualifier,
                )
            if m := _SCALED_EURO.match(text, end):
                scale = _SCALES[m.group("s").lower()]
                return Claim(
                    ClaimKind.money,
                    start,
                    m.end(),
                    text[start : m.end()],
                    value=value * scale,
                    unit="€",
                    qualifier=qualifier,
                )
            glued = end < len(text) and text[end].isalpha() and not _UNIT.match(text, end)
            if glued and not re.match(r"(?:%|€|km²?|m²|m2|kg|ha|j)(?![\w])", text[end:]):
                return None  # glued to letters: part of a name or a code (3DS, A4)
        if ordinal_word:
            return Claim(ClaimKind.ordinal, start, end, text[start:end], value=value)
        pos = end
        if m := _MULT.match(text, pos):
            value *= MULTIPLIERS[m.group("m").lower()]
            pos = m.end()
            after_of = True
        else:
            after_of = False
        if not after_of and (m := _RATIO_AFTER.match(text, pos)):
            return Claim(ClaimKind.ratio, start, m.end(), text[start : m.end()], value=value)
        if not after_of and _RATIO_BEFORE.search(self.folded, max(0, start - 24), start):
            return Claim(ClaimKind.ratio, start, end, text[start:end], value=value)
        pos, unit, word = self._unit_or_noun(pos, after_of=after_of)
        noun = noun_stem(word)
        kind = _kind_for(unit)
        if kind == ClaimKind.number and plain4 and 1800 <= value <= 2100:
            # "2019 personnes" counts people; "en 2019", "2019 a vu…" name a year.
            # Counts of 1800 and more take a plural noun; "le palmarès 2020 distingue…" not.
            before = self.folded[max(0, start - 12) : start]
            plural = word is not None and (word[-1] in "sxSX" or word.isupper())
            if not plural or noun in _MONTH_STEMS or (not qualifier and _YEAR_CUE.search(before)):
                return Claim(ClaimKind.year, start, end, text[start:end], value=value)
        return Claim(
            kind,
            start,
            pos if unit else end,
            text[start : pos if unit else end],
            value=value,
            unit=unit,
            noun=noun,
            noun_text=word,
            qualifier=qualifier,
        )

    def _unit_or_noun(self, pos: int, *, after_of: bool) -> tuple[int, str | None, str | None]:
        """(end, unit, noun as written) of what follows a figure at ``pos``."""
        text = self.text
        probe = pos
        if after_of and (m := _OF.match(text, probe)):
            probe = m.end() - 1  # keep one space so the unit pattern matches
            probe = probe if text[probe] in " \u00a0\u202f'’" else m.end()
            if text[probe] in "'’":
                probe += 1
                text_after = text[probe:]
                m_unit = re.match(rf"({UNIT_WORDS_RE})(?![\w])", text_after)
                if m_unit:
                    return probe + m_unit.end(), canon_unit(m_unit.group()), None
        if m := _UNIT.match(text, probe):
            spelled = m.group("sym") or m.group("word")
            unit = canon_unit(spelled)
            if unit is None and spelled.lower().replace("-", " ").startswith("pour"):
                unit = "%"
            if unit:
                return m.end(), unit, None
        m = _NEXT_WORD.match(text, probe)
        skipped = 0
        while m and norm_word(m.group("w")) in SKIPPED_ADJECTIVES and skipped < 2:
            skipped += 1
            nxt = m.end()
            if u := _UNIT.match(text, nxt):
                unit = canon_unit(u.group("sym") or u.group("word"))
                if unit:
                    return u.end(), unit, None
            m = _NEXT_WORD.match(text, nxt)
        if m:
            word = m.group("w").strip("’'-")
            if word and word[0].islower() and norm_word(word) not in NON_NOUNS:
                return pos, None, word.split("’")[0].split("'")[0]
            if len(word) >= 2 and word.isupper() and word.isalpha():
                return pos, None, word  # an acronym counted: "7 EHPAD"
            if _DEMONYM.fullmatch(word):
                return pos, None, word  # people counted by where they live: "Franciliens"
        return pos, None, None

    def _qualifier(self, start: int) -> str | None:
        before = strip_accents(self.folded[max(0, start - 20) : start])
        if m := _QUALIFIER.search(before):
            return QUALIFIERS[m.group("q")]
        return None

    def fractions(self) -> None:
        """'les deux tiers', 'la moitié', 'un locataire sur trois' (before the figures)."""
        for m in _FRACTION_WORDS.finditer(self.text):
            if not self.free(m.start(), m.end()):
                continue
            if m.group("d"):
                value = (words_to_number(m.group("n")) or 1) / _DENOMINATOR[m.group("d").lower()]
            else:
                value = 0.5
            _, _, word = self._unit_or_noun(m.end(), after_of=True)
            self.take(self._fraction(m.start(), m.end(), value, word))
        for m in _ONE_IN.finditer(self.text):
            if not self.free(m.start(), m.end()) or not self._fraction_end(m.end()):
                continue
            raw = m.group("m")
            whole = float(raw) if raw.isdigit() else words_to_number(raw)
            if whole and whole > 1:
                words_between = self.text[m.start() : m.start("m")].split()[1:-1]
                word = words_between[0] if words_between else None
                self.take(self._fraction(m.start(), m.end(), 1 / whole, word))

    def _fraction(self, start: int, end: int, value: float, word: str | None) -> Claim:
        return Claim(
            ClaimKind.fraction,
            start,
            end,
            self.text[start:end],
            value=value,
            noun=noun_stem(word),
            noun_text=word,
            qualifier=self._qualifier(start),
        )

    def _fraction_end(self, pos: int) -> bool:
        """After 'N … sur M': no unit and no noun of its own ('sur trois mois' is a period)."""
        if _UNIT.match(self.text, pos):
            return False
        m = _NEXT_WORD.match(self.text, pos)
        if not m:
            return True
        word = norm_word(m.group("w"))
        return word in NON_NOUNS or _verb_like(word)

    def join_fractions(self) -> None:
        """'deux locataires sur trois': two counts read as one fraction."""
        numeric = sorted(
            (c for c in self.claims if c.kind == ClaimKind.number), key=lambda c: c.start
        )
        for here, after in itertools.pairwise(numeric):
            if (
                here.value is not None
                and after.value is not None
                and 0 < here.value < after.value
                and _FRACTION_GAP.match(self.text[here.end : after.start])
                and (after.noun is None or after.noun == here.noun or _verb_like(after.noun))
                and self._fraction_end(after.end)
            ):
                self.claims.remove(here)
                self.claims.remove(after)
                self.claims.append(
                    Claim(
                        ClaimKind.fraction,
                        here.start,
                        after.end,
                        self.text[here.start : after.end],
                        value=here.value / after.value,
                        noun=here.noun,
                        noun_text=here.noun_text,
                        qualifier=here.qualifier,
                    )
                )

    def entities(self) -> None:
        for m in find_entities(self.text):
            if self.free(m.start, m.end):
                self.take(
                    Claim(
                        ClaimKind.entity,
                        m.start,
                        m.end,
                        self.text[m.start : m.end],
                        key=m.key,
                        agent=m.head,
                        target=m.place,
                    )
                )

    def statements(self) -> None:
        """Status and action claims: they overlap names and figures, and take no span."""
        for s in find_status(self.text):
            self.claims.append(
                Claim(ClaimKind.status, s.start, s.end, self.text[s.start : s.end], key=s.status)
            )
        for a in find_actions(self.text):
            self.claims.append(
                Claim(
                    ClaimKind.action,
                    a.start,
                    a.end,
                    self.text[a.start : a.end],
                    key=a.family,
                    agent=a.agent,
                    target=a.target,
                    noun_text=a.sentence,
                )
            )

    def names(self) -> None:
        text = self.text
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        n = len(tokens)
        starts = [False] * n
        for k in range(n):
            if k == 0:
                starts[k] = True
                continue
            gap = text[tokens[k - 1][1] : tokens[k][0]]
            if _SENTENCE_GAP.search(gap):
                prev = norm_word(tokens[k - 1][2])
                starts[k] = not (gap.strip() == "." and prev in TITLES)
        i = 0
        while i < n:
            start, end, word = tokens[i]
            if not _is_cap(word) or not self.free(start, end):
                i += 1
                continue
            if starts[i] and norm_word(word) in FUNCTION_WORDS:
                i += 1
                continue
            last = i
            pending = 0
            for k in range(i + 1, n):
                gap = text[tokens[k - 1][1] : tokens[k][0]]
                w = tokens[k][2]
                if not self.free(tokens[k][0], tokens[k][1]) or not _NAME_GAP.match(gap):
                    break
                dashed = "-" in gap or "–" in gap
                if _is_cap(w) and (not dashed or (k == last + 1 and pending == 0)):
                    last, pending = k, 0
                elif not dashed and w[0].islower() and norm_word(w) in NAME_CONNECTORS:
                    pending += 1
                    if pending > 2:
                        break
                else:
                    break
            if (
                starts[i]
                and not _acronym_like(word)
                and (
                    last == i
                    or self.text[end : tokens[i + 1][0]].strip()
                    or not _is_cap(tokens[i + 1][2])
                )
            ):
                # A capitalised word opening a sentence is most likely an ordinary word
                # ("Lancé en…", "Lauréat des Prix…"): it starts a name only when another
                # capitalised word follows it directly ("Pau Béarn Pyrénées").
                i += 1
                continue
            span_end = tokens[last][1]
            name = text[start:span_end]
            key = " ".join(norm_tokens(name))
            if key:
                self.take(Claim(ClaimKind.name, start, span_end, name, key=key))
            i = last + 1


_MONTH_STEMS = frozenset(stem(m) for m in MONTH_NUMBER)


def noun_stem(word: str | None) -> str | None:
    """The matching form of a counted noun: a stem, or an acronym folded ('ehpad').
    People named by where they live ('Franciliens') are any people: no noun to match."""
    if not word or _DEMONYM.fullmatch(word):
        return None
    return norm_word(word) if word.isupper() else stem(word)


def _verb_like(word: str) -> bool:
    """A conjugated verb after a figure ('sur trois déclarent'), not a noun: -ent/-ont."""
    return (word.endswith("ent") and not word.endswith("ment") and len(word) > 5) or (
        word.endswith("ont") and len(word) > 4
    )


def _part(raw: str | None) -> str | None:
    if not raw:
        return None
    low = norm_word(raw)
    return {"debut": "début", "fin": "fin", "mi": "mi"}.get(low)


def _kind_for(unit: str | None) -> ClaimKind:
    if unit is None:
        return ClaimKind.number
    if unit == "%":
        return ClaimKind.percent
    if unit == "€":
        return ClaimKind.money
    return ClaimKind.quantity


def _is_cap(word: str) -> bool:
    return word[0].isupper()


def _acronym_like(word: str) -> bool:
    upper = sum(1 for c in word if c.isupper())
    return upper >= 2 or (upper >= 1 and any(c.isdigit() for c in word))


def extract_claims(text: str, *, names: bool = True) -> list[Claim]:
    """Every claim in ``text``, in reading order — read as a person sees it (a
    right-to-left override shows "21" as "12"; a zero-width space hides nothing), with
    spans pointing back into ``text``."""
    from laureate_writer.visible import visible_text

    seen, offsets = visible_text(text)
    claims = _extract(seen, names=names)
    if offsets is None:
        return claims
    mapped = []
    for claim in claims:
        origin = offsets[claim.start : claim.end] or [len(text)]
        mapped.append(replace(claim, start=min(origin), end=max(origin) + 1))
    return sorted(mapped, key=lambda c: c.start)


def _extract(text: str, *, names: bool) -> list[Claim]:
    ex = _Extractor(text)
    ex.contacts()
    ex.quotes()
    ex.phones()
    ex.rates()
    ex.dates()
    ex.fractions()
    ex.numbers()
    ex.join_fractions()
    if names:
        ex.entities()
        ex.names()
        ex.statements()
    return sorted(ex.claims, key=lambda c: c.start)
