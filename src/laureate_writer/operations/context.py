"""Where operations run: the workspace context, the article store, the error every
operation raises, and the helpers they share (paths, sections, diffs)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

from laureate_writer.article import Article, Section, SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.loading import InputError, os_reason
from laureate_writer.operations.results import Finding, SectionSummary, StyleReport
from laureate_writer.violations import Violation
from laureate_writer.workspace import (
    ARTICLE_SUFFIXES,
    DOSSIER_SUFFIXES,
    Workspace,
    WorkspaceError,
)

SectionName = Literal["headline", "lead", "context", "method", "details", "results", "caption"]
SECTION_NAMES: tuple[str, ...] = SectionName.__args__  # type: ignore[attr-defined]

P = ParamSpec("P")
R = TypeVar("R")


class OperationError(Exception):
    """An expected failure; ``str(error)`` is safe and meant to be read."""


# --- where articles live ---------------------------------------------------------------------


class ArticleFiles:
    """Where operations read and write articles. The default is the disk, through the
    article store (:mod:`laureate_writer.store`: lock, compare-and-swap, atomic replace);
    the terminal chat substitutes one that keeps its article's versions in memory until
    /save."""

    def exists(self, path: Path) -> bool:
        return path.is_file()

    def read(self, path: Path) -> str:
        from laureate_writer.loading import read_text

        return read_text(path)

    def write(self, path: Path, text: str, *, expected: str | None, note: str = "") -> None:
        """The whole file, if it is still at version ``expected`` (None: unconditionally,
        for a file the caller creates or replaces on purpose)."""
        from laureate_writer.store import ArticleStore

        ArticleStore(path).write(text, expected=expected)

    def replace_sections(
        self,
        path: Path,
        base: Article,
        sections: list[Section],
        *,
        finish: Callable[[Article], Article] | None = None,
        note: str = "",
    ) -> Article:
        """Put ``sections`` into the article at ``path`` (see
        :meth:`laureate_writer.store.ArticleStore.replace_sections`)."""
        from laureate_writer.store import ArticleStore

        return ArticleStore(path).replace_sections(base, sections, finish=finish)[0]


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
        store: ArticleFiles | None = None,
        revise_rounds: int = 2,
    ) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.model = model
        self.style_ref = style
        self.prompts = list(prompts or [])
        self.store = store or ArticleFiles()
        self.revise_rounds = revise_rounds
        self._writer = writer
        self._style: Any = None

    @property
    def style(self) -> Any:
        """The active house style (loaded once): ``style``, else the configuration's
        (``style =`` in laureate-writer.toml), else the bundled one."""
        if self._style is None:
            from laureate_writer import api
            from laureate_writer.settings import load_settings

            configured = None if self.style_ref else load_settings().style
            self._style = api.resolve_style(self.style_ref or configured or api.DEFAULT_STYLE)
        return self._style

    @property
    def writer(self) -> Any:
        """The configured writer: ``model``, else LW_MODEL / laureate-writer.toml, else the
        offline writer (built on first use: a model client is only loaded when needed)."""
        if self._writer is None:
            from laureate_writer import api

            self._writer = api.make_writer(self.model, prompts=self.prompts, style=self.style)
        return self._writer

    def writer_for(self, loaded: Any) -> Any:
        """The writer for an edition's page: for the offline writer, in the edition file's
        ``layout:`` (which wins over the configured one, as on the command line)."""
        layout = loaded.edition.layout
        writer = self.writer
        if layout is None or writer.name != "offline" or writer.layout == layout:
            return writer
        from laureate_writer import api
        from laureate_writer.writers.offline import UnknownLayout

        try:
            return api.make_writer(self.model, prompts=self.prompts, style=self.style,
                                   layout=layout)  # fmt: skip
        except UnknownLayout as exc:
            raise OperationError(f"{self.rel(loaded.path)}: layout: {exc}") from None

    def reference(self, base_file: Path, given: str) -> Path:
        """A dossier path written in a workspace file, confined like a given path."""
        return self.workspace.reference(base_file, given, suffixes=DOSSIER_SUFFIXES, what="dossier")

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
    from laureate_writer.output import WriteRefused
    from laureate_writer.regenerate import RegenerationRefused
    from laureate_writer.writers.chat import SectionFailure, describe_api_error

    if isinstance(exc, WriteRefused):
        return str(exc)
    if isinstance(exc, RegenerationRefused):
        return str(exc).replace("--force pour", "force=true pour")
    if isinstance(exc, SectionFailure):
        return f"section {exc.kind.value} en échec : {exc.reason}"
    if type(exc).__name__ == "StyleError":
        return f"style maison : {exc}"
    if isinstance(exc, OSError):
        return f"lecture ou écriture impossible : {os_reason(exc)}"
    return describe_api_error(exc)


# --- helpers ---------------------------------------------------------------------------------


def _kind(section: str, *, allow_label: bool = False) -> SectionKind:
    allowed = (*SECTION_NAMES, "prize_label") if allow_label else SECTION_NAMES
    if section not in allowed:
        raise OperationError(f"section inconnue « {section} » : sections {', '.join(allowed)}")
    return SectionKind(section)


def _dossier_path(ctx: Context, given: str) -> Path:
    return ctx.workspace.resolve(given, suffixes=DOSSIER_SUFFIXES, what="dossier")


def _article_path(ctx: Context, given: str, *, must_exist: bool = True) -> Path:
    path = ctx.workspace.resolve(given, must_exist=False, suffixes=ARTICLE_SUFFIXES, what="article")
    if must_exist and not ctx.store.exists(path):
        raise OperationError(f"article introuvable dans l’espace de travail : {given}")
    return path


def _load_article(ctx: Context, path: Path) -> tuple[str, Article]:
    text = ctx.store.read(path)
    return text, Article.from_markdown(text, ctx.rel(path))


def article_dossier_of(
    ctx: Context, path: Path, article: Article, override: str | None = None
) -> tuple[Path, Dossier]:
    """The article's dossier (``override`` or its front matter), confined to the workspace."""
    from laureate_writer import api

    if override:
        dossier_path = _dossier_path(ctx, override)
    else:
        if not article.dossier:
            raise OperationError(
                f"{ctx.rel(path)} : l’article ne nomme pas son dossier : indiquez son chemin"
            )
        try:
            dossier_path = ctx.reference(path, article.dossier)
        except WorkspaceError as exc:
            raise OperationError(f"{ctx.rel(path)} : son dossier : {exc}") from None
    return dossier_path, api.load_dossier(dossier_path)


def _relative_to(target: Path, folder: Path) -> str:
    import os

    return Path(os.path.relpath(target, folder)).as_posix()


def _diff(before: str, after: str, name: str) -> str:
    """What an editor reads: the words that changed, section by section."""
    from laureate_writer.prose_diff import text_diff

    return text_diff(before, after, name)


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
