"""The writer interface: what every backend (offline templates, chat models, a host
model through the plugin) implements. Requests and drafts are plain data, so the
pipeline, the CLI, the chat and the plugin all drive writers the same way."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod

from pydantic import BaseModel, ConfigDict, Field, model_validator

from laureate_writer.article import SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.violations import Violation


class NothingToSay(Exception):
    """The dossier holds nothing for this section: the article goes without it (content
    selection — no section without content, no filler)."""


class SectionRequest(BaseModel):
    """Ask for one section of one dossier, knowing what is already drafted."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    dossier: Dossier
    kind: SectionKind
    drafted: dict[SectionKind, str] = Field(default_factory=dict)
    instruction: str | None = None


class SectionDraft(BaseModel):
    """A writer's answer for one section, with what provenance needs."""

    kind: SectionKind
    text: str
    intertitle: str | None = None
    template: str | None = None
    template_hash: str | None = None
    model: str | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None

    @model_validator(mode="after")
    def _text_is_data(self) -> SectionDraft:
        # Whatever the writer returned is normalised before any check runs on it, so a
        # forged marker, comment or style switch can neither reach the file nor hide
        # the text from the checks.
        from laureate_writer.section_text import clean_intertitle, clean_text

        self.text = clean_text(self.kind.value, self.text)
        self.intertitle = clean_intertitle(self.intertitle, self.kind.value)
        return self


class Writer(ABC):
    """A backend that drafts sections. ``name`` goes into each section's provenance."""

    name: str = "writer"
    model: str | None = None
    supports_revision: bool = False  # can take violations back and rewrite (models can)

    @abstractmethod
    def draft_section(self, request: SectionRequest) -> SectionDraft:
        """Draft one section; raise on failure (the pipeline reports it per section)."""

    async def adraft_section(self, request: SectionRequest) -> SectionDraft:
        """Async form; backends with real I/O override it, others run in a thread."""
        return await asyncio.to_thread(self.draft_section, request)

    async def arevise(
        self, request: SectionRequest, draft: SectionDraft, violations: list[Violation]
    ) -> SectionDraft:
        """Rewrite ``draft`` so the violations go away (writers that can)."""
        raise NotImplementedError(f"le rédacteur {self.name} ne sait pas réviser")

    async def aregenerate(
        self, request: SectionRequest, current_text: str, current_intertitle: str | None
    ) -> SectionDraft:
        """Rewrite one section following ``request.instruction``. Writers that cannot follow
        instructions draft the section again from the dossier."""
        return await self.adraft_section(request)
