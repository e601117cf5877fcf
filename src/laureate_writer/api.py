"""The library API: what the CLI, the chat, the plugin and newsroom scripts all call.

>>> from laureate_writer import api
>>> article = api.draft("examples/2020/brest.yaml")                   # offline writer
>>> writer = api.make_writer("openai:gpt-4.1-mini")                    # a chat model
>>> outcome = api.draft_outcome("examples/2020/brest.yaml", writer=writer)
>>> page = api.palmares("examples/2020/palmares.yaml")
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laureate_writer.article import Article, SectionKind
from laureate_writer.dossier import Dossier, Edition
from laureate_writer.drafting import DraftOutcome, StyleChecker, adraft_article
from laureate_writer.loading import load
from laureate_writer.palmares import (
    LoadedEdition,
    Palmares,
    load_edition,
    render_html,
    render_markdown,
    single_article_page,
)
from laureate_writer.writers import SectionRequest, Writer, get_writer

DEFAULT_STYLE = "default"


def load_dossier(path: str | Path) -> Dossier:
    """Load and validate one dossier file (raises ``InputError``)."""
    return load(Dossier, path)


def load_edition_file(path: str | Path) -> Edition:
    return load(Edition, path)


def resolve_style(style: StyleChecker | str | Path | None = DEFAULT_STYLE) -> StyleChecker | None:
    """The house style to apply: a loaded style, a style file, the default, or None."""
    if style is None:
        return None
    if not isinstance(style, str | Path):
        return style
    from laureate_writer.style import load_style

    return load_style(None if style == DEFAULT_STYLE else style)


def style_summary(style: Any, limit: int = 30) -> list[str]:
    """The house style in a few French sentences for the system prompt: the reason
    ("why") of each error and warning rule, most severe first, without repeats."""
    rules = [
        r
        for r in getattr(style, "rules", []) or []
        if getattr(r, "why", "") and str(getattr(r, "severity", "")) != "suggestion"
    ]
    rules.sort(key=lambda r: str(r.severity) != "error")
    lines: list[str] = []
    for rule in rules:
        if rule.why not in lines:
            lines.append(rule.why)
    return lines[:limit]


_SCOPE_SECTIONS = {
    "headline": ["headline"],
    "lead": ["lead"],
    "caption": ["caption"],
    "intertitle": ["method", "details", "results"],
}
_UNITS = {"chars": "caractères", "words": "mots", "sentences": "phrases"}


def section_limits(style: Any) -> dict[str, list[str]]:
    """Length limits per section from the style's length rules, in French, for the
    section prompts (e.g. {"headline": ["au moins 20 caractères", "au plus 90 caractères"]})."""
    limits: dict[str, list[str]] = {}
    for rule in getattr(style, "rules", []) or []:
        options = getattr(rule, "options", {}) or {}
        if type(rule).__name__ != "LengthRule" or options.get("per") not in (None, "section"):
            continue
        unit = _UNITS.get(str(options.get("unit")), str(options.get("unit")))
        for scope in getattr(rule, "scope_names", []) or []:
            what = "l’intertitre " if scope == "intertitle" else ""
            for bound, value in (("au moins", options.get("min")), ("au plus", options.get("max"))):
                if not value:
                    continue
                noun = unit[:-1] if value == 1 else unit
                for section in _SCOPE_SECTIONS.get(scope, []):
                    limits.setdefault(section, []).append(f"{what}{bound} {value} {noun}")
    return limits


def make_writer(
    model: str | None = None,
    *,
    prompts: Sequence[str | Path] = (),
    style: Any = None,
    layout: str | None = None,
    **settings_flags: Any,
) -> Writer:
    """The writer for ``model`` (flag) or, if None, for the configured model (LW_MODEL or
    laureate-writer.toml); the offline writer when nothing is configured, drafting in
    ``layout``, else the configured one (LW_LAYOUT, ``layout =``), else the 2020 palmarès.
    An unknown ``layout`` raises :class:`~laureate_writer.writers.offline.UnknownLayout`;
    an unknown configured one is an InputError located where it is set."""
    from laureate_writer.settings import load_settings

    settings = load_settings(model=model, **settings_flags)
    prompt_dirs = [*map(str, prompts), *map(str, settings.prompts)]
    if not settings.uses_model:
        if layout is not None or settings.layout is None:
            return get_writer("offline", prompts=prompt_dirs, layout=layout)
        from laureate_writer.loading import InputError
        from laureate_writer.writers.offline import UnknownLayout

        try:
            return get_writer("offline", prompts=prompt_dirs, layout=settings.layout)
        except UnknownLayout as exc:
            where, line, col = settings.origin("layout")
            raise InputError.single(where, str(exc), line, col, field="layout") from None
    return get_writer(
        settings.model,
        prompts=prompt_dirs,
        settings=settings,
        style_summary=style_summary(style),
        section_limits=section_limits(style),
    )


def _relative(target: Path, base_dir: Path | None) -> str:
    if base_dir is None or str(target) == "-":  # stdin: no file to point back to
        return str(target)
    return os.path.relpath(target.resolve(), base_dir.resolve())


async def adraft(
    dossier_path: str | Path,
    *,
    writer: Writer | None = None,
    article_dir: str | Path | None = None,
    style: StyleChecker | str | Path | None = DEFAULT_STYLE,
    revise_rounds: int = 2,
    previous: Article | None = None,
    force: bool = False,
) -> DraftOutcome:
    """Draft one article. Over ``previous`` (the article file being replaced) its
    hand-edited sections are kept unless ``force`` and a failing section keeps its text."""
    path = Path(dossier_path)
    dossier = load_dossier(path)
    base = Path(article_dir) if article_dir is not None else None
    return await adraft_article(
        dossier,
        writer or get_writer(),
        dossier_path=_relative(path, base),
        style=resolve_style(style),
        revise_rounds=revise_rounds,
        previous=previous,
        force=force,
    )


def draft_outcome(dossier_path: str | Path, **options: Any) -> DraftOutcome:
    """Draft one article; the outcome says which sections failed, if any."""
    return asyncio.run(adraft(dossier_path, **options))


def draft(dossier_path: str | Path, **options: Any) -> Article:
    """Draft one article from a dossier file. ``article_dir`` is where the article file
    will live, so its front matter can point back to the dossier relatively."""
    return draft_outcome(dossier_path, **options).article


@dataclass
class PalmaresOutcome:
    page: Palmares
    outcomes: list[DraftOutcome] = field(default_factory=list)
    production: Any = None  # the production run (tally, interruption) behind the page
    intro_note: str | None = None  # why the model's intro was not used, if it was not

    @property
    def interrupted(self) -> bool:
        return bool(self.production is not None and self.production.interrupted)

    @property
    def partial(self) -> bool:
        return any(o.partial for o in self.outcomes)

    @property
    def unresolved(self) -> int:
        return sum(o.unresolved for o in self.outcomes)


async def apalmares(
    edition_path: str | Path | LoadedEdition,
    *,
    writer: Writer | None = None,
    page_dir: str | Path | None = None,
    style: StyleChecker | str | Path | None = DEFAULT_STYLE,
    revise_rounds: int = 2,
    concurrency: int = 4,
    rpm: float | None = None,
    journal: Any = None,
    out_dir: str | Path | None = None,
    tally: Any = None,
    stop: asyncio.Event | None = None,
    handle_signals: bool = False,
    force: bool = False,
) -> PalmaresOutcome:
    """Draft a whole palmarès page, every section of every laureate scheduled together
    (:mod:`laureate_writer.production`): at most ``concurrency`` sections at once,
    ``rpm`` model requests a minute if given; ``journal`` (a
    :class:`~laureate_writer.production.Journal`) keeps finished sections for a resumed
    run; ``out_dir`` is the articles folder: the articles already there are reused (only
    missing or stale sections drafted, hand edits kept unless ``force``), new work is
    written there as each article completes. When ``stop`` is
    set (or, with ``handle_signals``, on Ctrl-C/SIGTERM) the page holds the laureates
    finished so far and ``outcome.interrupted`` is true."""
    from laureate_writer.production import produce
    from laureate_writer.writers.offline import OfflineWriter

    writer = writer or get_writer()
    # A caller that validated the edition first (the CLI) hands it over: not parsed twice.
    loaded = edition_path if isinstance(edition_path, LoadedEdition) else load_edition(edition_path)
    base = Path(page_dir) if page_dir is not None else None
    checker = resolve_style(style)
    title, offline_intro = OfflineWriter().draft_intro(loaded.edition)
    # The offline writer varies headlines and lead endings across the page (a model
    # writer has no such plan: it reads the page's other entries in no prompt).
    plan_page = getattr(writer, "plan_page", None)
    if plan_page is not None:
        plan_page([d for _, d in loaded.dossiers])
    # The intro only needs the prize labels (the award's wording, drafted from each dossier
    # without a model): it is asked for during the run, in a slot of the same gate at the
    # lowest priority, instead of after it.
    labels: list[str] = []
    intro_job = None
    if getattr(writer, "adraft_intro", None) is not None:
        labels = _prize_labels(loaded)
        intro_job = functools.partial(
            _model_intro, writer, loaded.edition, labels, offline_intro, checker, journal
        )
    run = await produce(
        loaded,
        writer,
        style=checker,
        revise_rounds=revise_rounds,
        concurrency=concurrency,
        rpm=rpm,
        journal=journal,
        tally=tally,
        dossier_path=lambda path: _relative(path, base),
        out_dir=Path(out_dir) if out_dir is not None else None,
        stop=stop,
        handle_signals=handle_signals,
        intro=intro_job,
        force=force,
    )
    outcomes = run.finished
    # a laureate whose every section failed is left off the page (reported, exit 3),
    # never shown as a prize label alone
    articles = [o.article for o in outcomes if not o.nothing_drafted]
    intro, intro_note = offline_intro, None
    if not run.interrupted and intro_job is not None:
        page_labels = [a.text_of(SectionKind.prize_label) for a in articles]
        if run.intro is not None and page_labels == labels:
            intro, intro_note = run.intro
        else:  # the page's labels are not those the intro was asked with: ask again
            intro, intro_note = await _model_intro(
                writer, loaded.edition, page_labels, offline_intro, checker, journal
            )
    page = Palmares(title=title, intro=intro, year=loaded.edition.award.year, articles=articles)
    return PalmaresOutcome(page, outcomes, run, intro_note)


def _prize_labels(loaded: LoadedEdition) -> list[str]:
    """Each laureate's prize label, as its article will carry it (the offline template)."""
    from laureate_writer.writers.offline import OfflineWriter

    label_writer = OfflineWriter()
    return [
        label_writer.draft_section(SectionRequest(dossier=d, kind=SectionKind.prize_label)).text
        for _, d in loaded.dossiers
    ]


