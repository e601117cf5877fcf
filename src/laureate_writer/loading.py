"""Reading dossier and edition files (YAML or JSON) with errors that point at the source.

Every failure becomes an :class:`InputError` whose one-line form is
``path:line:column: field.path: message``, the form editors and CI parse.
YAML is composed node by node so that each value keeps its position; aliases are
refused outright (dossiers never need them, and they are the vector of alias bombs).
"""

from __future__ import annotations

import difflib
import errno
import json
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

if TYPE_CHECKING:  # pydantic is imported where a model is validated: not at start-up
    from pydantic import BaseModel

MAX_FILE_BYTES = 1_000_000  # a dossier is a few kilobytes; this stops runaway inputs early
MAX_DEPTH = 32

Location = tuple[int | str, ...]
M = TypeVar("M", bound="BaseModel")


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        # one line whatever a key or a value holds: control characters shown escaped
        return _one_line(
            f"{self.path}:{self.line}:{self.column}: {self.field or '(document)'}: {self.message}"
        )


_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    return _CONTROL_CHARS.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


@dataclass
class InputError(Exception):
    """Bad input: one or more located problems. The CLI prints them and exits with code 2."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(
        cls, path: str, message: str, line: int = 1, column: int = 1, field: str = ""
    ) -> InputError:
        return cls([Problem(path, line, column, field, message)])


def format_location(loc: Location) -> str:
    """``('results', 1, 'value')`` → ``results[1].value``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- YAML composition with positions -------------------------------------------------


ALIAS_REFUSED = "alias YAML (*nom) interdit"


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, ALIAS_REFUSED, event.start_mark)
        return super().compose_node(parent, index)


@dataclass
class Document:
    """Parsed data plus where each value came from (1-based line and column)."""

    path: str
    data: Any
    positions: dict[Location, tuple[int, int]]
    key_positions: dict[Location, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Location, *, key: bool = False) -> tuple[int, int]:
        """Position of ``loc`` (of its key when ``key``), or of its nearest located ancestor."""
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return (1, 1)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _SharedNode(Exception):
    """A node reached twice: the document uses an alias (only the C composer lets one
    through; the pure-Python pass then reports it precisely)."""


def _build(
    node: yaml.Node,
    loader: Any,
    loc: Location,
    doc: Document,
    depth: int = 0,
    seen: set[int] | None = None,
) -> Any:
    if depth > MAX_DEPTH:
        raise InputError.single(doc.path, "document trop imbriqué", *_mark(node))
    if seen is not None:
        if id(node) in seen:
            raise _SharedNode
        seen.add(id(node))
    doc.positions[loc] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError.single(
                    doc.path,
                    "une clé doit être un nom simple",
                    *_mark(key_node),
                    field=format_location(loc),
                )
            key = _construct(key_node, loader, doc, loc)
            if not isinstance(key, str):
                # `true:`, `1.5:`, `~:`, `2020-01-01:` are keys as written, so the message
                # names what the editor typed, at its place (schemas have no other keys)
                key = key_node.value
            if key == "<<":
                raise InputError.single(
                    doc.path,
                    "clé de fusion YAML (<<) interdite",
                    *_mark(key_node),
                    field=format_location(loc),
                )
            child = (*loc, key)
            if key in out:
                raise InputError.single(
                    doc.path, "clé en double", *_mark(key_node), field=format_location(child)
                )
            doc.key_positions[child] = _mark(key_node)
            out[key] = _build(value_node, loader, child, doc, depth + 1, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, loader, (*loc, i), doc, depth + 1, seen)
            for i, item in enumerate(node.value)
        ]
    return _construct(node, loader, doc, loc)


def _construct(node: yaml.Node, loader: Any, doc: Document, loc: Location) -> Any:
    try:
        return loader.construct_object(node)
    except ValueError as exc:  # an integer of 5 000 digits, a date like 2020-13-45
        raise InputError.single(
            doc.path, unreadable_value(exc), *_mark(node), field=format_location(loc)
        ) from None


