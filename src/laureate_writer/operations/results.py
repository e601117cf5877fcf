"""What operations return: pydantic results, the structured content of the MCP tools
and what the LangChain tools and the chat show."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from laureate_writer.violations import Severity, Violation

# --- results -------------------------------------------------------------------------------


class Finding(BaseModel):
    """One house-style or fact finding, in a shape a model can act on."""

    checker: str = Field(description="style, grammar, facts or structure")
    rule: str
    severity: Literal["error", "warning", "suggestion"]
    message: str
    section: str | None = None
    line: int | None = None
    column: int | None = None
    excerpt: str = ""
    suggestion: str | None = None

    @classmethod
    def of(cls, violation: Violation, section: str | None = None) -> Finding:
        return cls(
            checker=violation.checker,
            rule=violation.rule,
            severity=str(Severity(violation.severity)),  # type: ignore[arg-type]
            message=violation.message,
            section=violation.section or section,
            line=violation.line,
            column=violation.column,
            excerpt=violation.excerpt,
            suggestion=violation.suggestion,
        )

    def one_line(self) -> str:
        where = f"{self.section}: " if self.section else ""
        line = f"l.{self.line} " if self.line else ""
        fix = f" → {self.suggestion}" if self.suggestion else ""
        severity = SEVERITY_WORDS.get(self.severity, self.severity)
        return f"{where}{line}{severity} {self.rule} : {self.message}{fix}"


SEVERITY_WORDS = {"error": "erreur", "warning": "avertissement", "suggestion": "suggestion"}


class DossierEntry(BaseModel):
    path: str
    id: str | None = None
    laureate: str | None = None
    prize: str | None = None
    ok: bool = True
    error: str | None = None


class ArticleEntry(BaseModel):
    path: str
    id: str | None = None
    laureate: str | None = None
    dossier: str | None = None
    sections: list[str] = Field(default_factory=list)
    edited_by_hand: list[str] = Field(default_factory=list)
    ok: bool = True
    error: str | None = None


class WorkspaceListing(BaseModel):
    workspace: str
    dossiers: list[DossierEntry] = Field(default_factory=list)
    editions: list[str] = Field(default_factory=list)
    articles: list[ArticleEntry] = Field(default_factory=list)


class ValidationReport(BaseModel):
    path: str
    kind: str
    name: str = ""
    ok: bool
    problems: list[str] = Field(default_factory=list)


class SectionSummary(BaseModel):
    section: str
    writer: str
    intertitle: str | None = None
    words: int
    edited_by_hand: bool = False


class DraftReport(BaseModel):
    article: str = Field(description="The article file, relative to the workspace.")
    written: bool
    writer: str
    model: str | None = None
    sections: list[SectionSummary] = Field(default_factory=list)
    failures: dict[str, str] = Field(default_factory=dict)
    remaining: list[Finding] = Field(default_factory=list)
    facts_ok: bool = True
    markdown: str = Field(description="The article file's content.")


class SectionChange(BaseModel):
    article: str
    section: str
    action: Literal["regenerated", "restored", "saved"]
    writer: str
    text: str
    intertitle: str | None = None
    remaining: list[Finding] = Field(default_factory=list)
    diff: str = ""
    written: bool = True
    note: str | None = None


class StyleReport(BaseModel):
    target: str
    errors: int = 0
    warnings: int = 0
    suggestions: int = 0
    findings: list[Finding] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors == 0


class FixReport(BaseModel):
    article: str
    changed_sections: list[str] = Field(default_factory=list)
    diff: str = ""
    written: bool = False
    remaining: StyleReport


class FactsReport(BaseModel):
    article: str
    dossier: str
    ok: bool
    claims: int = 0
    supported: int = 0
    unsupported: list[Finding] = Field(default_factory=list)
    missing_results: list[str] = Field(
        default_factory=list, description="Dossier results the article never mentions."
    )


class PalmaresReport(BaseModel):
    page: str
    format: str
    written: bool
    laureates: list[str] = Field(default_factory=list)
    article_files: list[str] = Field(default_factory=list)
    failures: dict[str, dict[str, str]] = Field(default_factory=dict)
    remaining: int = 0


class BriefMessage(BaseModel):
    role: Literal["system", "user"]
    content: str


class SectionBrief(BaseModel):
    """What a host model needs to write one section itself."""

    dossier: str
    article: str | None = None
    section: str
    section_name: str = Field(description="The section's French name.")
    needs_intertitle: bool
    messages: list[BriefMessage]
    current_text: str | None = None
    current_intertitle: str | None = None
    how_to_answer: str


class SaveReport(BaseModel):
    article: str
    section: str
    created: bool = Field(description="True when the article file was created.")
    text: str = Field(description="The text as stored, after the safe house-style fixes.")
    intertitle: str | None = None
    fixes_applied: bool
    ok: bool = Field(description="True when no error remains.")
    remaining: list[Finding] = Field(default_factory=list)
    next_step: str


class ArticleView(BaseModel):
    article: str
    section: str | None = None
    text: str
