"""The one shape every checker reports in: house style, grammar, fact guard, and what the revise
loop sends back to a model. Spans are character offsets into the checked text."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_serializer, field_validator


class Severity(IntEnum):
    suggestion = 1
    warning = 2
    error = 3

    def __str__(self) -> str:
        return self.name

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        return value if isinstance(value, Severity) else cls[value]


class Violation(BaseModel):
    """One finding. ``start``/``end`` index into the text that was checked (a section's
    text, or a whole file); ``line``/``column`` are 1-based and filled by whoever knows
    the file layout."""

    model_config = ConfigDict(frozen=True)

    checker: Literal["style", "facts", "grammar"]
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    section: str | None = None
    line: int | None = None
    column: int | None = None
    excerpt: str = ""
    suggestion: str | None = None
    fixable: bool = False

    @field_validator("severity", mode="before")
    @classmethod
    def _severity_by_name(cls, value: object) -> object:
        return Severity[value] if isinstance(value, str) else value

    @field_serializer("severity")
    def _severity_name(self, value: Severity) -> str:
        return value.name

    def one_line(self, path: str = "-") -> str:
        """``path:line:col: severity rule: message`` (the form editors and CI parse)."""
        return (
            f"{path}:{self.line or 1}:{self.column or 1}: {self.severity} {self.rule}: "
            f"{self.message}"
        )
