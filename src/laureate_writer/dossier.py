"""The dossier: the validated facts about one laureate, and the edition file of a palmarès.

A dossier holds *facts*, never finished prose: short notes a journalist can check. The
grammar data the writers need (how an entity is named in running text, its gender and
number) sits beside each name, so templates can elide, contract and agree correctly.
"""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class Strict(BaseModel):
    """Base for every dossier model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _typographic_apostrophes(cls, value: object, info: ValidationInfo) -> object:
        # Dossiers are typed on ordinary keyboards; the house apostrophe is ’ (U+2019).
        if info.field_name in _VERBATIM_FIELDS:
            return value
        if type(value) is str:  # not enums, which are str subclasses
            return value.replace("'", "’")
        if isinstance(value, list) and all(type(v) is str for v in value):
            return [v.replace("'", "’") for v in value]
        return value


_VERBATIM_FIELDS = {"url", "email", "id"}


class Gender(StrEnum):
    masculine = "m"
    feminine = "f"


class GrammaticalNumber(StrEnum):
    singular = "singular"
    plural = "plural"


class LaureateKind(StrEnum):
    commune = "commune"
    ccas = "ccas"
    departement = "département"
    region = "région"
    intercommunalite = "intercommunalité"
    sdis = "sdis"
    other = "other"


_ARTICLES = re.compile(r"^(?P<art>les |le |la |l['’])", re.IGNORECASE)


class Named(Strict):
    """Something named in running text, with the grammar the templates need.

    ``in_text`` is the phrase as it appears inside a sentence, with its article when it
    takes one ("la ville de Brest", "le CCAS de Montpellier", "Qioz"). ``gender`` and
    ``number`` drive agreement; ``elision`` overrides the vowel guess for words such as
    "Hauts-de-Seine" (aspirated h: no elision) or "hôtel" (mute h: elision).
    """

    in_text: Name
    gender: Gender
    number: GrammaticalNumber = GrammaticalNumber.singular
    elision: bool | None = None

    @model_validator(mode="after")
    def _plural_article(self) -> Named:
        match = _ARTICLES.match(self.in_text)
        if match and match["art"].lower() == "les " and self.number != GrammaticalNumber.plural:
            raise ValueError("'les …' is plural: set number: plural")
        return self


class Phrase(Strict):
    """A noun phrase with its own gender, used for descriptions ("une plateforme …")."""

    text: Name
    gender: Gender
    number: GrammaticalNumber = GrammaticalNumber.singular


class Award(Strict):
    name: Name = Field(description="Award name, e.g. 'Prix Territoriaux La Gazette – GMF'.")
    short: Named | None = Field(
        default=None,
        description="How the award is named in a sentence: 'les Prix Territoriaux' (plural).",
    )
    year: Year
    edition: Annotated[int, Field(ge=1, le=500)] = Field(description="Edition number (21).")


class Prize(Strict):
    name: Name = Field(description="Prize label as published, e.g. 'Prix Coup de cœur'.")
    in_text: Name | None = Field(
        default=None, description="Prize as written inside a sentence, e.g. 'Prix coup de cœur'."
    )


class Laureate(Named):
    name: Name = Field(description="Official name, as in the prize label: 'Ville de Brest'.")
    kind: LaureateKind
    territory: Name = Field(description="Place the laureate serves: 'Brest', 'Ariège'.")
    territory_in_text: Name | None = Field(
        default=None, description="Territory with its article in a sentence: 'l’Ariège'."
    )
    short: Named | None = Field(
        default=None,
        description="Anaphora for later mentions ('la municipalité', 'le CCAS').",
    )

    @property
    def anaphora(self) -> Named:
        """How later sentences refer to the laureate: ``short`` or the kind's default."""
        if self.short:
            return self.short
        text, gender = _KIND_ANAPHORA.get(self.kind, (self.in_text, self.gender.value))
        return Named(in_text=text, gender=Gender(gender))


_KIND_ANAPHORA = {
    LaureateKind.commune: ("la municipalité", "f"),
    LaureateKind.ccas: ("le CCAS", "m"),
    LaureateKind.departement: ("le département", "m"),
    LaureateKind.region: ("la région", "f"),
    LaureateKind.intercommunalite: ("l’intercommunalité", "f"),
    LaureateKind.sdis: ("le SDIS", "m"),
}


class Part(StrEnum):
    start = "début"
    middle = "mi"
    end = "fin"


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_DATE_TEXT = re.compile(
    r"^(?:(?P<part>début|mi|fin)[\s-]+)?(?:(?P<month>[a-zéû]+)\s+)?(?P<year>\d{4})$"
)
_DATE_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2}))?$")


