"""Outputs for pipelines: a palmarès page (or one article) as JSON a CMS can take —
the sections in order with their intertitles and provenance, and the findings that
remain — described by a committed JSON Schema (``schema/page.schema.json``)."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from laureate_writer.article import Article, Provenance, SectionKind
from laureate_writer.palmares import Palmares, description
from laureate_writer.violations import Violation

PAGE_FORMAT = "laureate-writer/page@1"


class JsonSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SectionKind
    intertitle: str | None = Field(default=None, description="The section's intertitle.")
    text: str = Field(description="The section's text (Markdown inline: *, **, links).")
    provenance: Provenance = Field(description="Who wrote it, from which template and dossier.")


class JsonArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    prize: str
    laureate: str
    prize_label: str
    headline: str
    sections: list[JsonSection]
    findings: list[Violation] = Field(
        default_factory=list, description="Style and fact findings left unresolved."
    )
    failures: dict[str, str] = Field(
        default_factory=dict, description="Sections that failed, with the reason."
    )


class JsonPage(BaseModel):
    """A palmarès page (``single``: one article's page)."""

    model_config = ConfigDict(extra="forbid", title="laureate-writer page")

    format: Literal["laureate-writer/page@1"] = PAGE_FORMAT
    title: str
    description: str = Field(description="A plain-text summary for meta description tags.")
    intro: str
    year: int
    lang: str
    single: bool = False
    articles: list[JsonArticle]


def _article(article: Article) -> JsonArticle:
    reports = article.reports or {}
    return JsonArticle(
        id=article.id,
        prize=article.prize,
        laureate=article.laureate,
        prize_label=article.text_of(SectionKind.prize_label),
        headline=article.text_of(SectionKind.headline),
        sections=[
            JsonSection(kind=s.kind, intertitle=s.intertitle, text=s.text, provenance=s.provenance)
            for s in article.sections
            if s.kind not in (SectionKind.prize_label, SectionKind.headline)
        ],
        findings=[Violation.model_validate(v) for v in reports.get("unresolved", [])],
        failures={str(k): str(v) for k, v in (reports.get("failures") or {}).items()},
    )


def page_document(page: Palmares) -> JsonPage:
    return JsonPage(
        title=page.title,
        description=description(page),
        intro=page.intro,
        year=page.year,
        lang=page.lang,
        single=page.single,
        articles=[_article(a) for a in page.articles],
    )


def page_json(page: Palmares) -> str:
    data = page_document(page).model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def page_schema() -> dict[str, Any]:
    schema = JsonPage.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
