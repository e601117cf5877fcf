"""French text helpers shared by claim extraction and the dossier index.

Everything here is typography-insensitive by design: apostrophes (' ’), the three spaces
French typography uses (U+0020, U+00A0, U+202F), dashes, ligatures (œ) and accents are
folded the same way on the draft side and on the dossier side, so a fact matches however
either side was typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from laureate_writer.dossier import MONTHS

SPACE = (
    " \u00a0\u202f\u2009\t"  # the spaces French typography puts inside figures and before ; : % €
)
SP = "[ \u00a0\u202f\u2009]"  # one such space, in regexes
APOS = "'’ʼ"
LETTER = r"[^\W\d_]"

_FOLD_TABLE = str.maketrans(
    {
        "’": "'",
        "ʼ": "'",
        "‘": "'",
        "`": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "–": "-",
        "—": "-",
        "‑": "-",
        "‐": "-",
        "œ": "oe",
        "Œ": "Oe",
        "æ": "ae",
        "Æ": "Ae",
        "“": '"',
        "”": '"',
    }
)


def words(text: str) -> list[str]:
    """A word list written as one string (lexicons below)."""
    return text.split()


def fold(text: str) -> str:
    """Typography fold: one apostrophe, space and dash, no ligatures; case and accents kept."""
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=8192)
def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Word tokens: letters/digits with inner hyphens; apostrophes split elisions (d’Île → d, Île).
TOKEN = re.compile(r"[^\W_](?:\w|[-‑](?=\w))*")

# Single letters left by elision (l’, d’, qu’…) carry no meaning for matching names.
_ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"})


@lru_cache(maxsize=65536)
def norm_word(word: str) -> str:
    """Lowercase, accent-free, ligature-free form of one word."""
    return strip_accents(fold(word).lower())


def norm_tokens(text: str) -> list[str]:
    """Normalised content tokens of ``text``: elision letters dropped, hyphens split."""
    out: list[str] = []
    for match in TOKEN.finditer(fold(text)):
        for part in norm_word(match.group()).split("-"):
            if part and part not in _ELIDED:
                out.append(part)
    return out


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A crude French stem for matching the noun after a figure: accents, plural, feminine off."""
    w = norm_word(word)
    if len(w) > 3 and w[-1] in "sx":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def format_number(value: float) -> str:
    """French display: 3 000 (U+202F grouping), 2,5."""
    if float(value).is_integer():
        digits = f"{int(value):,}".replace(",", "\u202f")
        return digits
    return f"{value:,.3f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")


MONTH_NUMBER = {norm_word(m): i + 1 for i, m in enumerate(MONTHS)}
MONTH_RE = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre"
    r"|d[ée]cembre)"
)

# Measure units: canonical symbol ← spellings (lowercase, accent-free for words).
UNITS: dict[str, str] = {
    "%": "%",
    "pour cent": "%",
    "pourcent": "%",
    "pourcents": "%",
    "pour-cent": "%",
    "€": "€",
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "h": "h",
    "heure": "h",
    "heures": "h",
    "min": "min",
    "minute": "min",
    "minutes": "min",
    "seconde": "s",
    "secondes": "s",
    "j": "jour",
    "jour": "jour",
    "jours": "jour",
    "semaine": "semaine",
    "semaines": "semaine",
    "mois": "mois",
    "an": "an",
    "ans": "an",
    "annee": "an",
    "annees": "an",
    "km": "km",
    "kilometre": "km",
    "kilometres": "km",
    "m": "m",
    "metre": "m",
    "metres": "m",
    "m2": "m²",
    "m²": "m²",
    "km2": "km²",
    "km²": "km²",
    "ha": "ha",
    "hectare": "ha",
    "hectares": "ha",
    "kg": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "kilogramme": "kg",
    "kilogrammes": "kg",
    "tonne": "t",
    "tonnes": "t",
    "litre": "l",
    "litres": "l",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "kw": "kW",
    "mw": "MW",
    "mwc": "MWc",
    "kwc": "kWc",
}

UNIT_WORDS_RE = (
    r"(?:pour[ -]cents?|pourcents?|%|€|k€|M€|euros?|EUR|heures?|h|minutes?|min|secondes?"
    r"|jours?|j|semaines?|mois|ans|an|ann[ée]es?|kilom[èe]tres?|km²|km2|km|m[èe]tres?|m²|m2|m"
    r"|hectares?|ha|kilogrammes?|kilos?|kg|tonnes?|litres?|kWh|MWh|GWh|kWc|MWc|kW|MW)"
)


