"""Article text as the style engine sees it.

A :class:`Document` keeps two strings of the same length:

* ``text``, the real text;
* ``masked``, the same text where every protected character (front matter, HTML
  comments and ``lw:`` markers, fenced and inline code, URLs, e-mail addresses, bare
  domains, phone numbers, postal codes, references such as ``article 1246``, Markdown
  syntax such as ``#``, list bullets, ``**``, link targets) is replaced by
  :data:`MASK`, a private-use character that no rule pattern matches.

Rules match on ``masked`` and read positions in ``text``. A finding that would touch a
masked character is dropped, so nothing is ever reported or rewritten inside a URL, a
phone number or the Markdown structure. A round of fixes gives the articles' new
texts (:meth:`Document.edited`), which are parsed afresh: protections depend on
context that a fix may change.

Scopes come from the article markers written by ``article.py``::

    <!-- lw:headline -->      -> "# text" is headline
    <!-- lw:lead -->          -> lead
    <!-- lw:context|method|details|results -->  -> body, "## ..." lines are intertitle
    <!-- lw:caption -->       -> caption
    <!-- lw:prize_label -->   -> label (only rules with scope ``all`` apply)
    <!-- lw:label -->         -> label (a page's own headings, e.g. "Le palmarès 2020")
    <!-- lw:text -->          -> back to unmarked text

Text without markers is body, except ATX headings (``# `` headline, ``## `` intertitle).
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MASK = "\ue000"
# Between articles checked together: its middle is protected and never edited; its
# first and last line breaks are not, so that an article's end is a line end and its
# start a line start, as they are for an article checked alone (rules treat a line
# break and the end of the text alike). A hit may not reach into it (Rule.hits).
SEPARATOR = "\n\n" + MASK + "\n\n"

SCOPES = ("headline", "lead", "body", "intertitle", "caption")
BODY_KINDS = frozenset({"context", "method", "details", "results"})

_H = r"[ \t\u00a0\u202f\u2009]"  # horizontal spaces

# Unclosed front matter, comments, style-off blocks and fences end at the article's end:
# in a batch, one article's unclosed construct must never hide the next article.
_END = "(?=" + re.escape(SEPARATOR) + r")|\Z"
_FRONT_MATTER = re.compile(
    r"---[ \t]*\r?\n(?:(?!" + re.escape(SEPARATOR) + r").)*?^(?:---|\.\.\.)[ \t]*$", re.S | re.M
)
# A marker line is "<!-- lw:KIND ... -->" alone on its line, maybe indented. The
# pattern starts at "<!--" (a literal Python's re can skip ahead to); _segment checks
# that only spaces precede it on its line.
_MARKER = re.compile(r"<!--\s*lw:([a-z_]+)\b[^\n]*?-->[ \t]*$", re.M)
_STYLE_OFF = re.compile(
    r"<!--\s*lw-style\s+off\s*-->.*?(?:<!--\s*lw-style\s+on\s*-->|" + _END + ")", re.S
)
_COMMENT = re.compile(r"<!--.*?(?:-->|" + _END + ")", re.S)
_FENCE = re.compile(
    r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*$.*?(?:^[ \t]{0,3}\1[`~]*[ \t]*$|" + _END + ")", re.S | re.M
)

# Inline things that are never prose: (literals of which one must occur, pattern).
# Each pattern starts with a literal or a small character class, so scanning is fast.
_INLINE: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (("`",), re.compile(r"(``*)[^\n]+?\1(?!`)")),  # inline code
    (("<",), re.compile(r"<(?:https?|ftp|mailto):[^>\s]+>")),  # autolink
    (("<",), re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>\n]*)?/?>")),  # HTML tag
    (("&",), re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")),  # HTML entity
    (("\\",), re.compile(r"\\[\\`*_{}\[\]()#+\-.!|]|\\$", re.M)),  # escapes, hard break
    (("](",), re.compile(r"\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")),  # link target
    (("](",), re.compile(r"!?\[(?=[^\]\n]*\]\()")),  # link opening bracket
    (("]:",), re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$", re.M)),  # reference definition
    # emphasis; a lone "*" between spaces or digits is no delimiter (3 * 4, 3*4)
    (("*",), re.compile(r"\*(?:\*\**|(?<![ \t\u00a0\u202f\d]\*)|(?![ \t\u00a0\u202f\d]))")),
    (("mailto:",), re.compile(r"mailto:[^\s<>]+")),
    # what a fix must never touch: a scheme and what follows it, a file path, the
    # parameters of a terminal escape sequence (ESC itself stays visible to typo.control)
    (
        ("javascript:", "JavaScript:", "vbscript:", "data:", "file:", "tel:"),
        re.compile(r"\b(?:[Jj]ava[Ss]cript|vbscript|data|file|tel):[^\s<>«»\"]*"),
    ),
    (
        (" /", "(/", "~/", "./", "\n/"),
        re.compile(r"(?<![\w/.~])(?:~|\.\.?)?/[\w.\-]+/(?:[\w.\-/]*[\w\-/])?"),
    ),
    (("\x1b",), re.compile(r"(?<=\x1b)(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")),
    (
        ("+33",),
        re.compile(r"\+33[ .\u00a0\u202f]?(?:\(0\))?[1-9](?:[ .\-\u00a0\u202f]?\d\d){4}(?!\d)"),
    ),
]
_UNDERSCORES = re.compile(r"__*")
# Around each "@": an e-mail address.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Around each ".tld": a bare domain (qioz.fr, www.ville.fr/page).
_TLD = re.compile(r"\.(?:fr|com|org|net|eu|io|info|bzh|re|be|ch)\b")
_DOMAIN = re.compile(
    r"(?<![\w@.\-])(?:[\w-]+\.)+(?:fr|com|org|net|eu|io|info|bzh|re|be|ch)\b(?:/[^\s<>«»\"]*)?"
)
# Digit runs are classified once: phone numbers, postal codes, references.
_DIGITS = re.compile(r"[0-9][0-9]*")
_PHONE = re.compile(r"0[1-9](?:[ .\-\u00a0\u202f]?\d{2,3}){3,4}(?![\w])")
_POSTAL = re.compile(r"(?:0[1-9]|[1-8]\d|9[0-8])\d{3}(?=[ \u00a0]+[A-ZÀ-ÖØ-Þ][\w’'-]+)")
_REF_CUE = re.compile(
    r"(?:\b[nN][°º]|\b[Aa]rticles?|\b[Aa]rt\.|\b[Dd]écret|\b[Ll]oi|\b[Aa]rrêté|\b[Cc]irculaire"
    r"|\bISO|\bNF(?: EN)?|\bEN|\bRFC|\b[Pp]ages?|\bpp?\.|\b[Rr]éf\.|\bSIRE[NT])"
    r"[ \u00a0]?(?:[A-Z]\.?[ \u00a0]?)?\Z"
)
# _REF_CUE read backwards from the digits, on the reversed text: one anchored match
# instead of a search through the 16 characters before every number.
_REF_CUE_REVERSED = re.compile(
    r"(?:[ \u00a0]?\.?[A-Z])?[ \u00a0]?"
    r"(?:[°º][nN]|s?elcitr[Aa]|\.tr[Aa]|tercé[Dd]|io[Ll]|étêrr[Aa]|erialucri[Cc]|OSI"
    r"|(?:NE )?FN|NE|CFR|s?ega[Pp]|\.p?p|\.fé[Rr]|[NT]ERIS)(?!\w)"
)
_REF_TAIL = re.compile(r"[\d\-/.]*\d")
# Version numbers after a product or "version" (Python 3.11, v2.5): no decimals. The
# cue is read backwards from the digits, like _REF_CUE_REVERSED.
VERSION_CUES = (
    "version", "Version", "v", "V", "Python", "PHP", "Java", "Node", "Android", "iOS",
    "macOS", "Windows", "Linux", "Ubuntu", "Debian", "Firefox", "Chrome", "Web",
    "Industrie", "HTML", "HTTP", "TLS", "Bluetooth", "USB", "Wi-Fi", "Unicode", "IPv",
)  # fmt: skip
_VERSION_CUE_REVERSED = re.compile(
    r"[ \u00a0]?(?:" + "|".join(re.escape(w[::-1]) for w in VERSION_CUES) + r")(?!\w)"
)
_VERSION = re.compile(r"\d+(?:\.\d+)+")
# MAC and IPv6 addresses: hex groups joined by ":" (two colons at least; a time has one).
_NET_COLON = re.compile(r":(?::|(?<=[0-9A-Fa-f]:)(?=[0-9A-Fa-f]{0,4}:))")
_NET_ADDRESS = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4})?(?:::?[0-9A-Fa-f]{1,4}){1,7}(?:::)?(?![\w:])"
)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"«»]+|\bwww\.[^\s<>\"«»]+")
_URL_TRAIL = ".,;:!?…’'"
# Markdown structure at the start of a line: indentation, bullets, quotes, heading hashes.
_LINE_PREFIX = re.compile(
    r"^[ \t]*(?:(?:[-*+•]|\d{1,9}[.)]|>|#{1,6})[ \t]+)*(?=[^ \t\n\u00a0\u202f\u2009]|"
    r"[\u00a0\u202f\u2009]+[^\s])",
    re.M,
)
# Line starts where _LINE_PREFIX can match something (elsewhere it matches "").
_PREFIX_LINE = re.compile(r"\n[ \t\-*+•>#0-9]")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+\S")
# Section kinds whose lines all have one scope (the others look for ATX headings).
_FIXED_SCOPES = {
    "headline": "headline",
    "lead": "lead",
    "caption": "caption",
    "prize_label": "label",
    "label": "label",
}


@dataclass(slots=True)
class Segment:
    """A paragraph (or heading line) of one scope: ``text[start:end]``."""

    start: int
    end: int
    scope: str  # headline, lead, body, intertitle, caption, label
    section: int  # index into Document.sections


@dataclass(slots=True)
class Section:
    kind: str  # marker kind (headline, lead, method...) or "text"
    segments: list[int] = field(default_factory=list)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop trailing punctuation that belongs to the sentence, not to the URL, and a
    closing parenthesis without its opening one: (https://qioz.fr/)."""
    while e > s:
        c = text[e - 1]
        if c in _URL_TRAIL or (c in ")]" and text.count("(", s, e) < text.count(")", s, e)):
            e -= 1
        else:
            break
    return s, e


