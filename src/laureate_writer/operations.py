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

import asyncio
import difflib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

from pydantic import BaseModel, Field

from laureate_writer.article import Article, Provenance, Section, SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.loading import InputError
from laureate_writer.violations import Severity, Violation
from laureate_writer.workspace import (
    ARTICLE_SUFFIXES,
    DOSSIER_SUFFIXES,
    MAX_INSTRUCTION_CHARS,
    MAX_INTERTITLE_CHARS,
    MAX_SECTION_CHARS,
    PAGE_SUFFIXES,
    Workspace,
    WorkspaceError,
    limit_text,
)

SectionName = Literal["headline", "lead", "context", "method", "details", "results", "caption"]
SECTION_NAMES: tuple[str, ...] = SectionName.__args__  # type: ignore[attr-defined]

P = ParamSpec("P")
R = TypeVar("R")


class OperationError(Exception):
    """An expected failure; ``str(error)`` is safe and meant to be read."""


# --- where articles live ---------------------------------------------------------------------


class ArticleStore:
    """Reads and writes article files. The default is the disk, atomically; the terminal
    chat substitutes a store that keeps its article's versions in memory until /save."""

    def exists(self, path: Path) -> bool:
        return path.is_file()

    def read(self, path: Path) -> str:
        from laureate_writer.loading import read_text

        return read_text(path)

    def write(self, path: Path, text: str, *, note: str = "") -> None:
        from laureate_writer.output import write_atomic

        write_atomic(path, text)


class Context:
    """What operations run with: a workspace, the writer, the house style, a store."""

    def __init__(
        self,
        workspace: Workspace | str | Path,
        *,
        model: str | None = None,
        style: str | Path | None = None,
        writer: Any = None,
        prompts: list[str] | None = None,
        store: ArticleStore | None = None,
        revise_rounds: int = 2,
    ) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.model = model
        self.style_ref = style
        self.prompts = list(prompts or [])
        self.store = store or ArticleStore()
        self.revise_rounds = revise_rounds
        self._writer = writer
        self._style: Any = None

    @property
    def style(self) -> Any:
        """The active house style (loaded once)."""
        if self._style is None:
            from laureate_writer import api

            self._style = api.resolve_style(self.style_ref or api.DEFAULT_STYLE)
        return self._style

    @property
    def writer(self) -> Any:
        """The configured writer: ``model``, else LW_MODEL / laureate-writer.toml, else the
        offline writer (built on first use: a model client is only loaded when needed)."""
        if self._writer is None:
            from laureate_writer import api

            self._writer = api.make_writer(self.model, prompts=self.prompts, style=self.style)
        return self._writer

    def rel(self, path: Path) -> str:
        return self.workspace.relative(path)

    def scrub(self, message: str) -> str:
        """A message with the workspace's absolute prefix removed."""
        return message.replace(str(self.workspace.root) + "/", "").replace(
            str(self.workspace.root), "."
        )


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn every expected failure into an :class:`OperationError` with a short message."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = args[0] if args and isinstance(args[0], Context) else None
        try:
            return func(*args, **kwargs)
        except OperationError:
            raise
        except (InputError, WorkspaceError) as exc:
            message = str(exc)
        except Exception as exc:
            message = _expected_message(exc)
            if message is None:
                raise
        if ctx is not None:
            message = ctx.scrub(message)
        raise OperationError(message) from None

    return wrapper


def _expected_message(exc: Exception) -> str | None:
    from laureate_writer.regenerate import RegenerationRefused
    from laureate_writer.writers.chat import SectionFailure, describe_api_error

    if isinstance(exc, RegenerationRefused):
        return str(exc).replace("use --force", "pass force=true")
    if isinstance(exc, SectionFailure):
        return f"section {exc.kind.value} failed: {exc.reason}"
    if type(exc).__name__ == "StyleError":
        return f"house style: {exc}"
    if isinstance(exc, OSError):
        return f"cannot read or write a file: {exc.strerror or type(exc).__name__}"
    return describe_api_error(exc)


# --- results -------------------------------------------------------------------------------