def unreadable_value(exc: ValueError) -> str:
    """Python's reason for a value it cannot build, as people read it."""
    if "digits" in str(exc):
        return "valeur illisible : nombre trop long"
    return (
        "valeur illisible : date impossible" if "must be in" in str(exc) else ("valeur illisible")
    )


_CLoader = getattr(yaml, "CSafeLoader", None)


def _parse_yaml_fast(path: str, text: str) -> Document | None:
    """libyaml's composer, about twenty times faster; None whenever anything is unusual
    (a syntax error, an alias, no libyaml), so the careful pass below says what."""
    if _CLoader is None:
        return None
    doc = Document(path, None, {})
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        doc.data = _build(node, loader, (), doc, seen=set())
    except (yaml.YAMLError, _SharedNode, InputError, RecursionError):
        return None
    finally:
        loader.dispose()
    return doc


def check_depth(
    path: str, text: str, *, line_offset: int = 0, max_depth: int = MAX_DEPTH, aliases: bool = True
) -> None:
    """Refuse a YAML (or JSON) text nested deeper than ``max_depth`` (and, unless
    ``aliases``, one using an alias), reading its events: the parser keeps a stack; only
    the composer recurses, and would crash on 3 000 levels. A syntax error is left for
    the composing pass to report."""
    depth = 0
    mark = None
    try:
        for event in yaml.parse(text, Loader=_CLoader or yaml.SafeLoader):
            if not aliases and isinstance(event, yaml.AliasEvent):
                line, column = event.start_mark.line + 1, event.start_mark.column + 1
                raise InputError.single(path, ALIAS_REFUSED, line + line_offset, column)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    mark = event.start_mark
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml's scanner looks ahead and stops at 1 000 levels on its own
        if "nesting depth" not in str(exc.problem):
            return
        mark = exc.problem_mark
    except yaml.YAMLError:
        return
    if mark is not None:
        line, column = mark.line + 1 + line_offset, mark.column + 1
        raise InputError.single(path, f"imbriqué sur plus de {max_depth} niveaux", line, column)


def _parse_yaml(path: str, text: str) -> Document:
    check_depth(path, text)
    if (fast := _parse_yaml_fast(path, text)) is not None:
        return fast
    doc = Document(path, None, {})
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line, column = _line_col(text, exc.position)
        message = f"caractère U+{char:04X} interdit en YAML (caractère de contrôle)"
        raise InputError.single(path, message, line, column) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError.single(path, "fichier vide")
        doc.data = _build(node, loader, (), doc)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = yaml_problem(exc.problem, exc.context)
        said = problem if problem == ALIAS_REFUSED else f"{SYNTAX_ERROR} YAML : {problem}"
        raise InputError.single(path, said, line, col) from None
    except yaml.YAMLError:
        raise InputError.single(path, f"{SYNTAX_ERROR} YAML") from None
    finally:
        loader.dispose()
    return doc


def load_yaml_text(path: str, text: str, *, first_line: int = 1) -> Any:
    """The data of the YAML front matter that starts at line ``first_line`` of ``path``
    (an article's), read with the same limits as a dossier: no aliases, bounded
    depth, located errors. An empty text is None."""
    if not text.strip():
        return None
    try:
        return _parse_yaml(path, text).data
    except InputError as exc:
        shifted = [
            replace(p, line=p.line + first_line - 1, message=_front_matter_message(p.message))
            for p in exc.problems
        ]
        raise InputError(shifted) from None


def _front_matter_message(message: str) -> str:
    if message.startswith(SYNTAX_ERROR):
        return message.replace("YAML", "YAML du front matter", 1)
    return f"front matter : {message}"


SYNTAX_ERROR = "erreur de syntaxe"

