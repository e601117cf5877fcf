"""Writer text placed in Markdown stays text: it can never open raw HTML (a ``<script>``,
an ``<img onerror=…>``, an ``<!-- lw: -->`` marker) or page structure (a heading, a rule,
a quote, a code fence, a link definition) in any Markdown we write.

* :func:`escape_html` / :func:`unescape_html` are exact inverses: text with ``<`` as
  ``&lt;`` (``-->`` as ``--&gt;``, and an ``&`` that would start an entity as ``&amp;``)
  reads back as it was (hashes and hand-edit detection unchanged).
* :func:`escape_text` / :func:`unescape_text` add the same for block structure: what
  would open a block at the start of a line (a heading, a rule, a fence…) gets a
  backslash, the CommonMark way; the article file keeps section text so.
* :func:`inert_block` and :func:`inert_line` are for output only (the palmarès page and
  its HTML): as above, and lists made literal too; one line stays one line.

Ordinary French text (« », ’, espaces insécables, « R&D », 3 000) is never touched.
"""

from __future__ import annotations

import re

# An "&" that a Markdown renderer would read as an entity (``&lt;``, ``&#60;``, ``&eacute;``).
_ENTITY_AMP = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ESCAPED = re.compile(r"&(lt|gt|amp);")
_UNESCAPED = {"lt": "<", "gt": ">", "amp": "&"}

# What opens a block at the start of a line (after up to three spaces): ATX heading,
# block quote, code fence, bullet, link definition, a line of = - * _ (setext underline or
# thematic break), or a backslash (escaped too, so that unescaping is exact).
_BLOCK_START = re.compile(
    r"^([ \t]{0,3})(?=\\|#{1,6}(?:[ \t]|$)|>|`{3,}|~{3,}|[-+*](?:[ \t]|$)|\[[^\]\n]*\]:"
    r"|[=\-*_][=\-*_ \t]*$)",
    re.M,
)
_ESCAPED_START = re.compile(r"^([ \t]{0,3})\\", re.M)
_ORDERED = re.compile(r"^([ \t]{0,3}\d{1,9})([.)])(?=[ \t]|$)", re.M)


def escape_html(text: str) -> str:
    """``<`` as ``&lt;``, the ``>`` of a ``-->`` as ``&gt;`` (no comment closer either), an
    entity-like ``&`` as ``&amp;``. Inverse: :func:`unescape_html`."""
    return _ENTITY_AMP.sub("&amp;", text).replace("<", "&lt;").replace("-->", "--&gt;")


def unescape_html(text: str) -> str:
    """The text :func:`escape_html` was given (one left-to-right pass)."""
    return _ESCAPED.sub(lambda m: _UNESCAPED[m.group(1)], text)


def escape_text(text: str) -> str:
    """Section text as the article file keeps it: :func:`escape_html`, and a backslash
    before what would open a block at a line start. Inverse: :func:`unescape_text`."""
    return _BLOCK_START.sub(r"\1\\", escape_html(text))


def unescape_text(text: str) -> str:
    """The text :func:`escape_text` was given."""
    return unescape_html(_ESCAPED_START.sub(r"\1", text))


def inert_block(text: str) -> str:
    """Paragraph text for a Markdown page: inline Markdown (emphasis, links) kept, raw
    HTML and block structure (lists too) made literal."""
    return _ORDERED.sub(r"\1\\\2", escape_text(text))


def inert_line(text: str) -> str:
    """One-line text (a heading, a label, the lead): on one line, HTML made literal."""
    return " ".join(escape_html(text).split("\n")).strip()