class Finding(BaseModel):
    """One house-style or fact finding, in a shape a model can act on."""

    checker: str = Field(description="style, facts or structure")
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
        return f"{where}{line}{self.severity} {self.rule}: {self.message}{fix}"


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


# --- helpers ---------------------------------------------------------------------------------


def _kind(section: str, *, allow_label: bool = False) -> SectionKind:
    allowed = (*SECTION_NAMES, "prize_label") if allow_label else SECTION_NAMES
    if section not in allowed:
        raise OperationError(f"unknown section '{section}': expected one of {', '.join(allowed)}")
    return SectionKind(section)


def _dossier_path(ctx: Context, given: str) -> Path:
    return ctx.workspace.resolve(given, suffixes=DOSSIER_SUFFIXES, what="dossier")


def _article_path(ctx: Context, given: str, *, must_exist: bool = True) -> Path:
    path = ctx.workspace.resolve(given, must_exist=False, suffixes=ARTICLE_SUFFIXES, what="article")
    if must_exist and not ctx.store.exists(path):
        raise OperationError(f"article not found in the workspace: {given}")
    return path


def _load_article(ctx: Context, path: Path) -> tuple[str, Article]:
    text = ctx.store.read(path)
    return text, Article.from_markdown(text, ctx.rel(path))


def _article_dossier(
    ctx: Context, path: Path, article: Article, override: str | None = None
) -> tuple[Path, Dossier]:
    """The article's dossier (``override`` or its front matter), confined to the workspace."""
    from laureate_writer import api

    if override:
        dossier_path = _dossier_path(ctx, override)
    else:
        if not article.dossier:
            raise OperationError(
                f"{ctx.rel(path)}: the article names no dossier: pass the dossier path"
            )
        candidate = Path(article.dossier)
        candidate = candidate if candidate.is_absolute() else path.parent / candidate
        dossier_path = candidate.resolve(strict=False)
        if not ctx.workspace.contains(dossier_path):
            raise OperationError(f"{ctx.rel(path)}: its dossier is outside the workspace")
    return dossier_path, api.load_dossier(dossier_path)


def _relative_to(target: Path, folder: Path) -> str:
    import os

    return Path(os.path.relpath(target, folder)).as_posix()


def _diff(before: str, after: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"{name} (avant)",
            tofile=f"{name} (après)",
        )
    )


def _summaries(article: Article) -> list[SectionSummary]:
    return [
        SectionSummary(
            section=s.kind.value,
            writer=s.provenance.writer,
            intertitle=s.intertitle,
            words=len(s.text.split()),
            edited_by_hand=s.edited,
        )
        for s in article.sections
    ]


def _style_report(
    target: str, violations: list[Violation], section: str | None = None
) -> StyleReport:
    findings = [Finding.of(v, section) for v in violations]
    count = {
        level: sum(1 for f in findings if f.severity == level)
        for level in ("error", "warning", "suggestion")
    }
    return StyleReport(
        target=target,
        errors=count["error"],
        warnings=count["warning"],
        suggestions=count["suggestion"],
        findings=findings,
    )


