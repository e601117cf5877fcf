"""The article: ordered sections with provenance, stored as Markdown with YAML front matter.

The Markdown file is what editors open. Each section follows a marker line
``<!-- lw:KIND -->``; the front matter keeps, per section, who wrote it and the hash of
what was written, so a section changed by hand since is detected (and protected from
regeneration). Reading a file back gives the identical model.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from laureate_writer.loading import (
    InputError,
    field_message,
    format_location,
    load_yaml_text,
    normalize_text,
)
from laureate_writer.markdown_text import escape_html, escape_text, unescape_html, unescape_text
from laureate_writer.sections import (  # noqa: F401 (re-exported: the article's vocabulary)
    BODY_WITH_INTERTITLES,
    FRENCH_NAMES,
    SECTION_ORDER,
    SectionKind,
)


def _invalid(what: str, exc: ValueError) -> str:
    """``what``, with the first problem pydantic found, as people read it."""
    if not isinstance(exc, ValidationError):
        return f"{what} : {exc}".splitlines()[0]
    first = exc.errors(include_url=False)[0]
    where = format_location(tuple(p for p in first["loc"] if isinstance(p, (int, str))))
    return f"{what} ({where} : {field_message(first, BaseModel, tuple(first['loc']))})"


# libyaml's emitter when PyYAML was built with it: the same text, five times faster (a
# palmarès run writes an article file as each laureate lands)
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the reader refuses aliases: a value shared twice is written twice


_DUMPER = _Dumper


HISTORY_LIMIT = 10  # previous versions kept per section
FORMAT = 2  # 2: short front matter, prose, then the metadata comment; 1: all in front
FRONT_KEYS = ("id", "prize", "laureate", "dossier", "dossier_hash")
META_OPEN, META_CLOSE = "<!-- lw:meta", "-->"


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)


def content_hash(intertitle: str | None, text: str) -> str:
    payload = f"{intertitle or ''}\x1f{text}".encode()
    return "sha256:" + hashlib.sha256(payload).hexdigest()[:16]


class Provenance(BaseModel):
    """Who wrote a section, from what, and when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    writer: str  # "offline", "openai", "langchain", "host", "hand"
    model: str | None = None
    template: str | None = None
    template_hash: str | None = None
    dossier_hash: str | None = None
    created: datetime = Field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    tokens_in: int | None = None
    tokens_out: int | None = None


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: SectionKind
    text: str
    intertitle: str | None = None
    provenance: Provenance
    hash: str = ""  # hash of (intertitle, text) when written; set by ``create``

    @classmethod
    def create(
        cls, kind: SectionKind, text: str, provenance: Provenance, intertitle: str | None = None
    ) -> Section:
        from laureate_writer.section_text import clean_intertitle, clean_text

        text = clean_text(kind.value, text)
        intertitle = clean_intertitle(intertitle, kind.value)
        return cls(
            kind=kind,
            text=text,
            intertitle=intertitle,
            provenance=provenance,
            hash=content_hash(intertitle, text),
        )

    @property
    def edited(self) -> bool:
        """True when the text no longer matches what the writer produced."""
        return self.hash != content_hash(self.intertitle, self.text)


