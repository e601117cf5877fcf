"""The dossier as a set of checkable facts.

Structured values (results with their unit and label, the launch date, the award year
and edition, the founding year, the budget, the contact) are indexed directly; every
free-text note is read by the same claim extractor as the drafts, so a figure, a date,
a phone number or a « term » written in a note is a fact like any other — "quatre
centres" in a context note supports "4 centres" in a draft. Every string also feeds the
name corpus (normalised tokens) that proper names are traced against.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from pydantic import BaseModel

from laureate_writer.dossier import Dossier, Edition, FuzzyDate, Money, Result
from laureate_writer.facts.claims import (
    MULTIPLIERS,
    NUMERIC_KINDS,
    ClaimKind,
    DateValue,
    extract_claims,
    quote_key,
    role_of,
)
from laureate_writer.facts.statements import content_stems, lexicon
from laureate_writer.facts.text import (
    NON_NOUNS,
    QUALIFIERS,
    SKIPPED_ADJECTIVES,
    canon_unit,
    format_number,
    norm_tokens,
    norm_word,
    stem,
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One value the dossier states, with where it states it."""

    kind: str  # "numeric", "year", "date", "phone", "rate", "contact"
    path: str  # 'results[2]', 'project.method[1]', 'award.edition'
    display: str  # '1 629 inscrits aux ateliers'
    value: float | None = None
    unit: str | None = None
    nouns: frozenset[str] = frozenset()
    qualifier: str | None = None
    approx: bool = False
    ordinal: bool = False
    date: DateValue | None = None
    key: str = ""
    result: int | None = None  # index into dossier.results when the fact is a result
    origin: str = ""  # dossier id of a result fact (indexes may merge several dossiers)
    when: tuple[DateValue, ...] = ()  # dates a result's label/period/note attach to it
    role: str = ""  # for numeric facts: count, ratio, percentage, duration… (claims.role_of)
    words: frozenset[str] = frozenset()  # a result's label and period stems (its subject)


@dataclass(frozen=True, slots=True)
class Actor:
    """A laureate as a draft may name it, with what the dossier says of its part."""

    dossier: str
    display: str  # 'la ville de Brest'
    names: tuple[str, ...]  # normalised: 'ville de brest', 'brest', 'municipalite'
    places: tuple[str, ...]  # territory and kind words: not a name after 'de' (préfecture de …)
    project: tuple[str, ...]  # the project's names: the laureate's own tool acts for it
    status: str | None  # 'laureate', 'nominee', 'mention'
    role: str | None  # 'created', 'adopted', …
    co_builders: tuple[str, ...]  # as written
    partners: tuple[str, ...]  # normalised partner and co-builder names


@dataclass(frozen=True, slots=True)
class NoteAction:
    """An action a dossier note states: who did what."""

    dossier: str
    path: str
    family: str
    agent: str  # as written ('' for "a été créé")
    target: frozenset[str]  # content stems of the object
    sentence: str
    whole: bool = False  # the object is a « named » thing: all its words must match


@dataclass(frozen=True, slots=True)
class ResultInfo:
    index: int
    path: str
    display: str
    dossier: str


