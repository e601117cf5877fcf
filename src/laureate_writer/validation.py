"""``validate`` and ``schema``: checking files and publishing the JSON Schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laureate_writer.dossier import Dossier, Edition
from laureate_writer.loading import InputError, parse_document, read_text, validate

if TYPE_CHECKING:
    from laureate_writer.palmares import Resolver


@dataclass
class FileResult:
    path: str
    kind: str  # "dossier" or "edition"
    name: str = ""
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "kind": self.kind,
            "name": self.name,
            "ok": self.ok,
            "errors": [
                {
                    "file": p.path,
                    "line": p.line,
                    "column": p.column,
                    "field": p.field,
                    "message": p.message,
                }
                for p in (self.error.problems if self.error else [])
            ],
        }


def validate_file(path: Path, *, resolve: Resolver | None = None) -> FileResult:
    """Validate one file; an edition file is validated together with its dossiers (their
    paths through ``resolve``: the plugin confines them to its workspace)."""
    kind = "dossier"
    try:
        document = parse_document(path, read_text(path))
        if isinstance(document.data, dict) and "dossiers" in document.data:
            from laureate_writer.palmares import beside, load_edition

            kind = "edition"
            loaded = load_edition(path, resolve=resolve or beside)
            return FileResult(str(path), kind, f"{loaded.edition.award.year}")
        dossier = validate(Dossier, document)
        return FileResult(str(path), kind, dossier.id)
    except InputError as exc:
        return FileResult(str(path), kind, error=exc)


def validate_files(paths: list[Path]) -> list[FileResult]:
    return [validate_file(p) for p in paths]


def json_schema(kind: str) -> str:
    if kind == "page":
        from laureate_writer.exports import page_schema

        schema = page_schema()
    elif kind == "article":
        from laureate_writer.article import Article

        schema = Article.model_json_schema()
    else:
        schema = (Edition if kind == "edition" else Dossier).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://laureate-writer.example/schema/{kind}.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