async def _model_intro(
    writer: Writer,
    edition: Edition,
    labels: list[str],
    offline: str,
    style: Any,
    journal: Any,
) -> tuple[str, str | None]:
    """The page intro written by the model (the offline intro if it cannot be). Held to
    the same bar as a section: safe style fixes, and every claim traced to the edition's
    facts — if one is not, the offline intro stays."""
    from laureate_writer.facts import check_text
    from laureate_writer.writers.chat import SectionFailure

    try:
        text = await _asked_intro(writer, edition, labels, journal)
    except SectionFailure as failure:
        return offline, f"introduction hors ligne gardée : {failure.reason}"
    if style is not None:
        text = style.fix(text, "lead")
    unsupported = check_text(text, edition, section="intro")
    if unsupported:
        claims = ", ".join(v.excerpt or v.message for v in unsupported[:3])
        said = f"celle du modèle affirme sans appui ({claims})"
        return offline, f"introduction hors ligne gardée : {said}"
    return text, None


async def _asked_intro(writer: Writer, edition: Edition, labels: list[str], journal: Any) -> str:
    """The model's intro. A production run's journal keeps it like a section: a resumed
    run does not pay for it twice."""
    from laureate_writer.cache import request_key
    from laureate_writer.production.journal import section_key

    messages_of = getattr(writer, "intro_messages", None)
    key = p_hash = None
    if journal is not None and messages_of is not None:
        p_hash = request_key(
            {"messages": messages_of(edition, labels), "params": getattr(writer, "params", None)}
        )
        key = section_key("page", "page_intro", p_hash, writer.model, 0)
        if (entry := journal.get(key)) is not None:
            return str(entry.draft["text"])
    text, tokens_in, tokens_out = await writer.adraft_intro(edition, labels)  # type: ignore[attr-defined]
    if key is not None and p_hash is not None:
        journal.put(key, dossier_id="", dossier_hash="", section="page_intro", prompt_hash=p_hash,
                    model=writer.model, status="ok", revise_rounds=0, tokens_in=tokens_in,
                    tokens_out=tokens_out, draft={"text": text})  # fmt: skip
    return text


