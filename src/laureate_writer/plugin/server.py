"""The MCP server: laureate-writer's operations as tools, the workspace as resources.

Tools (snake_case, as some hosts reject dots): ``list_workspace``, ``validate_dossier``,
``draft_article``, ``regenerate_section``, ``undo_section``, ``check_style``,
``fix_style``, ``check_facts``, ``build_palmares``, ``show_article``, and the
host-drafted pair ``get_section_brief`` / ``save_section``.

Resources: ``laureate://workspace`` (the index), ``laureate://dossiers/{+path}``,
``laureate://articles/{+path}``, ``laureate://style`` (the active house style).
Prompts: ``rediger_laureat`` (« Rédiger un lauréat »), ``reviser_section``
(« Réviser une section »).

Errors the model should read are raised as ``ToolError`` with one clear line — a refused
path, a bad dossier, a section edited by hand — never a traceback.
"""

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field

from laureate_writer import operations as ops
from laureate_writer.workspace import (
    ARTICLE_SUFFIXES,
    DOSSIER_SUFFIXES,
    MAX_INSTRUCTION_CHARS,
    MAX_INTERTITLE_CHARS,
    MAX_PATH_CHARS,
    MAX_SECTION_CHARS,
    WorkspaceError,
)

SERVER_NAME = "laureate-writer"
T = TypeVar("T")

INSTRUCTIONS = """\
laureate-writer drafts French write-ups of award laureates (palmarès pages) from dossiers
(YAML files of facts), held to the newsroom's house style and to the dossier's facts.
Every path is relative to the workspace folder.

Two ways to write:
1. The server writes: draft_article drafts a whole article with the configured writer;
   regenerate_section rewrites one section following an instruction ("plus court",
   "mets en avant les résultats"); undo_section puts the previous version back.
2. You write (host-drafted): get_section_brief gives you the brief and the dossier data for
   one section; write the section yourself, then call save_section with your text. It applies
   the safe style fixes, checks style and facts, stores the section and returns the errors
   left: correct them and call save_section again until ok is true. Never invent a figure,
   a date, a name or a quotation: only the dossier's facts.

check_style, fix_style and check_facts review an article; build_palmares drafts a page.
"""

SECTION_ORDER_HINT = "context, method, details, results, lead, headline, caption"

Section = Annotated[
    ops.SectionName,
    Field(description="The section: headline, lead, context, method, details, results, caption."),
]


def _path(description: str) -> Any:
    return Annotated[str, Field(description=description, max_length=MAX_PATH_CHARS)]


