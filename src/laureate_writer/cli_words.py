"""Click's and typer's own words (usage errors, help headings) in French, like every
other message for people. Both libraries look their strings up through ``gettext`` as a
module-level ``_`` / ``ngettext``; :func:`install` points those at this table whatever the
locale, so the command line speaks one language. A string not in the table is shown as
the library wrote it."""

from __future__ import annotations

import sys

WORDS = {
    "Usage:": "Usage :",
    "Options": "Options",
    "Arguments": "Arguments",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Affiche cette aide.",
    "Show the version and exit.": "Affiche la version.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : {command} {option}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "Missing command.": "Commande manquante.",
    "No such option: {name}": "Option inconnue : {name}",
    "No such option {name!r}.": "Option inconnue « {name} ».",
    "No such command {name!r}.": "Commande inconnue « {name} ».",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Option {name!r} does not take a value.": "L’option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L’argument « {name} » prend {nargs} valeurs.",
    "Aborted!": "Interrompu.",
    "required": "obligatoire",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d’environnement : {var}",
    "(dynamic)": "(dynamique)",
    "deprecated": "obsolète",
    "file": "fichier",
    "directory": "répertoire",
    "path": "chemin",
    "Choose from:\n\t{choices}": "Au choix :\n\t{choices}",
    "{value} is not in the range {range}.": "{value} n’est pas dans l’intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} n’est pas un booléen. Valeurs reconnues : {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} n’est pas un nombre valide.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un répertoire.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} illisible (droits).",
    "Could not open file {filename!r}: {message}": "{filename!r} illisible : {message}",
    "unknown error": "erreur inconnue",
}
PLURALS = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l’un de : {possibilities} ?)",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} n’est pas {choice}.",
        "{value!r} n’est pas l’une des valeurs {choices}.",
    ),
    "Option {name!r} requires an argument.": (
        "L’option « {name} » demande une valeur.",
        "L’option « {name} » demande {nargs} valeurs.",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Demande {nargs} valeurs, 1 donnée.",
        "Demande {nargs} valeurs, {len} données.",
    ),
}
_MODULES = (
    "click.core",
    "click.exceptions",
    "click.formatting",
    "click.decorators",
    "click.types",
    "click.parser",
    "typer.core",
    "typer.main",
)


def gettext(message: str) -> str:
    return WORDS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        one, many = PLURALS[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


def install() -> None:
    """Point click's and typer's lookups at the French table (idempotent)."""
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
