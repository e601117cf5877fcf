"""The offline writer: deterministic drafts from the dossier through jinja2 templates.

It never invents: every sentence is a template around dossier facts, and the grammar
(elision, contractions, agreement) comes from :mod:`laureate_writer.french`. Variation
between laureates comes from choices seeded by the dossier id, so a rerun gives the same
text and six laureates do not read like one form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from laureate_writer import french
from laureate_writer.dossier import Award, Dossier, Edition
from laureate_writer.french import NounPhrase
from laureate_writer.prompts import Templates
from laureate_writer.writers.base import NothingToSay, SectionDraft, SectionRequest, Writer
from laureate_writer.writers.planner import (
    HEADLINE_MAX,
    PATTERNS_FILE,
    Chooser,
    PageChoices,
    Planner,
    figure,
    sentence,
)

TEMPLATE_DIR = "offline"
DEFAULT_LAYOUT = "2020"


def _np(named: Any) -> NounPhrase:
    return NounPhrase.of(named)


def _filters() -> dict[str, Any]:
    return {
        "cap": french.capitalize,
        "join": french.join,
        "number": french.format_number,
        "ordinal": french.ordinal,
        "quote": french.quote,
        "figure": figure,
        "words": french.number_in_words,
        "sentence": sentence,
        "de": lambda s: french.before_infinitives("de", s),
        "lowerfirst": lambda s: s[:1].lower() + s[1:],
    }


def award_context(award: Award) -> dict[str, Any]:
    short = award.short or None
    return {
        "award": award,
        "award_np": _np(short) if short else NounPhrase(None, award.name, french.Gender.masculine),
    }


def dossier_context(dossier: Dossier) -> dict[str, Any]:
    project = dossier.project
    return {
        "d": dossier,
        **award_context(dossier.award),
        "laureate": _np(dossier.laureate),
        "laureate_short": _np(dossier.laureate.anaphora),
        "territory": dossier.laureate.territory_in_text or dossier.laureate.territory,
        "project": _np(project),
        "project_short": _np(project.short or project),
        "what": _np(project.what),
        "prize": dossier.prize.in_text or dossier.prize_name,
        "launch": project.launch.adverbial() if project.launch else None,
        "results": dossier.results,
        "highlight": next((r for r in dossier.results if r.highlight), None)
        or (dossier.results[0] if dossier.results else None),
    }


_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\r\n]+")


def tidy(rendered: str) -> tuple[str | None, str]:
    """Collapse template whitespace into paragraphs; split off a leading '## ' intertitle."""
    paragraphs = [_SPACES.sub(" ", p).strip() for p in _BLANK_LINES.split(rendered.strip())]
    paragraphs = [p for p in paragraphs if p]
    intertitle = None
    if paragraphs and paragraphs[0].startswith("## "):
        intertitle = french.typeset(paragraphs.pop(0)[3:].strip())
    text = "\n\n".join(french.typeset(p) for p in paragraphs)
    return intertitle, text


class OfflineWriter(Writer):
    name = "offline"
    model = None

    def __init__(self, prompts: Sequence[str | Path] = (), layout: str | None = None) -> None:
        self.templates = Templates(prompts, filters=_filters())
        self.layout = layout or DEFAULT_LAYOUT
        self.spec = self._layout_spec()
        self.intertitles = self.spec["intertitles"]
        self.patterns = self._patterns()
        # per dossier id: what the earlier entries of the page being drafted show
        self.page: dict[str, PageChoices] = {}

    def _patterns(self) -> dict[str, list[str]]:
        """Headline and lead-figure patterns (``offline/headlines.yaml``, overlays included)."""
        import yaml

        return yaml.safe_load(self.templates.render(f"{TEMPLATE_DIR}/{PATTERNS_FILE}"))

    def plan_page(self, dossiers: Sequence[Dossier]) -> None:
        """Before a palmarès page is drafted: give each entry, in page order, the headline
        and lead patterns the entries before it show, so no two entries share one. A
        dossier drafted alone keeps its own seeded choice."""
        self.page = {}
        headlines: set[str] = set()
        endings: set[str] = set()
        for dossier in dossiers:
            self.page[dossier.id] = PageChoices(frozenset(headlines), frozenset(endings))
            planner = self._planner(dossier, f"{dossier.id}:headline")
            headlines |= planner.choice_keys(planner.headline(HEADLINE_MAX))
            planner = self._planner(dossier, f"{dossier.id}:lead")
            lead = re.split(r"(?<=[.!?…])\s+", planner.lead())
            if len(lead) > 1:
                endings |= planner.choice_keys(lead[-1], keep=3)

    def _planner(self, dossier: Dossier, seed: str) -> Planner:
        with_laureate = self.spec.get("laureate_in_headline", False)
        return Planner(
            dossier, seed, with_laureate, page=self.page.get(dossier.id), patterns=self.patterns
        )

    def _layout_spec(self) -> dict[str, Any]:
        """The layout's data file (``offline/layouts/NAME/layout.yaml``, overlays included)."""
        import yaml

        name = f"{TEMPLATE_DIR}/layouts/{self.layout}/layout.yaml"
        if not self.templates.exists(name):
            raise UnknownLayout(self.layout, layouts(self.templates.folders))
        return yaml.safe_load(self.templates.render(name))

    def template_for(self, kind: str) -> str:
        """The layout's own template for ``kind`` if it has one, else the default."""
        own = f"{TEMPLATE_DIR}/layouts/{self.layout}/{kind}.md.j2"
        return own if self.templates.exists(own) else f"{TEMPLATE_DIR}/{kind}.md.j2"

    def render(self, template: str, context: dict[str, Any], seed: str) -> tuple[str | None, str]:
        choose = Chooser(seed)
        if "d" in context and "plan" not in context:
            context = {**context, "plan": self._planner(context["d"], seed)}
        rendered = self.templates.render(
            template,
            **context,
            choose=choose,
            fitting=choose.fitting,
            figure=figure,
            headline_max=HEADLINE_MAX,
        )
        return tidy(rendered)

    def draft_section(self, request: SectionRequest) -> SectionDraft:
        template = self.template_for(request.kind.value)
        context = dossier_context(request.dossier)
        context["drafted"] = {k.value: v for k, v in request.drafted.items()}
        intertitle, text = self.render(
            template, context, seed=f"{request.dossier.id}:{request.kind.value}"
        )
        if not text:
            raise NothingToSay(f"nothing in the dossier for {request.kind.value}")
        return SectionDraft(
            kind=request.kind,
            text=text,
            intertitle=intertitle if request.kind.value in self.intertitles else None,
            template=template,
            template_hash=self.templates.source_hash(template),
        )

    def draft_intro(self, edition: Edition) -> tuple[str, str]:
        """The palmarès page's title and intro paragraph(s)."""
        context = {**award_context(edition.award), "edition": edition}
        seed = f"{edition.award.name}:{edition.award.year}"
        _, title = self.render(f"{TEMPLATE_DIR}/page_title.md.j2", context, seed)
        _, intro = self.render(f"{TEMPLATE_DIR}/page_intro.md.j2", context, seed)
        return title, intro


class UnknownLayout(ValueError):
    """A layout no prompts folder holds; the message suggests the nearest known one."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        import difflib

        hint = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        suggestion = f"vouliez-vous dire « {hint[0]} » ? " if hint else ""
        super().__init__(
            f"mise en page inconnue « {name} » ({suggestion}au choix : {', '.join(known)})"
        )
        self.name = name


def layouts(folders: Sequence[Path] = ()) -> list[str]:
    """The layouts shipped with the package (prompts/offline/layouts/*), and those of
    the prompts overlays ``folders``."""
    from laureate_writer.prompts import shipped_prompts_dir

    found: set[str] = set()
    for base in (*folders, shipped_prompts_dir()):
        folder = Path(base) / TEMPLATE_DIR / "layouts"
        if folder.is_dir():
            found.update(p.name for p in folder.iterdir() if (p / "layout.yaml").is_file())
    return sorted(found)