def _url_spans(text: str) -> list[tuple[int, int]]:
    found = []
    if "://" in text:
        found += _around(text, "://", _URL, 8, 4096)
    if "www." in text:
        found += _around(text, "www.", _URL, 0, 4096)
    return [_trim(text, s, e) for s, e in found]


_WORD = re.compile(r"\w\w*")
_PREFIX_START = frozenset(" \t-*+•>#0123456789")


def _around(
    text: str, literal: str | re.Pattern[str], rx: re.Pattern[str], before: int, after: int
):
    """Matches of ``rx`` covering an occurrence of ``literal`` (searched in a small
    window around it: much cheaper than running ``rx`` over the whole text)."""
    out = []
    last = 0
    finder = literal if isinstance(literal, re.Pattern) else re.compile(re.escape(literal))
    pos = 0
    while True:
        lm = finder.search(text, pos)
        if lm is None:
            break
        i = lm.start()
        m = rx.search(text, max(last, i - before), lm.end() + after)
        while m is not None and m.end() <= i:
            m = rx.search(text, m.end(), lm.end() + after)
        if m is not None and m.start() <= i < m.end():
            out.append(m.span())
            last = m.end()
        pos = max(i + 1, last)
    return out


# Backwards from a ".tld", over the reversed text: the run of characters a domain name
# is made of.
_DOMAIN_RUN_BACKWARDS = re.compile(r"[\w.\-]*")