class Article(BaseModel):
    """One laureate's write-up."""

    model_config = ConfigDict(extra="forbid")

    format: int = FORMAT
    id: str
    dossier: str | None = None  # path of the dossier file, relative to the article file
    dossier_hash: str | None = None
    prize: str
    laureate: str
    sections: list[Section]
    reports: dict[str, Any] = Field(default_factory=dict)  # style / facts reports
    # Previous versions per section kind, oldest first (regeneration can be undone).
    history: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)

    def section(self, kind: SectionKind | str) -> Section | None:
        kind = SectionKind(kind)
        return next((s for s in self.sections if s.kind == kind), None)

    def text_of(self, kind: SectionKind | str) -> str:
        found = self.section(kind)
        return found.text if found else ""

    @property
    def edited_sections(self) -> list[SectionKind]:
        return [s.kind for s in self.sections if s.edited]

    def replace_section(self, new: Section, *, keep_previous: bool = False) -> Article:
        """A copy with ``new`` in place of the section of its kind (added if missing);
        with ``keep_previous`` the replaced version goes into ``history``."""
        old = self.section(new.kind)
        sections = [new if s.kind == new.kind else s for s in self.sections]
        if old is None:
            sections.append(new)
            sections.sort(key=lambda s: SECTION_ORDER.index(s.kind))
        history = {k: list(v) for k, v in self.history.items()}
        if keep_previous and old is not None:
            entries = history.setdefault(new.kind.value, [])
            entries.append(old.model_dump(mode="json", exclude={"kind"}))
            del entries[:-HISTORY_LIMIT]
        return self.model_copy(update={"sections": sections, "history": history})

    def front_matter(self) -> str:
        """The short front matter above the prose: which laureate, from which dossier."""
        head = self.model_dump(mode="json", include=set(FRONT_KEYS))
        return _dump({k: head[k] for k in FRONT_KEYS})

    def metadata(self) -> str:
        """The bookkeeping kept after the prose, in one HTML comment (hidden when the
        Markdown is rendered): format, each section's provenance and hash (hand-edit
        detection), the reports, the history (undo)."""
        meta: dict[str, Any] = {"format": FORMAT}
        meta["sections"] = {
            s.kind.value: {
                **s.provenance.model_dump(mode="json", exclude_none=True),
                "hash": s.hash,
            }
            for s in self.sections
        }
        if self.reports:
            meta["reports"] = self.model_dump(mode="json", include={"reports"})["reports"]
        if self.history:
            meta["history"] = self.model_dump(mode="json", include={"history"})["history"]
        dumped = _dump(meta)
        if "-->" in dumped:  # a quoted text must not close the comment early
            dumped = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                               width=100, default_style='"').replace("-->", "--\\x3e")  # fmt: skip
        return f"{META_OPEN}\n{dumped}{META_CLOSE}\n"

    # --- Markdown ------------------------------------------------------------------

    def to_markdown(self) -> str:
        """The article file: a short front matter, the prose (within the first lines),
        then the bookkeeping (:meth:`metadata`)."""
        body = "\n\n".join(render_section(s) for s in self.sections)
        return _assemble(self, f"\n{body}\n")

    @classmethod
    def from_markdown(cls, text: str, path: str = "-") -> Article:
        text = normalize_text(text)  # CRLF files and decomposed accents read like any other
        front, body, body_line = _split_front_matter(text, path)
        meta, meta_line = _split_metadata(body, path, body_line)
        if meta_line:
            body = body[: body.rfind(f"\n{META_OPEN}\n") + 1]
            front.update(meta)
            listed_in, listed_line = text[text.rfind(f"\n{META_OPEN}\n") :], meta_line - 1
        else:  # a file of format 1: everything in the front matter
            listed_in, listed_line = text[: text.find("\n---\n", 3)], 0
        meta_sections = front.pop("sections", None) or {}
        if not isinstance(meta_sections, dict):
            raise InputError.single(
                path, "« sections » doit être une table", meta_line or 2, 1, "sections"
            )
        front["format"] = FORMAT  # read in any format, written in this one
        sections = []
        _check_history(front.get("history"), path)
        chunks = _iter_chunks(body, path, body_line)
        _check_listed_sections(
            path, listed_in, listed_line, meta_sections, {c[0] for c in chunks}, body_line
        )
        for kind, chunk, _line in chunks:
            info = meta_sections.get(kind.value) or {"writer": "hand"}
            if not isinstance(info, dict):
                raise InputError.single(
                    path,
                    "doit être une table de champs de provenance",
                    2,
                    1,
                    f"sections.{kind.value}",
                )
            info = dict(info)
            stored_hash = info.pop("hash", "")
            if not isinstance(stored_hash, str):
                raise InputError.single(
                    path, "doit être du texte", 2, 1, f"sections.{kind.value}.hash"
                )
            intertitle, section_text = _parse_section(kind, chunk)
            try:
                provenance = Provenance.model_validate(info)
            except ValueError as exc:
                raise InputError.single(
                    path,
                    _invalid("provenance invalide", exc),
                    2,
                    1,
                    f"sections.{kind.value}",
                ) from None
            sections.append(
                Section(
                    kind=kind,
                    text=section_text,
                    intertitle=intertitle,
                    provenance=provenance,
                    hash=stored_hash,
                )
            )
        try:
            return cls.model_validate({**front, "sections": sections})
        except ValueError as exc:
            raise InputError.single(path, _invalid("front matter invalide", exc)) from None

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