class FactIndex:
    """Everything one dossier (or one edition) lets a draft say."""

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.numbers: dict[tuple[str | None, float], list[Fact]] = defaultdict(list)
        self.numeric: list[Fact] = []
        self.years: dict[int, list[Fact]] = defaultdict(list)
        self.dates: list[Fact] = []
        self.keys: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
        self.quote_keys: dict[str, str] = {}  # quotation key → path
        self.result_nouns: dict[str, set[float]] = defaultdict(set)
        self.results: list[ResultInfo] = []
        self.names: dict[str, str] = {}  # name key → display (for 'closest' hints)
        self.award_keys: set[str] = set()  # 'prix territoriaux', … : "<award> <year>"
        self.award_years: set[int] = set()
        self.actors: list[Actor] = []
        self.actions: list[NoteAction] = []
        self.adopted: list[tuple[str, str, frozenset[str], str]] = []  # dossier, path, stems, text
        # groups of counted-noun stems a dossier declares equivalent (``synonyms:``)
        self.synonyms: list[frozenset[str]] = []
        self._corpus: list[str] = []
        self._quote_corpus: list[str] = []
        self._corpus_cache: str | None = None
        self._quote_cache: str | None = None

    # -- corpora (token strings padded with spaces, fields separated by '|')

    @property
    def corpus(self) -> str:
        if self._corpus_cache is None:
            self._corpus_cache = " " + " | ".join(self._corpus) + " "
        return self._corpus_cache

    @property
    def quote_corpus(self) -> str:
        if self._quote_cache is None:
            self._quote_cache = " " + " | ".join(self._quote_corpus) + " "
        return self._quote_cache

    def has_tokens(self, key: str) -> bool:
        return bool(key) and f" {key} " in self.corpus

    # -- adding facts

    def set_synonyms(self, synonyms: dict[str, list[str]]) -> None:
        """Each declared noun with its alternatives, as one group of stems (both ways);
        facts added afterwards count every noun of a group their own."""
        from laureate_writer.facts.claims import noun_stem

        for noun, others in synonyms.items():
            words = [w.split()[0] for w in (noun, *others) if w.split()]
            group = frozenset(s for s in map(noun_stem, words) if s)
            if len(group) > 1:
                self.synonyms.append(group)

    def _with_synonyms(self, fact: Fact) -> Fact:
        from laureate_writer.facts.trace import nouns_match

        extra = {
            s
            for group in self.synonyms
            if any(nouns_match(n, g) for n in fact.nouns for g in group)
            for s in group
        }
        return replace(fact, nouns=fact.nouns | extra) if extra - fact.nouns else fact

    def add_fact(self, fact: Fact) -> None:
        if self.synonyms and fact.nouns:
            fact = self._with_synonyms(fact)
        if fact.kind == "numeric":
            assert fact.value is not None
            self.numbers[(fact.unit, fact.value)].append(fact)
            self.numeric.append(fact)
        elif fact.kind == "year":
            assert fact.value is not None
            self.years[int(fact.value)].append(fact)
        elif fact.kind == "date":
            self.dates.append(fact)
            if fact.date and fact.date.year:
                self.years[fact.date.year].append(fact)
        else:
            self.keys[fact.kind][fact.key].append(fact)

    def add_text(self, text: str, path: str) -> None:
        """A free-text note: its tokens join the name corpus, its claims become facts."""
        tokens = norm_tokens(text)
        if tokens:
            self._corpus.append(" ".join(tokens))
            self._corpus_cache = None
        for claim in extract_claims(text):
            if claim.kind in NUMERIC_KINDS:
                self.add_fact(
                    Fact(
                        "numeric",
                        path,
                        _context(text, claim.start, claim.end),
                        value=claim.value,
                        unit=claim.unit,
                        nouns=frozenset({claim.noun}) if claim.noun else frozenset(),
                        qualifier=claim.qualifier,
                        approx=claim.approx,
                        ordinal=claim.kind == ClaimKind.ordinal,
                        role=claim.role,
                    )
                )
            elif claim.kind == ClaimKind.year:
                self.add_fact(Fact("year", path, claim.text, value=claim.value))
            elif claim.kind == ClaimKind.date:
                self.add_fact(Fact("date", path, claim.text, date=claim.date))
            elif claim.kind in (ClaimKind.phone, ClaimKind.rate, ClaimKind.contact):
                self.add_fact(Fact(claim.kind.value, path, claim.text, key=claim.key))
            elif claim.kind == ClaimKind.quote:
                self.quote_keys.setdefault(claim.key, path)
            elif claim.kind == ClaimKind.name or claim.kind == ClaimKind.entity:
                self.names.setdefault(claim.key, claim.text)
            elif claim.kind == ClaimKind.action:
                named = _NAMED_OBJECT.match(claim.target)
                self.actions.append(
                    NoteAction(
                        self.label,
                        path,
                        claim.key,
                        claim.agent,
                        frozenset(
                            content_stems(named.group(1))
                            if named
                            else content_stems(claim.target, head=2)
                        ),
                        claim.noun_text or text,
                        whole=bool(named),
                    )
                )
        for m in lexicon().adopted.finditer(text):
            following = " ".join(text[m.end() :].split()[:6])
            self.adopted.append((self.label, path, frozenset(content_stems(following)), text))

    def add_name(self, text: str, path: str) -> None:
        """A name field: traced as a whole and word by word."""
        self.add_text(text, path)
        key = " ".join(norm_tokens(text))
        if key:
            self.names.setdefault(key, text)

    def add_quote(self, text: str, path: str) -> None:
        key = quote_key(text)
        self.quote_keys[key] = path
        tokens = norm_tokens(text)
        if tokens:
            self._quote_corpus.append(" ".join(tokens))
            self._quote_cache = None
        self.add_text(text, path)

    def add_result(self, i: int, result: Result, dossier: str) -> None:
        path = f"results[{i}]"
        unit = canon_unit(result.unit)
        label_words = re.split(r"[\s'’]+", result.label)
        value = float(result.value)
        # 'value: 1, unit: million, label: d’euros par an' is 1 000 000 €: a scale word
        # as the unit multiplies the value, and the label's first word gives the unit.
        scale = MULTIPLIERS.get(norm_word(result.unit or ""))
        if scale:
            value *= scale
            unit = None
            label_words = [w for w in label_words if norm_word(w) not in ("d", "de")] or [""]
        if unit is None and label_words and canon_unit(label_words[0]) not in (None, "m", "h"):
            unit = canon_unit(label_words[0])  # "semaines de réservation": 20 semaines
        head = _head_noun(result.label)
        nouns = {stem(w) for w in label_words if norm_word(w) not in NON_NOUNS and len(w) > 2}
        if label_words and norm_word(label_words[0]) == "fois":
            role = "ratio"  # '2 fois plus d'offres': a multiplier, never a count
        else:
            role = role_of(ClaimKind.number if unit is None else _unit_kind(unit), unit)
        subject = nouns | {
            stem(w)
            for w in (result.period or "").split()
            if norm_word(w) not in NON_NOUNS and len(w) > 2
        }
        display = " ".join(
            p
            for p in (
                result.qualifier,
                format_number(result.value),
                result.unit,
                result.label,
                result.period,
            )
            if p
        )
        when = tuple(
            claim.date if claim.date else DateValue(int(claim.value or 0))
            for text in (result.label, result.period, result.note)
            if text
            for claim in extract_claims(text, names=False)
            if claim.kind in (ClaimKind.date, ClaimKind.year)
        )
        self.add_fact(
            Fact(
                "numeric",
                path,
                display,
                value=value,
                unit=unit,
                nouns=frozenset(nouns),
                qualifier=QUALIFIERS.get(norm_word(result.qualifier or "")),
                result=i,
                origin=dossier,
                when=when,
                role=role,
                words=frozenset(subject),
            )
        )
        if head and unit is None:
            self.result_nouns[head].add(value)
        self.results.append(ResultInfo(i, path, display, dossier))
        for field in ("label", "period", "note"):
            value = getattr(result, field)
            if value:
                self.add_text(value, f"{path}.{field}")

    # -- building

    @classmethod
    def from_dossier(cls, dossier: Dossier) -> FactIndex:
        index = cls(dossier.id)
        index.set_synonyms(dossier.synonyms)
        index.actors.append(_actor(dossier))
        award = dossier.award
        index._add_award(award)
        for i, result in enumerate(dossier.results):
            index.add_result(i, result, dossier.id)
        for i, quote in enumerate(dossier.quotes):
            if quote.verbatim:
                index.add_quote(quote.text, f"quotes[{i}].text")
            else:  # reported speech only: between « » it would be words never said
                index.add_text(quote.text, f"quotes[{i}].text")
            index.add_name(quote.speaker, f"quotes[{i}].speaker")
            index.add_text(quote.role, f"quotes[{i}].role")
        index._walk(dossier, "", skip={"id", "award", "results", "quotes", "synonyms"})
        return index

    @classmethod
    def from_edition(cls, edition: Edition) -> FactIndex:
        index = cls("edition")
        index._add_award(edition.award)
        if edition.intro.founded:
            index.add_fact(
                Fact(
                    "year",
                    "intro.founded",
                    str(edition.intro.founded),
                    value=float(edition.intro.founded),
                )
            )
        for i, organiser in enumerate(edition.intro.organisers):
            index.add_name(organiser, f"intro.organisers[{i}]")
        if edition.intro.purpose:
            index.add_text(edition.intro.purpose, "intro.purpose")
        for i, note in enumerate(edition.intro.notes):
            index.add_text(note, f"intro.notes[{i}]")
        for i, prize in enumerate(edition.prizes):
            index.add_name(prize, f"prizes[{i}]")
        count = len(edition.prizes)  # the palmarès lists them: "les six lauréats"
        index.add_fact(
            Fact(
                "numeric",
                "prizes",
                f"{count} prix (lauréats)",
                value=float(count),
                nouns=frozenset(stem(w) for w in ("prix", "lauréats", "collectivités")),
                role="count",
            )
        )
        return index

    @classmethod
    def merge(cls, indexes: Iterable[FactIndex], label: str = "") -> FactIndex:
        """One index holding every fact of several (an edition and its dossiers)."""
        merged = cls(label)
        for index in indexes:
            for fact in index.numeric:
                merged.add_fact(fact)
            for facts in index.years.values():
                for fact in facts:
                    if fact.kind == "year":
                        merged.add_fact(fact)
            for fact in index.dates:
                merged.add_fact(fact)
            for by_key in index.keys.values():
                for facts in by_key.values():
                    for fact in facts:
                        merged.add_fact(fact)
            merged.quote_keys.update(index.quote_keys)
            for noun, values in index.result_nouns.items():
                merged.result_nouns[noun] |= values
            merged.results.extend(index.results)
            merged.names.update(index.names)
            merged.award_keys |= index.award_keys
            merged.award_years |= index.award_years
            merged.actors.extend(index.actors)
            merged.actions.extend(index.actions)
            merged.adopted.extend(index.adopted)
            merged._corpus.extend(index._corpus)
            merged._quote_corpus.extend(index._quote_corpus)
        return merged

    def _add_award(self, award: BaseModel) -> None:
        """The award's year and edition number; its names through the generic walk."""
        year = getattr(award, "year", None)
        edition = getattr(award, "edition", None)
        if year is not None:
            self.add_fact(Fact("year", "award.year", str(year), value=float(year)))
            self.award_years.add(int(year))
        short = getattr(award, "short", None)
        for spelled in (
            getattr(award, "name", None),
            getattr(award, "short_name", None),
            getattr(short, "in_text", None),
        ):
            tokens = norm_tokens(spelled) if isinstance(spelled, str) else []
            while tokens and tokens[0] in ("le", "la", "les"):
                tokens = tokens[1:]
            for n in range(2, len(tokens) + 1):  # 'prix territoriaux', '… la gazette gmf'
                self.award_keys.add(" ".join(tokens[:n]))
        if edition is not None:
            self.add_fact(
                Fact(
                    "numeric",
                    "award.edition",
                    f"{edition}e édition",
                    value=float(edition),
                    nouns=frozenset({stem("édition")}),
                    ordinal=True,
                    role="ordinal",
                )
            )
        self._walk(award, "award", skip={"year", "edition"})

    def _walk(self, obj: object, path: str, skip: frozenset[str] | set[str] = frozenset()) -> None:
        if isinstance(obj, Enum) or obj is None or isinstance(obj, bool):
            return
        if isinstance(obj, FuzzyDate):
            self.add_fact(
                Fact(
                    "date",
                    path,
                    str(obj),
                    date=DateValue(obj.year, obj.month, obj.part.value if obj.part else None),
                )
            )
            return
        if isinstance(obj, Money):
            self.add_fact(
                Fact(
                    "numeric",
                    path,
                    f"{format_number(obj.amount)} €",
                    value=float(obj.amount),
                    unit="€",
                    role="money",
                )
            )
            if obj.note:
                self.add_text(obj.note, f"{path}.note")
            return
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                if name in skip:
                    continue
                child = f"{path}.{name}" if path else name
                value = getattr(obj, name)
                if (
                    isinstance(value, str)
                    and not isinstance(value, Enum)
                    and (name in ("name", "in_text", "territory", "territory_in_text", "speaker"))
                ):
                    self.add_name(value, child)
                else:
                    self._walk(value, child)
            return
        if isinstance(obj, list):
            for i, item in enumerate(obj):
                self._walk(item, f"{path}[{i}]")
            return
        if isinstance(obj, str):
            self.add_text(obj, path)


