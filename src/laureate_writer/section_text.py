"""Text is data: what any writer (model, host, person in the chat) returns for a section
is normalised before it is stored, so it can never forge the article file's structure.

After :func:`clean_text` a section's text holds no HTML comment (so no ``lw:`` marker and
no ``lw-style off`` switch), no heading line, no ``---``/``===`` fence or underline, no
control character; a one-line section (headline, lead, caption, label) and an
intertitle are one line. Raw HTML is left as text: every Markdown writer escapes it
(:mod:`laureate_writer.markdown_text`).
Normalising is idempotent: ``clean_text(k, clean_text(k, t)) == clean_text(k, t)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from laureate_writer.loading import normalize_text

#: Line breaks Python's ``splitlines`` knows beyond ``\n`` (``\r`` handled first).
_ODD_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
#: Other control characters (tab kept), the BOM and bidi overrides that could hide text.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\u202a-\u202e\u2066-\u2069]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_COMMENT_ENDS = re.compile(r"<!--|-->")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?=[ \t]|$)[ \t]*", re.M)
_FENCE_LINE = re.compile(r"^[ \t]*(?:-[ \t]*|=[ \t]*|\*[ \t]*|_[ \t]*)+$", re.M)
_SPACES = re.compile(r"[ \t\n]+")
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")

ONE_LINE_KINDS = frozenset({"headline", "lead", "caption", "prize_label"})


def _common(text: str) -> str:
    # line ends and NFC as every file is read (an NFD "é" must come back as it was kept)
    text = normalize_text(text)
    text = _ODD_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    # Comments first (a marker or a style switch is a comment), then any opener or closer
    # left (a removal can join two halves into a new one: loop to a fixed point).
    text = _COMMENT.sub("", text)
    while _COMMENT_ENDS.search(text):
        text = _COMMENT_ENDS.sub("", text)
    return text


def _one_line(text: str) -> str:
    # not str.split(): it would also break on the no-break spaces French typography needs
    return _SPACES.sub(" ", text).strip()


def _fixed_point(step: Callable[[str], str], text: str) -> str:
    # Removing a mark can expose another ("# # x", "# ---"): repeat until nothing changes.
    while (after := step(text)) != text:
        text = after
    return text


def _flat(text: str) -> str:
    return _one_line(_HEADING.sub("", _FENCE_LINE.sub("", text)))


def clean_intertitle(text: str | None, kind: str = "method") -> str | None:
    """An intertitle on one line, with no heading marks or comments; None when empty or
    when sections of ``kind`` have none (a one-line section shows no intertitle)."""
    if text is None or kind in ONE_LINE_KINDS:
        return None
    return _fixed_point(_flat, _common(text)) or None


def clean_text(kind: str, text: str) -> str:
    """The section text of ``kind`` (a :class:`~laureate_writer.article.SectionKind` value)
    as it may be stored."""
    text = _common(text)
    if kind in ONE_LINE_KINDS:
        return _fixed_point(_flat, text)
    return _fixed_point(_paragraphs, text)


def _paragraphs(text: str) -> str:
    text = _HEADING.sub("", _FENCE_LINE.sub("", text))
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
