"""French grammar and typography for templates: elision, contractions, agreement, numbers.

Templates never glue "de" to a name themselves: they ask for ``de(np)`` and get
"de la ville de Brest", "du CCAS de Montpellier", "d’Île-de-France" or "des Hauts-de-Seine".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from laureate_writer.dossier import Gender, GrammaticalNumber, Named, Phrase

NBSP = "\u00a0"  # before : and inside « », between a number and its unit
NNBSP = "\u202f"  # before ; ! ? and between groups of digits
APOSTROPHE = "’"

_VOWELS = set("aeiouyàâäéèêëîïôöùûüœæ")
# Words starting with a mute h take elision; every other h is treated as aspirated.
_MUTE_H = (
    "habit",
    "handicap",
    "hébergement",
    "hôpital",
    "hôtel",
    "heure",
    "histoire",
    "homme",
    "humain",
    "hygiène",
    "hiver",
    "habitat",
    "horaire",
    "hospital",
    "héritage",
    "hommage",
    "honneur",
    "horizon",
    "hôte",
    "huile",
    "harmonie",
    "humanit",
    "hauteur",
)
# Lower-case only: a capitalised article belongs to a name ("La Rochelle …", "Les Mureaux").
_ARTICLE = re.compile(r"^(?P<art>les |le |la |l[’'])(?P<rest>.*)$", re.DOTALL)


def starts_with_vowel_sound(word: str) -> bool:
    lowered = word.lower()
    if not lowered:
        return False
    if lowered[0] in _VOWELS:
        return True
    return lowered[0] == "h" and lowered.startswith(_MUTE_H)


def elide(particle: str, following: str, *, elision: bool | None = None) -> str:
    """Join ``particle`` ("de", "que", "le", "la") to ``following`` with elision if due."""
    vowel = starts_with_vowel_sound(following) if elision is None else elision
    if vowel and particle.lower() in {"de", "que", "le", "la", "ne", "se", "ce", "je", "me", "te"}:
        return particle[:-1] + APOSTROPHE + following
    return f"{particle} {following}"


_INFINITIVE = r"[a-zàâçéèêëîïôûùüÿœæ]+(?:er|ir|oir|re)"
_COORDINATED_INFINITIVES = re.compile(
    r"^"
    + _INFINITIVE
    + r"\b[^,;]*? et (?!(?:entre|contre|notre|votre|autre)\b)("
    + _INFINITIVE
    + r")\b"
)


def before_infinitives(particle: str, phrase: str) -> str:
    """``particle`` ("de", "à") before a phrase, repeated before a second coordinated
    infinitive: "de conseiller la population et d’orienter les malades" (the
    prepositions à and de are repeated before each infinitive, Grevisse)."""
    m = _COORDINATED_INFINITIVES.match(phrase)
    if m is not None:
        phrase = phrase[: m.start(1)] + elide(particle, phrase[m.start(1) :])
    return elide(particle, phrase)


@dataclass(frozen=True)
class NounPhrase:
    """A noun phrase split into article and head, so prepositions can contract with it."""

    article: str | None  # "le", "la", "l’", "les" or None (proper name, no article)
    head: str
    gender: Gender
    number: GrammaticalNumber = GrammaticalNumber.singular
    elision: bool | None = None

    @classmethod
    def parse(
        cls,
        text: str,
        gender: Gender,
        number: GrammaticalNumber = GrammaticalNumber.singular,
        elision: bool | None = None,
    ) -> NounPhrase:
        text = text.replace("'", APOSTROPHE).strip()
        match = _ARTICLE.match(text)
        if not match:
            return cls(None, text, gender, number, elision)
        art = match["art"].lower().rstrip()
        return cls(art.replace("'", APOSTROPHE), match["rest"], gender, number, elision)

    @classmethod
    def of(cls, named: Named | Phrase) -> NounPhrase:
        text = named.text if isinstance(named, Phrase) else named.in_text
        elision = None if isinstance(named, Phrase) else named.elision
        gender, number = named.gender, named.number
        if gender is None or number is None:
            inferred = infer_grammar(text)
            gender = gender or inferred.gender
            number = number or inferred.number
        return cls.parse(text, gender, number, elision)

    @property
    def plural(self) -> bool:
        return self.number == GrammaticalNumber.plural

    @property
    def feminine(self) -> bool:
        return self.gender == Gender.feminine

    @property
    def definite(self) -> str:
        """'la ville de Brest', 'l’agglomération', 'Qioz'."""
        if self.article is None:
            return self.head
        if self.article == "les":
            return f"les {self.head}"
        article = "la" if self.feminine else "le"
        return elide(article, self.head, elision=self.elision)

    def __str__(self) -> str:
        return self.definite

    @property
    def de(self) -> str:
        """'de la ville', 'du CCAS', 'de l’agglomération', 'des Hauts-de-Seine', 'd’Histologe'."""
        if self.article is None:
            return elide("de", self.head, elision=self.elision)
        if self.article == "les":
            return f"des {self.head}"
        if not self.feminine and not self._elides:
            return f"du {self.head}"
        return f"de {self.definite}"

    @property
    def a(self) -> str:
        """'à la ville', 'au CCAS', 'à l’agglomération', 'aux communes', 'à Qioz'."""
        if self.article is None:
            return f"à {self.head}"
        if self.article == "les":
            return f"aux {self.head}"
        if not self.feminine and not self._elides:
            return f"au {self.head}"
        return f"à {self.definite}"

    @property
    def _elides(self) -> bool:
        return starts_with_vowel_sound(self.head) if self.elision is None else self.elision

    def agree(self, word: str) -> str:
        """Agree an adjective or past participle with this phrase: 'lancé' → 'lancée'."""
        return agree(word, self.gender, self.number)

    @property
    def pronoun(self) -> str:
        return {
            (False, False): "il",
            (True, False): "elle",
            (False, True): "ils",
            (True, True): "elles",
        }[(self.feminine, self.plural)]

    @property
    def possessive(self) -> str:
        """Possessive determiner for a following masculine-or-vowel noun: 'son'/'leur'."""
        return "leur" if self.plural else "son"

    def verb(self, singular: str, plural: str) -> str:
        return plural if self.plural else singular


_FEMININE_DETERMINERS = {"la", "une", "cette"}
_MASCULINE_DETERMINERS = {"le", "un", "ce", "cet", "du", "au"}
_PLURAL_DETERMINERS = {"les", "des", "ces", "aux", "leurs", "plusieurs"}
_DETERMINER = re.compile(r"^(?P<det>[a-zàâéèêç]+)(?: |(?<=l)’|(?<=l)')", re.IGNORECASE)


@dataclass(frozen=True)
class Inferred:
    """Gender and number of a noun phrase, and what they were inferred from."""

    gender: Gender
    number: GrammaticalNumber
    source: str  # 'article “la”', 'lexicon: ville (f)', 'default'


def head_noun(text: str) -> str:
    """The noun after the determiner: 'la ville de Brest' → 'ville'."""
    text = text.replace("'", APOSTROPHE).strip()
    match = re.match(r"^(?:l’|(?:les|le|la|un|une|des|du|ce|cet|cette|ces) )", text, re.I)
    rest = text[match.end() :] if match else text
    return re.split(r"[\s,(]", rest, maxsplit=1)[0]


def infer_grammar(text: str) -> Inferred:
    """Gender and number of a noun phrase from its determiner, else its head noun in the
    lexicon (pyRealB's and the project's; loaded only when the determiner does not say)."""
    text = text.replace("'", APOSTROPHE).strip()
    match = _DETERMINER.match(text)
    det = match["det"] if match else ""  # lower-case only: "La Rochelle" is a name
    plural = det in _PLURAL_DETERMINERS
    number = GrammaticalNumber.plural if plural else GrammaticalNumber.singular
    if det in _FEMININE_DETERMINERS:
        return Inferred(Gender.feminine, number, f"article « {det} »")
    if det in _MASCULINE_DETERMINERS:
        return Inferred(Gender.masculine, number, f"article « {det} »")
    from laureate_writer.realiser import noun_gender  # lazy: loads pyRealB

    head = head_noun(text)
    found = noun_gender(head) if head else None
    if found is None and plural and head[-1:] in ("s", "x"):
        head = head[:-1]  # 'tiers-lieux' → 'tiers-lieu'
        found = noun_gender(head)
    if found:
        source = f"lexicon: {head} ({found})" + (f", article « {det} »" if plural else "")
        return Inferred(Gender(found), number, source)
    return Inferred(Gender.masculine, number, "default (name not in the lexicon)")


def agree(word: str, gender: Gender, number: GrammaticalNumber = GrammaticalNumber.singular) -> str:
    """Regular agreement of adjectives and past participles (lancé, conçu, mis, ouvert)."""
    feminine = gender == Gender.feminine
    plural = number == GrammaticalNumber.plural
    out = word
    if feminine and not out.endswith("e"):
        out += "e"
    if plural and not out.endswith(("s", "x")):
        out += "s"
    return out


def capitalize(text: str) -> str:
    """Upper-case the first letter only ('à Brest' → 'À Brest'), keeping the rest as is."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
    return text


