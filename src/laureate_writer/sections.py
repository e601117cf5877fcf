"""The sections of an article, in order, with their French names: no pydantic here, so
the command line can build its ``--section`` choices without loading the article model."""

from __future__ import annotations

from enum import StrEnum


class SectionKind(StrEnum):
    prize_label = "prize_label"
    headline = "headline"
    lead = "lead"
    context = "context"
    method = "method"
    details = "details"
    results = "results"
    caption = "caption"

    @property
    def french(self) -> str:
        """The section's name in the newsroom's words (prompts, chat, plugin)."""
        return FRENCH_NAMES[self]

    @property
    def has_intertitle(self) -> bool:
        return self in BODY_WITH_INTERTITLES

    @property
    def scope(self) -> str:
        """The house-style scope of the section's text."""
        return {
            SectionKind.headline: "headline",
            SectionKind.lead: "lead",
            SectionKind.caption: "caption",
            SectionKind.prize_label: "label",
        }.get(self, "body")


SECTION_ORDER = list(SectionKind)
FRENCH_NAMES = {
    SectionKind.prize_label: "label du prix",
    SectionKind.headline: "titre",
    SectionKind.lead: "chapô",
    SectionKind.context: "contexte",
    SectionKind.method: "méthode",
    SectionKind.details: "détails",
    SectionKind.results: "résultats",
    SectionKind.caption: "légende",
}


BODY_WITH_INTERTITLES = (SectionKind.method, SectionKind.details, SectionKind.results)
