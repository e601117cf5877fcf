"""What every rule type shares: the common fields, validation, scope filtering and
the :class:`Hit` a rule reports (span, optional replacement, optional message values)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from re import _constants as _re_constants  # type: ignore[attr-defined]
from re import _parser as _re_parser  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..document import MASK, SCOPES, Document

if TYPE_CHECKING:
    from ..engine import Settings

SEVERITIES = ("suggestion", "warning", "error")
FIX_KINDS = ("safe", "suggest", "none")
ALL_SCOPES = (*SCOPES, "all")
COMMON_FIELDS = {
    "id",
    "type",
    "severity",
    "message",
    "scope",
    "fix",
    "why",
    "examples",
    "enabled",
    "trigger",
    "anchor",
    "__line__",
}

# Apostrophes and spaces are matched loosely inside word lists.
APOS = "[’']"
SPACES = "[ \u00a0\u202f]+"
WORD_BEFORE = r"(?<![\w\-])"
WORD_AFTER = r"(?![\w\-])"


class RuleError(ValueError):
    """A rule definition is invalid; ``field`` names the offending key."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Hit(NamedTuple):
    start: int
    end: int
    replacement: str | None = None
    values: dict[str, Any] | None = None  # extra message placeholders


def literal_trigger(term: str) -> str:
    """The longest run of letters of a word-list entry, lowercased: a literal that
    must occur in the text for the entry to match."""
    chunks = re.split(r"[^\w]+", term.lower())
    return max(chunks, key=len) if chunks else term.lower()


_REGEX_META = set(".^$*+?{}[]()|\\")


def regex_literal(pattern: str) -> tuple[str, str] | None:
    """The longest run of plain letters that every match of ``pattern`` contains
    (top level only; none when there is a top-level alternation), lowercased, with
    its kind: ``word`` (a whole word), ``prefix`` (starts a word) or ``sub``."""
    depth = 0
    runs: list[tuple[str, str, str]] = []  # (run, char before, char after)
    cur = ""
    before = "^"
    i = 0
    in_class = False

    def close(after: str) -> None:
        nonlocal cur
        runs.append((cur, before, after))
        cur = ""

    while i < len(pattern):
        c = pattern[i]
        if in_class:
            if c == "\\":
                i += 1
            elif c == "]":
                in_class = False
                before = "]"
            i += 1
            continue
        if c == "\\":
            close("\\")
            before = "\\"
            i += 2
            continue
        if c == "[":
            close("[")
            in_class = True
        elif c == "(":
            close("(")
            depth += 1
            before = "("
        elif c == ")":
            depth -= 1
            before = ")"
        elif c == "|" and depth == 0:
            return None
        elif c in "?*{" and depth == 0:
            cur = cur[:-1]
            close("?")
            before = "?"
        elif depth == 0 and c.isalpha():
            cur += c
        else:
            close(c)
            before = c
        i += 1
    close("$")
    run, b, a = max(runs, key=lambda r: len(r[0]))
    if len(run) < 3:
        return None
    starts = b in "^ ]"
    ends = a in "$ ["
    kind = "word" if starts and ends else "prefix" if starts else "sub"
    return run.lower(), kind


_TO_SPACE = re.compile(r"\S*")


