"""Command line: thin commands over :mod:`laureate_writer.api`.

Exit codes: 0 success, 1 checks found errors, 2 bad input (one located line per
problem, no traceback, no output file), 3 partial result, 70 internal error (one line;
``--debug`` shows the traceback), 130 interrupted.
Model clients are never imported here: only commands that call a model load them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import cache, wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from laureate_writer import __version__, cli_words
from laureate_writer.loading import InputError, os_reason
from laureate_writer.messages import PREFIX

EXIT_BAD_INPUT = 2
EXIT_PARTIAL = 3

app = typer.Typer(
    name="laureate-writer",
    help=(
        "Rédige les textes des lauréats d’un prix (pages palmarès) à partir de leurs "
        "dossiers, dans le style maison et fidèles aux faits du dossier."
    ),
    epilog=(
        "Exemples :\n\n"
        "  laureate-writer validate examples/2020/*.yaml\n\n"
        "  laureate-writer draft examples/2020/brest.yaml -o out/brest.md\n\n"
        "  laureate-writer palmares examples/2020/palmares.yaml -o out/palmares-2020.html"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

cli_words.install()  # click's own words (usage errors, headings) in French too

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """A line for people on stderr, always shown (a problem, a refusal)."""
    typer.echo(PREFIX + message, err=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    say(message)
    return typer.Exit(code)


def reports_input_errors(func: F) -> F:
    """Turn InputError into located lines on stderr and exit code 2; a refused write
    (stale version, output over an input) into one line and exit code 2."""
    from laureate_writer.output import WriteRefused

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except WriteRefused as exc:
            raise fail(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"laureate-writer {__version__}")
        raise typer.Exit()


# 0 quiet (problems only), 1 normal, 2 verbose (every finding, not grouped)
_VERBOSITY = {"level": 1}
GROUPED_LINES = 12  # findings shown before "… and N more" (all with --verbose)


def _info(message: str) -> None:
    """A message for people that is not a problem: hidden by --quiet."""
    if _VERBOSITY["level"] >= 1:
        typer.echo(message, err=True)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Affiche la version."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Seulement les problèmes et le bilan (ni progression, ni notes)."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Chaque constat sur sa ligne, sans regroupement."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Affiche la trace d’une erreur interne (code 70)."),
    ] = False,
) -> None:
    """Rédige les textes des lauréats à partir de leurs dossiers."""
    _VERBOSITY["level"] = 0 if quiet else (2 if verbose else 1)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class ArticleFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    html_fragment = "html-fragment"


PageFormat = ArticleFormat  # a page takes the same formats as an article

_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    _write(output, text)
    _info(f"écrit : {output}")


def _to_stdout(output: Path | None) -> Path | None:
    """``-o -`` is standard output, as no -o at all."""
    return None if output is not None and str(output) == "-" else output


def _write(path: Path, text: str) -> None:
    """Write atomically; an OS refusal (read-only folder, full disk) is one line, exit 2
    (the atomic write leaves nothing behind)."""
    from laureate_writer.output import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise fail(f"{path} : écriture impossible : {os_reason(exc)}") from None


def _check_outputs(*files: Path | None, folder: Path | None = None) -> None:
    from laureate_writer.output import check_output_path

    for path in files:
        check_output_path(path)
    check_output_path(folder, folder=True)


def _format_from(output: Path | None, given: str | None, default: str | None) -> str:
    """--format, else the output's extension, else the configured default, else md. An
    extension that names no format is refused before anything runs (exit 2)."""
    if given:
        return given
    if output is not None and str(output) != "-":
        suffix = output.suffix.lower()
        if suffix in _SUFFIX_FORMATS:
            return _SUFFIX_FORMATS[suffix]
        if suffix:
            raise fail(
                f"{output} : extension de sortie inconnue « {suffix} » : "
                "utilisez .md, .html ou .json, ou précisez --format"
            )
    return default or "md"


# --- validate / schema -----------------------------------------------------------------


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Dossiers ou fichiers d’édition (YAML ou JSON), ou - (entrée standard)."
        ),
    ],
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="text ou json.")
    ] = OutputFormat.text,
) -> None:
    """Vérifie dossiers et fichiers d’édition selon le schéma.

    Un fichier d’édition (avec « dossiers: ») est vérifié avec ses dossiers. Chaque
    problème s’écrit FICHIER:LIGNE:COL: CHAMP: MESSAGE ; code 2 s’il y en a.

    Exemple : laureate-writer validate examples/2020/*.yaml
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
    page = "page"
    article = "article"


@app.command()
@reports_input_errors
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="dossier, edition, page ou article.")
    ] = SchemaKind.dossier,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Écrit dans ce fichier.")
    ] = None,
) -> None:
    """Affiche le schéma JSON des dossiers ou des éditions (complétion dans l’éditeur),
    ou des sorties JSON (palmares et draft --format json).

    Enregistrez-le et indiquez-le à votre éditeur YAML par une première ligne comme
    « # yaml-language-server: $schema=../../schema/dossier.schema.json ».

    Exemple : laureate-writer schema dossier -o schema/dossier.schema.json
    """
    from laureate_writer.validation import json_schema

    output = _to_stdout(output)
    _check_outputs(output)
    _emit(json_schema(kind.value), output)


# --- draft / palmares ------------------------------------------------------------------


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="« offline », « openai:gpt-4.1-mini », un modèle servi à OPENAI_BASE_URL ou "
        "tout fournisseur:modèle. Par défaut : LW_MODEL ou laureate-writer.toml, sinon offline.",
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Redemande au modèle même une requête en cache.")
]
StyleOption = Annotated[
    Path | None,
    typer.Option(
        "--style",
        help="Un fichier de style maison (étend celui par défaut ; défaut : configuration).",
    ),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template", help="Votre gabarit de page jinja2 (HTML ; défaut : configuration)."
    ),
]
CssOption = Annotated[
    Path | None,
    typer.Option("--css", help="Une feuille de style pour la page HTML, à la place de la nôtre."),
]
PromptsOption = Annotated[
    list[Path] | None,
    typer.Option("--prompts", help="Un répertoire de prompts de la rédaction, prioritaire."),
]


def _writer(
    model: str | None,
    no_cache: bool,
    prompts: list[Path] | None,
    style: Any,
    layout: str | None = None,
    layout_at: Callable[[], tuple[str, int, int]] = lambda: ("--layout", 1, 1),
) -> Any:
    """The writer; an unknown ``layout`` is one located line (``layout_at()``: where it
    was given — the flag, or the edition file's key), exit 2."""
    from laureate_writer import api
    from laureate_writer.writers.offline import UnknownLayout

    flags = {"cache": False} if no_cache else {}
    try:
        return api.make_writer(model, prompts=prompts or [], style=style, layout=layout, **flags)
    except UnknownLayout as exc:
        where, line, column = layout_at()
        raise InputError.single(where, str(exc), line, column, field="layout") from None


LayoutOption = Annotated[
    str | None,
    typer.Option(
        "--layout", help="Mise en page du rédacteur hors ligne : 2020 (défaut), 2023 ou magazine."
    ),
]


def _say_if_offline(writer: Any, model: str | None) -> None:
    # Said after the input was read, so a bad input still gets exactly one error line.
    if writer.name == "offline" and model is None:
        _info(PREFIX + "aucun modèle configuré : rédaction hors ligne (gabarits)")


def _exit_code(partial: bool, unresolved: int) -> int:
    if partial:
        return EXIT_PARTIAL
    return 1 if unresolved else 0


@app.command()
@reports_input_errors
def draft(
    dossier: Annotated[
        Path, typer.Argument(help="Le dossier du lauréat (YAML ou JSON), ou - (entrée standard).")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Écrit ici (atomiquement) ; - ou rien : sortie standard."
        ),
    ] = None,
    fmt: Annotated[
        ArticleFormat | None,
        typer.Option(
            "--format",
            help="md (fichier d’article), json, html ou html-fragment ; "
            "défaut : d’après -o, puis configuration.",
        ),
    ] = None,
    model: ModelOption = None,
    no_cache: NoCacheOption = False,
    style: StyleOption = None,
    prompts: PromptsOption = None,
    template: TemplateOption = None,
    css: CssOption = None,
    layout: LayoutOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Sur un article existant, rédige aussi les sections modifiées à la main.",
        ),
    ] = False,
) -> None:
    """Rédige le texte d’un lauréat à partir de son dossier.

    Sur un fichier d’article existant (-o), les sections modifiées à la main sont gardées
    (sauf --force ; le texte remplacé va dans l’historique), et une section en échec garde
    son texte.

    Le fichier d’article Markdown garde la provenance de chaque section dans son front
    matter : on peut le modifier et régénérer des sections ensuite. Code 0 : propre ; 1 :
    des constats de style ou de faits restent (listés dans le front matter) ; 3 : des
    sections en échec (résultat partiel).

    Exemple : laureate-writer draft examples/2020/brest.yaml -o out/brest.md
    """
    from laureate_writer import api
    from laureate_writer.output import refuse_inputs
    from laureate_writer.store import ArticleStore

    config = _settings_or_exit()
    output = _to_stdout(output)
    _check_outputs(output)
    article_format = _format_from(output, fmt.value if fmt else None, config.format)
    article_dir = output.parent if output is not None else Path.cwd()
    store = previous = seen = None
    if output is not None:
        refuse_inputs(output, [dossier])
        if article_format == "md":
            # the article being replaced: its hand edits and its finished sections are kept
            store = ArticleStore(output)
            seen = store.read_text()[1]
            if output.exists():
                previous = store.read()[0]
    checker = api.resolve_style(style or config.style or api.DEFAULT_STYLE)
    writer = _writer(model, no_cache, prompts, checker, layout)
    outcome = api.draft_outcome(
        dossier,
        writer=writer,
        article_dir=article_dir,
        style=checker,
        previous=previous,
        force=force,
    )
    _say_if_offline(writer, model)
    if outcome.nothing_drafted:
        _report_outcome([outcome])
        raise fail("aucune section rédigée : article non écrit", EXIT_PARTIAL)
    text = api.render_article(
        outcome.article, article_format, **_html_options(config, template, css)
    )
    if store is None:
        _emit(text, output)
    elif previous is not None and not outcome.changed:
        _info(f"rien de nouveau n'a été rédigé : {output} laissé tel quel")
    else:
        try:  # refused if the file changed during the draft
            store.write(text, expected=seen)
        except OSError as exc:  # a read-only folder: the store wrote nothing
            raise fail(f"{output} : écriture impossible : {os_reason(exc)}") from None
        _info(f"écrit : {output}")
    _report_outcome([outcome])
    raise typer.Exit(_exit_code(outcome.partial, outcome.unresolved))


KEPT = {  # why a section of the article file was kept, as the editor reads it
    "edited by hand": "modifiée à la main ; --force pour la rédiger de nouveau",
    "failed now; its previous text is kept": "en échec : son texte précédent est gardé",
}


def _report_outcome(outcomes: list[Any]) -> None:
    """Kept and failed sections and remaining findings on stderr, grouped: one line per
    reason, and per kind of finding (checker and rule) with a count, where it occurs and
    an example; every finding on its own line with --verbose."""
    kept: dict[str, list[str]] = {}
    failed: dict[str, list[str]] = {}
    for outcome in outcomes:
        for kind, reason in outcome.kept.items():
            kept.setdefault(reason, []).append(f"{outcome.article.id}/{kind}")
        for kind, reason in outcome.failures.items():
            failed.setdefault(reason, []).append(f"{outcome.article.id}/{kind}")
    for reason, where in kept.items():
        sections = "section gardée" if len(where) == 1 else f"{len(where)} sections gardées"
        typer.echo(f"{_places(where)} : {sections} ({KEPT[reason]})", err=True)
    for reason, where in failed.items():
        sections = _plural(len(where), "section", "sections")
        say(f"{sections} en échec ({_places(where)}) : {reason}")
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for outcome in outcomes:
        for item in outcome.article.reports.get("unresolved", []):
            where = item["section"] or "article"  # an article-wide finding has no section
            place = f"{outcome.article.id}/{where}"
            found.setdefault((item["checker"], item["rule"]), []).append((place, item["message"]))
    if _VERBOSITY["level"] >= 2:
        for (checker, rule), items in found.items():
            for place, message in items:
                typer.echo(f"{place}: {checker} {rule}: {message}", err=True)
        return
    groups = sorted(found.items(), key=lambda group: -len(group[1]))
    for (checker, rule), items in groups[:GROUPED_LINES]:
        typer.echo(_grouped_line(checker, rule, items), err=True)
    if len(groups) > GROUPED_LINES:
        rest = sum(len(items) for _, items in groups[GROUPED_LINES:])
        typer.echo(
            f"… et {_plural(rest, 'autre constat', 'autres constats')} "
            "(--verbose pour tout voir ; tous sont dans le front matter des articles)",
            err=True,
        )


def _grouped_line(checker: str, rule: str, items: list[tuple[str, str]]) -> str:
    """One kind of finding: alone, as is; repeated, counted with an example."""
    places = list(dict.fromkeys(place for place, _ in items))
    messages = list(dict.fromkeys(message for _, message in items))
    if len(items) == 1:
        return f"{places[0]}: {checker} {rule}: {messages[0]}"
    count = _plural(len(items), "constat", "constats")
    example = messages[0] if len(messages) == 1 else f"par exemple {messages[0]}"
    return f"{checker} {rule} : {count} ({_places(places)}) ; {example}"


def _places(where: list[str], shown: int = 3) -> str:
    if len(where) <= shown:
        return ", ".join(where)
    return f"{', '.join(where[:shown])} et {len(where) - shown} autres"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Via(StrEnum):
    interactive = "interactive"
    batch = "batch"


EXIT_INTERRUPTED = 130


@app.command()
@reports_input_errors
def palmares(
    edition: Annotated[
        Path, typer.Argument(help="Le fichier d’édition (par exemple palmares.yaml).")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Écrit ici (atomiquement) ; - ou rien : sortie standard."
        ),
    ] = None,
    fmt: Annotated[
        PageFormat | None,
        typer.Option(
            "--format",
            help="md, html, html-fragment ou json ; défaut : d’après -o, puis configuration.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            "--articles",
            help="Le répertoire des articles : les articles déjà là sont repris (seules les "
            "sections manquantes ou périmées sont rédigées, les retouches gardées) ; le "
            "nouveau travail y est écrit.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rédige aussi les sections modifiées à la main (gardées dans l’historique).",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="N’écrit pas la page tant qu’une section est signalée (sinon elle est marquée).",
        ),
    ] = False,
    model: ModelOption = None,
    no_cache: NoCacheOption = False,
    style: StyleOption = None,
    prompts: PromptsOption = None,
    template: TemplateOption = None,
    css: CssOption = None,
    layout: LayoutOption = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency", help="Sections rédigées en même temps (défaut : réglages, 4)."
        ),
    ] = None,
    rpm: Annotated[
        float | None,
        typer.Option("--rpm", help="Au plus ce nombre de requêtes au modèle par minute."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Garde les sections terminées par une exécution arrêtée."),
    ] = False,
    journal: Annotated[
        Path | None,
        typer.Option(
            "--journal",
            help="Le journal des sections terminées (défaut : un par édition, dans le cache).",
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Écrit ici le rapport de l’exécution, en JSON.")
    ] = None,
    via: Annotated[
        Via,
        typer.Option(
            "--via", help="interactive (requêtes une à une) ou batch (API Batch du fournisseur)."
        ),
    ] = Via.interactive,
    poll_interval: Annotated[
        float,
        typer.Option(
            "--poll-interval", help="Secondes entre deux consultations de l’état d’un batch."
        ),
    ] = 10.0,
) -> None:
    """Rédige une page palmarès entière : titre, introduction, puis chaque lauréat dans
    l’ordre des prix.

    Toutes les sections de tous les lauréats sont planifiées ensemble (--concurrency,
    --rpm) ; chaque section terminée est notée au journal, si bien qu’une exécution arrêtée
    par Ctrl-C (code 130) ou tuée reprend avec --resume sans redemander ce qui est fini.
    --via batch passe par l’API Batch du fournisseur (moitié prix, plus lent).

    Code 0 : propre ; 1 : des constats de style ou de faits restent ; 3 : des sections en
    échec (partiel) ; 130 : arrêté (ce qui était fini est écrit).

    Exemple : laureate-writer palmares examples/2020/palmares.yaml -o out/palmares-2020.html
    """
    from rich.console import Console

    from laureate_writer import api
    from laureate_writer.palmares import load_edition
    from laureate_writer.production import run as production
    from laureate_writer.settings import load_settings

    output = _to_stdout(output)
    _check_outputs(output, report, folder=out_dir)
    settings = load_settings(model=model, concurrency=concurrency)
    loaded = load_edition(edition)  # bad input: located errors, exit 2, nothing written
    _refuse_outputs_over_inputs(loaded, output, report)
    page_format = _format_from(output, fmt.value if fmt else None, settings.format)
    html_options = _html_options(settings, template, css)
    out_dir = out_dir or settings.out_dir
    checker = api.resolve_style(style or settings.style or api.DEFAULT_STYLE)
    writer = _writer(model, no_cache, prompts, checker, *_edition_layout(layout, loaded))
    try:
        done = production.run(
            loaded,
            writer,
            style=checker,
            concurrency=settings.concurrency,
            revise_rounds=settings.revise_rounds,
            rpm=rpm,
            resume=resume,
            journal=production.journal_path(edition, journal, settings.cache_path),
            via=via.value,
            poll_interval=poll_interval,
            out_dir=out_dir,
            page_dir=out_dir,
            force=force,
            progress=_VERBOSITY["level"] >= 1,
        )
    except production.RunError as exc:
        raise fail(str(exc)) from None
    result = done.result
    _say_if_offline(writer, model)
    if result.outcomes and all(o.nothing_drafted for o in result.outcomes):
        _report_outcome(result.outcomes)
        done.close()
        raise fail("aucune section rédigée : page non écrite", EXIT_PARTIAL)
    from laureate_writer.palmares import flagged_count

    flagged = flagged_count(result.page)
    if strict and flagged:
        signalled = _plural(flagged, "section signalée", "sections signalées")
        say(f"{signalled} : page non écrite (--strict)")
    else:
        _emit(api.render_page(result.page, page_format, **html_options), output)
    production_run = result.production
    if out_dir is not None:
        _info(f"écrit : {len(production_run.written)} article(s) dans {out_dir}")
    for article_id, why in production_run.refused.items():
        typer.echo(f"{article_id} : non écrit : {why}", err=True)
    _report_outcome(result.outcomes)
    for outcome in result.outcomes:
        if outcome.nothing_drafted:
            typer.echo(
                f"{outcome.article.id} : aucune section rédigée : article non écrit, "
                "absent de la page",
                err=True,
            )
    if result.intro_note:
        say(result.intro_note)
    if done.writer.name != "offline":
        # the table with the summary; --quiet keeps only the summary line
        width = None if sys.stderr.isatty() else 120
        console = Console(stderr=True, highlight=False, width=width)
        if _VERBOSITY["level"] >= 1:
            done.tally.render(console)
        else:
            console.print(done.tally.summary_line(), highlight=False)
    code = _exit_code(result.partial, result.unresolved)
    if production_run.refused:
        code = EXIT_BAD_INPUT
    if result.interrupted:
        code = EXIT_INTERRUPTED
        finished, total = len(result.page.articles), len(loaded.dossiers)
        kept = f" ; sections terminées gardées dans {done.journal.path}" if done.journal else ""
        say(
            f"arrêté : {finished} lauréat(s) sur {total} terminé(s){kept} ; "
            "relancez avec --resume pour continuer"
        )
        _STOP_SAID["said"] = True
    if report is not None:
        data = done.report(
            edition=str(edition), exit_code=code, page=str(output) if output else None
        )
        _emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", report)
    done.close()
    raise typer.Exit(code)


def _edition_layout(flag: str | None, loaded: Any) -> tuple[Any, ...]:
    """The page's layout and where it is set: --layout, else the edition file's
    ``layout:``, else (None) the configuration's."""
    if flag is not None or loaded.edition.layout is None:
        return (flag,)

    def where() -> tuple[str, int, int]:  # only read again when the layout is unknown
        from laureate_writer.loading import parse_document, read_text

        document = parse_document(loaded.path, read_text(loaded.path))
        return (str(loaded.path), *document.position(("layout",), key=True))

    return loaded.edition.layout, where


def _html_options(settings: Any, template: Path | None, css: Path | None) -> dict[str, Any]:
    """The page template and style sheet: flags, then the configuration. Read before
    any drafting, so a missing file costs nothing."""
    from laureate_writer.loading import read_text
    from laureate_writer.palmares import load_template

    template = template or settings.template
    css = css or settings.css
    return {
        "template": load_template(template) if template is not None else None,
        "css": read_text(Path(css)) if css is not None else None,
    }


def _refuse_outputs_over_inputs(loaded: Any, *outputs: Path | None) -> None:
    """No page or report may replace the edition, a dossier or an article file."""
    from laureate_writer.output import refuse_article, refuse_inputs

    inputs = [loaded.path, *(path for path, _ in loaded.dossiers)]
    for target in outputs:
        if target is not None:
            refuse_inputs(target, inputs)
            refuse_article(target)


def _section_names() -> type[StrEnum]:
    # The sections an editor can rewrite: every kind but the prize label (the award's
    # own wording), taken from the article model so the two never drift apart.
    from laureate_writer.sections import SectionKind  # not article: no pydantic at start-up

    names = {k.value: k.value for k in SectionKind if k != SectionKind.prize_label}
    return StrEnum("SectionName", names)  # type: ignore[return-value]


SectionName = _section_names()


@app.command()
@reports_input_errors
def regenerate(
    article: Annotated[Path, typer.Argument(help="Le fichier d’article (Markdown).")],
    section: Annotated[SectionName, typer.Option("--section", help="La section à réécrire.")],
    instruction: Annotated[
        str | None, typer.Option("--instruction", help="Ce qu’il faut changer, en mots simples.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Montre les différences ; n’écrit rien.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Remplace une section modifiée à la main.")
    ] = False,
    undo: Annotated[
        bool, typer.Option("--undo", help="Remet la version précédente de la section.")
    ] = False,
    dossier: Annotated[
        Path | None,
        typer.Option("--dossier", help="Le dossier, s’il diffère de celui de l’article."),
    ] = None,
    model: ModelOption = None,
    style: StyleOption = None,
    prompts: PromptsOption = None,
) -> None:
    """Réécrit une section d’un fichier d’article, les autres restant intactes à l’octet près.

    Une section modifiée à la main est refusée sauf --force ; la version précédente est
    gardée dans le front matter, et --undo la remet. La régénération n’utilise jamais le
    cache.

    Exemple : laureate-writer regenerate out/2020/brest.md --section results
    --instruction "mets en avant le nombre de semaines réservées" --dry-run
    """
    import asyncio

    from laureate_writer import api
    from laureate_writer import regenerate as regen

    checker = api.resolve_style(style or _settings_or_exit().style or api.DEFAULT_STYLE)
    if undo:
        change = regen.undo(article, section.value, dossier=dossier, style=checker)
    else:
        writer = _writer(model, False, prompts, checker)
        if writer.name == "offline" and instruction:
            say(
                "le rédacteur hors ligne ne suit pas de consigne : "
                "la section est rédigée de nouveau d’après le dossier"
            )
        try:
            change = asyncio.run(
                regen.aregenerate(
                    article,
                    section.value,
                    writer,
                    instruction=instruction,
                    force=force,
                    dossier=dossier,
                    style=checker,
                )
            )
        except regen.RegenerationRefused as refused:
            raise fail(str(refused)) from None
        except regen.SectionFailure as failure:
            raise fail(
                f"{article} : section {failure.kind.value} en échec : {failure.reason}",
                EXIT_PARTIAL,
            ) from None
    if dry_run:
        sys.stdout.write(change.diff() or "(aucun changement)\n")
    else:
        try:
            change.save()
        except OSError as exc:  # a read-only folder: the store wrote nothing
            raise fail(f"{article} : écriture impossible : {os_reason(exc)}") from None
        _info(f"écrit : {article} (section {section.value})")
    for item in change.remaining:
        typer.echo(
            f"{article}: {item.section or section.value}: {item.checker} {item.rule}: "
            f"{item.message}",
            err=True,
        )
    raise typer.Exit(1 if change.remaining else 0)


# --- check / facts (house style and fact guard) --------------------------------------


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class Level(StrEnum):
    suggestion = "suggestion"
    warning = "warning"
    error = "error"


class GrammarMode(StrEnum):
    auto = "auto"
    on = "on"
    off = "off"


@app.command()
def check(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Articles, pages, fichiers HTML ou texte, répertoires, ou - (entrée standard)."
        ),
    ],
    style: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="Un fichier de style maison (étend celui par défaut ; défaut : configuration).",
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Applique sur place les corrections sûres.")
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Montre les corrections sûres en diff ; code 1 s’il y en a."),
    ] = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="text, json ou github.")] = (
        CheckFormat.text
    ),
    min_severity: Annotated[
        Level | None, typer.Option("--min-severity", help="Masque les constats sous ce niveau.")
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include", help="Dans les répertoires, vérifie les fichiers de ce motif (répétable)."
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Ignore fichiers et répertoires de ce motif (répétable)."),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Compte les constats par règle.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Code 0 même s’il reste des constats.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Pas de ligne de bilan, seulement les constats.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Processus pour les gros lots (défaut : un par processeur)."
        ),
    ] = None,
    grammar: Annotated[
        GrammarMode | None,
        typer.Option(
            "--grammar",
            help="Passe de grammaire et d’orthographe (Grammalecte) : auto (active si "
            "installé ; défaut, ou LW_GRAMMAR), on ou off.",
        ),
    ] = None,
) -> None:
    """Vérifie des textes selon le style maison (typographie, termes, longueurs…).

    Affiche FICHIER:LIGNE:COL: GRAVITÉ RÈGLE: MESSAGE, puis un bilan sur la sortie
    d’erreur. Les répertoires sont parcourus ; pages palmarès et fichiers HTML sont lus
    selon leur structure. « laureate-writer rules ID » explique une règle. Code 0 :
    propre ; 1 : des erreurs restent (ou, avec --diff, des corrections en attente) ;
    2 : entrée invalide.

    Exemple : laureate-writer check out/ --statistics
    """
    from laureate_writer.style.command import Options, run_check

    config = _settings_or_exit()
    options = Options(
        include=tuple(include or config.check.include),
        exclude=tuple([*config.check.exclude, *(exclude or [])]),
        statistics=statistics,
        exit_zero=exit_zero,
        quiet=quiet,
        grammar=grammar.value if grammar else None,
    )
    style_ref = style or (str(config.style) if config.style else None)
    severity = min_severity.value if min_severity else config.check.min_severity
    raise typer.Exit(
        run_check(files, style_ref, fix, diff, fmt.value, severity, jobs=jobs, options=options)
    )


@app.command()
def rules(
    rule_id: Annotated[
        str | None,
        typer.Argument(
            help="L’identifiant d’une règle (par exemple typo.colon-space), ou un préfixe."
        ),
    ] = None,
    style: Annotated[
        str | None,
        typer.Option("--style", help="Un fichier de style maison (défaut : configuration)."),
    ] = None,
) -> None:
    """Liste les règles du style maison, ou en explique une (d’après le fichier de style).

    Exemple : laureate-writer rules typo.colon-space
    """
    from laureate_writer.style.explain import explain

    config = _settings_or_exit()
    style_ref = style or (str(config.style) if config.style else None)
    code, text = explain(style_ref, rule_id)
    if code == 0:
        sys.stdout.write(text)
    else:
        typer.echo(text, err=True)
    raise typer.Exit(code)


def _settings_or_exit(**flags: Any) -> Any:
    """The configuration (flags, environment, configuration file), or exit 2 with its
    located problems."""
    from laureate_writer.settings import load_settings

    try:
        return load_settings(**flags)
    except InputError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


@app.command()
def facts(
    article: Annotated[
        str, typer.Argument(help="Un fichier d’article (ou un fichier texte avec --dossier).")
    ],
    dossier: Annotated[
        str | None, typer.Option("--dossier", help="Le dossier (défaut : celui de l’article).")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text ou json.")] = (
        OutputFormat.text
    ),
) -> None:
    """Rattache chaque chiffre, date, nom et citation d’un article à son dossier.

    Code 0 si toutes les affirmations sont étayées, 1 sinon, 2 : entrée invalide.

    Exemple : laureate-writer facts out/2020/brest.md
    """
    from laureate_writer.facts.command import run_facts

    raise typer.Exit(run_facts(article, dossier, fmt.value))


# --- models and the cache of answers -----------------------------------------------------


@app.command()
def models(
    probe: Annotated[
        bool, typer.Option("--probe", help="Demande au serveur quels modèles il sert (réseau).")
    ] = False,
    model: ModelOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text ou json.")] = (
        OutputFormat.text
    ),
) -> None:
    """Montre le modèle configuré, d’où vient ce réglage, son serveur ; --probe
    interroge le serveur.

    Rien ne passe par le réseau sans --probe. Code 0 ; 1 si le serveur interrogé est
    injoignable ; 2 : configuration invalide.

    Exemple : laureate-writer models --probe
    """
    from laureate_writer import models_info

    settings = _settings_or_exit(model=model)
    info = models_info.configured(settings)
    code = 0
    if probe and settings.uses_model:
        info["probe"] = models_info.probe(settings, timeout=min(settings.timeout, 10.0))
        code = 1 if info["probe"]["reachable"] is False else 0
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        raise typer.Exit(code)
    if not settings.uses_model:
        typer.echo("modèle : offline (aucun modèle configuré : rédaction hors ligne)")
    else:
        typer.echo(f"modèle : {info['model']} ({info['origin']})")
        typer.echo(f"client : {info['client']}")
        if info["base_url"]:
            typer.echo(f"serveur : {info['base_url']}")
        typer.echo(f"clé d’API : {'définie' if info['api_key'] else 'absente'}")
    if info["config_file"]:
        typer.echo(f"configuration : {info['config_file']}")
    typer.echo(f"cache : {info['cache'] or 'désactivé'}")
    found = info.get("probe")
    if found is not None:
        if found["reachable"] is False:
            typer.echo(f"serveur injoignable : {info['base_url']} ({found['error']})")
        elif found["error"]:
            typer.echo(f"serveur joignable, mais : {found['error']}")
        else:
            served = found["models"]
            typer.echo(f"serveur joignable : {_plural(len(served), 'modèle', 'modèles')}")
            name = (info["model"] or "").partition(":")[2] or info["model"]
            for item in served:
                typer.echo(f"  {item}{'  (configuré)' if item == name else ''}")
    raise typer.Exit(code)


cache_app = typer.Typer(
    help="Le cache local des réponses du modèle (relancer la même requête ne coûte rien).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text ou json.")] = (
        OutputFormat.text
    ),
) -> None:
    """Combien de réponses sont en cache, par modèle, et leur taille sur le disque.

    Exemple : laureate-writer cache stats
    """
    from laureate_writer import models_info

    stats = models_info.cache_stats(_settings_or_exit().cache_path)
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    size = f"{stats['bytes'] / 1e6:.1f} Mo" if stats["bytes"] else "0 Mo"
    typer.echo(
        f"{_plural(stats['entries'], 'réponse', 'réponses')} en cache ({size}) : {stats['path']}"
    )
    for name, row in stats["models"].items():
        typer.echo(f"  {name} : {row['entries']} (du {row['oldest']} au {row['newest']})")


@cache_app.command("clear")
def cache_clear(
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Seulement les réponses de ce modèle.")
    ] = None,
) -> None:
    """Supprime les réponses en cache (toutes, ou celles d’un modèle).

    Exemple : laureate-writer cache clear -m openai:gpt-4.1-mini
    """
    from laureate_writer import models_info

    removed = models_info.cache_clear(_settings_or_exit().cache_path, model)
    typer.echo(_plural(removed, "réponse supprimée", "réponses supprimées") + " du cache", err=True)


# --- the assistant: MCP plugin and terminal chat -----------------------------------------


@app.command()
def mcp(
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Le répertoire des dossiers et des articles.")
    ] = Path("."),
    http: Annotated[
        bool,
        typer.Option("--http", help="Sert en HTTP (streamable) en boucle locale au lieu de stdio."),
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Port pour --http.")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Adresse de boucle locale pour --http.")] = (
        "127.0.0.1"
    ),
    model: ModelOption = None,
    style: StyleOption = None,
) -> None:
    """Lance le plugin MCP : les outils de l’assistant pour un hôte de chat (stdio par
    défaut).

    Tout chemin reçu par un outil reste dans l’espace de travail. Voir docs/plugin.md
    pour le JSON à ajouter à Claude Desktop, VS Code ou un autre client MCP.

    Exemple : laureate-writer mcp --workspace examples/2020
    """
    from laureate_writer.plugin.command import run_mcp

    raise typer.Exit(
        run_mcp(str(workspace), http, port, host, model=model, style=str(style) if style else None)
    )


@app.command()
def chat(
    target: Annotated[str, typer.Argument(help="Un dossier ou un fichier d’article.")],
    model: ModelOption = None,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", help="Le répertoire auquel les outils ont accès."),
    ] = None,
) -> None:
    """Converse avec l’assistant à propos d’un texte.

    Avec un modèle, un agent rédige, réécrit et vérifie à la demande (« raccourcis le
    chapô »). Hors ligne : /draft, /regen SECTION consigne, /check, /fix, /facts,
    /show [SECTION], /diff, /undo, /save, /help.

    Exemple : laureate-writer chat examples/2020/brest.yaml
    """
    from laureate_writer.chat.command import run_chat

    raise typer.Exit(run_chat(target, model, str(workspace) if workspace else None))


@app.command()
def desk(
    workspace: Annotated[
        Path, typer.Argument(help="Le répertoire des dossiers, éditions et articles.")
    ] = Path("."),
    port: Annotated[
        int, typer.Option("--port", help="Port (0 : n’importe quel port libre).")
    ] = 8766,
    host: Annotated[
        str, typer.Option("--host", help="Adresse ; hors boucle locale, un jeton est exigé.")
    ] = "127.0.0.1",
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Jeton d’accès hors boucle locale (défaut : LW_DESK_TOKEN, "
            "sinon un jeton au hasard, affiché dans l’URL).",
        ),
    ] = None,
    model: ModelOption = None,
    style: StyleOption = None,
) -> None:
    """Ouvre le bureau de rédaction : l’assistant dans le navigateur.

    Saisir un dossier dans un formulaire, rédiger, converser section par section, accepter
    ou refuser chaque changement, construire la page palmarès. Affiche son URL ; boucle
    locale seulement, sauf --host.

    Exemple : laureate-writer desk examples/2020
    """
    from laureate_writer.desk.command import run_desk

    raise typer.Exit(run_desk(str(workspace), port=port, host=host, model=model,
                              style=str(style) if style else None, token=token))  # fmt: skip


dossier_app = typer.Typer(
    help="Outils pour les dossiers : ce que le rédacteur en déduit, un squelette pour "
    "en commencer un.",
    no_args_is_help=True,
)
app.add_typer(dossier_app, name="dossier")


@dossier_app.command("annotate")
@reports_input_errors
def dossier_annotate(
    path: Annotated[Path, typer.Argument(help="Le dossier (YAML ou JSON).")],
) -> None:
    """Montre ce que le rédacteur déduit : genre et nombre des noms, quelles notes sont
    des phrases et lesquelles des fragments qu’il rassemble.

    Exemple : laureate-writer dossier annotate examples/dev/pipriac.yaml
    """
    from laureate_writer.annotate import annotate
    from laureate_writer.dossier import Dossier
    from laureate_writer.loading import load

    for line in annotate(load(Dossier, path)):
        typer.echo(line)


@dossier_app.command("new")
def dossier_new(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Écrit ici (jamais par-dessus un fichier)."),
    ] = None,
) -> None:
    """Écrit un squelette de dossier commenté.

    Exemple : laureate-writer dossier new -o dossiers/ma-ville.yaml
    """
    from laureate_writer.annotate import skeleton

    output = _to_stdout(output)
    if output is None:
        typer.echo(skeleton(), nl=False)
        return
    if output.exists():
        raise fail(f"{output} : existe déjà ; fichier laissé tel quel")
    _emit(skeleton(), output)  # atomic, and the folder is created as the README shows


EXIT_INTERNAL = 70
_STOP_SAID = {"said": False}  # a command that said why it stopped (palmarès): said once


def main() -> None:
    """The entry point, with the safety net: an exception no command handled is a bug;
    it is one line naming the command and the error's class (``--debug``, anywhere on
    the line, or ``LW_DEBUG=1`` shows the traceback), exit 70 — never a raw traceback."""
    debug = "--debug" in sys.argv[1:] or os.environ.get("LW_DEBUG", "") not in ("", "0")
    sys.argv[1:] = [a for a in sys.argv[1:] if a != "--debug"]
    _STOP_SAID["said"] = False
    try:
        click_command()()
    except KeyboardInterrupt:  # Ctrl-C outside a run that handles it: finished work kept
        print(PREFIX + "interrompu", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit as stop:  # typer turns Ctrl-C in a command into a silent exit 130
        if stop.code == EXIT_INTERRUPTED and not _STOP_SAID["said"]:
            print(PREFIX + "interrompu", file=sys.stderr)
        raise
    except Exception as exc:
        if debug:
            raise
        command = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
        where = f" {command}" if command in app_commands() else ""
        print(
            f"laureate-writer{where} : erreur interne ({type(exc).__name__}) ; "
            "c’est un bogue : relancez avec --debug pour voir la trace",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)


@cache
def click_command() -> Any:
    """The click command typer builds from ``app`` (built once: a test or a fuzzer runs
    ``main`` in-process thousands of times, and building it costs tens of milliseconds)."""
    return typer.main.get_command(app)


def app_commands() -> set[str]:
    commands = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    return commands | {g.name for g in app.registered_groups if g.name}
