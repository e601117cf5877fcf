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
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

MAX_FILE_BYTES = 1_000_000  # a dossier is a few kilobytes; this stops runaway inputs early
MAX_DEPTH = 32

Location = tuple[int | str, ...]
M = TypeVar("M", bound=BaseModel)


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


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed", event.start_mark
            )
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
        raise InputError.single(doc.path, "document is nested too deeply", *_mark(node))
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
                    "mapping keys must be plain names",
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
                    "YAML merge keys (<<) are not allowed",
                    *_mark(key_node),
                    field=format_location(loc),
                )
            child = (*loc, key)
            if key in out:
                raise InputError.single(
                    doc.path, "duplicate key", *_mark(key_node), field=format_location(child)
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
        message = str(exc).split(":")[0]
        raise InputError.single(
            doc.path, f"unreadable value: {message}", *_mark(node), field=format_location(loc)
        ) from None


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
                raise InputError.single(
                    path, "YAML aliases (*name) are not allowed", line + line_offset, column
                )
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
        raise InputError.single(path, f"nested more than {max_depth} levels deep", line, column)


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
        message = f"character U+{char:04X} is not allowed in YAML (a control character)"
        raise InputError.single(path, message, line, column) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError.single(path, "file is empty")
        doc.data = _build(node, loader, (), doc)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(p) for p in (exc.problem, exc.context) if p) or "invalid YAML"
        raise InputError.single(path, f"YAML syntax error: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise InputError.single(path, f"YAML error: {exc}") from None
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
    if message.startswith("YAML syntax error"):
        return "front matter YAML error" + message.removeprefix("YAML syntax error")
    return f"front matter: {message}"


def _parse_json(path: str, text: str) -> Document:
    check_depth(path, text)
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError.single(path, f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise InputError.single(
            path, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno
        ) from None
    except ValueError as exc:  # an integer of 5 000 digits
        raise InputError.single(path, f"unreadable value: {str(exc).split(':')[0]}") from None
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
        raise InputError.single(STDIN, f"input is too large (the limit is {max_bytes / 1e6:g} MB)")
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
        raise InputError.single(name, "file name contains a NUL byte") from None
    except OSError as exc:
        raise InputError.single(name, _os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError.single(name, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError.single(name, "not a regular file (a device, pipe or socket)")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise InputError.single(
                    name, f"file is too large (the limit is {max_bytes / 1e6:g} MB)"
                )
        return b"".join(chunks)
    except OSError as exc:
        raise InputError.single(name, _os_reason(exc)) from None
    finally:
        os.close(fd)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name is too long"
    return f"cannot read file: {exc.strerror or exc}"


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
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None
    _refuse_nul(name, text)
    return normalize_text(text)


def _refuse_nul(name: str, text: str) -> None:
    if "\x00" in text:
        line, column = _line_col(text, text.index("\x00"))
        raise InputError.single(name, "contains a NUL byte (not a text file?)", line, column)


def guard_text(name: str, text: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A text that comes from a form or a request, held to the rules of a file read by
    :func:`read_text`: at most ``max_bytes`` of UTF-8, no NUL, plain line ends, NFC."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputError.single(name, f"file is too large (the limit is {max_bytes / 1e6:g} MB)")
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
        raise InputError.single(name, "file is empty")
    if path.suffix.lower() == ".json":
        return _parse_json(name, text)
    return _parse_yaml(name, text)


# --- Validation ----------------------------------------------------------------------------

_MESSAGES = {
    "missing": "required field is missing",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
}


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

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _message(error: dict[str, Any], model: type[BaseModel], loc: Location) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        expected = [k for k in _expected_keys(model, loc) if k != name]
        hint = difflib.get_close_matches(name, expected, n=1, cutoff=0.6)
        return f"unknown field '{name}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
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
        return f"must be {sign} {bound} (got {error.get('input')!r})"
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected', '')} (got {error.get('input')!r})"
    if kind == "string_pattern_mismatch":
        return f"invalid format (got {error.get('input')!r})"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in _MESSAGES:
        got = error.get("input")
        suffix = (
            f" (got {type(got).__name__})" if kind.endswith("_type") and got is not None else ""
        )
        return _MESSAGES[kind] + suffix
    msg = str(error["msg"])
    return msg[:1].lower() + msg[1:]


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
        kind = "a list" if isinstance(doc.data, list) else f"a {type(doc.data).__name__}"
        raise InputError.single(
            doc.path, f"expected a mapping of {model.__name__.lower()} fields, got {kind}"
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _clean_loc(error["loc"], doc.data)
            is_key = error["type"] == "extra_forbidden"
            line, col = doc.position(loc, key=is_key)
            problems.append(
                Problem(doc.path, line, col, format_location(loc), _message(error, model, loc))
            )
        raise InputError(sorted(problems, key=lambda p: (p.line, p.column))) from None


def load(model: type[M], path: str | Path) -> M:
    """Read, parse and validate one file into ``model``; raises :class:`InputError`."""
    path = Path(path)
    return validate(model, parse_document(path, read_text(path)))
