"""The one configuration file: ``laureate-writer.toml``, or a ``[tool.laureate-writer]``
table in ``pyproject.toml``, found by walking up from the working folder (the nearest
wins, as ruff and pytest do). ``LW_CONFIG`` names a file explicitly.

Relative paths in the file (style, prompts, template…) are read from the file's folder,
so a command run from a subfolder finds the same files. Problems are located like a
dossier's: ``file:line:col: key: message``.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laureate_writer.loading import InputError, read_text

CONFIG_FILE = "laureate-writer.toml"
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "laureate-writer")
ENV_VAR = "LW_CONFIG"

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class ConfigFile:
    """A configuration found on disk: the path, its settings (the table's content for
    pyproject.toml) and the text, for locating keys."""

    path: Path
    data: dict[str, Any]
    table: tuple[str, ...]
    text: str

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def name(self) -> str:
        """The path as people should read it: relative to the working folder when shorter."""
        return _display(self.path)

    def position(self, loc: tuple[str | int, ...]) -> tuple[int, int]:
        """Line and column of the key ``loc`` (e.g. ``("check", "exclude")``); the table's
        header, or 1:1, when the key is not written in the file."""
        want = tuple(str(p) for p in loc if not isinstance(p, int))
        if not want:
            return 1, 1
        table: tuple[str, ...] = ()
        fallback = (1, 1)
        for number, line in enumerate(self.text.splitlines(), 1):
            header = _HEADER.match(line)
            if header:
                table = tuple(_unquote(p) for p in header.group(1).split("."))
                if table == (*self.table, *want[:-1]):
                    fallback = (number, 1)
                continue
            key = re.match(r"(\s*)([A-Za-z0-9_\-\".' ]+?)\s*=", line)
            if not key:
                continue
            dotted = tuple(_unquote(p) for p in key.group(2).split("."))
            if (*table, *dotted) == (*self.table, *want):
                return number, len(key.group(1)) + 1
        return fallback


def _display(path: Path) -> str:
    relative = os.path.relpath(path)
    return relative if len(relative) < len(str(path)) else str(path)


def _unquote(part: str) -> str:
    return part.strip().strip("\"'")


def _parse(path: Path, table: tuple[str, ...]) -> ConfigFile | None:
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.search(message)
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        message = _TOML_POSITION.sub("", message)
        raise InputError.single(
            _display(path), f"erreur de syntaxe TOML : {_toml_problem(message)}", line, col
        ) from None
    for part in table:
        data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return None
    if not isinstance(data, dict):
        return None
    return ConfigFile(path.resolve(), data, table, text)


_TOML_PROBLEMS = (  # tomllib's reasons, as people read them
    ("Invalid value", "valeur invalide (un texte s’écrit entre guillemets)"),
    ("Expected '=' after a key", "« = » attendu après la clé"),
    ("Cannot overwrite a value", "clé définie deux fois"),
    ("Cannot declare", "table déclarée deux fois"),
    ("Unclosed array", "liste non fermée"),
    ("Unclosed inline table", "table non fermée"),
    ("Unterminated string", "chaîne non fermée"),
    ("Invalid statement", "ligne invalide"),
    ("Expected newline or end of document", "texte inattendu après la valeur"),
    ("Invalid initial character for a key part", "nom de clé invalide"),
    ("Illegal character", "caractère interdit"),
)


def _toml_problem(message: str) -> str:
    return next((fr for en, fr in _TOML_PROBLEMS if en in message), "syntaxe invalide")


def find_config(start: str | Path | None = None) -> ConfigFile | None:
    """The configuration that applies in ``start`` (default: the working folder): the
    ``LW_CONFIG`` file, else the nearest ``laureate-writer.toml`` or ``pyproject.toml``
    with a ``[tool.laureate-writer]`` table, looking in ``start`` then each parent."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        path = Path(explicit)
        table = TABLE if path.name == PYPROJECT else ()
        found = _parse(path, table)
        if found is None:
            raise InputError.single(explicit, "pas de table [tool.laureate-writer] dans ce fichier")
        return found
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return _parse(own, ())
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and "laureate-writer" in _peek(pyproject):
            found = _parse(pyproject, TABLE)
            if found is not None:
                return found
    return None


def _peek(path: Path) -> str:
    # Most pyproject.toml files on the way up are not ours: skip parsing those.
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