def _domain_spans(text: str, reversed_text: str) -> list[tuple[int, int]]:
    """``_around(text, _TLD, _DOMAIN, 128, 256)``, faster: a domain can only start
    where the run of name characters before its ".tld" starts (the lookbehind of
    _DOMAIN forbids every later start), so that start is found by one match on the
    reversed text and _DOMAIN is tried there alone, not at every position before."""
    out: list[tuple[int, int]] = []
    n = len(text)
    last = 0
    for lm in _TLD.finditer(text):
        i = lm.start()
        if i < last:
            continue
        run = _DOMAIN_RUN_BACKWARDS.match(reversed_text, n - i)
        j = i - (run.end() - run.start()) if run else i
        if j < max(last, i - 128):
            continue  # _around's window starts inside the name: no start is allowed
        m = _DOMAIN.match(text, j, lm.end() + 256)
        if m is not None and i < m.end():
            out.append(m.span())
            last = m.end()
    return out


def _has_literal(text: str, literal: str) -> bool:
    """``literal in text``, faster: a multi-character literal is looked for only when
    its least common character occurs (a one-character test is a memchr-speed scan),
    and then by a compiled search (re skips ahead to a literal prefix)."""
    if len(literal) == 1:
        return literal in text
    return _probe(literal) in text and _literal_search(literal)(text) is not None