_ARTICLES = ("le", "la", "les", "l", "un", "une")


def _names(*texts: str | None) -> tuple[str, ...]:
    """Normalised names, without a leading article: 'la ville de Brest' → 'ville de brest'."""
    out: list[str] = []
    for text in texts:
        tokens = norm_tokens(text) if text else []
        while tokens and tokens[0] in _ARTICLES:
            tokens = tokens[1:]
        if tokens and " ".join(tokens) not in out:
            out.append(" ".join(tokens))
    return tuple(out)


def _actor(dossier: Dossier) -> Actor:
    laureate, project = dossier.laureate, dossier.project
    kind = getattr(laureate.kind, "value", laureate.kind)
    short = laureate.short.in_text if laureate.short else None
    names = _names(laureate.name, laureate.in_text, short, laureate.anaphora.in_text)
    acronyms = tuple(
        n for n in _names(*re.findall(r"\b[A-Z]{2,}\b", laureate.in_text)) if n not in names
    )
    co_builders = tuple(getattr(project, "co_builders", []) or [])
    role = getattr(laureate, "role", None)
    status = getattr(dossier, "status", None)
    return Actor(
        dossier=dossier.id,
        display=laureate.in_text,
        names=names + acronyms,
        places=_names(laureate.territory) + lexicon().kinds.get(kind, ()),
        project=_names(
            project.name, project.in_text, project.short.in_text if project.short else None
        ),
        status=getattr(status, "value", status),
        role=getattr(role, "value", role),
        co_builders=co_builders,
        partners=_names(*project.partners, *co_builders),
    )


