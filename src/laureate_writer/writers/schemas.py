"""What a model must answer for each section: small pydantic models, strict-schema
friendly (no defaults, no field constraints: OpenAI's strict mode refuses them; length
and style are checked afterwards by the house style)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from laureate_writer.article import SectionKind


class SectionText(BaseModel):
    """A section without intertitle (headline, lead, context, caption)."""

    model_config = ConfigDict(extra="forbid")

    text: str


class SectionWithIntertitle(BaseModel):
    """A body section with its short intertitle (method, details, results)."""

    model_config = ConfigDict(extra="forbid")

    intertitle: str
    text: str


def output_schema(kind: SectionKind) -> type[SectionText] | type[SectionWithIntertitle]:
    return SectionWithIntertitle if kind.has_intertitle else SectionText