def _check_history(history: Any, path: str) -> None:
    """Each kept version must be a whole section, so that undo can put it back."""
    if history is None:
        return
    if not isinstance(history, dict):
        raise InputError.single(path, "doit être une table de noms de sections", 2, 1, "history")
    for name, entries in history.items():
        where = f"history.{name}"
        if name not in SectionKind.__members__:
            raise InputError.single(path, f"section inconnue « {name} »", 2, 1, "history")
        if not isinstance(entries, list):
            raise InputError.single(path, "doit être une liste de versions", 2, 1, where)
        for i, entry in enumerate(entries):
            try:
                Section.model_validate({**(entry if isinstance(entry, dict) else {}), "kind": name})
            except ValidationError as exc:
                raise InputError.single(
                    path, _invalid("version de section invalide", exc), 2, 1, f"{where}[{i}]"
                ) from None


def render_section(section: Section) -> str:
    marker = f"<!-- lw:{section.kind.value} -->\n"
    # Raw HTML and block structure in a writer's text stay text in the file too (read
    # back exactly as they were).
    text = escape_text(section.text)
    match section.kind:
        case SectionKind.headline:
            body = f"# {text}"
        case SectionKind.lead:
            body = f"**{text}**"
        case SectionKind.caption:
            body = f"*{text}*"
        case _ if section.intertitle is not None:
            body = f"## {escape_html(section.intertitle)}\n\n{text}"
        case _:
            body = text
    return marker + body


def _regions(text: str) -> tuple[str, str]:
    """The body of an article file (between the front matter and the metadata, as is)
    and what follows it."""
    end = text.find("\n---\n", 3)
    start = end + len("\n---\n")
    meta = text.rfind(f"\n{META_OPEN}\n", start)
    if meta < 0:
        return text[start:], ""
    return text[start : meta + 1], text[meta + 1 :]


def _assemble(article: Article, body: str) -> str:
    return f"---\n{article.front_matter()}---\n{body.rstrip(chr(10))}\n\n{article.metadata()}"


def with_metadata(text: str, updated: Article) -> str:
    """The file ``text`` with the front matter and metadata of ``updated``; the prose
    is left byte for byte."""
    return _assemble(updated, _regions(text)[0])


def prose_of(text: str) -> str:
    """An article file's prose: what lies between the front matter and the metadata."""
    return _regions(text)[0].strip("\n")


def splice(text: str, updated: Article, kind: SectionKind) -> str:
    """The file ``text`` with the front matter and metadata of ``updated`` and the body
    of section ``kind`` replaced; every other byte of the prose is left as it was."""
    body = _regions(text)[0]
    section = updated.section(kind)
    spans = {name: (start, stop) for name, start, stop in iter_section_spans(body)}
    if section is None or kind.value not in spans:
        # A section the file lacks is placed in order by re-rendering the body.
        return updated.to_markdown()
    start, stop = spans[kind.value]
    old = body[start:stop]
    trailing = old[len(old.rstrip("\n")) :]
    rendered = render_section(section).split("\n", 1)[1]
    return _assemble(updated, body[:start] + "\n" + rendered + trailing + body[stop:])


_MARKER = re.compile(r"^<!-- lw:([a-z_]+) -->[ \t]*$", re.MULTILINE)


def _split_metadata(body: str, path: str, body_line: int) -> tuple[dict[str, Any], int]:
    """The metadata comment closing the body, and the line it starts on (0: none)."""
    start = body.rfind(f"\n{META_OPEN}\n")
    if start < 0:
        return {}, 0
    line = body_line + body[: start + 1].count("\n")
    inside = body[start + len(META_OPEN) + 2 :].rstrip()
    if not inside.endswith(META_CLOSE):
        raise InputError.single(path, f"métadonnées non fermées par une ligne {META_CLOSE}", line)
    # the dossier reader's YAML, like the front matter: no aliases, bounded depth
    meta = load_yaml_text(path, inside[: -len(META_CLOSE)], first_line=line + 1) or {}
    if not isinstance(meta, dict):
        raise InputError.single(path, "les métadonnées doivent être une table", line + 1)
    return meta, line


def _split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    if not text.startswith("---\n"):
        raise InputError.single(
            path, "front matter YAML absent (le fichier doit commencer par ---)"
        )
    end = text.find("\n---\n", 3)
    if end < 0:
        raise InputError.single(path, "front matter non fermé par une ligne ---")
    # the dossier reader's YAML: no aliases (a 10 KB alias bomb), bounded depth
    front = load_yaml_text(path, text[4:end], first_line=2) or {}
    if not isinstance(front, dict):
        raise InputError.single(path, "le front matter doit être une table", 2)
    body_start = end + len("\n---\n")
    return front, text[body_start:], text[:body_start].count("\n") + 1