def _unit_kind(unit: str) -> ClaimKind:
    return {"%": ClaimKind.percent, "€": ClaimKind.money}.get(unit, ClaimKind.quantity)


def _head_noun(label: str) -> str | None:
    for word in label.split():
        low = norm_word(word)
        if low in NON_NOUNS or low in SKIPPED_ADJECTIVES or "'" in low or "’" in word:
            continue
        return stem(word)
    return None


_NAMED_OBJECT = re.compile(r"\s*«\s*([^»]+?)\s*»")
_CLAUSE_MARK = re.compile(r"[.;:!?()«»\n]")


def _context(text: str, start: int, end: int, width: int = 45) -> str:
    """The figure in its clause, cut at word boundaries, for 'closest' hints:
    '… autour de six thématiques orientées vers l’usager', never a dangling ': budget,'."""
    left = start
    while left > 0 and start - left < width and not _CLAUSE_MARK.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < width and not _CLAUSE_MARK.match(text[right]):
        right += 1
    if left > 0 and not _CLAUSE_MARK.match(text[left - 1]):
        left = text.find(" ", left, start) + 1 or start
    if right < len(text) and not _CLAUSE_MARK.match(text[right]):
        cut = text.rfind(" ", end, right)
        right = cut if cut > 0 else right
    snippet = text[left:right].strip(" ,\u00a0\u202f")
    clipped_left = left > 0 and not _CLAUSE_MARK.match(text[left - 1])
    clipped_right = right < len(text) and not _CLAUSE_MARK.match(text[right])
    return f"{'… ' if clipped_left else ''}{snippet}{' …' if clipped_right else ''}"


def build_index(source: Dossier | Edition | FactIndex | Iterable[Dossier | Edition]) -> FactIndex:
    """The fact index of a dossier, an edition, or several of them merged."""
    if isinstance(source, FactIndex):
        return source
    if isinstance(source, Dossier):
        return FactIndex.from_dossier(source)
    if isinstance(source, Edition):
        return FactIndex.from_edition(source)
    parts = [build_index(item) for item in source]
    return FactIndex.merge(parts, label="+".join(p.label for p in parts))