def canon_unit(text: str | None) -> str | None:
    """Canonical unit of a spelling ('semaines' → 'semaine', 'euros' → '€'), else None."""
    if not text:
        return None
    key = norm_word(text.strip())
    if key in ("k€", "m€"):
        return "€"
    return UNITS.get(key) or UNITS.get(text.strip())


# Adjectives that may sit between a figure and its noun ("trois premiers mois").
SKIPPED_ADJECTIVES = frozenset(
    norm_word(w)
    for w in words(
        "premiers premières derniers dernières prochains prochaines nouveaux nouvelles "
        "autres seuls seules petits petites grands grandes bons bonnes longs longues courts "
        "courtes pleins pleines entiers entières gros grosses jeunes vieux anciens anciennes "
        "principaux principales"
    )
)

# Words that can follow a figure without being its noun.
NON_NOUNS = frozenset(
    norm_word(w)
    for w in words(
        "a à au aux de des du d en et ou ni pour par sur sous dans avec sans chez entre vers "
        "dont qui que quoi où le la les l un une ce ces cet cette son sa ses leur leurs "
        "mon ma mes ton ta tes notre nos votre vos y se s ne n il ils elle elles on nous vous "
        "est sont ont a été était étaient sera seront fut avait avaient ont-ils "
        "plus moins fois aussi déjà encore seulement environ près après avant depuis pendant "
        "lors dès contre selon puis mais car donc or si comme quand lorsque parmi via jusqu "
        "ainsi alors enfin notamment également toutefois cependant"
    )
)

# Nouns too generic to accuse a figure of being misattributed ("891 personnes …").
GENERIC_NOUNS = frozenset(
    stem(w)
    for w in words(
        "personnes habitants usagers participants bénéficiaires gens individus citoyens "
        "membres utilisateurs publics cas fois"
    )
)

# Capitalised words that begin sentences without being names.
FUNCTION_WORDS = frozenset(
    norm_word(w)
    for w in words(
        "le la les l un une des de du d en au aux à a pour par avec sans dans sur sous chez "
        "entre vers depuis après avant pendant lors dès contre selon via parmi outre malgré "
        "enfin mais et ou donc or ni car si quand lorsque puis comme afin ainsi aussi alors "
        "ce cet cette ces ceci cela ça celui celle ceux celles son sa ses leur leurs mon ma "
        "mes notre nos votre vos il ils elle elles on nous vous je tu y qui que quoi où dont "
        "quel quelle quels quelles chaque tout toute tous toutes plus moins très trop bien "
        "déjà désormais ici là toutefois cependant pourtant néanmoins également notamment "
        "grâce face hors près loin autour côté dorénavant aujourd hier demain ensuite puisque "
        "certes surtout seul seule seuls seules non oui car voici voilà c qu s n j m t"
    )
)

# Titles that end with a full stop without ending the sentence ("M. Dupont").
TITLES = frozenset({"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste"})

# Qualifiers before a figure, by meaning. "Safely weaker" (see trace.py) is decided on these.
QUALIFIERS: dict[str, str] = {
    "plus de": "above",
    "plus d'": "above",
    "un peu plus de": "above",
    "au-dela de": "above",
    "au moins": "at_least",
    "pas moins de": "at_least",
    "au minimum": "at_least",
    "pres de": "near",
    "presque": "near",
    "quasiment": "near",
    "pas loin de": "near",
    "a peine": "near",
    "environ": "about",
    "quelque": "about",
    "autour de": "about",
    "a peu pres": "about",
    "approximativement": "about",
    "jusqu'a": "up_to",
    "moins de": "below",
    "moins d'": "below",
}
# How a report names each qualifier class.
QUALIFIER_WORDS = {
    "above": "plus de",
    "at_least": "au moins",
    "near": "près de",
    "about": "environ",
    "up_to": "jusqu’à",
    "below": "moins de",
}
# Units that make a figure a duration rather than a measure.
TIME_UNITS = frozenset({"h", "min", "s", "jour", "semaine", "mois", "an"})

NAME_CONNECTORS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l"})

SENTENCE_END = re.compile(r"[.!?…:;]")