class FuzzyDate(Strict):
    """A date with the precision the source has: a year, a month, or a part of either.

    Written in YAML as ``2019``, ``2019-04``, ``"avril 2019"``, ``"début 2019"`` or
    ``"mi-octobre 2018"``, or as a mapping ``{year, month, part}``.
    """

    year: Year
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    part: Part | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse_text(cls, data: object) -> object:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"year": data}
        if not isinstance(data, str):
            return data
        text = data.strip().lower()
        if match := _DATE_ISO.match(text):
            month = match["month"]
            return {"year": int(match["year"]), "month": int(month) if month else None}
        if match := _DATE_TEXT.match(text):
            month_name = match["month"]
            if month_name and month_name not in MONTHS:
                raise ValueError(f"unknown month '{month_name}'")
            return {
                "year": int(match["year"]),
                "month": MONTHS.index(month_name) + 1 if month_name else None,
                "part": match["part"],
            }
        raise ValueError(
            "expected a date like 2019, 2019-04, 'avril 2019', 'début 2019' or 'mi-octobre 2018'"
        )

    @property
    def month_name(self) -> str | None:
        return MONTHS[self.month - 1] if self.month else None

    def __str__(self) -> str:
        """French form without preposition: 'mars 2019', 'début 2019', 'mi-octobre 2018'."""
        core = f"{self.month_name} {self.year}" if self.month else str(self.year)
        if self.part is None:
            return core
        if self.part == Part.middle:
            return f"mi-{core}"
        return f"{self.part.value} {core}"

    def adverbial(self) -> str:
        """The date as a time adverbial: 'en mars 2019', 'début 2019', 'mi-octobre 2018'."""
        return str(self) if self.part else f"en {self}"


class Money(Strict):
    amount: Annotated[float, Field(ge=0)]
    currency: Literal["EUR"] = "EUR"
    note: Text | None = None


class Result(Strict):
    """One result figure: '{qualifier} {value} {unit} {label} {period}'.

    ``label`` is the noun phrase that follows the number ("personnes inscrites"),
    ``unit`` a symbol or measure word ("%", "€", "semaines") when there is one.
    """

    label: Name
    value: Annotated[float, Field(ge=0)]
    unit: Name | None = None
    qualifier: Literal["plus de", "près de", "environ", "au moins", "moins de"] | None = None
    period: Name | None = Field(
        default=None, description="'en 2020', 'de juillet 2019 à février 2020'."
    )
    note: Text | None = None
    highlight: bool = Field(default=False, description="The result to put forward first.")

    @field_validator("value")
    @classmethod
    def _integral_when_possible(cls, value: float) -> float:
        return int(value) if float(value).is_integer() else value


class Quote(Strict):
    speaker: Name
    role: Name
    text: Text = Field(description="Exact words, without quotation marks.")

    @field_validator("text")
    @classmethod
    def _no_outer_quotes(cls, value: str) -> str:
        return value.strip('«» \u00a0\u202f"“”')


class Source(Strict):
    title: Name
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    date: FuzzyDate | None = None


class Contact(Strict):
    name: Name | None = None
    role: Name | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9 +().\u00a0-]{6,25}$")] | None = None


class Project(Named):
    name: Name = Field(description="Project name as it is branded: 'Handibox'.")
    short: Named | None = Field(
        default=None, description="Later mentions, when in_text is long: 'le CEIS'."
    )
    what: Phrase = Field(description="What it is, with indefinite article: 'un kit d’accueil …'.")
    aim: Text = Field(
        description="What it is for, as an infinitive clause: 'faciliter l’accès de …'."
    )
    launch: FuzzyDate | None = None
    summary: Text | None = Field(default=None, description="One-line summary for editors.")
    context: list[Text] = Field(default_factory=list, description="The problem, as notes.")
    method: list[Text] = Field(default_factory=list, description="How it was built, as notes.")
    features: list[Text] = Field(
        default_factory=list, description="What it offers, as noun phrases ('une tente …')."
    )
    details: list[Text] = Field(default_factory=list, description="More on what it offers.")
    partners: list[Text] = Field(
        default_factory=list, description="Noun phrases: 'l’ARS Occitanie'."
    )
    team: list[Text] = Field(default_factory=list, description="Noun phrases: 'un ingénieur …'.")
    budget: Money | None = None


class Dossier(Strict):
    """Everything the writers may say about one laureate, and nothing else."""

    id: Slug = Field(description="Stable identifier, also the article's anchor: 'brest'.")
    award: Award
    prize: Prize
    laureate: Laureate
    project: Project
    results: list[Result] = Field(default_factory=list)
    results_notes: list[Text] = Field(
        default_factory=list, description="Results that are not figures, as notes."
    )
    quotes: list[Quote] = Field(default_factory=list)
    outlook: list[Text] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    contact: Contact | None = None

    @model_validator(mode="after")
    def _dates_within_edition(self) -> Dossier:
        launch = self.project.launch
        if launch and launch.year > self.award.year:
            raise ValueError(f"project.launch ({launch}) is after the award year {self.award.year}")
        return self

    def content_hash(self) -> str:
        """A stable hash of the facts, recorded in every section's provenance."""
        return self._content_hash

    @cached_property
    def _content_hash(self) -> str:
        # Computed once per (immutable) dossier: production runs ask for it per section.
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


class EditionIntro(Strict):
    founded: Year | None = None
    organisers: list[Name] = Field(default_factory=list)
    purpose: Text | None = Field(
        default=None, description="Infinitive clause: 'récompenser les collectivités qui …'."
    )
    notes: list[Text] = Field(default_factory=list)


class Edition(Strict):
    """The edition file: one palmarès page, its intro facts and its laureates in prize order."""

    award: Award
    intro: EditionIntro = Field(default_factory=EditionIntro)
    prizes: list[Name] = Field(min_length=1, description="Prize names, in the page's order.")
    dossiers: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1, description="Dossier files, relative to this file."
    )

    @field_validator("prizes")
    @classmethod
    def _unique_prizes(cls, prizes: list[str]) -> list[str]:
        seen = [p for i, p in enumerate(prizes) if p in prizes[:i]]
        if seen:
            raise ValueError(f"prize listed twice: {seen[0]}")
        return prizes
