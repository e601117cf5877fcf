"""Click's and typer's own words (usage errors, help headings) in French, like every
other message for people. Typer looks its headings up through ``gettext`` as a
module-level ``_``; :func:`install` points that at this table whatever the locale. The
click that typer vendors writes its usage errors with plain f-strings: their display is
replaced (:func:`usage_message` rewords the known ones). Anything not known is shown as
the library wrote it."""

from __future__ import annotations

import re
import sys
from typing import IO, Any

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
    "No such command {name!r}.": "commande inconnue « {name} »",
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


HELP_OPTION = "Affiche cette aide."

_CHOICES = r"'([^']*)' is not one of (.*?)\.?"
_USAGE = (  # the vendored click's messages → French
    (re.compile(r"^Missing argument '(.+)'\.$"), "argument manquant : « {0} »"),
    (re.compile(r"^Missing option '(.+?)'\.?.*$"), "option manquante : « {0} »"),
    (re.compile(r"^Missing parameter:? ?(.*)$"), "paramètre manquant {0}"),
    (re.compile(r"^No such option: (\S+) \(Possible options: (.+)\)$"),
     "option inconnue : {0} (options possibles : {1})"),
    (re.compile(r"^No such option: (\S+)$"), "option inconnue : {0}"),
    (re.compile(r"^No such command '(.+)'\.?$"), "commande inconnue : « {0} »"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$"),
     "argument en trop : {0}"),
    (re.compile(r"^Option '(.+)' requires an argument\.?$"), "l’option {0} demande une valeur"),
    (re.compile(r"^Option '(.+)' requires (\d+) arguments\.?$"),
     "l’option {0} demande {1} valeurs"),
    (re.compile(r"^Option '(.+)' does not take a value\.?$"),
     "l’option {0} ne prend pas de valeur"),
    (re.compile(r"^Invalid value for '(.+?)': (?:Value error, )?" + _CHOICES + "$"),
     "valeur invalide pour {0} : « {1} » ; valeurs possibles : {2}"),
    (re.compile(r"^Invalid value for '(.+?)': .*valid integer.*$"),
     "valeur invalide pour {0} : un nombre entier est attendu"),
    (re.compile(r"^Invalid value for '(.+?)': .*valid number.*$"),
     "valeur invalide pour {0} : un nombre est attendu"),
    (re.compile(r"^Invalid value for '(.+?)': .*valid boolean.*$"),
     "valeur invalide pour {0} : true ou false est attendu"),
    (re.compile(r"^Invalid value for '(.+?)': (?:Value error, )?(.*)$"),
     "valeur invalide pour {0} : {1}"),
    (re.compile(r"^Invalid value: (.*)$"), "valeur invalide : {0}"),
)  # fmt: skip


def usage_message(message: str) -> str:
    """A usage error of the vendored click, as people read it (unknown ones unchanged)."""
    for pattern, french in _USAGE:
        if found := pattern.match(message):
            groups = [g.replace("' or '", ", ").replace("', '", ", ").strip("'") for g in
                      found.groups()]  # fmt: skip
            return french.format(*groups).rstrip()
    return message


def _show_usage_error(self: Any, file: IO[str] | None = None) -> None:
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    file = file or get_text_stderr()
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = f"Aide : {ctx.command_path} {ctx.help_option_names[0]}\n"
        echo(f"{ctx.get_usage()}\n{hint}", file=file, color=ctx.color)
    echo(f"Erreur : {usage_message(self.format_message())}", file=file)


def _write_heading(self: Any, heading: str) -> None:
    self.write(f"{'':>{self.current_indent}}{heading} :\n")  # French: a space before ":"


def _write_usage(original: Any) -> Any:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, "Usage : " if prefix is None else prefix)

    return write_usage


def _help_option(original: Any) -> Any:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    get_help_option._french = True  # type: ignore[attr-defined]
    return get_help_option


def install() -> None:
    """Point typer's lookups at the French table, and the vendored click's usage errors
    and usage line at French ones (idempotent)."""
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        from typer._click import core, exceptions, formatting
    except ImportError:  # a typer that does not vendor click: gettext covers it
        return
    if not getattr(core.Command.get_help_option, "_french", False):
        core.Command.get_help_option = _help_option(core.Command.get_help_option)  # type: ignore[method-assign]
    exceptions.ClickException.show = _show_usage_error  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    formatter = formatting.HelpFormatter
    if not getattr(formatter.write_usage, "_french", False):
        formatter.write_usage = _write_usage(formatter.write_usage)  # type: ignore[method-assign]
        formatter.write_usage._french = True  # type: ignore[attr-defined]
        formatter.write_heading = _write_heading  # type: ignore[method-assign]