# PyYAML's and json's reasons, as people read them (anything else: "syntaxe invalide")
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "« : » inattendu (mettez la valeur entre guillemets)"),
    ("could not find expected ':'", "« : » attendu après la clé"),
    ("expected ',' or ']'", "« , » ou « ] » attendu"),
    ("expected ',' or '}'", "« , » ou « } » attendu"),
    ("cannot start any token", "caractère inattendu (une tabulation ? indentez avec des espaces)"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    ("found unknown escape character", "séquence d’échappement inconnue"),
    ("expected <block end>", "indentation incohérente"),
    ("expected a comment or a line break", "texte inattendu après la valeur"),
    ("found unhashable key", "clé invalide"),
    ("expected <document start>", "plusieurs documents dans un fichier"),
    ("expected a single document", "plusieurs documents dans un fichier"),
    ("found undefined alias", ALIAS_REFUSED),
    (ALIAS_REFUSED, ALIAS_REFUSED),
    ("while scanning an anchor", "ancre YAML (&nom) invalide"),
)
_JSON_PROBLEMS = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "« , » attendu",
    "Expecting ':' delimiter": "« : » attendu",
    "Expecting property name enclosed in double quotes": 'nom de champ attendu (entre " ")',
    "Unterminated string starting at": "chaîne non fermée",
    "Extra data": "texte après la fin du document",
    "Invalid control character at": "caractère de contrôle dans une chaîne",
    "Invalid \\escape": "séquence d’échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
}


def yaml_problem(*parts: str | None) -> str:
    said = " ".join(str(p) for p in parts if p)
    for english, french in _YAML_PROBLEMS:
        if english in said:
            return french
    return "syntaxe invalide"


def _json_problem(message: str) -> str:
    return _JSON_PROBLEMS.get(message, "syntaxe invalide")


def _parse_json(path: str, text: str) -> Document:
    check_depth(path, text)
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError.single(path, f"imbriqué sur plus de {MAX_DEPTH} niveaux") from None
    except json.JSONDecodeError as exc:
        raise InputError.single(
            path, f"{SYNTAX_ERROR} JSON : {_json_problem(exc.msg)}", exc.lineno, exc.colno
        ) from None
    except ValueError as exc:  # an integer of 5 000 digits
        raise InputError.single(path, unreadable_value(exc)) from None
    # JSON is (practically) YAML: compose it again only to learn positions for messages.
    try:
        located = _parse_yaml(path, text)
    except InputError:
        return Document(path, data, {})
    return Document(path, data, located.positions, located.key_positions)


# --- Reading files -----------------------------------------------------------------------


STDIN = "-"  # the file name that means standard input, as in every Unix tool
_stdin_read: dict[int, bytes] = {}