def _merge_ranges(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def literal_pattern(term: str) -> str:
    """A word-list entry as a regex: spaces match any space, apostrophes ' or ’."""
    out = []
    for chunk in re.split(r"([ ’'])", term):
        if chunk == " ":
            out.append(SPACES)
        elif chunk in ("’", "'"):
            out.append(APOS)
        elif chunk:
            out.append(re.escape(chunk))
    return "".join(out)


def bounded(pattern: str) -> str:
    return f"{WORD_BEFORE}(?:{pattern}){WORD_AFTER}"


def match_case(matched: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``matched`` (UPPER, Capitalised, lower)."""
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and matched[: matched.index(letters[0]) + 1][-1].isupper():
        i = next((k for k, c in enumerate(replacement) if c.isalpha()), None)
        if i is not None:
            return replacement[:i] + replacement[i].upper() + replacement[i + 1 :]
    return replacement


_SENT_SKIP = " \t\u00a0\u202f" + MASK + '«“"(*_'


def at_sentence_start(doc: Document, pos: int) -> bool:
    masked = doc.masked
    i = pos - 1
    while i >= 0 and masked[i] in _SENT_SKIP:
        i -= 1
    if i < 0 or masked[i] == "\n":
        return True
    if masked[i] in ".!?…":
        # "3.11", "qioz.fr": a point glued to what follows ends no sentence
        return not (i == pos - 1 and i > 0 and masked[i - 1].isalnum())
    # Unless the walk back left the segment, which takes skipping the protected line
    # break before it, the character before is the sentence's.
    if MASK not in masked[i + 1 : pos]:
        return False
    seg = doc.segment_at(pos)
    return seg is not None and i < seg.start


# A leading "A+" / "A{n,}" (A one literal character, an escaped punctuation mark or a
# plain character class), not lazy or possessive.
_LEADING_REPEAT = re.compile(
    r"(\\[^\w\s]|[^\\\[\](){}|?*+^$.]|\[\^?\]?[^\]\\\[]*\])(?:\+|\{([1-8]),\})(?![?+])"
)


def fast_prefix(pattern: str) -> str:
    """The same regular expression, written so that Python's ``re`` can skip ahead:
    a pattern starting with ``A+`` or ``A{n,}`` has no literal or charset prefix and is
    tried at every position; ``AA*`` / ``A…AA*`` (the same language, the same greedy
    backtracking, no group moved) has one."""
    m = _LEADING_REPEAT.match(pattern)
    if m is None:
        return pattern
    atom = m.group(1)
    return atom * int(m.group(2) or 1) + atom + "*" + pattern[m.end() :]


def boundary_prefix(pattern: str) -> str:
    """``\\b(Ab|Cd)…`` → ``(A(?<!\\wA)b|C(?<!\\wC)d)…``: the same matches and groups
    (before a letter, ``\\b`` is "not after a word character"), but the pattern now
    starts with a set of literals that Python's ``re`` can skip ahead to."""
    if not pattern.startswith("\\b(") or pattern.startswith("\\b(?"):
        return pattern
    depth, i, cuts = 0, 2, []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            return pattern  # keep it simple: no character class inside the group
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                break
        elif c == "|" and depth == 1:
            cuts.append(i)
        i += 1
    else:
        return pattern
    bounds = [2, *cuts, i]
    alts = [pattern[a + 1 : b] for a, b in pairwise(bounds)]
    out = []
    for alt in alts:
        first = alt[:1]
        if not (first.isascii() and first.isalpha()) or alt[1:2] in ("?", "*", "+", "{"):
            return pattern
        out.append(first + "(?<!\\w" + first + ")" + alt[1:])
    return "(" + "|".join(out) + ")" + pattern[i + 1 :]


def matches_at(rx: re.Pattern[str], text: str, positions: Iterable[int]) -> Iterator[re.Match[str]]:
    """``rx`` matched at each of the increasing ``positions``, skipping those an
    earlier match covered: ``rx.finditer(text)`` when every match starts at one of
    them, without trying the pattern everywhere else."""
    last = -1
    for p in positions:
        if p < last:
            continue
        m = rx.match(text, p)
        if m:
            last = m.end()
            yield m


# At most this many characters in a leading class are worth one literal scan each.
_SPLIT_MAX_CHARS = 5


class PrefixSplit:
    """A compiled pattern that starts with a small class of literal characters
    (``[;!?]…``), searched as one pattern per character (``;…``, ``!…``, ``?…``).

    Python's ``re`` skips ahead to a literal first character at memchr-like speed but
    tests a class at every position, about ten times slower (7.5 ms against 0.6 ms on
    1 MB of French text). :meth:`finditer` merges the per-character searches and skips
    what an earlier match consumed, so it yields the very matches of the original
    pattern, in order; ``match`` and the other methods are the original's."""

    __slots__ = ("_by_char", "_original")

    def __init__(self, original: re.Pattern[str], by_char: list[re.Pattern[str]]):
        self._original = original
        self._by_char = by_char

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize):
        return self._original.match(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize):
        nexts = [rx.search(string, pos, endpos) for rx in self._by_char]
        while True:
            best = None
            for m in nexts:
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            pos = best.end()  # never empty: the first character is consumed
            for i, m in enumerate(nexts):
                if m is not None and m.start() < pos:
                    nexts[i] = self._by_char[i].search(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize):
        return next(self.finditer(string, pos, endpos), None)


def split_prefix(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` as a :class:`PrefixSplit` when it starts with a class of 2 to
    ``_SPLIT_MAX_CHARS`` literal characters (and no ignorecase: case variants would
    make it a class again), else ``rx`` itself."""
    pattern = rx.pattern
    if not isinstance(pattern, str) or rx.flags & re.I or not pattern.startswith("["):
        return rx
    try:
        parsed = _re_parser.parse(pattern, rx.flags & ~re.U)
    except re.error:  # pragma: no cover - rx compiled from it
        return rx
    if not parsed.data or parsed.data[0][0] is not _re_constants.IN:
        return rx
    items = parsed.data[0][1]
    if not all(op is _re_constants.LITERAL for op, _ in items):
        return rx
    chars = [chr(c) for _, c in items]
    if not 2 <= len(chars) <= _SPLIT_MAX_CHARS:
        return rx
    end = _class_end(pattern)
    if end is None:
        return rx
    rest = pattern[end:]
    try:
        by_char = [re.compile(re.escape(c) + rest, rx.flags) for c in chars]
    except re.error:  # pragma: no cover - the rest parsed within the whole
        return rx
    return PrefixSplit(rx, by_char)  # type: ignore[return-value]


class LazyPattern:
    """A compiled pattern made on first use.

    Building the bundled style compiled some 490 regular expressions (most of a
    ``check``'s start-up), while a text reaches few of them: a word-list rule whose
    anchors are absent never runs its pattern. Only the bundled styles are lazy: the
    test suite compiles every one of their patterns, while a newsroom's own style file is
    compiled whole when loaded, so a bad expression is still reported then, located."""

    def __init__(self, make: Callable[[], Any]):
        self._make = make

    def __getattr__(self, name: str) -> Any:
        # Reached only for what is not yet an attribute: compile once, then keep each
        # method asked for as an attribute, so later calls cost what a pattern's do.
        rx = self.__dict__.get("_rx")
        if rx is None:
            rx = self.__dict__["_rx"] = self._make()
        value = getattr(rx, name)
        setattr(self, name, value)
        return value


def deferred(rule: Rule, make: Callable[[], Any]) -> Any:
    """The pattern ``make()`` returns: made now, or on first use when ``rule`` is lazy."""
    return LazyPattern(make) if rule.lazy_patterns else make()


def _class_end(pattern: str) -> int | None:
    """Index just past the character class that opens ``pattern``."""
    i = 1
    if pattern[i : i + 1] == "^":
        return None
    if pattern[i : i + 1] == "]":
        i += 1
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            return None  # nested set syntax: leave it alone
        if c == "]":
            return i + 1
        i += 1
    return None


class Scanner:
    """Where a regex is worth running: around anchor literals (derived from word
    lists), at the start of numbers (``digits``), or in the segments of the rule's
    scopes. Python's ``re`` is slow at trying a pattern at every position; this keeps
    most rules to a few short windows."""

    def __init__(self, scopes: frozenset[str] | None, digits: bool = False):
        self.scopes = scopes
        self.digits = digits
        # anchors: lowercase literals, one of which every match contains:
        #   word → a whole word (set lookup), prefix → starts a word (bisect),
        #   sub → anywhere (literal search). None: scan everything in scope.
        self.anchors: list[tuple[str, str]] | None = None
        self.margin = 64
        self._finders: dict[str, re.Pattern[str]] = {}

    def set_anchors(self, terms: list[str], regex: bool = False) -> None:
        """Derive anchors from a word list (or regex list). A term without one
        disables anchoring (everything is scanned)."""
        anchors: set[tuple[str, str]] = set()
        for t in terms:
            if regex:
                lit = regex_literal(t)
                if lit is None:
                    self.anchors = None
                    return
                anchors.add(lit)
            else:
                anchors.add((literal_trigger(t), "word"))
        self.anchors = sorted(anchors)
        self._finders = {}  # compiled when an anchor is first looked for
        self.margin = max((len(t) for t in terms), default=32) + 8

    def _finder(self, anchor: str) -> re.Pattern[str]:
        found = self._finders.get(anchor)
        if found is None:
            found = self._finders[anchor] = re.compile(re.escape(anchor))
        return found

    def present(self, doc: Document) -> list[str] | None:
        """The anchors found in ``doc`` (None: no anchors); memoised on the document,
        as ``triggered`` and ``windows`` both ask."""
        if self.anchors is None:
            return None
        key = ("anchors", id(self))
        memo = doc.memo
        if key in memo:
            return memo[key]
        memo[key] = found = self._present(doc)
        return found

    def _present(self, doc: Document) -> list[str]:
        assert self.anchors is not None
        found: list[str] = []
        words = doc.words
        for a, kind in self.anchors:
            if kind == "word":
                if a in words:
                    found.append(a)
            elif kind == "prefix":
                if doc.has_word_prefix(a):
                    found.append(a)
            elif self._finder(a).search(doc.lower):
                found.append(a)
        return found

    def possible(self, doc: Document) -> bool:
        found = self.present(doc)
        return found is None or bool(found)

    def windows(self, doc: Document) -> list[tuple[int, int]] | None:
        """Ranges of the masked text worth scanning; None means the whole text."""
        found = self.present(doc)
        if found is not None:
            lower = doc.lower
            n = len(lower)
            margin = self.margin
            spans = []
            for a in found:
                for m in self._finder(a).finditer(lower):
                    i = m.start()
                    e = i + len(a) + margin
                    if e < n:  # on to the end of the word
                        e = _TO_SPACE.match(lower, e).end()  # type: ignore[union-attr]
                    spans.append((max(0, i - margin), min(n, e)))
            return _merge_ranges(spans)
        if self.scopes is not None:
            key = ("scopes", self.scopes)
            memo = doc.memo
            if key not in memo:  # shared by the rules of the same scopes
                spans = [(seg.start, seg.end) for seg in doc.segments if seg.scope in self.scopes]
                memo[key] = _merge_ranges(spans)
            return memo[key]
        return None

    def scan(self, doc: Document, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
        masked = doc.masked
        if self.digits:
            yield from matches_at(rx, masked, doc.digit_starts)
            return
        wins = self.windows(doc)
        if wins is None:
            yield from rx.finditer(masked)
            return
        last = 0
        for ws, we in wins:
            for m in rx.finditer(masked, max(ws, last), we):
                last = m.end()
                yield m


class Rule:
    """Base class. Subclasses set ``type_name``, ``FIELDS`` (extra keys → default) and
    implement :meth:`find`."""

    type_name: ClassVar[str] = ""
    FIELDS: ClassVar[dict[str, Any]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    # rules that look at the whole article rather than at matches
    document_level: ClassVar[bool] = False

    def __init__(self, spec: dict[str, Any], settings: Settings):
        self.spec = spec
        self.settings = settings
        self.line = spec.get("__line__")
        unknown = set(spec) - COMMON_FIELDS - set(self.FIELDS)
        if unknown:
            raise RuleError(f"champ inconnu « {sorted(unknown)[0]} »", sorted(unknown)[0])
        for key in ("id", "severity", "message", *self.REQUIRED):
            if spec.get(key) in (None, ""):
                raise RuleError(f"champ « {key} » manquant", key)
        self.id: str = str(spec["id"])
        sev = spec["severity"]
        if sev not in SEVERITIES:
            raise RuleError(f"severity doit valoir {', '.join(SEVERITIES)}", "severity")
        self.severity: str = sev
        if not isinstance(spec["message"], str):
            raise RuleError("message doit être du texte", "message")
        self.message: str = spec["message"]
        scope = spec.get("scope", "all")
        scopes = [scope] if isinstance(scope, str) else scope
        if not isinstance(scopes, list) or not scopes:
            raise RuleError("scope doit être une portée ou une liste de portées", "scope")
        for s in scopes:
            if s not in ALL_SCOPES:
                raise RuleError(
                    f"portée inconnue « {s} » (portées : {', '.join(ALL_SCOPES)})", "scope"
                )
        self.scopes: frozenset[str] | None = None if "all" in scopes else frozenset(scopes)
        self.scope_names = scopes
        fix = spec.get("fix", "none")
        if fix not in FIX_KINDS:
            raise RuleError(f"fix doit valoir {', '.join(FIX_KINDS)}", "fix")
        self.fix: str = fix
        self.why: str = str(spec.get("why", "")).strip()
        self.examples = spec.get("examples") or []
        if not isinstance(self.examples, list):
            raise RuleError("examples doit être une liste", "examples")
        self.options = {k: spec.get(k, default) for k, default in self.FIELDS.items()}
        trig = spec.get("trigger")
        if trig is not None and (
            not isinstance(trig, list) or not all(isinstance(t, str) and t for t in trig)
        ):
            raise RuleError("trigger doit être une liste de textes non vides", "trigger")
        # literals of which one must occur in the (masked) text for the rule to run
        self.triggers: tuple[str, ...] = tuple(settings.expand(t) for t in trig or ())
        # lowercase literals, tested on the lowercased text (derived from word lists)
        self.lower_triggers: tuple[str, ...] = ()
        anchor = spec.get("anchor")
        if anchor not in (None, "digits"):
            raise RuleError(
                "anchor doit valoir digits (ne trouve qu’au début d’un nombre)", "anchor"
            )
        self.scanner = Scanner(self.scopes, digits=anchor == "digits")
        self.enabled = True
        self._compiled = False
        # patterns compiled on first use (set by the engine for bundled styles)
        self.lazy_patterns = False

    # ------------------------------------------------------------------ API
    @property
    def fixable(self) -> bool:
        return self.fix == "safe"

    def ensure_compiled(self) -> None:
        if not self._compiled:
            self.compile()
            self._compiled = True

    def set_anchors(self, terms: list[str], regex: bool = False) -> None:
        self.scanner.set_anchors(terms, regex)

    def windows(self, doc: Document) -> list[tuple[int, int]] | None:
        return self.scanner.windows(doc)

    def scan(self, doc: Document, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """``rx`` matches over the masked text, restricted to the rule's windows."""
        return self.scanner.scan(doc, rx)

    def triggered(self, doc: Document) -> bool:
        """Cheap pre-filter: False when the rule cannot match this document."""
        if not self.scanner.possible(doc):
            return False
        if self.triggers and not doc.has_any(self.triggers):
            return False
        if self.lower_triggers:
            lower = doc.lower
            if not any(t in lower for t in self.lower_triggers):
                return False
        return True

    def compile(self) -> None:
        """Validate and compile options; called lazily, once. Raise RuleError."""

    def find(self, doc: Document) -> list[Hit]:
        raise NotImplementedError

    def hits(self, doc: Document) -> list[Hit]:
        """Hits of this rule in scope, never touching a protected character."""
        self.ensure_compiled()
        out = []
        masked = doc.masked
        text = doc.text
        batch = len(doc.article_starts) > 1
        for h in self.find(doc):
            s, e = h.start, h.end
            if MASK in masked[s:e]:
                continue
            if h.replacement is not None and text[s:e] == h.replacement:
                continue
            if not self.in_scope(doc, s, e):
                continue
            if batch and doc.crosses_articles(s, e):
                continue
            out.append(h)
        return out

    def in_scope(self, doc: Document, s: int, e: int) -> bool:
        seg = doc.segment_at(s)
        if seg is None or e > seg.end:
            return False
        return self.scopes is None or seg.scope in self.scopes

    def format_message(self, doc: Document, hit: Hit) -> str:
        values = {"match": doc.text[hit.start : hit.end], "suggestion": hit.replacement or ""}
        if hit.values:
            values.update(hit.values)
        try:
            return self.message.format_map(values)
        except (KeyError, IndexError, ValueError):
            return self.message

    # -------------------------------------------------------------- helpers
    def compile_regex(self, pattern: str, field: str, flags: int = 0) -> re.Pattern[str]:
        source = boundary_prefix(fast_prefix(self.settings.expand(pattern)))
        if self.lazy_patterns:
            return deferred(self, lambda: split_prefix(re.compile(source, flags)))
        try:
            return split_prefix(re.compile(source, flags))
        except re.error as exc:
            raise RuleError(f"expression régulière invalide dans {field} : {exc}", field) from exc

    def check_regex(self, pattern: str, message: str, field: str) -> None:
        """Raise RuleError (``message`` and the error) if ``pattern`` does not compile;
        left to the test suite for bundled styles (see :class:`LazyPattern`)."""
        if self.lazy_patterns:
            return
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuleError(f"{message} : {exc}", field) from exc

    def segments_in_scope(self, doc: Document):
        for seg in doc.segments:
            if self.scopes is None or seg.scope in self.scopes:
                yield seg


def require_list(rule: Rule, key: str, allow_dict: bool = False) -> list | dict:
    value = rule.options.get(key)
    if allow_dict and isinstance(value, dict):
        return value
    if not isinstance(value, list) or not all(isinstance(v, str | list) for v in value):
        kind = "une liste ou une table" if allow_dict else "a list"
        raise RuleError(f"{key} doit être {kind}", key)
    return value