@functools.lru_cache(maxsize=512)
def _probe(literal: str) -> str:
    """The character of ``literal`` least likely in prose: punctuation or a symbol
    before a letter, a digit or a space."""
    for c in literal:
        if not (c.isalnum() or c.isspace()):
            return c
    return literal[0]


@functools.lru_cache(maxsize=256)
def _any_literal_searches(literals: tuple[str, ...]) -> list[Callable[[str], bool]]:
    """One test per first character of ``literals``: ``c in text`` for a lone
    character, else a search that starts with that character (a literal prefix
    Python's re skips ahead to) followed by the alternatives."""
    by_first: dict[str, set[str]] = {}
    for lit in literals:
        by_first.setdefault(lit[0], set()).add(lit[1:])
    tests: list[Callable[[str], bool]] = []
    for first, rests in by_first.items():
        if "" in rests:  # the character alone is one of the literals
            tests.append(lambda text, c=first: c in text)
            continue
        alts = "|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True))
        search = re.compile(re.escape(first) + "(?:" + alts + ")").search
        tests.append(lambda text, search=search: search(text) is not None)
    return tests


@functools.lru_cache(maxsize=512)
def _literal_search(literal: str) -> Callable[..., re.Match[str] | None]:
    return re.compile(re.escape(literal)).search


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-empty spans, overlapping or touching ones joined."""
    spans.sort()
    out: list[tuple[int, int]] = []
    cur_s = cur_e = -1
    for s, e in spans:
        if e <= s:
            continue
        if s <= cur_e:
            if e > cur_e:
                cur_e = e
        else:
            if cur_e >= 0:
                out.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_e >= 0:
        out.append((cur_s, cur_e))
    return out


class Document:
    """Text + masked shadow + scoped segments. See the module docstring."""

    __slots__ = (
        "_digits",
        "_lower",
        "_sorted_words",
        "_tokens",
        "_words",
        "article_ends",
        "article_lines",
        "article_starts",
        "line_starts",
        "masked",
        "memo",
        "sections",
        "seg_starts",
        "segments",
        "text",
    )

    def __init__(self, text: str | list[str], scope: str | None = None):
        """``text`` may be a list of articles, checked in one pass (each keeps its own
        sections, acronyms, consistency); they are joined with a protected separator."""
        texts = [text] if isinstance(text, str) else text
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + len(SEPARATOR)
        self.article_starts = starts
        self.article_ends = [s + len(t) for s, t in zip(starts, texts, strict=True)]
        self.article_lines: list[int] | None = None
        text = SEPARATOR.join(texts)
        self.text = text
        self.line_starts: list[int] | None = None
        self._lower: str | None = None
        self._tokens: list[list[str]] | None = None
        self._words: set[str] | None = None
        self._sorted_words: list[str] | None = None
        self._digits: list[int] | None = None
        # what rules derive from this text and share: literals found, anchor sets,
        # scope windows
        self.memo: dict[Any, Any] = {}
        self._build(scope)

    def has(self, literal: str) -> bool:
        """Whether ``literal`` occurs in the masked text; memoised, as many rules share
        a trigger (".", ",", "«"...)."""
        key = ("has", literal)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = _has_literal(self.masked, literal)
        return found

    def has_any(self, literals: tuple[str, ...]) -> bool:
        """Whether one of ``literals`` occurs in the masked text; memoised. Literals
        sharing a first character are searched together (``M. ``, ``Mme ``, ``Mlle ``:
        one scan), which matters when none occurs: each search then reads it all."""
        if len(literals) == 1:
            return self.has(literals[0])
        key = ("has", literals)
        found = self.memo.get(key)
        if found is None:
            masked = self.masked
            found = any(search(masked) for search in _any_literal_searches(literals))
            self.memo[key] = found
        return found

    @property
    def article_tokens(self) -> list[list[str]]:
        """Each article's lowercased masked text split on whitespace (shared by the
        word index and the doubled-word check, which compares neighbours within an
        article)."""
        if self._tokens is None:
            lower = self.lower
            if len(self.article_starts) == 1:
                self._tokens = [lower.split()]
            else:
                spans = zip(self.article_starts, self.article_ends, strict=True)
                self._tokens = [lower[a:b].split() for a, b in spans]
        return self._tokens

    @property
    def words(self) -> set[str]:
        """Lowercase words of the masked text: a cheap pre-filter for word-list
        rules."""
        if self._words is None:
            # the \w runs of the distinct whitespace-separated tokens: most tokens
            # are whole words (isalnum is exactly \w without "_")
            words: set[str] = set()
            add = words.add
            findall = _WORD.findall
            for token in set(itertools.chain.from_iterable(self.article_tokens)):
                if token.isalnum():
                    add(token)
                else:
                    words.update(findall(token))
            self._words = words
        return self._words

    def has_word_prefix(self, prefix: str) -> bool:
        """Whether a word of the document starts with ``prefix`` (lowercase)."""
        if self._sorted_words is None:
            self._sorted_words = sorted(self.words)
        words = self._sorted_words
        i = bisect_left(words, prefix)
        return i < len(words) and words[i].startswith(prefix)

    @property
    def digit_starts(self) -> list[int]:
        """Start offsets of the runs of ASCII digits in the masked text."""
        if self._digits is None:
            self._digits = [m.start() for m in _DIGITS.finditer(self.masked)]
        return self._digits

    @property
    def lower(self) -> str:
        """Lowercased masked text (same length: used by word-list pre-filters)."""
        if self._lower is None:
            low = self.masked.lower()
            # a few characters change length when lowercased (İ); keep offsets exact
            self._lower = low if len(low) == len(self.masked) else self.masked
        return self._lower

    # ---------------------------------------------------------------- parsing
    def _build(self, scope: str | None) -> None:
        text = self.text
        spans: list[tuple[int, int]] = []
        structural: list[tuple[int, int]] = []
        for start in self.article_starts:
            if text.startswith("---", start):
                m = _FRONT_MATTER.match(text, start)
                if m:
                    structural.append(m.span())
        for end in self.article_ends[:-1]:
            structural.append((end + 1, end + len(SEPARATOR) - 1))
        if "<!--" in text:
            structural.extend(x.span() for x in _STYLE_OFF.finditer(text))
            structural.extend(x.span() for x in _COMMENT.finditer(text))
        if _has_literal(text, "```") or _has_literal(text, "~~~"):
            structural.extend(x.span() for x in _FENCE.finditer(text))
        spans.extend(structural)
        spans.extend(_url_spans(text))
        for triggers, rx in _INLINE:
            if any(_has_literal(text, t) for t in triggers):
                spans.extend(x.span() for x in rx.finditer(text))
        if "_" in text:  # _emphasis_ (not snake_case)
            n = len(text)
            for m in _UNDERSCORES.finditer(text):
                s, e = m.span()
                if s == 0 or not text[s - 1].isalnum() or e == n or not text[e].isalnum():
                    spans.append((s, e))
        if "@" in text:
            spans.extend(_around(text, "@", _EMAIL, 64, 256))
        reversed_text = text[::-1]
        spans.extend(_trim(text, a, b) for a, b in _domain_spans(text, reversed_text))
        if ":" in text:
            spans.extend(
                (a, b)
                for a, b in _around(text, _NET_COLON, _NET_ADDRESS, 40, 40)
                if text.count(":", a, b) >= 2
            )
        digit_runs = [x.span() for x in _DIGITS.finditer(text)]
        n = len(text)
        for s, e in digit_runs:
            c = text[s]
            if c == "0" and s + 1 < len(text) and (s == 0 or not text[s - 1].isalnum()):
                m = _PHONE.match(text, s)
                if m and sum(ch.isdigit() for ch in m.group()) == 10:
                    spans.append(m.span())
                    continue
            if e - s == 5 and (s == 0 or not text[s - 1].isalnum()):
                m = _POSTAL.match(text, s)
                if m:
                    spans.append(m.span())
                    continue
            if (
                e < n - 1
                and text[e] == "."
                and text[e + 1].isdigit()
                and s
                and _VERSION_CUE_REVERSED.match(reversed_text, n - s)
            ):
                m = _VERSION.match(text, s)
                if m:
                    spans.append(m.span())
                    continue
            if s and _REF_CUE_REVERSED.match(reversed_text, n - s):
                m = _REF_TAIL.match(text, s)
                spans.append((s, m.end() if m else e))
        # _LINE_PREFIX matches within one line, at its start; it is empty unless the
        # line starts with a space or a Markdown marker: try those lines only.
        prefix_match = _LINE_PREFIX.match
        if text[:1] in _PREFIX_START:
            lm = prefix_match(text, 0)
            if lm and lm.end() > 0:
                spans.append(lm.span())
        for nl in _PREFIX_LINE.finditer(text):
            lm = prefix_match(text, nl.start() + 1)
            if lm:
                spans.append(lm.span())
        merged = _merge(spans)
        parts = []
        pos = 0
        for s, e in merged:
            parts.append(text[pos:s])
            parts.append(MASK * (e - s))
            pos = e
        parts.append(text[pos:])
        self.masked = masked = "".join(parts)
        self._digits = [s for s, _ in digit_runs if masked[s] != MASK]
        self._segment(scope)

    def _segment(self, forced_scope: str | None) -> None:
        text, masked = self.text, self.masked
        self.sections = sections = []
        self.segments = segments = []
        # marker lines may be indented; index by line start
        marker_lines: dict[int, str] = {}
        if "lw:" in text:
            for mk in _MARKER.finditer(text):
                ms = mk.start()
                ls = text.rfind("\n", 0, ms) + 1
                if ls == ms or not text[ls:ms].strip(" \t"):
                    marker_lines[ls] = mk.group(1)
        n = len(text)
        # line starts where the section changes: article starts and marker lines
        article_starts = {p for p in self.article_starts if p < n}
        events = article_starts | marker_lines.keys()
        kind = "text"
        sec = -1
        fixed = _FIXED_SCOPES.get(kind)  # the scope of every line, or None: headings vary
        cur: Segment | None = None
        strip_chars = " \t\r" + MASK
        scope_for = self._scope_for
        lines = text.split("\n")  # lines of the text: masking hides newlines
        if not text or text[-1] == "\n":
            lines.pop()  # the empty piece after a final newline is not a line
        ls = 0
        for line in lines:
            le = ls + len(line)
            if ls in events:
                if ls in article_starts:
                    kind, fixed = "text", None
                    sections.append(Section(kind))
                    sec += 1
                    cur = None
                if ls in marker_lines:
                    kind = marker_lines[ls]
                    fixed = _FIXED_SCOPES.get(kind)
                    sections.append(Section(kind))
                    sec += 1
                    cur = None
                    ls = le + 1
                    continue
            if not line or not masked[ls:le].strip(strip_chars).strip():
                cur = None
                ls = le + 1
                continue
            if forced_scope is not None:
                scope = forced_scope
            elif fixed is not None:
                scope = fixed
            else:
                scope = scope_for(kind, text, ls, le)
            if (
                cur is not None
                and cur.scope == scope
                and cur.section == sec
                and scope != "headline"
                and scope != "intertitle"
            ):
                cur.end = le
            else:
                cur = Segment(ls, le, scope, sec)
                sections[sec].segments.append(len(segments))
                segments.append(cur)
            ls = le + 1
        self.seg_starts = [seg.start for seg in segments]

    @staticmethod
    def _scope_for(kind: str, text: str, ls: int, le: int) -> str:
        if kind == "headline":
            return "headline"
        if kind == "lead":
            return "lead"
        if kind == "caption":
            return "caption"
        if kind == "prize_label":
            return "label"
        # a heading starts with "#" or with up to three spaces
        h = _HEADING.match(text[ls:le]) if text[ls] in "# \t" else None
        if kind == "text":
            if h:
                return "headline" if len(h.group(1)) == 1 else "intertitle"
            return "body"
        if h:
            return "intertitle"
        return "body"

    # ---------------------------------------------------------------- queries
    def segment_at(self, pos: int) -> Segment | None:
        i = bisect_right(self.seg_starts, pos) - 1
        if i >= 0:
            seg = self.segments[i]
            if pos <= seg.end:
                return seg
        return None

    def crosses_articles(self, s: int, e: int) -> bool:
        """Whether ``s:e`` reaches out of the article holding ``s`` (into a
        separator's line breaks)."""
        ends = self.article_ends
        i = bisect_left(ends, s)
        return (i < len(ends) and e > ends[i]) or (i > 0 and s < self.article_starts[i])

    def article_of(self, pos: int) -> int:
        return bisect_right(self.article_starts, pos) - 1

    def texts(self) -> list[str]:
        return [self.text[s:e] for s, e in zip(self.article_starts, self.article_ends, strict=True)]

    def local(self, pos: int) -> tuple[int, int, int, int]:
        """(article, offset in the article, line, column), 1-based line/column."""
        a = self.article_of(pos)
        line, col = self.line_col(pos)
        if self.article_lines is None:
            self.article_lines = [self.line_col(s)[0] for s in self.article_starts]
        return a, pos - self.article_starts[a], line - self.article_lines[a] + 1, col

    def section_kind(self, seg: Segment) -> str | None:
        kind = self.sections[seg.section].kind
        return None if kind == "text" else kind

    def line_col(self, pos: int) -> tuple[int, int]:
        if self.line_starts is None:
            self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        i = bisect_right(self.line_starts, pos) - 1
        return i + 1, pos - self.line_starts[i] + 1

    def visible(self, start: int, end: int) -> str:
        """Text of a span with protected characters removed (for counting)."""
        return self.masked[start:end].replace(MASK, "")

    # ---------------------------------------------------------------- edits
    def edited(self, edits: list[tuple[int, int, str]]) -> list[str]:
        """The articles' texts with sorted, non-overlapping ``(start, end,
        replacement)`` edits applied (the engine parses the result afresh). An edit
        never touches the protected separator; an insertion at an article's end
        belongs to it."""
        text = self.text
        out: list[str] = []
        k, n = 0, len(edits)
        for a_start, a_end in zip(self.article_starts, self.article_ends, strict=True):
            parts = []
            pos = a_start
            while k < n and edits[k][0] <= a_end:
                s, e, r = edits[k]
                parts.append(text[pos:s])
                parts.append(r)
                pos = e
                k += 1
            parts.append(text[pos:a_end])
            out.append("".join(parts))
        return out