def _stdin_bytes(max_bytes: int) -> bytes:
    """Standard input, read once per stream (an edition given as ``-`` is read twice)."""
    stream = sys.stdin.buffer
    if id(stream) not in _stdin_read:
        _stdin_read.clear()
        _stdin_read[id(stream)] = stream.read(max_bytes + 1)
    data = _stdin_read[id(stream)]
    if len(data) > max_bytes:
        raise InputError.single(STDIN, f"entrée trop volumineuse (limite : {max_bytes / 1e6:g} Mo)")
    return data


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``: every file the tool reads goes
    through here. The size is counted while reading (``st_size`` is 0 for ``/dev/zero``
    and FIFOs), and anything but a regular file is refused before a byte is read."""
    name = str(path)
    if name == STDIN:
        return _stdin_bytes(max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not hang (refused just below)
        fd = os.open(path, flags)
    except ValueError:
        raise InputError.single(name, "le nom de fichier contient un octet NUL") from None
    except OSError as exc:
        raise InputError.single(name, _os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError.single(name, IS_A_FOLDER)
        if not stat.S_ISREG(info.st_mode):
            raise InputError.single(name, NOT_REGULAR)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise InputError.single(
                    name, f"fichier trop volumineux (limite : {max_bytes / 1e6:g} Mo)"
                )
        return b"".join(chunks)
    except OSError as exc:
        raise InputError.single(name, _os_reason(exc)) from None
    finally:
        os.close(fd)


IS_A_FOLDER = "est un répertoire, pas un fichier"
NOT_REGULAR = "pas un fichier ordinaire (périphérique, tube ou socket)"
NO_SUCH_FILE = "fichier introuvable"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return NO_SUCH_FILE
    if isinstance(exc, IsADirectoryError):
        return IS_A_FOLDER
    if exc.errno == errno.ENAMETOOLONG:
        return "nom de fichier trop long"
    return f"lecture impossible : {os_reason(exc)}"


def os_reason(exc: OSError) -> str:
    """Why the system refused, as people read it (strerror follows the C locale)."""
    reasons = {
        errno.EACCES: "droits insuffisants",
        errno.EPERM: "droits insuffisants",
        errno.ENOSPC: "disque plein",
        errno.EROFS: "système de fichiers en lecture seule",
        errno.EDQUOT: "quota dépassé",
        errno.ENOENT: "fichier ou répertoire introuvable",
        errno.ENOTDIR: "un élément du chemin n’est pas un répertoire",
        errno.EISDIR: IS_A_FOLDER,
        errno.EBUSY: "fichier occupé",
        errno.EIO: "erreur d’entrée-sortie",
        errno.ECONNREFUSED: "connexion refusée",
        errno.ETIMEDOUT: "délai dépassé",
        errno.EHOSTUNREACH: "hôte injoignable",
        errno.ENETUNREACH: "réseau injoignable",
        errno.EADDRINUSE: "adresse déjà utilisée",
        errno.EADDRNOTAVAIL: "adresse indisponible",
    }
    if type(exc).__name__ == "gaierror":
        return "nom d’hôte inconnu"
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (a BOM is dropped) with line ends made ``\n`` and characters in NFC, so a
    CRLF file or a decomposed ``É`` reads exactly like its plain twin; a NUL byte is
    refused (no text format of ours holds one)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw, exc.start)
        raise InputError.single(
            name,
            f"pas en UTF-8 valide (octet 0x{raw[exc.start]:02x}) ; enregistrez le fichier en UTF-8",
            line,
            column,
        ) from None
    _refuse_nul(name, text)
    return normalize_text(text)


def _refuse_nul(name: str, text: str) -> None:
    if "\x00" in text:
        line, column = _line_col(text, text.index("\x00"))
        raise InputError.single(
            name, "contient un octet NUL (pas un fichier texte ?)", line, column
        )


def guard_text(name: str, text: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A text that comes from a form or a request, held to the rules of a file read by
    :func:`read_text`: at most ``max_bytes`` of UTF-8, no NUL, plain line ends, NFC."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputError.single(name, f"texte trop volumineux (limite : {max_bytes / 1e6:g} Mo)")
    _refuse_nul(name, text)
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """``\r\n`` and lone ``\r`` → ``\n``; NFC (only when needed: the check is cheap)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _line_col(data: bytes | str, offset: int) -> tuple[int, int]:
    before = data[:offset]
    if isinstance(before, bytes):
        before = before.decode("utf-8", "replace")
    lines = before.split("\n")
    return len(lines), len(lines[-1]) + 1


