"""What ``check`` reads in each kind of file: the product's own outputs are recognised
by type, so their structure is read as structure, not as prose.

* an article file (front matter and ``<!-- lw:KIND -->`` markers) and plain text are
  checked as they are;
* a palmarès page in Markdown (``## Le palmarès 2020`` then, per laureate, ``###``
  prize label, ``####`` headline, bold lead, ``#####`` intertitles, italic caption) gets
  the section markers an article file has, so the page title is a headline, prize
  labels are labels and ``## Le palmarès 2020`` is not an intertitle;
* an HTML file is read for its text content (never the ``<head>``, CSS or scripts), each
  block marked by its role: ``data-lw`` attributes, else classes (``lead``,
  ``caption``, ``kicker``, ``headline``), else the heading level.

A :class:`Checkable` keeps the map from the checked text back to the file, so findings
point at the file's own lines and columns. Text is checked in NFC like every text we read
(an NFD "e" + combining acute is an "é"); the map then also goes back through the
normalisation, so columns count the file's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Marker lines added for checking; "derived" tells them from an article's own markers.
_DERIVED = " derived"
_DERIVED_LINE = re.compile(r"^<!-- lw:[a-z_]+" + _DERIVED + r" -->\n", re.M)
_PAGE_HEADING = re.compile(r"^## Le palmarès \d{4}[ \t]*$", re.M)
_BODY_KINDS = ("context", "method", "details", "results")


@dataclass
class Checkable:
    """The text the style engine checks, and where each of its characters came from."""

    source: str
    text: str
    kind: str  # "text", "page" or "html"
    # (offset in text, offset in source) at the start of each copied run
    _runs: list[tuple[int, int]] = field(default_factory=list)
    # offset in the NFC form of the source -> offset in the source (None: source is NFC)
    _nfc: list[int] | None = None

    @property
    def verbatim(self) -> bool:
        """The checked text is the file's content, character for character."""
        return self.kind == "text" and self._nfc is None

    @property
    def fixable(self) -> bool:
        return self.kind != "html"

    def source_offset(self, pos: int) -> int:
        if not self._runs:
            return pos
        i = max(bisect_right([r[0] for r in self._runs], pos) - 1, 0)
        derived, original = self._runs[i]
        return original + max(pos - derived, 0)

    def _file_offset(self, pos: int) -> int:
        offset = self.source_offset(pos)
        if self._nfc is None:
            return offset
        return self._nfc[min(max(offset, 0), len(self._nfc) - 1)]

    def source_line_col(self, pos: int) -> tuple[int, int]:
        offset = self._file_offset(pos)
        line_start = self.source.rfind("\n", 0, offset) + 1
        return self.source.count("\n", 0, offset) + 1, offset - line_start + 1

    def restore(self, fixed: str) -> str:
        """The file's new content from the fixed checked text (page: markers dropped)."""
        if self.kind == "page":
            return _DERIVED_LINE.sub("", fixed)
        return fixed


def checkable(path: str, source: str) -> Checkable:
    """The checkable form of a file, by its name and content (checked in NFC; a fix
    writes the file back in NFC)."""
    if unicodedata.is_normalized("NFC", source):
        return _checkable(path, source)
    normalized, back = nfc_with_offsets(source)
    doc = _checkable(path, normalized)
    doc.source, doc._nfc = source, back
    return doc


def _checkable(path: str, source: str) -> Checkable:
    if path.lower().endswith((".html", ".htm")):
        return _from_html(source)
    if _PAGE_HEADING.search(source) and "<!-- lw:" not in source:
        return _from_page(source)
    return Checkable(source, source, "text")


def nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` in NFC, and for each offset in it (and its end) the offset in ``text``
    where that character's sequence starts.

    Text is cut before each character of combining class 0 (a composition never reaches
    back over a starter); a cut that would change the result (Hangul jamo, the few
    starters that compose) is not made, so every piece normalises on its own."""
    pieces: list[tuple[int, str]] = []  # (offset in text, piece)
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]):
            continue
        piece = text[start:i]
        if pieces:
            prev_start, prev = pieces[-1]
            joined = prev + piece
            if unicodedata.normalize("NFC", joined) != (
                unicodedata.normalize("NFC", prev) + unicodedata.normalize("NFC", piece)
            ):
                pieces[-1] = (prev_start, joined)
                start = i
                continue
        pieces.append((start, piece))
        start = i
    parts: list[str] = []
    back: list[int] = []
    for offset, piece in pieces:
        done = unicodedata.normalize("NFC", piece)
        parts.append(done)
        # the first character of a piece is its start; any later one (a mark that did not
        # compose) keeps its own place, as far as the piece goes
        back.extend(offset + min(k, len(piece) - 1) if k else offset for k in range(len(done)))
    back.append(len(text))
    return "".join(parts), back


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.runs: list[tuple[int, int]] = []

    def insert(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def copy(self, text: str, source_offset: int) -> None:
        self.runs.append((self.length, source_offset))
        self.insert(text)

    def marker(self, kind: str) -> None:
        self.insert(f"<!-- lw:{kind}{_DERIVED} -->\n")


def _page_kind(line: str, current: str | None, body: int) -> tuple[str | None, int]:
    """The section a page line opens (None: it continues the current one), and the
    count of intertitles seen in the current write-up."""
    if _PAGE_HEADING.match(line):
        return "label", 0
    if line.startswith("### "):
        return "prize_label", 0
    if current is None or current == "label" or not line.strip():
        return None, body
    if line.startswith("#### "):
        return "headline", body
    if line.startswith("**") and line.rstrip().endswith("**"):
        return "lead", body
    if line.startswith("##### "):
        return _BODY_KINDS[min(body + 1, len(_BODY_KINDS) - 1)], body + 1
    if line.startswith("*") and not line.startswith("**"):
        return "caption", body
    if current in ("prize_label", "headline", "lead"):
        return "context", body
    return None, body


def _from_page(source: str) -> Checkable:
    b = _Builder()
    current: str | None = None
    body = 0
    offset = 0
    for line in source.splitlines(keepends=True):
        kind, body = _page_kind(line.rstrip("\n"), current, body)
        if kind is not None:
            b.marker(kind)
            current = kind
        b.copy(line, offset)
        offset += len(line)
    return Checkable(source, "".join(b.parts), "page", b.runs)


# --- HTML ------------------------------------------------------------------------------

_SKIPPED = frozenset({"head", "script", "style", "template", "noscript", "svg", "nav"})
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "li",
        "ul", "ol", "blockquote", "figure", "figcaption", "table", "tr", "td", "th",
        "dl", "dt", "dd", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "body",
    }
)  # fmt: skip
_CLASS_ROLES = {
    "lead": "lead",
    "chapo": "lead",
    "caption": "caption",
    "legende": "caption",
    "kicker": "prize_label",
    "label": "label",
    "headline": "headline",
}
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "source"})


def _declared_role(attrs: list[tuple[str, str | None]]) -> str | None:
    """The role an element declares: ``data-lw``, else a known class."""
    named = dict(attrs)
    if named.get("data-lw"):
        return named["data-lw"]
    for cls in (named.get("class") or "").split():
        if cls in _CLASS_ROLES:
            return _CLASS_ROLES[cls]
    return None


def _review_note(attrs: list[tuple[str, str | None]]) -> bool:
    """Our page's « À vérifier » notes on a flagged section (``<aside class="flag"
    role="note">``): findings for the editor, not text — the Markdown page carries
    them in comments."""
    named = dict(attrs)
    return named.get("role") == "note" and "flag" in (named.get("class") or "").split()


class _HTMLText(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = _Builder()
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.skip = 0  # depth inside elements whose text is not content
        # open elements and the role each one declared (None: none of its own)
        self.open: list[tuple[str, str | None]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _inherited(self) -> str | None:
        return next((role for _, role in reversed(self.open) if role is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in _SKIPPED or _review_note(attrs):
            if tag not in _VOID:
                self.skip += 1
            return
        own = _declared_role(attrs)
        if tag in _BLOCKS:
            self.builder.insert("\n\n")
            self._open_block(tag, own)
        if tag not in _VOID:
            self.open.append((tag, own))

    def _open_block(self, tag: str, own: str | None) -> None:
        heading = len(tag) == 2 and tag[0] == "h" and tag[1].isdigit()
        if own is not None:
            self.builder.marker(own)
            if heading and own == "text":
                self.builder.insert("# " if tag == "h1" else "## ")
            return
        inherited = self._inherited()
        if inherited is not None and inherited != "text":
            if heading:
                self.builder.insert("## ")  # inside a section: an intertitle
            return
        if heading or tag == "p":
            self.builder.marker("text")
            if heading:
                self.builder.insert("# " if tag == "h1" else "## ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip and tag in _BLOCKS:
            self.builder.insert("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag not in _VOID:
                self.skip -= 1
            return
        if tag in _VOID:
            return
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break
        if tag in _BLOCKS:
            self.builder.insert("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.builder.copy(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        from html.entities import html5

        self._entity(html5.get(name + ";", f"&{name};"))

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            self._entity(chr(code))
        except (ValueError, OverflowError):
            self._entity(f"&#{name};")

    def _entity(self, char: str) -> None:
        if not self.skip:
            self.builder.copy(char, self._offset())


def _from_html(source: str) -> Checkable:
    parser = _HTMLText(source)
    parser.feed(source)
    parser.close()
    text = "".join(parser.builder.parts)
    return Checkable(source, text, "html", parser.builder.runs)