def iter_section_spans(body: str) -> list[tuple[SectionKind | str, int, int]]:
    """``(kind, start, end)`` offsets of each section's content after its marker."""
    markers = list(_MARKER.finditer(body))
    spans = []
    for i, match in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(body)
        spans.append((match.group(1), match.end(), end))
    return spans


# Anything that looks like a marker — indented, upper case, extra spaces — is checked:
# a near-miss silently read as text would merge two sections.
_LOOSE_MARKER = re.compile(r"<!--\s*lw\s*:", re.IGNORECASE)


def _iter_chunks(body: str, path: str, body_line: int) -> list[tuple[SectionKind, str, int]]:
    """The sections of the body, strictly: every marker well formed, known, once, in
    order, and no text before the first one; else a located InputError."""
    exact = {m.start() for m in _MARKER.finditer(body)}
    offset = 0
    for number, line in enumerate(body.split("\n")):
        loose = _LOOSE_MARKER.search(line)
        if loose and offset not in exact:
            raise InputError.single(
                path,
                "marqueur de section mal formé : écrivez-le seul sur sa ligne, exactement "
                "« <!-- lw:KIND --> » (en minuscules, sans retrait)",
                body_line + number,
                loose.start() + 1,
            )
        offset += len(line) + 1
    out = []
    seen: set[SectionKind] = set()
    spans = iter_section_spans(body)
    if spans and body[: spans[0][1]].split("<!--", 1)[0].strip():
        raise InputError.single(
            path,
            "texte avant le premier marqueur de section : il n’appartient à aucune section",
            body_line,
        )
    for name, start, end in spans:
        line = body_line + body[:start].count("\n")
        try:
            kind = SectionKind(name)
        except ValueError:
            raise InputError.single(
                path, f"marqueur de section inconnu « lw:{name} »", line, 1, "sections"
            ) from None
        if kind in seen:
            raise InputError.single(path, f"section « {name} » en double", line, 1, "sections")
        if seen and SECTION_ORDER.index(kind) < max(SECTION_ORDER.index(k) for k in seen):
            raise InputError.single(
                path,
                f"section « {name} » hors de son ordre (ordre des sections : "
                f"{', '.join(k.value for k in SECTION_ORDER)})",
                line,
                1,
                "sections",
            )
        seen.add(kind)
        out.append((kind, body[start:end].strip("\n"), line))
    if not out:
        raise InputError.single(path, "aucun marqueur de section (<!-- lw:KIND -->)", body_line)
    return out


def _check_listed_sections(
    path: str,
    listed_in: str,
    first_line: int,
    listed: dict[str, Any],
    found: set[SectionKind],
    line: int,
) -> None:
    """A section the metadata records but whose marker is gone: refuse, so that
    regenerating it never appends a second copy of text left without its marker.
    ``listed_in`` is the text that lists the sections, starting at ``first_line``."""
    for name in listed:
        if name in SectionKind.__members__ and SectionKind(name) not in found:
            where = re.search(rf"^[ \t]+{re.escape(name)}:", listed_in, re.M)
            at = first_line + listed_in[: where.start()].count("\n") + 1 if where else line
            raise InputError.single(
                path,
                f"le marqueur <!-- lw:{name} --> de la section « {name} » manque (remettez-le "
                f"au-dessus du texte de la section, ou retirez « {name} » des métadonnées)",
                at,
                3 if where else 1,
                f"sections.{name}",
            )


def _strip_wrapping(text: str, mark: str) -> str:
    if len(text) >= 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
        return text[len(mark) : -len(mark)]
    return text


def _parse_section(kind: SectionKind, chunk: str) -> tuple[str | None, str]:
    intertitle, text = _split_section(kind, chunk.strip())
    return (None if intertitle is None else unescape_html(intertitle)), unescape_text(text)


def _split_section(kind: SectionKind, chunk: str) -> tuple[str | None, str]:
    match kind:
        case SectionKind.headline:
            return None, re.sub(r"^#(?:[ \t]|$)", "", chunk).strip()
        case SectionKind.lead:
            return None, _strip_wrapping(chunk, "**").strip()
        case SectionKind.caption:
            return None, _strip_wrapping(chunk, "*").strip()
    if chunk.startswith("## "):
        title, _, rest = chunk.partition("\n")
        return title[3:].strip(), rest.strip()
    return None, chunk
