"""The dossier: the validated facts about one laureate, and the edition file of a palmarès.

A dossier holds *facts*, never finished prose: short notes a journalist can check. The
grammar data the writers need (how an entity is named in running text, its gender and
number) sits beside each name, so templates can elide, contract and agree correctly.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(lambda value: _one_line(value)),
]
Year = Annotated[int, Field(ge=1900, le=2100)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class Strict(BaseModel):
    """Base for every dossier model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: object) -> object:
        # before any field parses its text ('début 2019' typed in NFD is still a date)
        if isinstance(data, dict):
            return {k: _nfc(v) for k, v in data.items()}
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _typographic_apostrophes(cls, value: object, info: ValidationInfo) -> object:
        # Dossiers are typed on ordinary keyboards; the house apostrophe is ’ (U+2019).
        # Every text shows what it holds (and is NFC: an NFD "Été" is the same name).
        if type(value) is str:  # not enums, which are str subclasses
            value = _shown(value)
            return value if info.field_name in _VERBATIM_FIELDS else value.replace("'", "’")
        if isinstance(value, list) and all(type(v) is str for v in value):
            value = [_shown(v) for v in value]
            if info.field_name in _VERBATIM_FIELDS:
                return value
            return [v.replace("'", "’") for v in value]
        return value


def _shown(value: str) -> str:
    """``value``, or ValueError if it holds a character that hides or reorders
    what is displayed (a bidi control, a zero-width space, ESC…): a fact must read the
    same to the journalist, the reader and the fact guard."""
    from laureate_writer.visible import SUSPECT, name

    if (found := SUSPECT.search(value)) is not None:
        raise ValueError(f"contient un caractère invisible ou de contrôle ({name(found.group())})")
    return value


def _nfc(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in value]
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("doit tenir sur une ligne (un nom, un libellé)")
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
    syndicat = "syndicat"
    other = "other"


class Status(StrEnum):
    """What the award said about this entry: it won, was shortlisted, or got a mention."""

    laureate = "laureate"
    nominee = "nominee"
    mention = "mention"


class Role(StrEnum):
    """The laureate's part in the project: it decides the verb ('a créé', 'a adopté')."""

    created = "created"  # invented it
    designed = "designed"  # conceived and built it (often with a contractor)
    adopted = "adopted"  # took up a method or tool that existed elsewhere
    deployed = "deployed"  # rolled out on its territory something designed by others
    extended = "extended"  # widened an existing scheme (more places, more people)
    co_built = "co-built"  # built it together with the partners in project.co_builders


class ResultKind(StrEnum):
    """What a figure measures: only outcomes and outputs are results; means are inputs."""

    outcome = "outcome"  # a change for people: '621 appelants orientés', '63 % de lecteurs'
    output = "output"  # what the project produced: '120 ateliers tenus'
    means = "means"  # what was put in: '26 bornes interactives', '3 postes'
    target = "target"  # what it aims at, not reached yet: '38 objectifs', '11 ambitions'


class QuoteKind(StrEnum):
    """Whether a quote's text is the speaker's exact words: only those go between « »."""

    verbatim = "verbatim"  # exact words, checked against a source: printed as a quotation
    paraphrase = "paraphrase"  # a position in the journalist's words: reported speech


_ARTICLES = re.compile(r"^(?P<art>les |le |la |l['’])", re.IGNORECASE)


class Named(Strict):
    """Something named in running text, with the grammar the templates need.

    ``in_text`` is the phrase as it appears inside a sentence, with its article when it
    takes one ("la ville de Brest", "le CCAS de Montpellier", "Qioz"). ``gender`` and
    ``number`` drive agreement; when absent they are inferred from the article and the
    lexicon (``laureate-writer dossier annotate`` shows what was inferred). ``elision``
    overrides the vowel guess for words such as "Hauts-de-Seine" (aspirated h: no
    elision) or "hôtel" (mute h: elision).
    """

    in_text: Name
    gender: Gender | None = Field(default=None, description="m or f; inferred when absent.")
    number: GrammaticalNumber | None = Field(
        default=None, description="singular or plural; inferred from the article when absent."
    )
    elision: bool | None = None

    @model_validator(mode="after")
    def _plural_article(self) -> Named:
        match = _ARTICLES.match(self.in_text)
        if match and match["art"].lower() == "les " and self.number == GrammaticalNumber.singular:
            raise ValueError("« les … » est un pluriel : indiquez number: plural")
        return self


