"""Reading an article file into checkable sections, keeping every offset.

The article format: YAML front matter between ``---`` lines (with ``dossier: PATH``),
then sections each introduced by a marker line ``<!-- lw:KIND -->``, then the metadata
comment ``<!-- lw:meta … -->`` (not read here). Markdown syntax
(``#``/``##`` headings, ``**lead**``, ``*caption*``, ``>`` quotes) is blanked to spaces
rather than removed, so a claim's offset in a section plus the section's offset is its
offset in the file. A file without markers is one section, ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from laureate_writer.loading import InputError, load_yaml_text

SECTION_KINDS = (
    "prize_label",
    "headline",
    "lead",
    "context",
    "method",
    "details",
    "results",
    "caption",
)
_MARKER = re.compile(r"^<!-- lw:([A-Za-z_]+) -->[ \t]*\r?$", re.MULTILINE)
_HEADING = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]?)", re.MULTILINE)
_EMPHASIS = re.compile(r"(?<![*\w])(\*\*|\*|__|_)(?=\S)(.+?)(?<=\S)\1(?![*\w])", re.DOTALL)


@dataclass(frozen=True)
class SectionText:
    kind: str
    text: str  # Markdown syntax blanked to spaces; same length as the raw chunk
    offset: int  # where ``text`` starts in the file


@dataclass
class ArticleText:
    path: str
    text: str
    front: dict[str, Any] = field(default_factory=dict)
    sections: list[SectionText] = field(default_factory=list)

    @property
    def dossier(self) -> str | None:
        value = self.front.get("dossier")
        return value if isinstance(value, str) and value.strip() else None


def blank_markdown(chunk: str) -> str:
    """Replace Markdown markup by spaces (offsets unchanged)."""
    out = _HEADING.sub(lambda m: " " * len(m.group()), chunk)

    def unwrap(m: re.Match[str]) -> str:
        mark = " " * len(m.group(1))
        return mark + m.group(2) + mark

    return _EMPHASIS.sub(unwrap, out)


def _front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    """(front matter, offset of the body). No front matter: ({}, 0)."""
    if not (text.startswith("---\n") or text.startswith("---\r\n")):
        return {}, 0
    close = re.search(r"^---[ \t]*\r?$", text[4:], re.MULTILINE)
    if close is None:
        raise InputError.single(path, "front matter non fermé par une ligne ---", 1, 1)
    raw = text[4 : 4 + close.start()]
    front = load_yaml_text(path, raw, first_line=2) or {}
    if not isinstance(front, dict):
        raise InputError.single(path, "le front matter doit être une table de champs", 2, 1)
    dossier = front.get("dossier")
    if dossier is not None and not (isinstance(dossier, str) and dossier.strip()):
        line = 2 + next(
            (i for i, ln in enumerate(raw.splitlines()) if ln.startswith("dossier:")), 0
        )
        raise InputError.single(path, "doit être un chemin de fichier", line, 1, field="dossier")
    body = 4 + close.end()
    if body < len(text) and text[body] == "\n":
        body += 1
    return front, body


def parse_article(text: str, path: str = "-") -> ArticleText:
    """Split an article (or a plain text file) into sections with file offsets."""
    front, body = _front_matter(text, path)
    article = ArticleText(path, text, front)
    # the bookkeeping after the prose (an article file's metadata comment) is not prose
    meta = text.rfind("\n<!-- lw:meta\n", body)
    stop = meta + 1 if meta >= 0 else len(text)
    if meta >= 0:  # read with the same limits (no aliases, bounded depth), then left aside
        inside = text[meta + len("\n<!-- lw:meta\n") :].rstrip().removesuffix("-->")
        load_yaml_text(path, inside, first_line=text.count("\n", 0, meta) + 3)
    markers = list(_MARKER.finditer(text, body, stop))
    if not markers:
        article.sections.append(SectionText("text", blank_markdown(text[body:]), body))
        return article
    if text[body : markers[0].start()].strip():
        line = text.count("\n", 0, body) + 1
        raise InputError.single(path, "texte avant le premier marqueur de section", line, 1)
    seen: set[str] = set()
    for i, marker in enumerate(markers):
        kind = marker.group(1)
        line = text.count("\n", 0, marker.start()) + 1
        if kind not in SECTION_KINDS:
            raise InputError.single(
                path,
                f"marqueur de section inconnu « lw:{kind} » "
                f"(sections : {', '.join(SECTION_KINDS)})",
                line,
                1,
            )
        if kind in seen:
            raise InputError.single(path, f"section « {kind} » en double", line, 1)
        seen.add(kind)
        start = marker.end()
        end = markers[i + 1].start() if i + 1 < len(markers) else stop
        article.sections.append(SectionText(kind, blank_markdown(text[start:end]), start))
    return article
