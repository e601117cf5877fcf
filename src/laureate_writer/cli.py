"""Command line: thin commands over :mod:`laureate_writer.api`.

Exit codes: 0 success, 1 checks found errors, 2 bad input (one located line per
problem, no traceback, no output file), 3 partial result.
Model clients are never imported here: only commands that call a model load them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from laureate_writer import __version__
from laureate_writer.loading import InputError

EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="laureate-writer",
    help=(
        "Draft French award write-ups (palmarès pages) from laureate dossiers, "
        "held to the house style and to the dossier's facts."
    ),
    epilog=(
        "Examples:\n\n"
        "  laureate-writer validate examples/2020/*.yaml\n\n"
        "  laureate-writer draft examples/2020/brest.yaml -o out/brest.md\n\n"
        "  laureate-writer palmares examples/2020/palmares.yaml -o out/palmares-2020.html"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    typer.echo(f"laureate-writer: {message}", err=True)
    return typer.Exit(code)


def reports_input_errors(func: F) -> F:
    """Turn InputError into located lines on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"laureate-writer {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Draft French award write-ups from laureate dossiers."""


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class ArticleFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class PageFormat(StrEnum):
    md = "md"
    html = "html"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from laureate_writer.output import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}", 1) from None
    typer.echo(f"wrote {output}", err=True)


def _format_from(output: Path | None, given: str | None, default: str) -> str:
    if given:
        return given
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return "html"
    if output is not None and output.suffix.lower() == ".json":
        return "json"
    return default


# --- validate / schema -----------------------------------------------------------------


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Dossier or edition files (YAML or JSON).")],
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.text,
) -> None:
    """Check dossier and edition files against the schema.

    An edition file (one with 'dossiers:') is checked together with its dossiers.
    Every problem is reported as FILE:LINE:COL: FIELD: MESSAGE; exit code 2 if any.

    Example: laureate-writer validate examples/2020/*.yaml
    """
    from laureate_writer.validation import validate_files

    results = validate_files(files)
    if fmt == OutputFormat.json:
        typer.echo(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for result in results:
            if result.ok:
                typer.echo(f"ok {result.path} ({result.kind} {result.name})")
            else:
                typer.echo(str(result.error), err=True)
    if not all(r.ok for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)


class SchemaKind(StrEnum):
    dossier = "dossier"
    edition = "edition"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="dossier or edition.")] = SchemaKind.dossier,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of dossier (or edition) files, for editor completion.

    Save it and point your YAML editor at it with a first line such as
    '# yaml-language-server: $schema=../../schema/dossier.schema.json'.

    Example: laureate-writer schema dossier -o schema/dossier.schema.json
    """
    from laureate_writer.validation import json_schema

    _emit(json_schema(kind.value), output)


# --- draft / palmares ------------------------------------------------------------------


@app.command()
@reports_input_errors
def draft(
    dossier: Annotated[Path, typer.Argument(help="The laureate's dossier (YAML or JSON).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (atomically), not stdout.")
    ] = None,
    fmt: Annotated[
        ArticleFormat | None,
        typer.Option("--format", help="md (article file), json or html; default from -o."),
    ] = None,
    prompts: Annotated[
        list[Path] | None, typer.Option("--prompts", help="A newsroom prompts folder overlay.")
    ] = None,
) -> None:
    """Draft one laureate's write-up from its dossier.

    The Markdown article file keeps each section's provenance in its front matter, so
    editors can edit it and regenerate sections later.

    Example: laureate-writer draft examples/2020/brest.yaml -o out/brest.md
    """
    from laureate_writer import api
    from laureate_writer.writers import get_writer

    article_format = _format_from(output, fmt.value if fmt else None, "md")
    article_dir = output.parent if output is not None else Path.cwd()
    writer = get_writer("offline", prompts=[str(p) for p in prompts or []])
    article = api.draft(dossier, writer=writer, article_dir=article_dir)
    _emit(api.render_article(article, article_format), output)


@app.command()
@reports_input_errors
def palmares(
    edition: Annotated[Path, typer.Argument(help="The edition file (e.g. palmares.yaml).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (atomically), not stdout.")
    ] = None,
    fmt: Annotated[
        PageFormat | None, typer.Option("--format", help="md or html; default from -o.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Also write one article file per laureate here."),
    ] = None,
    prompts: Annotated[
        list[Path] | None, typer.Option("--prompts", help="A newsroom prompts folder overlay.")
    ] = None,
) -> None:
    """Draft a whole palmarès page: title, intro, then every laureate in prize order.

    Example: laureate-writer palmares examples/2020/palmares.yaml -o out/palmares-2020.html
    """
    from laureate_writer import api
    from laureate_writer.output import write_atomic
    from laureate_writer.writers import get_writer

    page_format = _format_from(output, fmt.value if fmt else None, "md")
    writer = get_writer("offline", prompts=[str(p) for p in prompts or []])
    page = api.palmares(edition, writer=writer, page_dir=out_dir)
    _emit(api.render_page(page, page_format), output)
    if out_dir is not None:
        for article in page.articles:
            write_atomic(out_dir / f"{article.id}.md", article.to_markdown())
        typer.echo(f"wrote {len(page.articles)} article files in {out_dir}", err=True)


# --- facts (the fact guard) -----------------------------------------------------------


@app.command()
def facts(
    article: Annotated[
        str, typer.Argument(help="An article file (or a text file with --dossier).")
    ],
    dossier: Annotated[
        str | None, typer.Option("--dossier", help="The dossier (default: the article's).")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = (
        OutputFormat.text
    ),
) -> None:
    """Trace every figure, date, name and quote of an article to its dossier.

    Exit 0 when every claim is supported, 1 when some are not, 2 bad input.

    Example: laureate-writer facts out/2020/brest.md
    """
    from laureate_writer.facts.command import run_facts

    raise typer.Exit(run_facts(article, dossier, fmt.value))


def main() -> None:
    app()