class Phrase(Strict):
    """A noun phrase with its own gender, used for descriptions ("une plateforme …");
    the gender is inferred from the article ("une", "un") when absent."""

    text: Name
    gender: Gender | None = None
    number: GrammaticalNumber | None = None


class Award(Strict):
    name: Name = Field(description="Award name, e.g. 'Prix Territoriaux La Gazette – GMF'.")
    short: Named | None = Field(
        default=None,
        description="How the award is named in a sentence: 'les Prix Territoriaux' (plural).",
    )
    year: Year
    edition: Annotated[int, Field(ge=1, le=500)] = Field(description="Edition number (21).")


class Prize(Strict):
    name: Name | None = Field(
        default=None,
        description="Prize label as published, e.g. 'Prix Coup de cœur'; absent when unknown "
        "(a nominee, or a prize not yet announced).",
    )
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
    role: Role | None = Field(
        default=None,
        description="The laureate's part in the project: created, designed, adopted, "
        "deployed, extended or co-built (with project.co_builders).",
    )
    department: Name | None = Field(
        default=None, description="Département of a commune or group, with article: 'le Finistère'."
    )
    region: Name | None = Field(
        default=None, description="Région, with article: 'la Bretagne', 'l’Occitanie'."
    )

    @property
    def anaphora(self) -> Named:
        """How later sentences refer to the laureate: ``short`` or the kind's default."""
        if self.short:
            return self.short
        if self.kind in _KIND_ANAPHORA:
            text, gender = _KIND_ANAPHORA[self.kind]
            return Named(in_text=text, gender=Gender(gender))
        return Named(in_text=self.in_text, gender=self.gender, number=self.number)


_KIND_ANAPHORA = {
    LaureateKind.commune: ("la municipalité", "f"),
    LaureateKind.ccas: ("le CCAS", "m"),
    LaureateKind.departement: ("le département", "m"),
    LaureateKind.region: ("la région", "f"),
    LaureateKind.intercommunalite: ("l’intercommunalité", "f"),
    LaureateKind.sdis: ("le SDIS", "m"),
    LaureateKind.syndicat: ("le syndicat", "m"),
}


class Part(StrEnum):
    start = "début"
    middle = "mi"
    end = "fin"


class Season(StrEnum):
    spring = "printemps"
    summer = "été"
    autumn = "automne"
    winter = "hiver"


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
_DATE_SEASON = re.compile(r"^(?P<season>printemps|été|automne|hiver)\s+(?P<year>\d{4})$")
DATE_FORMS = (
    "2019, 2019-04, 'avril 2019', 'début 2019', 'mi-2019', 'fin 2021', 'mi-octobre 2018', "
    "'printemps 2021', 'été 2022', 'automne 2020', 'hiver 2019'"
)
_DATE_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2}))?$")


class FuzzyDate(Strict):
    """A date with the precision the source has: a year, a month, or a part of either.

    Written in YAML as ``2019``, ``2019-04``, ``"avril 2019"``, ``"début 2019"``,
    ``"mi-octobre 2018"`` or a season, ``"été 2022"``, or as a mapping
    ``{year, month, part, season}``.
    """

    year: Year
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    part: Part | None = None
    season: Season | None = None

    @model_validator(mode="after")
    def _season_alone(self) -> FuzzyDate:
        if self.season and (self.month or self.part):
            raise ValueError("une saison s’écrit sans mois ni partie : « été 2022 »")
        return self

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
        if match := _DATE_SEASON.match(text):
            return {"year": int(match["year"]), "season": match["season"]}
        if match := _DATE_TEXT.match(text):
            month_name = match["month"]
            if month_name and month_name not in MONTHS:
                raise ValueError(f"mois inconnu « {month_name} » ; formes acceptées : {DATE_FORMS}")
            return {
                "year": int(match["year"]),
                "month": MONTHS.index(month_name) + 1 if month_name else None,
                "part": match["part"],
            }
        raise ValueError(f"date attendue ; formes acceptées : {DATE_FORMS}")

    @property
    def month_name(self) -> str | None:
        return MONTHS[self.month - 1] if self.month else None

    def __str__(self) -> str:
        """French form without preposition: 'mars 2019', 'début 2019', 'mi-octobre 2018'."""
        if self.season:
            return f"{self.season.value} {self.year}"
        core = f"{self.month_name} {self.year}" if self.month else str(self.year)
        if self.part is None:
            return core
        if self.part == Part.middle:
            return f"mi-{core}"
        return f"{self.part.value} {core}"

    def adverbial(self) -> str:
        """The date as a time adverbial: 'en mars 2019', 'début 2019', 'à l’été 2022'."""
        if self.season == Season.spring:
            return f"au {self}"
        if self.season:
            return f"à l’{self}"
        return str(self) if self.part else f"en {self}"

    def key(self) -> tuple[int, int]:
        """Order within a year, for comparing dates of different precision."""
        if self.month:
            return (self.year, self.month)
        if self.season:
            return (self.year, {"printemps": 4, "été": 7, "automne": 10, "hiver": 1}[self.season])
        return (self.year, {None: 6, "début": 2, "mi": 6, "fin": 11}[self.part])


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
    kind: ResultKind = Field(
        default=ResultKind.outcome,
        description="outcome (a change for people), output (what was produced), means "
        "(what was put in: equipment, staff, budget) or target (an objective, not reached "
        "yet); means and targets are never presented as results.",
    )

    @field_validator("value")
    @classmethod
    def _integral_when_possible(cls, value: float) -> float:
        return int(value) if float(value).is_integer() else value