def palmares_outcome(edition_path: str | Path, **options: Any) -> PalmaresOutcome:
    return asyncio.run(apalmares(edition_path, **options))


def palmares(edition_path: str | Path, **options: Any) -> Palmares:
    """Draft the whole palmarès page of an edition file."""
    return palmares_outcome(edition_path, **options).page


def render_article(
    article: Article, fmt: str, *, template: Any = None, css: str | None = None
) -> str:
    """``md`` (the article file), ``json`` (the article with its provenance and
    reports), ``html`` (a standalone page) or ``html-fragment`` (its content only)."""
    if fmt == "md":
        return article.to_markdown()
    if fmt == "json":
        return article.to_json() + "\n"
    return render_page(single_article_page(article), fmt, template=template, css=css)


def render_page(page: Palmares, fmt: str, *, template: Any = None, css: str | None = None) -> str:
    """``md``, ``html`` (standalone, or with a newsroom's jinja2 ``template`` and
    ``css``), ``html-fragment`` (the content for a CMS template) or ``json``
    (``schema/page.schema.json``)."""
    if fmt == "md":
        return render_markdown(page)
    if fmt in ("html", "html-fragment"):
        return render_html(page, fragment=fmt == "html-fragment", template=template, css=css)
    if fmt == "json":
        from laureate_writer.exports import page_json

        return page_json(page)
    raise ValueError(f"unknown format '{fmt}'")