def join(items: Iterable[str], last: str = "et") -> str:
    """'a', 'a et b', 'a, b et c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def group_digits(digits: str) -> str:
    """'160000' → '160 000' with narrow no-break spaces; four digits group too (3 000)."""
    if len(digits) <= 3:
        return digits
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NNBSP.join(groups)


def format_number(value: float) -> str:
    """French digits: 3 000, 1 629, 2,5. Never applied to years or identifiers."""
    if float(value).is_integer():
        return group_digits(str(int(value)))
    whole, frac = f"{value:.10g}".split(".")
    return f"{group_digits(whole)},{frac}"


def number_in_words(value: int, *, feminine: bool = False) -> str:
    """French numeral in words ('vingt et un', 'quatre-vingts'; 'une' when feminine)."""
    from num2words import num2words  # imported lazily: it loads every language

    words = num2words(value, lang="fr")
    if feminine and (words == "un" or words.endswith(" et un")):
        words = words[:-2] + "une"
    return words


def format_figure(value: float, unit: str | None = None, *, words_below: int = 0) -> str:
    """A quantity as house style writes it: '3 000', '63 %', '20 €', 'trois'.

    ``words_below`` writes whole numbers under that bound in words (house rule for small
    counts without a unit).
    """
    if unit is None and float(value).is_integer() and 0 < value < words_below:
        return number_in_words(int(value))
    number = format_number(value)
    if unit is None:
        return number
    return f"{number}{NBSP}{unit}"


def ordinal(value: int, gender: Gender = Gender.feminine) -> str:
    """'21e', '1er' / '1re'."""
    if value == 1:
        return "1re" if gender == Gender.feminine else "1er"
    return f"{value}e"


def quote(text: str) -> str:
    """French quotation marks with no-break spaces inside."""
    return f"«{NBSP}{text}{NBSP}»"


_UNIT_SPACE = re.compile(
    r"(?<=\d)[ \u202f]?(%|€|h\b|km\b|kg\b|m²|(?:semaines?|mois|jours?|ans|heures?|minutes?)\b)"
)
_PHONE = re.compile(r"\b0\d(?:[ \u00a0.][0-9]{2,3}){3,4}\b")
_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]*([:;!?»])")
_SPACE_AFTER_OPEN = re.compile(r"«[ \u00a0\u202f]*")


def typeset(text: str) -> str:
    """Apply the house's French spacing to text written by templates and dossier notes:
    typographic apostrophes, no-break spaces before : ; ! ? » and after «.
    (The style engine does the full job on any text; this is the writers' minimum.)"""
    text = text.replace("'", APOSTROPHE)
    text = unicodedata.normalize("NFC", text)

    def before(match: re.Match[str]) -> str:
        mark = match.group(1)
        if mark == ":" and _is_url_colon(match):
            return match.group(0)
        return (NBSP if mark in ":»" else NNBSP) + mark

    text = _SPACE_BEFORE.sub(before, text)
    text = _UNIT_SPACE.sub(NBSP + r"\1", text)
    text = _PHONE.sub(lambda m: re.sub(r"[ .]", NBSP, m.group(0)), text)
    return _SPACE_AFTER_OPEN.sub("«" + NBSP, text)


def _is_url_colon(match: re.Match[str]) -> bool:
    rest = match.string[match.end() :]
    return rest.startswith("//") or (
        rest[:1].isdigit() and match.start() > 0 and match.string[match.start() - 1].isdigit()
    )


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"