class Quote(Strict):
    speaker: Name
    role: Name
    text: Text = Field(description="Exact words, without quotation marks.")
    kind: QuoteKind = Field(
        default=QuoteKind.verbatim,
        description="verbatim (exact words, printed between « ») or paraphrase (the "
        "speaker's position in other words, written as reported speech); a quote noted "
        "from memory is a paraphrase.",
    )

    @property
    def verbatim(self) -> bool:
        return self.kind == QuoteKind.verbatim

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
    launch: FuzzyDate | None = Field(default=None, description="When it was launched.")
    initiated: FuzzyDate | None = Field(
        default=None, description="When the work started (study, first meetings)."
    )
    extended: FuzzyDate | None = Field(
        default=None, description="When it was widened (more places, more people)."
    )
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
    co_builders: list[Text] = Field(
        default_factory=list,
        description="Partners who built the project with the laureate, as noun phrases "
        "with their article ('l’association Les Petits Débrouillards'): named in the lead "
        "and the caption.",
    )
    team: list[Text] = Field(default_factory=list, description="Noun phrases: 'un ingénieur …'.")
    budget: Money | None = None


class Dossier(Strict):
    """Everything the writers may say about one laureate, and nothing else."""

    id: Slug = Field(description="Stable identifier, also the article's anchor: 'brest'.")
    status: Status = Field(
        default=Status.laureate,
        description="laureate (won the prize), nominee (shortlisted) or mention.",
    )
    award: Award
    prize: Prize = Field(default_factory=Prize)
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
    synonyms: dict[Name, list[Name]] = Field(
        default_factory=dict,
        description="Other words a write-up may use for a noun the figures count, one word "
        "each: {bénévoles: [volontaires]} lets « 30 volontaires » stand for « 30 bénévoles » "
        "(and the other way round). Read by the fact guard only.",
    )

    @model_validator(mode="after")
    def _dates_within_edition(self) -> Dossier:
        for name in ("initiated", "launch"):
            date = getattr(self.project, name)
            if date and date.year > self.award.year:
                raise ValueError(
                    f"project.{name} ({date}) est postérieur à l’année du prix {self.award.year}"
                )
        initiated, launch = self.project.initiated, self.project.launch
        if initiated and launch and initiated.key() > launch.key():
            raise ValueError(
                f"project.initiated ({initiated}) est postérieur à project.launch ({launch})"
            )
        if self.laureate.role == Role.co_built and not self.project.co_builders:
            raise ValueError(
                "laureate.role co-built demande project.co_builders (qui l’a construit)"
            )
        return self

    @property
    def prize_name(self) -> str:
        """The prize as labelled, or the award itself when the prize is unknown."""
        return self.prize.name or self.award.name

    def content_hash(self) -> str:
        """A stable hash of the facts, recorded in every section's provenance."""
        return self._content_hash

    @cached_property
    def _content_hash(self) -> str:
        # Computed once per (immutable) dossier: production runs ask for it per section.
        data = self.model_dump(mode="json")
        if not data["synonyms"]:  # an additive field: a dossier without it keeps its hash
            del data["synonyms"]
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
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
    layout: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")] | None = Field(
        default=None,
        description="Offline writer's layout: '2020' (default), '2023' or 'magazine'.",
    )

    @field_validator("prizes")
    @classmethod
    def _unique_prizes(cls, prizes: list[str]) -> list[str]:
        seen = [p for i, p in enumerate(prizes) if p in prizes[:i]]
        if seen:
            raise ValueError(f"prix cité deux fois : {seen[0]}")
        return prizes