def read_text(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file through :func:`read_bytes`; every failure is an InputError."""
    return decode_text(read_bytes(path, max_bytes=max_bytes), str(path))


def parse_document(path: Path, text: str) -> Document:
    name = str(path)
    if not text.strip():
        raise InputError.single(name, "fichier vide")
    if path.suffix.lower() == ".json":
        return _parse_json(name, text)
    return _parse_yaml(name, text)


# --- Validation ----------------------------------------------------------------------------

_MESSAGES = {  # pydantic's error types, as people read them
    "missing": "champ obligatoire manquant",
    "string_too_short": "ne doit pas être vide",
    "too_short": "ne doit pas être vide",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_type": "doit être un nombre",
    "float_parsing": "doit être un nombre",
    "finite_number": "doit être un nombre fini",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "string_type": "doit être du texte",
    "list_type": "doit être une liste",
    "dict_type": "doit être une table de champs",
    "model_type": "doit être une table de champs",
    "model_attributes_type": "doit être une table de champs",
    "date_type": "doit être une date (AAAA-MM-JJ)",
    "date_parsing": "doit être une date (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "doit être une date (AAAA-MM-JJ)",
    "date_from_datetime_inexact": "doit être une date (AAAA-MM-JJ), sans heure",
    "path_type": "doit être un chemin de fichier",
    "url_parsing": "doit être une adresse web",
    "url_type": "doit être une adresse web",
    "url_scheme": "doit être une adresse web (http ou https)",
    "string_unicode": "doit être du texte",
    "none_required": "doit être vide",
}
_TYPE_NAMES = {  # what a value is, for "(trouvé : …)"
    "str": "du texte",
    "int": "un nombre entier",
    "float": "un nombre",
    "bool": "un booléen",
    "list": "une liste",
    "dict": "une table",
    "date": "une date",
    "datetime": "une date et heure",
}


def shown(value: Any) -> str:
    """A value as a message quotes it: text in « », the rest as written in YAML."""
    if isinstance(value, str):
        return f"« {value} »"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _expected_keys(model: type[BaseModel], loc: Location) -> list[str]:
    """Field names allowed at ``loc``'s parent, for 'did you mean' hints."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_message(error: dict[str, Any], model: type[BaseModel], loc: Location) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        expected = [k for k in _expected_keys(model, loc) if k != name]
        hint = difflib.get_close_matches(name, expected, n=1, cutoff=0.6)
        return f"champ inconnu « {name} »" + (
            f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {
            "greater_than_equal": "≥",
            "greater_than": ">",
            "less_than_equal": "≤",
            "less_than": "<",
        }[kind]
        bound = next(iter(ctx.values()))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"doit être {sign} {bound} (trouvé : {shown(got)})"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", " ou ")
        return f"doit valoir {expected} (trouvé : {shown(got)})"
    if kind == "string_pattern_mismatch":
        return f"format invalide (trouvé : {shown(got)})"
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        unit = "caractères" if kind == "string_too_long" else "éléments"
        return f"trop long (au plus {limit} {unit})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in _MESSAGES:
        suffix = ""
        if kind.endswith("_type") and got is not None:
            suffix = f" (trouvé : {_TYPE_NAMES.get(type(got).__name__, type(got).__name__)})"
        return _MESSAGES[kind] + suffix
    return f"valeur refusée ({kind})"


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Location:
    """The path into the document: pydantic inserts validator names
    ("function-after[...]") and union branches in locs; a part that is a key of the data
    at that point is kept whatever it holds (``results-notes``, ``a[0]``)."""
    out: list[int | str] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif isinstance(part, str) and ("[" in part or "-" in part):
            continue
        else:
            node = None
        out.append(part)
    return tuple(out)


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def validate(model: type[M], doc: Document) -> M:
    if not isinstance(doc.data, dict):
        kind = _TYPE_NAMES.get(type(doc.data).__name__, type(doc.data).__name__)
        raise InputError.single(
            doc.path, f"attendu : une table de champs ({model.__name__}), trouvé : {kind}"
        )
    from pydantic import ValidationError

    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _clean_loc(error["loc"], doc.data)
            is_key = error["type"] == "extra_forbidden"
            line, col = doc.position(loc, key=is_key)
            problems.append(
                Problem(doc.path, line, col, format_location(loc), field_message(error, model, loc))
            )
        raise InputError(sorted(problems, key=lambda p: (p.line, p.column))) from None


def load(model: type[M], path: str | Path) -> M:
    """Read, parse and validate one file into ``model``; raises :class:`InputError`."""
    path = Path(path)
    return validate(model, parse_document(path, read_text(path)))
