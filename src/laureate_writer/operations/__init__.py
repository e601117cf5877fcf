"""The operations the MCP plugin, the LangChain tools and the terminal chat share.

Each operation is a plain function over the library API: it takes a :class:`Context`
(the workspace, the writer, the house style, where articles are read and written) and
workspace-relative paths, and returns a pydantic result — what an MCP tool returns as
structured content, what a LangChain tool hands back to an agent, what the chat prints.

Every path goes through :class:`~laureate_writer.workspace.Workspace` (confinement) and
every text through the size limits. Expected failures — a refused path, a bad dossier, a
section edited by hand, a model that failed — raise :class:`OperationError`, whose message
is one clear line meant to be read by a person or a model; nothing here prints.

Two ways to write a section, both first-class:

* the configured writer drafts (``draft_article``, ``regenerate_section``): a model when
  one is configured, else the offline writer;
* the **host** drafts: ``section_brief`` hands the rendered prompt and the dossier data to
  the caller's own model, and ``save_section`` takes its text back, applies the safe
  house-style fixes, runs the style and fact checks, stores the section with provenance
  ``writer: host`` and returns what is left to correct.

Nothing here imports a model client, MCP or LangChain: the writer is built lazily, only
when an operation needs one.
"""

from __future__ import annotations

from laureate_writer.loading import InputError
from laureate_writer.operations.checks import (
    check_facts,
    check_style,
    fix_style,
    show_article,
)
from laureate_writer.operations.context import (
    SECTION_NAMES,
    ArticleFiles,
    Context,
    OperationError,
    SectionName,
    article_dossier_of,
    guarded,
)
from laureate_writer.operations.host import (
    HOW_TO_ANSWER,
    save_section,
    section_brief,
)
from laureate_writer.operations.listing import (
    list_workspace,
    validate,
)
from laureate_writer.operations.results import (
    ArticleEntry,
    ArticleView,
    BriefMessage,
    DossierEntry,
    DraftReport,
    FactsReport,
    Finding,
    FixReport,
    PalmaresReport,
    SaveReport,
    SectionBrief,
    SectionChange,
    SectionSummary,
    StyleReport,
    ValidationReport,
    WorkspaceListing,
)
from laureate_writer.operations.writing import (
    build_palmares,
    default_article_path,
    draft_article,
    regenerate_section,
    undo_section,
)

__all__ = [
    "HOW_TO_ANSWER",
    "SECTION_NAMES",
    "ArticleEntry",
    "ArticleFiles",
    "ArticleView",
    "BriefMessage",
    "Context",
    "DossierEntry",
    "DraftReport",
    "FactsReport",
    "Finding",
    "FixReport",
    "InputError",
    "OperationError",
    "PalmaresReport",
    "SaveReport",
    "SectionBrief",
    "SectionChange",
    "SectionName",
    "SectionSummary",
    "StyleReport",
    "ValidationReport",
    "WorkspaceListing",
    "article_dossier_of",
    "build_palmares",
    "check_facts",
    "check_style",
    "default_article_path",
    "draft_article",
    "fix_style",
    "guarded",
    "list_workspace",
    "regenerate_section",
    "save_section",
    "section_brief",
    "show_article",
    "undo_section",
    "validate",
]