def _run(coro: Any) -> Any:
    """Run a coroutine from sync code, also when called inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --- listing and validation -----------------------------------------------------------------


@guarded
def list_workspace(ctx: Context) -> WorkspaceListing:
    """The dossiers, edition files and article files of the workspace."""
    from laureate_writer.loading import load, parse_document, read_text

    listing = WorkspaceListing(workspace=str(ctx.workspace.root))
    for path in ctx.workspace.files(DOSSIER_SUFFIXES):
        rel = ctx.rel(path)
        try:
            document = parse_document(path, read_text(path))
        except InputError:
            continue  # not a YAML/JSON document we know: not listed
        data = document.data
        if not isinstance(data, dict):
            continue
        if "dossiers" in data and "award" in data:
            listing.editions.append(rel)
            continue
        if not {"laureate", "project"} & set(data):
            continue  # some other YAML file (a style, a config)
        try:
            dossier = load(Dossier, path)
        except InputError as exc:
            listing.dossiers.append(
                DossierEntry(path=rel, ok=False, error=ctx.scrub(str(exc).splitlines()[0]))
            )
            continue
        listing.dossiers.append(
            DossierEntry(
                path=rel, id=dossier.id, laureate=dossier.laureate.name, prize=dossier.prize.name
            )
        )
    for path in ctx.workspace.files(ARTICLE_SUFFIXES):
        try:
            text = ctx.store.read(path)
        except InputError:
            continue
        if not text.startswith("---\n") or "<!-- lw:" not in text:
            continue  # a Markdown file that is not an article (a page, a README)
        rel = ctx.rel(path)
        try:
            article = Article.from_markdown(text, rel)
        except InputError as exc:
            listing.articles.append(ArticleEntry(path=rel, ok=False, error=str(exc)))
            continue
        listing.articles.append(
            ArticleEntry(
                path=rel,
                id=article.id,
                laureate=article.laureate,
                dossier=article.dossier,
                sections=[s.kind.value for s in article.sections],
                edited_by_hand=[k.value for k in article.edited_sections],
            )
        )
    return listing


@guarded
def validate(ctx: Context, path: str) -> ValidationReport:
    """Check a dossier (or an edition file with its dossiers) against the schema."""
    from laureate_writer.validation import validate_file

    resolved = _dossier_path(ctx, path)
    result = validate_file(resolved)
    problems = [ctx.scrub(str(p)) for p in result.error.problems] if result.error else []
    return ValidationReport(
        path=ctx.rel(resolved), kind=result.kind, name=result.name, ok=result.ok, problems=problems
    )


# --- drafting with the configured writer --------------------------------------------------


def default_article_path(dossier_path: Path) -> Path:
    """Where the article of a dossier goes by default: next to it, ``NAME.md``."""
    return dossier_path.with_suffix(".md")


@guarded
def draft_article(
    ctx: Context, dossier: str, output: str | None = None, overwrite: bool = False
) -> DraftReport:
    """Draft a whole article from a dossier with the configured writer and save it."""
    from laureate_writer import api

    dossier_path = _dossier_path(ctx, dossier)
    target = (
        _article_path(ctx, output, must_exist=False)
        if output
        else default_article_path(dossier_path)
    )
    if ctx.store.exists(target) and not overwrite:
        raise OperationError(
            f"{ctx.rel(target)} already exists: pass overwrite=true to replace it, or "
            "regenerate_section to rewrite one section"
        )
    writer = ctx.writer
    outcome = _run(
        api.adraft(
            dossier_path,
            writer=writer,
            article_dir=target.parent,
            style=ctx.style,
            revise_rounds=ctx.revise_rounds,
        )
    )
    article = outcome.article
    markdown = article.to_markdown()
    ctx.store.write(target, markdown, note="draft")
    remaining = [
        Finding.of(Violation.model_validate(u)) for u in article.reports.get("unresolved", [])
    ]
    return DraftReport(
        article=ctx.rel(target),
        written=True,
        writer=writer.name,
        model=writer.model,
        sections=_summaries(article),
        failures=outcome.failures,
        remaining=remaining,
        facts_ok=bool((article.reports.get("facts") or {}).get("ok", True)),
        markdown=markdown,
    )


async def _aregenerate_text(
    ctx: Context,
    path: Path,
    before: str,
    kind: SectionKind,
    instruction: str | None,
    force: bool,
) -> tuple[str, Section, list[Violation]]:
    from laureate_writer.regenerate import arewrite

    article = Article.from_markdown(before, ctx.rel(path))
    _, facts = _article_dossier(ctx, path, article)
    done = await arewrite(
        before,
        article,
        kind,
        ctx.writer,
        facts,
        instruction=instruction,
        force=force,
        style=ctx.style,
        revise_rounds=ctx.revise_rounds,
        where=ctx.rel(path),
    )
    return done.after, done.section, done.remaining


@guarded
def regenerate_section(
    ctx: Context,
    article: str,
    section: str,
    instruction: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> SectionChange:
    """Rewrite one section with the configured writer, following an instruction; every
    other section stays byte for byte; the previous version is kept (undo_section)."""
    kind = _kind(section)
    instruction = limit_text(instruction, MAX_INSTRUCTION_CHARS, "instruction")
    path = _article_path(ctx, article)
    before = ctx.store.read(path)
    after, new, remaining = _run(_aregenerate_text(ctx, path, before, kind, instruction, force))
    if not dry_run:
        ctx.store.write(path, after, note=f"regen {kind.value}")
    writer = ctx.writer
    note = None
    if instruction and not getattr(writer, "supports_revision", False):
        # Shown as is in the (French) chat and to the plugin's host.
        note = (
            "le rédacteur hors ligne ne suit pas de consigne : la section a été rédigée "
            "de nouveau à partir du dossier"
        )
    return SectionChange(
        article=ctx.rel(path),
        section=kind.value,
        action="regenerated",
        writer=writer.name,
        text=new.text,
        intertitle=new.intertitle,
        remaining=[Finding.of(v, kind.value) for v in remaining],
        diff=_diff(before, after, ctx.rel(path)),
        written=not dry_run,
        note=note,
    )


@guarded
def undo_section(ctx: Context, article: str, section: str) -> SectionChange:
    """Put back the previous version of a section (from the article's history)."""
    from laureate_writer.loading import InputError
    from laureate_writer.regenerate import restore_previous

    kind = _kind(section)
    path = _article_path(ctx, article)
    before, current = _load_article(ctx, path)
    try:
        _, facts = _article_dossier(ctx, path, current)
        after, previous = restore_previous(
            before, current, kind, ctx.rel(path), dossier=facts, style=ctx.style
        )
    except InputError:
        raise OperationError(
            f"{ctx.rel(path)}: no previous version of '{kind.value}' to restore"
        ) from None
    ctx.store.write(path, after, note=f"undo {kind.value}")
    return SectionChange(
        article=ctx.rel(path),
        section=kind.value,
        action="restored",
        writer=previous.provenance.writer,
        text=previous.text,
        intertitle=previous.intertitle,
        diff=_diff(before, after, ctx.rel(path)),
    )


@guarded
def build_palmares(
    ctx: Context,
    edition: str,
    output: str | None = None,
    format: Literal["md", "html"] | None = None,
    articles_dir: str | None = None,
    overwrite: bool = True,
) -> PalmaresReport:
    """Draft a whole palmarès page (title, intro, every laureate) from an edition file."""
    from laureate_writer import api
    from laureate_writer.palmares import load_edition

    edition_path = ctx.workspace.resolve(edition, suffixes=DOSSIER_SUFFIXES, what="edition")
    loaded = load_edition(edition_path)
    for dossier_path, _ in loaded.dossiers:
        if not ctx.workspace.contains(dossier_path):
            raise OperationError(f"{ctx.rel(edition_path)}: a dossier is outside the workspace")
    fmt = format or ("html" if output and output.lower().endswith((".html", ".htm")) else "md")
    if output:
        page_path = ctx.workspace.resolve(
            output, must_exist=False, suffixes=PAGE_SUFFIXES, what="page"
        )
    else:
        page_path = edition_path.with_name(f"{edition_path.stem}-page.{fmt}")
    if page_path.exists() and not overwrite:
        raise OperationError(f"{ctx.rel(page_path)} already exists: pass overwrite=true")
    out_dir = None
    if articles_dir:
        out_dir = ctx.workspace.resolve(
            articles_dir.rstrip("/") + "/.probe.md", must_exist=False, what="folder"
        ).parent
    result = _run(
        api.apalmares(
            edition_path,
            writer=ctx.writer,
            page_dir=out_dir,
            style=ctx.style,
            revise_rounds=ctx.revise_rounds,
        )
    )
    from laureate_writer.output import write_atomic

    write_atomic(page_path, api.render_page(result.page, fmt))
    files = []
    if out_dir is not None:
        for article in result.page.articles:
            target = out_dir / f"{article.id}.md"
            ctx.store.write(target, article.to_markdown(), note="palmares")
            files.append(ctx.rel(target))
    return PalmaresReport(
        page=ctx.rel(page_path),
        format=fmt,
        written=True,
        laureates=[a.laureate for a in result.page.articles],
        article_files=files,
        failures={o.article.id: o.failures for o in result.outcomes if o.failures},
        remaining=result.unresolved,
    )


# --- checks ----------------------------------------------------------------------------------


@guarded
def check_style(
    ctx: Context,
    article: str | None = None,
    text: str | None = None,
    section: str | None = None,
) -> StyleReport:
    """House-style findings for an article file, or for a text (as section ``section``)."""
    if (article is None) == (text is None):
        raise OperationError("give either an article path or a text to check")
    if text is not None:
        kind = _kind(section or "context")
        checked = limit_text(text, MAX_SECTION_CHARS, "text", required=True) or ""
        return _style_report("text", ctx.style.check(checked, kind.scope), kind.value)
    path = _article_path(ctx, article or "")
    markdown, parsed = _load_article(ctx, path)
    if section:
        kind = _kind(section, allow_label=True)
        found = parsed.section(kind)
        if found is None:
            raise OperationError(f"{ctx.rel(path)} has no section '{kind.value}'")
        violations = ctx.style.check(found.text, kind.scope)
        if found.intertitle:
            violations += ctx.style.check(found.intertitle, "intertitle")
        return _style_report(ctx.rel(path), violations, kind.value)
    return _style_report(ctx.rel(path), ctx.style.check(markdown, None))


@guarded
def fix_style(ctx: Context, article: str, dry_run: bool = False) -> FixReport:
    """Apply every safe house-style fix to an article's sections (each change is a new
    version: undo_section puts a section back)."""
    from laureate_writer.regenerate import splice

    path = _article_path(ctx, article)
    before, parsed = _load_article(ctx, path)
    style = ctx.style
    updated = parsed
    text = before
    changed = []
    for section in parsed.sections:
        if section.kind == SectionKind.prize_label:
            continue
        new_text = style.fix(section.text, section.kind.scope)
        new_title = style.fix(section.intertitle, "intertitle") if section.intertitle else None
        if new_text == section.text and new_title == section.intertitle:
            continue
        if section.edited:  # still counts as edited by hand: keep the writer's hash
            fixed = section.model_copy(update={"text": new_text, "intertitle": new_title})
        else:
            fixed = Section.create(section.kind, new_text, section.provenance, new_title)
        updated = updated.replace_section(fixed, keep_previous=True)
        text = splice(text, updated, section.kind)
        changed.append(section.kind.value)
    if changed and not dry_run:
        ctx.store.write(path, text, note="fix")
    remaining = _style_report(ctx.rel(path), style.check(text, None))
    return FixReport(
        article=ctx.rel(path),
        changed_sections=changed,
        diff=_diff(before, text, ctx.rel(path)),
        written=bool(changed) and not dry_run,
        remaining=remaining,
    )


@guarded
def check_facts(ctx: Context, article: str, dossier: str | None = None) -> FactsReport:
    """Trace every figure, date, name and quote of an article to its dossier."""
    from laureate_writer.facts import check_sections

    path = _article_path(ctx, article)
    _, parsed = _load_article(ctx, path)
    dossier_path, facts = _article_dossier(ctx, path, parsed, dossier)
    texts = [
        (s.kind.value, f"{s.intertitle}\n\n{s.text}" if s.intertitle else s.text)
        for s in parsed.sections
    ]
    report = check_sections(texts, facts)
    return FactsReport(
        article=ctx.rel(path),
        dossier=ctx.rel(dossier_path),
        ok=report.ok,
        claims=report.counts.claims,
        supported=report.counts.supported,
        unsupported=[Finding.of(v) for v in report.violations()],
        missing_results=[r.text for r in report.missing_results],
    )


@guarded
def show_article(ctx: Context, article: str, section: str | None = None) -> ArticleView:
    """An article file's Markdown, or one section's text."""
    path = _article_path(ctx, article)
    markdown, parsed = _load_article(ctx, path)
    if not section:
        return ArticleView(article=ctx.rel(path), text=markdown)
    kind = _kind(section, allow_label=True)
    found = parsed.section(kind)
    if found is None:
        raise OperationError(f"{ctx.rel(path)} has no section '{kind.value}'")
    text = f"## {found.intertitle}\n\n{found.text}" if found.intertitle else found.text
    return ArticleView(article=ctx.rel(path), section=kind.value, text=text)


# --- host-drafted sections -------------------------------------------------------------------

HOW_TO_ANSWER = (
    "Write the section yourself, in French, from these messages (ignore the line asking "
    "for a JSON object). Then call save_section with article={article!r}, "
    "section={section!r}, text=<the section's text>{intertitle}{dossier}. save_section "
    "applies the safe house-style fixes and returns the remaining style and fact errors: "
    "correct them and call save_section again until ok is true."
)


def _host_writer(ctx: Context) -> Any:
    from laureate_writer import api
    from laureate_writer.writers.chat import ChatModelWriter

    return ChatModelWriter(
        None, "host", prompts=ctx.prompts, style_summary=api.style_summary(ctx.style)
    )


@guarded
def section_brief(
    ctx: Context,
    target: str,
    section: str,
    instruction: str | None = None,
) -> SectionBrief:
    """The brief for one section — the rendered prompt with the dossier data — for a host
    model to write it. ``target`` is a dossier (a new article) or an existing article."""
    from laureate_writer.writers.base import SectionRequest

    kind = _kind(section)
    instruction = limit_text(instruction, MAX_INSTRUCTION_CHARS, "instruction")
    resolved = ctx.workspace.resolve(
        target,
        must_exist=False,
        suffixes=(*DOSSIER_SUFFIXES, *ARTICLE_SUFFIXES),
        what="dossier or article",
    )
    current: Section | None = None
    drafted: dict[SectionKind, str] = {}
    if resolved.suffix.lower() in ARTICLE_SUFFIXES:
        article_path = _article_path(ctx, target)
        _, parsed = _load_article(ctx, article_path)
        dossier_path, dossier = _article_dossier(ctx, article_path, parsed)
        current = parsed.section(kind)
        drafted = {s.kind: s.text for s in parsed.sections if s.kind != kind}
    else:
        from laureate_writer import api

        dossier_path = _dossier_path(ctx, target)
        dossier = api.load_dossier(dossier_path)
        article_path = default_article_path(dossier_path)
        if ctx.store.exists(article_path):
            try:
                _, parsed = _load_article(ctx, article_path)
            except InputError:
                parsed = None
            if parsed is not None:
                current = parsed.section(kind)
                drafted = {s.kind: s.text for s in parsed.sections if s.kind != kind}
    writer = _host_writer(ctx)
    request = SectionRequest(dossier=dossier, kind=kind, drafted=drafted, instruction=instruction)
    if instruction and current is not None:
        messages = writer.regenerate_messages(request, current.text, current.intertitle)
    else:
        messages = writer.messages(request)
        if instruction:
            messages[-1]["content"] += (
                f"\n\nConsigne de l'éditeur :\n<consigne>\n{instruction}\n</consigne>"
            )
    rel_article = ctx.rel(article_path)
    how = HOW_TO_ANSWER.format(
        article=rel_article,
        section=kind.value,
        intertitle=", intertitle=<a short intertitle>" if kind.has_intertitle else "",
        dossier="" if ctx.store.exists(article_path) else f", dossier={ctx.rel(dossier_path)!r}",
    )
    return SectionBrief(
        dossier=ctx.rel(dossier_path),
        article=rel_article,
        section=kind.value,
        section_name=kind.french,
        needs_intertitle=kind.has_intertitle,
        messages=[BriefMessage(**m) for m in messages],
        current_text=current.text if current else None,
        current_intertitle=current.intertitle if current else None,
        how_to_answer=how,
    )


def _new_article(ctx: Context, path: Path, dossier_path: Path, dossier: Dossier) -> Article:
    """An article holding only its prize label (the award's wording, from the template)."""
    from laureate_writer.drafting import to_section
    from laureate_writer.writers.base import SectionRequest
    from laureate_writer.writers.offline import OfflineWriter

    label_writer = OfflineWriter(prompts=ctx.prompts)
    label = label_writer.draft_section(
        SectionRequest(dossier=dossier, kind=SectionKind.prize_label)
    )
    return Article(
        id=dossier.id,
        dossier=_relative_to(dossier_path, path.parent),
        dossier_hash=dossier.content_hash(),
        prize=dossier.prize.name,
        laureate=dossier.laureate.name,
        sections=[to_section(label, label_writer, dossier.content_hash())],
    )


@guarded
def save_section(
    ctx: Context,
    article: str,
    section: str,
    text: str,
    intertitle: str | None = None,
    dossier: str | None = None,
    model: str | None = None,
    force: bool = False,
) -> SaveReport:
    """Store a section written by the host model: safe fixes applied, style and fact
    checks run, provenance ``host``; returns what is left to correct."""
    from laureate_writer.drafting import fixed_and_checked
    from laureate_writer.regenerate import splice, with_section_reports
    from laureate_writer.writers.base import SectionDraft

    kind = _kind(section)
    text = limit_text(text, MAX_SECTION_CHARS, "text", required=True) or ""
    intertitle = limit_text(intertitle, MAX_INTERTITLE_CHARS, "intertitle")
    model = limit_text(model, 100, "model")
    path = _article_path(ctx, article, must_exist=False)
    created = not ctx.store.exists(path)
    if created:
        if not dossier:
            raise OperationError(
                f"{ctx.rel(path)} does not exist yet: pass the dossier to create the article"
            )
        dossier_path = _dossier_path(ctx, dossier)
        from laureate_writer import api

        facts = api.load_dossier(dossier_path)
        parsed = _new_article(ctx, path, dossier_path, facts)
        before = parsed.to_markdown()
    else:
        before, parsed = _load_article(ctx, path)
        dossier_path, facts = _article_dossier(ctx, path, parsed, dossier)
        current = parsed.section(kind)
        if current is not None and current.edited and not force:
            raise OperationError(
                f"{ctx.rel(path)}: section '{kind.value}' was edited by hand since it was "
                "written; pass force=true to replace it (the hand-edited text is kept)"
            )
    draft = SectionDraft(
        kind=kind,
        text=text,
        intertitle=intertitle if kind.has_intertitle else None,
        template=f"model/sections/{kind.value}.md.j2",
        model=model,
    )
    fixed, remaining = fixed_and_checked(draft, facts, ctx.style)
    findings = [Finding.of(v, kind.value) for v in remaining]
    if kind.has_intertitle and not fixed.intertitle:
        findings.append(
            Finding(
                checker="structure",
                rule="missing-intertitle",
                severity="warning",
                section=kind.value,
                message="this section needs a short intertitle",
            )
        )
    provenance = Provenance(
        writer="host", model=model, template=draft.template, dossier_hash=facts.content_hash()
    )
    stored = Section.create(kind, fixed.text, provenance, fixed.intertitle)
    updated = parsed.replace_section(stored, keep_previous=True)
    updated = with_section_reports(updated, facts, kind, remaining)
    after = updated.to_markdown() if created else splice(before, updated, kind)
    ctx.store.write(path, after, note=f"host {kind.value}")
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        next_step = (
            f"{len(errors)} error(s) remain: rewrite the text to correct them (use "
            "only facts from the dossier) and call save_section again"
        )
    else:
        missing = [n for n in SECTION_NAMES if updated.section(n) is None]
        next_step = (
            f"section stored; sections still to write: {', '.join(missing)}"
            if missing
            else "section stored; the article is complete"
        )
    return SaveReport(
        article=ctx.rel(path),
        section=kind.value,
        created=created,
        text=stored.text,
        intertitle=stored.intertitle,
        fixes_applied=(fixed.text, fixed.intertitle) != (draft.text, draft.intertitle),
        ok=not errors,
        remaining=findings,
        next_step=next_step,
    )
