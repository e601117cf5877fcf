"""laureate-writer's operations as LangChain tools, for any LangChain / LangGraph agent.

>>> from laureate_writer.tools import make_tools
>>> from laureate_writer.operations import Context
>>> tools = make_tools(Context("newsroom/"))                       # doctest: +SKIP
>>> from langchain.agents import create_agent
>>> agent = create_agent("openai:gpt-4.1-mini", tools)            # doctest: +SKIP

The tools are the MCP plugin's (same names, same operations, same workspace
confinement). Each returns its result as JSON; an expected failure (a refused path, an
unknown section, a section edited by hand) comes back to the model as a short error
message it can act on, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from langchain_core.tools import BaseTool, ToolException, tool
from pydantic import BaseModel, Field

from laureate_writer import operations as ops

Section = Annotated[
    Literal["headline", "lead", "context", "method", "details", "results", "caption"],
    Field(description="The section: headline, lead, context, method, details, results, caption."),
]
SECTION_ORDER_HINT = "context, method, details, results, lead, headline, caption"

# The Markdown of a drafted article is long; agents get it through show_article on demand.
_OMIT: dict[str, set[str]] = {"draft_article": {"markdown"}}


def make_tools(ctx: ops.Context, *, include: set[str] | None = None) -> list[BaseTool]:
    """The LangChain tools over ``ctx``'s workspace (``include``: only those names)."""

    def run(name: str, operation: Callable[..., BaseModel], *args: Any) -> str:
        try:
            result = operation(ctx, *args)
        except ops.OperationError as exc:
            raise ToolException(f"Erreur : {exc}") from None
        return result.model_dump_json(exclude=_OMIT.get(name), exclude_none=True)

    @tool
    def list_workspace() -> str:
        """List the dossiers, edition files and article files of the workspace."""
        return run("list_workspace", ops.list_workspace)

    @tool
    def validate_dossier(
        path: Annotated[str, Field(description="The dossier file, e.g. 2020/brest.yaml.")],
    ) -> str:
        """Check a dossier (or an edition file and its dossiers) against the schema."""
        return run("validate_dossier", ops.validate, path)

    @tool
    def draft_article(
        dossier: Annotated[str, Field(description="The dossier file, e.g. 2020/brest.yaml.")],
        output: Annotated[str | None, Field(description="The article file to write.")] = None,
        overwrite: Annotated[bool, Field(description="Replace an existing article.")] = False,
    ) -> str:
        """Draft a whole article from a dossier with the configured writer and save it."""
        return run("draft_article", ops.draft_article, dossier, output, overwrite)

    @tool
    def regenerate_section(
        article: Annotated[str, Field(description="The article file, e.g. 2020/brest.md.")],
        section: Section,
        instruction: Annotated[
            str | None, Field(description="What to change, e.g. 'plus court'.")
        ] = None,
        force: Annotated[bool, Field(description="Replace a section edited by hand.")] = False,
    ) -> str:
        """Rewrite one section of an article following an instruction; the other sections
        stay as they are; undo_section reverts it."""
        return run("regenerate_section", ops.regenerate_section, article, section,
                   instruction, force)  # fmt: skip

    @tool
    def undo_section(
        article: Annotated[str, Field(description="The article file.")], section: Section
    ) -> str:
        """Put back the previous version of one section of an article."""
        return run("undo_section", ops.undo_section, article, section)

    @tool
    def check_style(
        article: Annotated[str | None, Field(description="An article file to check.")] = None,
        text: Annotated[str | None, Field(description="Or a text to check.")] = None,
        section: Annotated[
            Literal["headline", "lead", "context", "method", "details", "results", "caption"]
            | None,
            Field(description="The section the text is, or the only section to check."),
        ] = None,
    ) -> str:
        """House-style findings (French typography, terms, lengths…) for an article or a
        text, each with its rule, severity, message and suggestion."""
        return run("check_style", ops.check_style, article, text, section)

    @tool
    def fix_style(article: Annotated[str, Field(description="The article file.")]) -> str:
        """Apply every safe house-style fix to an article; returns what remains."""
        return run("fix_style", ops.fix_style, article)

    @tool
    def check_facts(article: Annotated[str, Field(description="The article file.")]) -> str:
        """Trace every figure, date, name and quote of an article to its dossier."""
        return run("check_facts", ops.check_facts, article)

    @tool
    def build_palmares(
        edition: Annotated[str, Field(description="The edition file, e.g. 2020/palmares.yaml.")],
        output: Annotated[str | None, Field(description="The page file (.md or .html).")] = None,
    ) -> str:
        """Draft a whole palmarès page (title, intro, every laureate in prize order)."""
        return run("build_palmares", ops.build_palmares, edition, output)

    @tool
    def show_article(
        article: Annotated[str, Field(description="The article file.")],
        section: Annotated[
            Literal["headline", "lead", "context", "method", "details", "results", "caption"]
            | None,
            Field(description="Only this section."),
        ] = None,
    ) -> str:
        """An article's Markdown, or one section's text."""
        return run("show_article", ops.show_article, article, section)

    @tool
    def get_section_brief(
        target: Annotated[str, Field(description="A dossier or an existing article file.")],
        section: Section,
        instruction: Annotated[str | None, Field(description="An editor's instruction.")] = None,
    ) -> str:
        """The brief for one section (the prompt and the dossier data) so that you write it
        yourself, then call save_section. Order: context, method, details, results, lead,
        headline, caption."""
        return run("get_section_brief", ops.section_brief, target, section, instruction)

    @tool
    def save_section(
        article: Annotated[str, Field(description="The article file (created if missing).")],
        section: Section,
        text: Annotated[str, Field(description="The section's text, in French.")],
        intertitle: Annotated[
            str | None, Field(description="A short intertitle (method, details, results).")
        ] = None,
        dossier: Annotated[str | None, Field(description="The dossier, to create it.")] = None,
    ) -> str:
        """Store a section you wrote: safe style fixes applied, style and facts checked;
        returns the errors left to correct (call again until ok is true)."""
        return run("save_section", ops.save_section, article, section, text, intertitle,
                   dossier)  # fmt: skip

    tools: list[BaseTool] = [
        list_workspace, validate_dossier, draft_article, regenerate_section, undo_section,
        check_style, fix_style, check_facts, build_palmares, show_article,
        get_section_brief, save_section,
    ]  # fmt: skip
    for item in tools:
        item.handle_tool_error = True  # ToolException → its message, for the model to read
    if include is not None:
        tools = [t for t in tools if t.name in include]
    return tools