def build_server(ctx: ops.Context) -> Any:
    """An ``MCPServer`` whose tools run the shared operations in ``ctx``'s workspace."""
    from mcp.server import MCPServer
    from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
    from mcp.types import ToolAnnotations

    from laureate_writer import __version__

    server = MCPServer(SERVER_NAME, title="laureate-writer", instructions=INSTRUCTIONS,
                       version=__version__, log_level="WARNING")  # fmt: skip

    def call(operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return operation(ctx, *args, **kwargs)
        except ops.OperationError as exc:
            raise ToolError(str(exc)) from None

    reading = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
    writing = ToolAnnotations(read_only_hint=False, destructive_hint=False,
                              open_world_hint=False)  # fmt: skip
    replacing = ToolAnnotations(read_only_hint=False, destructive_hint=True,
                                open_world_hint=False)  # fmt: skip

    # --- tools ---------------------------------------------------------------------------

    @server.tool(title="List the workspace", annotations=reading)
    def list_workspace() -> ops.WorkspaceListing:
        """List the dossiers, edition files and article files of the workspace."""
        return call(ops.list_workspace)

    @server.tool(title="Validate a dossier", annotations=reading)
    def validate_dossier(
        path: _path("The dossier (or edition) file, e.g. 2020/brest.yaml."),
    ) -> ops.ValidationReport:
        """Check a dossier (or an edition file and its dossiers) against the schema; each
        problem is reported as FILE:LINE:COL: FIELD: MESSAGE."""
        return call(ops.validate, path)

    @server.tool(title="Draft an article", annotations=replacing)
    def draft_article(
        dossier: _path("The dossier file, e.g. 2020/brest.yaml."),
        output: Annotated[
            str | None,
            Field(
                description="The article file to write (default: next to the dossier, .md).",
                max_length=MAX_PATH_CHARS,
            ),
        ] = None,
        overwrite: Annotated[bool, Field(description="Replace an existing article.")] = False,
    ) -> ops.DraftReport:
        """Draft a whole article from a dossier with the server's writer (a model if one is
        configured, else the offline templates) and save it; returns its Markdown."""
        return call(ops.draft_article, dossier, output, overwrite)

    @server.tool(title="Regenerate a section", annotations=writing)
    def regenerate_section(
        article: _path("The article file, e.g. 2020/brest.md."),
        section: Section,
        instruction: Annotated[
            str | None,
            Field(
                description="What to change, in plain words (e.g. 'plus court').",
                max_length=MAX_INSTRUCTION_CHARS,
            ),
        ] = None,
        force: Annotated[bool, Field(description="Replace a section edited by hand.")] = False,
        dry_run: Annotated[bool, Field(description="Show the diff; write nothing.")] = False,
    ) -> ops.SectionChange:
        """Rewrite one section of an article with the server's writer, following an
        instruction; the other sections stay as they are; undo_section reverts it."""
        return call(ops.regenerate_section, article, section, instruction, force, dry_run)

    @server.tool(title="Undo a section change", annotations=writing)
    def undo_section(article: _path("The article file."), section: Section) -> ops.SectionChange:
        """Put back the previous version of one section of an article."""
        return call(ops.undo_section, article, section)

    @server.tool(title="Check the house style", annotations=reading)
    def check_style(
        article: Annotated[
            str | None, Field(description="An article file to check.", max_length=MAX_PATH_CHARS)
        ] = None,
        text: Annotated[
            str | None, Field(description="Or a text to check.", max_length=MAX_SECTION_CHARS)
        ] = None,
        section: Annotated[
            ops.SectionName | None,
            Field(
                description="With text: the section it is (sets the rules that apply); "
                "with article: check only that section."
            ),
        ] = None,
    ) -> ops.StyleReport:
        """House-style findings (French typography, terms, lengths…) for an article file or
        a text, each with its rule, severity, message and suggestion."""
        return call(ops.check_style, article, text, section)

    @server.tool(title="Fix the house style", annotations=writing)
    def fix_style(
        article: _path("The article file."),
        dry_run: Annotated[bool, Field(description="Show the diff; write nothing.")] = False,
    ) -> ops.FixReport:
        """Apply every safe house-style fix (spacing, quotes, apostrophes…) to an article;
        returns the diff and what remains to fix by hand."""
        return call(ops.fix_style, article, dry_run)

    @server.tool(title="Check the facts", annotations=reading)
    def check_facts(
        article: _path("The article file."),
        dossier: Annotated[
            str | None,
            Field(description="The dossier, if not the article's.", max_length=MAX_PATH_CHARS),
        ] = None,
    ) -> ops.FactsReport:
        """Trace every figure, date, name and quote of an article to its dossier; lists what
        the dossier does not support and the dossier results the article never mentions."""
        return call(ops.check_facts, article, dossier)

    @server.tool(title="Build a palmarès page", annotations=replacing)
    def build_palmares(
        edition: _path("The edition file, e.g. 2020/palmares.yaml."),
        output: Annotated[
            str | None,
            Field(description="The page file (.md or .html).", max_length=MAX_PATH_CHARS),
        ] = None,
        format: Annotated[Literal["md", "html"] | None, Field(description="md or html.")] = None,
        articles_dir: Annotated[
            str | None,
            Field(description="Also write each article here.", max_length=MAX_PATH_CHARS),
        ] = None,
    ) -> ops.PalmaresReport:
        """Draft a whole palmarès page (title, intro, every laureate in prize order)."""
        return call(ops.build_palmares, edition, output, format, articles_dir)

    @server.tool(title="Show an article", annotations=reading)
    def show_article(
        article: _path("The article file."),
        section: Annotated[ops.SectionName | None, Field(description="Only this section.")] = None,
    ) -> ops.ArticleView:
        """An article's Markdown, or one section's text."""
        return call(ops.show_article, article, section)

    @server.tool(title="Get a section brief (you write)", annotations=reading)
    def get_section_brief(
        target: _path("A dossier (to start a new article) or an existing article file."),
        section: Section,
        instruction: Annotated[
            str | None,
            Field(
                description="An editor's instruction for a rewrite.",
                max_length=MAX_INSTRUCTION_CHARS,
            ),
        ] = None,
    ) -> ops.SectionBrief:
        """The brief for one section — the prompt and the dossier data — so that you write
        it yourself; then call save_section with your text. Write the sections in this
        order: context, method, details, results, lead, headline, caption."""
        return call(ops.section_brief, target, section, instruction)

    @server.tool(title="Save a section you wrote", annotations=writing)
    def save_section(
        article: _path("The article file (created if missing, with dossier given)."),
        section: Section,
        text: Annotated[
            str, Field(description="The section's text, in French.", max_length=MAX_SECTION_CHARS)
        ],
        intertitle: Annotated[
            str | None,
            Field(
                description="A short intertitle (method, details, results).",
                max_length=MAX_INTERTITLE_CHARS,
            ),
        ] = None,
        dossier: Annotated[
            str | None,
            Field(description="The dossier, to create the article.", max_length=MAX_PATH_CHARS),
        ] = None,
        model: Annotated[
            str | None, Field(description="Your model's name, for provenance.", max_length=100)
        ] = None,
        force: Annotated[bool, Field(description="Replace a section edited by hand.")] = False,
    ) -> ops.SaveReport:
        """Store a section you wrote: the safe style fixes are applied, style and facts are
        checked, the section is stored with its provenance; returns the errors left to
        correct (call again with a corrected text until ok is true)."""
        return call(ops.save_section, article, section, text, intertitle, dossier, model, force)

    # --- resources -----------------------------------------------------------------------

    def read(given: str, suffixes: tuple[str, ...], what: str) -> str:
        try:
            path = ctx.workspace.resolve(given, suffixes=suffixes, what=what)
            return ctx.store.read(path)
        except WorkspaceError as exc:
            raise ResourceNotFoundError(str(exc)) from None
        except ops.InputError as exc:
            raise ResourceError(ctx.scrub(str(exc))) from None

    @server.resource("laureate://workspace", name="workspace", title="Workspace index",
                     mime_type="application/json",
                     description="Dossiers, editions and articles of the workspace.")  # fmt: skip
    def workspace_index() -> str:
        try:
            listing = ops.list_workspace(ctx)
        except ops.OperationError as exc:
            raise ResourceError(str(exc)) from None
        return listing.model_dump_json(indent=1)

    @server.resource("laureate://dossiers/{+path}", name="dossier", title="A dossier",
                     mime_type="text/yaml",
                     description="A dossier file of the workspace (YAML or JSON).")  # fmt: skip
    def dossier_resource(path: str) -> str:
        return read(path, DOSSIER_SUFFIXES, "dossier")

    @server.resource("laureate://articles/{+path}", name="article", title="An article",
                     mime_type="text/markdown",
                     description="An article file: Markdown with front matter.")  # fmt: skip
    def article_resource(path: str) -> str:
        return read(path, ARTICLE_SUFFIXES, "article")

    @server.resource("laureate://style", name="style", title="Active house style",
                     mime_type="text/markdown",
                     description="The house style the checks and fixes apply.")  # fmt: skip
    def style_resource() -> str:
        return describe_style(ctx.style)

    # --- prompts -------------------------------------------------------------------------

    @server.prompt(name="rediger_laureat", title="Rédiger un lauréat")
    def rediger_laureat(dossier: str, mode: str = "hôte") -> str:
        """Rédiger la présentation d'un lauréat à partir de son dossier (mode « hôte » : vous
        rédigez ; mode « serveur » : le rédacteur configuré rédige)."""
        if mode.strip().lower() in ("serveur", "server"):
            return (
                f"Rédige la présentation du lauréat du dossier « {dossier} » : appelle "
                f"draft_article avec dossier={json.dumps(dossier)}, puis check_style et "
                "check_facts sur l'article obtenu. Résume-moi les erreurs restantes et propose "
                "les sections à régénérer (regenerate_section avec une consigne)."
            )
        return (
            f"Rédige toi-même la présentation du lauréat du dossier « {dossier} », section par "
            f"section, dans cet ordre : {SECTION_ORDER_HINT}. Pour chaque section : appelle "
            f"get_section_brief (target={json.dumps(dossier)}), écris la section en français "
            "avec les seuls faits du dossier, puis appelle save_section avec ton texte (et "
            "le dossier pour la première section). Corrige chaque erreur signalée et rappelle "
            "save_section jusqu'à ok=true. Termine par check_facts et montre-moi l'article "
            "(show_article)."
        )

    @server.prompt(name="reviser_section", title="Réviser une section")
    def reviser_section(article: str, section: str, instruction: str) -> str:
        """Réécrire une section d'un article selon une consigne, puis revérifier le style."""
        return (
            f"Révise la section « {section} » de l'article « {article} » selon cette consigne : "
            f"{instruction}\n\nAppelle get_section_brief (target={json.dumps(article)}, "
            f"section={json.dumps(section)}, instruction=la consigne), réécris la section avec "
            "les seuls faits du dossier, puis save_section. Corrige les erreurs signalées "
            "jusqu'à ok=true. Si je préfère que le serveur réécrive, utilise "
            "regenerate_section avec la consigne. Montre-moi ensuite la section (show_article) "
            "et le résultat de check_style."
        )

    return server


def describe_style(style: Any) -> str:
    """The active house style as Markdown: one line per rule."""
    name = getattr(style, "name", "style")
    lines = [f"# Style maison : {name}", "",
             "| règle | sévérité | portée | correction | message |",
             "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for rule in getattr(style, "rules", []):
        scopes = ", ".join(getattr(rule, "scope_names", ["all"]))
        message = str(getattr(rule, "message", "")).replace("|", "\\|")
        lines.append(f"| {rule.id} | {rule.severity} | {scopes} | "
                     f"{getattr(rule, 'fix', 'none')} | {message} |")  # fmt: skip
    return "\n".join(lines) + "\n"
