"""The offline writer's sentence planner, the classic data-to-text way.

The jinja2 templates are the document plan (which messages, in which order, under which
intertitle); this module turns the dossier's facts into those messages:

- content selection: a message exists only when the dossier holds its facts (no filler;
  results only from ``results``, never the ``means`` among them);
- lexical choice: the verb follows the laureate's role (créer, concevoir, adopter,
  déployer, étendre, co-construire) and the status decides "a reçu" / "était nommé pour";
- referring expressions: full names in the lead and caption, short forms then pronouns
  in the body;
- aggregation: fragments of notes ("mémoire du territoire") gathered into one sentence,
  items containing commas coordinated with semicolons;
- realisation: clauses go through pyRealB (agreement, elision, contractions,
  conjugation); dossier text is canned and comes out as written.

Choices are seeded by the dossier and the section, so reruns are byte-identical.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from laureate_writer import french
from laureate_writer.dossier import (
    Dossier,
    FuzzyDate,
    LaureateKind,
    Quote,
    Result,
    ResultKind,
    Role,
    Status,
)
from laureate_writer.french import Gender, GrammaticalNumber, NounPhrase
from laureate_writer.realiser import finite_verb, ligature_words, pyrealb, realise

SMALL_NUMBERS_IN_WORDS = 10  # house rule: counts under ten are written in words
HEADLINE_MAX = 90  # characters; longer candidates are dropped when a shorter one exists
LEAD_MAX_WORDS = 40
LONG_NAME_WORDS = 4  # a name this long gets a generic short form in the body
PATTERNS_FILE = "headlines.yaml"  # under prompts/offline: headline and lead-figure patterns

# Verb lemma (past tense, present) and past participle per role; None: role unstated.
ROLE_VERBS: dict[Role | None, tuple[str, ...]] = {
    Role.created: ("créer", "imaginer"),
    Role.designed: ("concevoir",),
    Role.adopted: ("adopter",),
    Role.deployed: ("déployer",),
    Role.extended: ("étendre", "généraliser"),
    Role.co_built: ("co-construire",),
    None: ("lancer", "mettre en place"),
}
ROLE_PARTICIPLES: dict[Role | None, tuple[str, ...]] = {
    Role.created: ("créé", "imaginé"),
    Role.designed: ("conçu",),
    Role.adopted: ("adopté",),
    Role.deployed: ("déployé",),
    Role.extended: ("étendu",),
    Role.co_built: ("co-construit",),
    None: ("mis en place", "porté"),
}
WIN_VERBS = ("recevoir", "remporter", "obtenir")
# The laureate's own dated step when it did not start the project: one does not 'lancer'
# a method one adopted, nor a scheme one extended.
STEP_VERBS: dict[Role | None, str] = {
    Role.adopted: "adopter",
    Role.deployed: "déployer",
    Role.extended: "étendre",
}
_WORD = re.compile(r"[\wÀ-ÿœæ’-]+")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def words(text: str) -> int:
    return len(_WORD.findall(text))


class Chooser:
    """Deterministic choices seeded by a key: the n-th call picks from its own hash."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.calls = 0

    def __call__(self, options: Sequence[Any]) -> Any:
        options = [o for o in options if o]
        if not options:
            return ""
        self.calls += 1
        digest = hashlib.sha256(f"{self.seed}:{self.calls}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]

    def order(self, options: Sequence[Any]) -> list[Any]:
        """All the options, in a seeded order (first choice first)."""
        rest = [o for o in options if o]
        out = []
        while rest:
            pick = self(rest)
            out.append(pick)
            rest.remove(pick)
        return out

    def fitting(self, options: Sequence[str], limit: int) -> str:
        """Pick among the options no longer than ``limit`` (the shortest if none fits)."""
        options = [o for o in options if o]
        fits = [o for o in options if len(o) <= limit]
        return self(fits) if fits else min(options, key=len)


def figure(result: Result, *, with_period: bool = True) -> str:
    """'plus de 3 000 personnes inscrites en 2020', 'deux fois plus d’offres de services'."""
    amount = french.format_figure(result.value, result.unit, words_below=SMALL_NUMBERS_IN_WORDS)
    # A no-break space keeps a figure on the same line as what it counts.
    counted = f"{amount}{french.NBSP}{result.label}"
    parts = [result.qualifier, counted, result.period if with_period else None]
    return " ".join(p for p in parts if p)


def sentence(text: str) -> str:
    """A note as a sentence: capital first, full stop last (unless it ends with a mark)."""
    text = french.capitalize(text.strip())
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def dated_before(note: str, year: int) -> bool:
    """A note whose every year is before ``year`` (the edition's) tells history."""
    years = [int(y) for y in _YEAR.findall(note)]
    return bool(years) and max(years) < year


def is_clause(note: str) -> bool:
    """A note the journalist wrote as a sentence (full stop) or that has a finite verb."""
    return note.rstrip().endswith((".", "!", "?")) or finite_verb(note) is not None


# 'les A, les B et les C' (two items at least), each item a single noun
_LES_LIST = re.compile(r"\bles\s+[\w’'-]+(?:\s*,\s*les\s+[\w’'-]+)*\s+et\s+les\s+[\w’'-]+")
# words of a co-builder's name that do not make it one (articles, prepositions)
_PARTNER_FILLER = frozenset(
    {"les", "la", "le", "l", "de", "des", "du", "d", "et", "à", "au", "aux"}
)


def coordinate(items: Sequence[str], last: str = "et") -> str:
    """'a, b et c'; 'a, x ; b ; c' with semicolons when an item holds a comma."""
    items = [i.strip().rstrip(".") for i in items if i and i.strip()]
    if len(items) > 1 and any("," in i or " et " in i for i in items):
        return " ; ".join(items)
    return french.join(items, last)


def enumerate_names(items: Sequence[str]) -> str:
    """Names after a preposition: 'A, B et C'; 'A, ainsi que B et C' when an item has its
    own 'et' (a second 'et' would blur where the list ends)."""
    items = [i.strip() for i in items if i and i.strip()]
    if len(items) > 1 and any(" et " in i for i in items):
        return f"{', '.join(items[:-1])}, ainsi que {items[-1]}"
    return french.join(items)


def award_phrase(dossier: Dossier) -> NounPhrase:
    """The award as a noun phrase: 'les Prix Territoriaux', 'les Trophées de …'."""
    award = dossier.award
    if award.short:
        return NounPhrase.of(award.short)
    first = award.name.split()[0]
    plural = first.endswith(("s", "x")) and first.lower() not in ("prix",)
    if plural or re.match(r"^Prix \S+(aux|s)\b", award.name):
        return NounPhrase("les", award.name, Gender.masculine, GrammaticalNumber.plural)
    return NounPhrase("le", award.name, Gender.masculine)


@dataclass(frozen=True)
class PageChoices:
    """What the earlier entries of a palmarès page already show (pattern skeletons): an
    entry avoids them. A single draft has none and keeps its dossier-seeded choice."""

    headlines: frozenset[str] = frozenset()
    lead_endings: frozenset[str] = frozenset()


@cache
def shipped_patterns() -> dict[str, list[str]]:
    """The shipped headline and lead patterns (``prompts/offline/headlines.yaml``)."""
    import yaml

    from laureate_writer.prompts import shipped_prompts_dir

    path = shipped_prompts_dir() / "offline" / PATTERNS_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


_SLOT = re.compile(r"\{(\w+)(?::([^}]+))?\}")
_PATTERN_WORD = re.compile(r"[\w’'-]+")
_PATTERN_TOKEN = re.compile(r"[\w’'-]+|[:,]")


def _four_grams(text: str) -> set[str]:
    tokens = [w.lower() for w in _PATTERN_WORD.findall(text.replace("'", "’"))]
    return {" ".join(tokens[i : i + 4]) for i in range(len(tokens) - 3)}


def _elide_de(text: str) -> str:
    """'de atteindre' → 'd’atteindre' where a pattern's 'de' meets a filled slot."""
    return re.sub(r"\b([dD])e ([aeiouyéèêâîôûAEIOUYÉÈÊÂÎÔÛ])", r"\1’\2", text)


def _capitalize(text: str) -> str:
    """A capital first, unless the text opens on a figure ('85 % des légumes')."""
    return text if text[:1].isdigit() else french.capitalize(text)


def _masked(text: str, known: set[str], keep: int | None) -> str:
    out: list[str] = []
    for token in _PATTERN_TOKEN.findall(text):
        masked = "_" if token.lower() in known or token[0].isdigit() else token.lower()
        if not (masked == "_" and out and out[-1] == "_"):
            out.append(masked)
    return " ".join(out[:keep] if keep else out)


def _fill_text(text: str, slots: dict[str, Any]) -> str | None:
    """Slots replaced by their values; None when one is not held."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        held = slots.get(match[1])
        missing = missing or not held
        return str(held or "")

    filled = _SLOT.sub(value, text)
    return None if missing else filled


class Planner:
    """Messages of one dossier for one section, realised as French sentences."""

    def __init__(
        self,
        dossier: Dossier,
        section: str,
        with_laureate: bool = False,
        *,
        page: PageChoices | None = None,
        patterns: dict[str, list[str]] | None = None,
    ) -> None:
        self.d = dossier
        self.with_laureate = with_laureate  # the layout puts the laureate in the headline
        self.page = page or PageChoices()
        self.patterns = patterns or shipped_patterns()
        self._filled: dict[str, str] = {}  # text → the pattern it was filled from
        self.choose = Chooser(f"{dossier.id}:{section}")
        self.p = pyrealb()
        self.ligatures = ligature_words(_strings(dossier.model_dump(mode="json")))
        project = dossier.project
        self.laureate = NounPhrase.of(dossier.laureate)
        self.laureate_short = NounPhrase.of(dossier.laureate.anaphora)
        self.project = NounPhrase.of(project)
        if project.short:
            self.project_short = NounPhrase.of(project.short)
        elif words(project.in_text) >= LONG_NAME_WORDS:
            self.project_short = _generic_short(project.what.text)
        else:
            self.project_short = self.project
        self.what = NounPhrase.of(project.what)
        # The project's name is said in the lead and the caption even when the running-text
        # form is a description ('le projet d'autonomie énergétique du Mené').
        self.name_said = _folded(project.name) in _folded(project.in_text)
        self.project_named = self.project
        if not self.name_said:
            head = f"{self.project.head} (« {project.name} »)"
            self.project_named = NounPhrase(
                self.project.article, head, self.project.gender, self.project.number
            )
        self.award = award_phrase(dossier)
        self.role = dossier.laureate.role
        self._last_subject: str | None = None

    # --- realisation helpers ------------------------------------------------------------

    def np(self, phrase: NounPhrase) -> Any:
        """A name as a pyRealB noun phrase: canned words (its article as the dossier has
        it: 'la Handibox', not 'l’Handibox'), with the gender and number it agrees with."""
        p = self.p
        g = "f" if phrase.feminine else "m"
        n = "p" if phrase.plural else "s"
        return p.NP(p.Q(phrase.definite)).g(g).n(n)

    def q(self, text: str) -> Any:
        return self.p.Q(text)

    def say(self, tree: Any) -> str:
        return french.capitalize(realise(tree, self.ligatures))

    def verb(self, lemma: str, tense: str = "pc") -> Any:
        """A verb, multi-word lemmas ('mettre en place') as verb + canned rest."""
        p = self.p
        head, _, rest = lemma.partition(" ")
        if rest:
            return [p.V(head).t(tense), p.Q(rest)]
        return [p.V(lemma).t(tense)]

    def clause(
        self, subject: Any, lemma: str, *complements: Any, tense: str = "pc", passive: bool = False
    ) -> str:
        """Subject + verb + complements; ``passive``: the subject undergoes it, no agent
        ('Le réseau a été lancé en 2018', 'Qioz était nommé pour …')."""
        p = self.p
        if passive:
            tree = p.S(p.VP(*self.verb(lemma, tense), subject, *complements))
            return self.say(tree.typ({"pas": True}))
        return self.say(p.S(subject, p.VP(*self.verb(lemma, tense), *complements)))

    def subject(self, key: str, phrase: NounPhrase) -> Any:
        """Referring expression: a pronoun when the previous sentence had this subject."""
        if self._last_subject == key:
            g = "f" if phrase.feminine else "m"
            n = "p" if phrase.plural else "s"
            return self.p.Pro("je").pe(3).g(g).n(n)
        self._last_subject = key
        return self.np(phrase)

    # --- facts --------------------------------------------------------------------------

    @property
    def role_lemma(self) -> str:
        return self.choose(ROLE_VERBS[self.role])

    def role_participle(self, phrase: NounPhrase) -> str:
        participle = self.choose(ROLE_PARTICIPLES[self.role])
        head, _, rest = participle.partition(" ")
        return " ".join(filter(None, [phrase.agree(head), rest]))

    def with_co_builders(self) -> list[Any]:
        if not self.d.project.co_builders:
            return []
        return [self.p.PP(self.p.P("avec"), self.q(enumerate_names(self.d.project.co_builders)))]

    def results(self, *kinds: ResultKind) -> list[Result]:
        return [r for r in self.d.results if r.kind in kinds]

    @property
    def reported(self) -> list[Result]:
        """Results proper: outcomes and outputs, never the means."""
        return self.results(ResultKind.outcome, ResultKind.output)

    @property
    def has_outcome(self) -> bool:
        """Something changed for people: an outcome figure or a results note. Only then may
        an intertitle or a sentence speak of results, a 'bilan' or a change."""
        return bool(self.results(ResultKind.outcome) or self.d.results_notes)

    @property
    def result_notes(self) -> list[str]:
        """Notes of the results proper (a means' or a target's note stays with it)."""
        return [r.note for r in self.reported if r.note] + list(self.d.results_notes)

    # --- dates: what is past at the edition year ------------------------------------------

    def is_past(self, note: str) -> bool:
        return dated_before(note, self.d.award.year)

    @property
    def outlook(self) -> list[str]:
        """Outlook notes still ahead at the edition year (a past one is a milestone)."""
        return [n for n in self.d.outlook if not self.is_past(n)]

    def milestones(self) -> str:
        """Outlook notes dated before the edition year, told as history, in the past."""
        past = [n for n in self.d.outlook if self.is_past(n)]
        if not past:
            return ""
        sentences = [sentence(n) for n in past if is_clause(n)]
        fragments = [n for n in past if not is_clause(n)]
        if fragments:
            items = [f if _is_name_start(f) else f[:1].lower() + f[1:] for f in fragments]
            steps = "d’autres étapes" if len(items) > 1 else "une autre étape"
            sentences.append(f"Le projet a depuis franchi {steps} : {coordinate(items)}.")
        return " ".join(sentences)

    @property
    def highlight(self) -> Result | None:
        reported = self.reported
        return next((r for r in reported if r.highlight), reported[0] if reported else None)

    @property
    def where(self) -> str:
        """'(Pas-de-Calais)' after a local laureate's name, as the press writes it."""
        laureate = self.d.laureate
        place = laureate.department or (
            laureate.region
            if laureate.kind not in (LaureateKind.region, LaureateKind.departement)
            else None
        )
        if not place or laureate.kind in (LaureateKind.region, LaureateKind.departement):
            return ""
        return f"({NounPhrase.parse(place, Gender.masculine).head})"

    def laureate_full(self) -> NounPhrase:
        where = self.where
        if not where:
            return self.laureate
        return NounPhrase(
            self.laureate.article,
            f"{self.laureate.head} {where}",
            self.laureate.gender,
            self.laureate.number,
            self.laureate.elision,
        )

    # --- messages: framing ----------------------------------------------------------------

    def prize_phrase(self) -> NounPhrase | None:
        prize = self.d.prize.in_text or self.d.prize.name
        if not prize:
            return None
        return NounPhrase("le", f"{prize} {self.award.de} {self.d.award.year}", Gender.masculine)

    def award_year(self) -> NounPhrase:
        a = self.award
        return NounPhrase(a.article, f"{a.head} {self.d.award.year}", a.gender, a.number)

    def status_clause(self, subject: Any) -> str:
        """'a reçu le Prix X des Trophées 2023', 'était nommé pour …', 'a reçu une mention …'."""
        p, prize, status = self.p, self.prize_phrase(), self.d.status
        if status == Status.nominee:
            target = prize or self.award_year()
            target_pp = p.PP(p.P("pour"), self.np(target))
            return self.clause(subject, "nommer", target_pp, tense="i", passive=True)
        if status == Status.mention:
            where = (
                p.PP(p.P("dans"), self.q(f"la catégorie {prize.head}"))
                if prize
                else p.PP(p.P("de"), self.np(self.award_year()))
            )
            return self.clause(subject, "recevoir", self.q("une mention"), where)
        if prize is None:
            agent = p.PP(p.P("par"), self.np(self.award_year()))
            return self.clause(subject, "récompenser", agent, passive=True)
        return self.clause(subject, self.choose(WIN_VERBS), self.np(prize))

    def caption(self) -> str:
        """'<project>, <what> <participle> par <laureate> [avec …], a reçu le <prize> …'."""
        d = self.d
        builders = (
            f" avec {enumerate_names(d.project.co_builders)}" if d.project.co_builders else ""
        )
        named = self.project.definite if self.name_said else f"« {d.project.name} »"
        if self.what_fits:
            described = (
                f"{named}, {self.what.head} "
                f"{self.role_participle(self.what)} par {self.laureate.definite}{builders},"
            )
        else:  # a description with its own commas would blur who did what
            described = (
                f"{named}, {self.role_participle(self.project)} "
                f"par {self.laureate.definite}{builders},"
            )
        head = NounPhrase(None, described, self.project.gender, self.project.number)
        return _tidy(self.status_clause(self.np(head)))

    @property
    def what_fits(self) -> bool:
        """The description can sit in apposition: no comma of its own, not too long."""
        head = self.what.head
        relative = re.search(r"\b(qui|que|qu’|dont|où)\b", head)
        return "," not in head and not relative and not self.what_repeats_name and words(head) <= 9

    @property
    def lead_needs_aim(self) -> bool:
        """No description the lead can give in place of the aim."""
        closing = not self.d.project.co_builders and not self.what_repeats_name
        return not self.what_fits and not closing

    @property
    def what_repeats_name(self) -> bool:
        """'le programme « 21 actions », un programme …': never the same noun twice."""
        head = self.what.head.lower().split()
        noun = next((w for w in head if w not in ("un", "une", "des")), "")
        return noun in self.project.definite.lower().split()

    def lead(self) -> str:
        """Who did what, with whom, why — at most LEAD_MAX_WORDS words."""
        p, d = self.p, self.d
        lemma = self.role_lemma
        subject = self.np(self.laureate_full())
        obj = self.np(self.project_named)
        what = self.q(f", {self.what.head},")
        purpose = "afin " + french.elide("de", d.project.aim) if " pour " in d.project.aim else None
        # after a list of co-builders, a comma tells where the list ends
        comma = "," if d.project.co_builders else ""
        aim = self.q(f"{comma} {purpose or 'pour ' + d.project.aim}")
        step_date = self.own_step[1]  # the date of the step the role's verb names
        date = [self.q(step_date.adverbial())] if step_date else []
        with_builders = self.with_co_builders()
        forms = [
            lambda: self.say(
                p.S(subject, p.VP(*self.verb(lemma), obj, what, *with_builders, *date, aim))
            ),
            lambda: self.say(
                p.S(
                    self.q(f"{purpose or 'pour ' + d.project.aim},"),
                    subject,
                    p.VP(*self.verb(lemma), obj, what, *with_builders, *date),
                )
            ),
            lambda: self.say(p.S(subject, p.VP(*self.verb(lemma), obj, *with_builders, aim))),
            lambda: self.say(p.S(subject, p.VP(*self.verb(lemma), obj, what, *with_builders))),
            lambda: self.say(p.S(subject, p.VP(*self.verb(lemma), obj, *with_builders))),
            # at the end of the sentence a description may hold commas and relatives
            lambda: self.say(
                p.S(
                    subject,
                    p.VP(*self.verb(lemma), obj, *with_builders, self.q(f", {self.what.head}")),
                )
            ),
        ]
        first = self.choose([0, 1])
        order = [first, 1 - first, 2, 3, 4] if self.what_fits else [2, 4]
        headline = _straight(self.headline_of_layout())
        if _straight(self.what.head) in headline:
            order = [2, 4]  # the headline says what it is: the lead does not repeat it
        elif _straight(d.project.aim) in headline:
            # nor the aim the headline says; a description closing the sentence would
            # attach to the last co-builder, or repeat the name's noun
            closing = [] if d.project.co_builders or self.what_repeats_name else [5]
            # with no description to give, the aim stays: a bare 'X a lancé Y' says little
            order = ([3] if self.what_fits else []) + closing + [2, 4]
        if self.echoes_notes(self.what.head):  # the caption says it, and a note
            order = [i for i in order if i in (2, 4)] or [4]
        text = ""
        for index in order:
            text = _tidy(forms[index]())
            if words(text) <= LEAD_MAX_WORDS:
                break
        highlight = self.highlight
        # a figure the headline shows is not said again in the lead (the results have it),
        # nor one whose words the dossier's other texts repeat (a third time, then)
        shown = _straight(figure(highlight, with_period=False)) if highlight else ""
        if highlight is not None and shown not in headline and not self.echoed(highlight):
            second = self._lead_figure(highlight, LEAD_MAX_WORDS - words(text))
            if second:
                text = f"{text} {second}"
        return text

    def _lead_figure(self, result: Result, room: int) -> str:
        """The lead's closing figure in ``room`` words, a pattern no earlier entry of the
        page ends its lead with; never a verb the figure's label already holds
        ('enregistre 92 signalements enregistrés')."""
        slots = {**self.headline_slots(), "figure": figure(result)}
        label = _straight(result.label)
        options = []
        for pattern in self.choose.order(self.patterns["lead_figures"]):
            verb = _SLOT.search(pattern.split("}", 1)[-1])
            if verb and verb[2] and verb[2].split()[-1][:5] in label:
                continue
            text = self.fill(pattern, slots)
            if text and words(text) <= room:
                options.append((pattern, text + "."))
        return self._free(options, self.page.lead_endings, keep=3)

    def in_place(self) -> str:
        """'À Brest', 'Dans les Landes', 'En Bretagne', 'En Ariège': where, for a headline."""
        laureate = self.d.laureate
        if laureate.kind == LaureateKind.commune or not laureate.territory_in_text:
            return f"À {laureate.territory}"
        place = NounPhrase.parse(laureate.territory_in_text, Gender.feminine)
        if place.article in ("le", "les"):
            return f"Dans {place.article} {place.head}"
        return f"En {place.head}"

    def lead_of_layout(self) -> str:
        """The lead this dossier gets (same seed as the lead section), for comparing."""
        planner = Planner(
            self.d, f"{self.d.id}:lead", self.with_laureate, page=self.page, patterns=self.patterns
        )
        return _straight(planner.lead())

    def echoed(self, result: Result) -> bool:
        """A result whose label shares four words with another text of the dossier (a
        note, another result): said in the lead too, it would be read three times."""
        others = [r.label for r in self.d.results if r is not result]
        return self.echoes_notes(result.label, others)

    def echoes_notes(self, text: str, more: Sequence[str] = ()) -> bool:
        """``text`` shares four words with a note of the dossier (or ``more``)."""
        own = _four_grams(text)
        p = self.d.project
        texts = [*more, *p.context, *p.method, *p.features, *p.details, *self.d.outlook,
                 *self.d.results_notes, *(r.note or "" for r in self.d.results)]  # fmt: skip
        return any(own & _four_grams(t) for t in texts)

    def headline_of_layout(self) -> str:
        """The headline this dossier gets (same seed as the headline section)."""
        # the offline writer seeds each section with "<id>:<kind>"
        planner = Planner(
            self.d,
            f"{self.d.id}:headline",
            self.with_laureate,
            page=self.page,
            patterns=self.patterns,
        )
        return planner.headline(HEADLINE_MAX)

    def headline(self, limit: int, with_laureate: bool | None = None) -> str:
        """One line from the layout's patterns (``prompts/offline/headlines.yaml``), in
        this dossier's order, skipping the patterns earlier entries of the page show;
        ``with_laureate`` (2023 layout): only forms that name the laureate or its
        territory, since the label line names the prize alone."""
        if with_laureate is None:
            with_laureate = self.with_laureate
        slots = self.headline_slots()
        # Slots left out, in order of preference: a long name is said in the lead and the
        # caption already (not a third time); the aim, when the lead must say it.
        long_name = words(self.project.definite) >= LONG_NAME_WORDS
        names = {"name", "project", "to_project", "of_project"} if long_name else set()
        aims = {"aim", "Aim"} if self.lead_needs_aim else set()
        patterns = self.choose.order(self.patterns["headlines"]) + self.choose.order(
            self.patterns.get("fallback_headlines", [])
        )
        candidates: list[tuple[str, str]] = []
        for left_out in (names | aims, names, set()):
            kept = {k: v for k, v in slots.items() if k not in left_out}
            candidates = [c for c in ((t, self.fill(t, kept)) for t in patterns) if c[1]]
            if candidates:
                break
        territory = self.d.laureate.territory
        if with_laureate:
            named = [c for c in candidates if territory.lower() in c[1].lower()]
            candidates = named or [
                ("", f"{french.capitalize(territory)} : {self.project.definite}")
            ]
        # all-capitals names side by side read as English Title Case: the style check flags it
        candidates = [c for c in candidates if not _looks_title_case(c[1])] or candidates
        return self._free(candidates, self.page.headlines, limit=limit)

    def headline_slots(self) -> dict[str, Any]:
        """What the headline patterns may say, from the dossier (None: not held)."""
        d = self.d
        highlight = self.highlight
        # a bare count ('38 objectifs') tells a headline reader nothing
        telling = (
            highlight is not None and words(highlight.label) >= 2 and not self.echoed(highlight)
        )
        shown = figure(highlight, with_period=False) if highlight and telling else None
        territory = french.capitalize(d.laureate.territory)
        # 'bassin rennais' without its article cannot follow 'de' or 'pour'
        bare_common = not d.laureate.territory_in_text and d.laureate.territory[:1].islower()
        project = self.project.definite
        at_place = self.in_place()
        aim = d.project.aim
        place = self.place()
        subject = self.headline_subject()
        # a description a note repeats is said by the caption already: not a third time
        what = self.what.head if self.what_fits and not self.echoes_notes(self.what.head) else None
        # the laureate's full name is in the lead and the caption: a long one not a third time
        laureate = _straight(self.laureate.definite)
        short_name = words(laureate) < LONG_NAME_WORDS
        return {
            "name": french.capitalize(d.project.name),
            "project": project,
            "territory": territory
            if territory.lower() not in project.lower() and not bare_common
            else None,
            "subject": subject if _straight(subject.definite) != laureate or short_name else None,
            "in_place": None if bare_common else at_place,
            "at_place": None if bare_common else at_place[:1].lower() + at_place[1:],
            "what": what,
            "What": french.capitalize(what) if what else None,
            "figure": shown,
            "outcome": shown
            if shown and highlight and highlight.kind == ResultKind.outcome
            else None,
            "aim": aim,
            "Aim": french.capitalize(aim) if aim else None,
            "place": None if bare_common else place.definite,
            "of_place": None if bare_common else place.de,
            "topic": self.topic(),
            "short": self.project_short.definite,
            "to_project": self.project.a,
            "of_project": self.project.de,
        }

    def place(self) -> NounPhrase:
        """The territory as a noun phrase: 'Brest', 'le Gers', 'la Bretagne'."""
        text = self.d.laureate.territory_in_text or self.d.laureate.territory
        inferred = french.infer_grammar(text)
        gender = Gender.feminine if text[:1].isupper() else inferred.gender
        return NounPhrase.parse(text, gender, inferred.number)

    def headline_subject(self) -> NounPhrase:
        """Who acts in a headline: the territory ('Brest', 'le Gers'), or the body itself
        when it is not the territory's government ('le SDIS du Haut-Rhin')."""
        d = self.d
        if d.laureate.kind in (LaureateKind.sdis, LaureateKind.ccas, LaureateKind.syndicat):
            name = d.laureate.name
            if name.split()[0].isupper():  # 'SDIS du Haut-Rhin': an acronym takes 'le'
                return NounPhrase("le", name, Gender.masculine)
            return self.laureate
        subject_text = d.laureate.territory_in_text or d.laureate.territory
        inferred = french.infer_grammar(subject_text)
        # a town named alone is feminine in headlines ("Brest crée …" agrees as "la ville")
        gender = Gender.feminine if subject_text[:1].isupper() else inferred.gender
        return NounPhrase.parse(subject_text, gender, inferred.number)

    @property
    def recent(self) -> bool:
        """Launched within a year of the award (or no date): present tense reads true."""
        launch = self.d.project.launch
        return launch is None or self.d.award.year - launch.year <= 1

    def fill(self, pattern: str, slots: dict[str, Any]) -> str:
        """A pattern with its slots filled, its verb realised with the subject just
        before it; '' when the dossier does not hold every slot."""
        marks = list(_SLOT.finditer(pattern))
        verb = next((m for m in marks if m[1] in ("does", "did")), None)
        if verb is None:
            text = _fill_text(pattern, slots)
            if not text:
                return ""
            text = _capitalize(_tidy(_elide_de(text)))
            self._filled[text] = pattern
            return text
        left, right = pattern[: verb.start()].rstrip(), pattern[verb.end() :].strip()
        before = [m for m in _SLOT.finditer(left)]
        if not before or before[-1].end() != len(left):
            return ""
        key = before[-1][1]
        subject = {"subject": self.headline_subject(), "project": self.project,
                   "short": self.project_short}.get(key)  # fmt: skip
        if subject is None or not slots.get(key):
            return ""
        prefix = _fill_text(left[: before[-1].start()], slots)
        complement = _fill_text(right, slots)
        if prefix is None or complement is None:
            return ""
        lemma = verb[2] or ""
        if lemma == "role":
            lemma = self.choose(ROLE_VERBS[self.role])
        tense = "p" if verb[1] == "does" or self.recent else "pc"
        reflexive = lemma.startswith("se ")
        lemma = lemma.removeprefix("se ")
        head, _, governed = lemma.rpartition(" ")
        p = self.p
        if head and governed in ("de", "par", "sur", "à", "en"):
            parts = [*self.verb(head, tense), p.PP(p.P(governed), self.q(complement))]
        else:
            parts = [*self.verb(lemma, tense), self.q(complement)]
        tree = p.S(*([self.q(prefix.strip())] if prefix.strip() else []), self.np(subject),
                   p.VP(*parts))  # fmt: skip
        if reflexive:
            tree = tree.typ({"refl": True})
        text = _tidy(self.say(tree)).rstrip(".")
        # the pattern with its verb: 'X a créé Y' and 'X a adopté Y' are two patterns
        self._filled[text] = pattern.replace(":role}", f":{verb[2] and lemma}}}")
        return text

    def skeletons(self, text: str, template: str = "", keep: int | None = None) -> frozenset[str]:
        """What two entries of a page must not share: the words a pattern chose, the
        dossier's own masked ('_ : _', as bench/editorial compares them), and the pattern
        itself ('Brest veut …' and 'Pau veut …' are one pattern, however their aims)."""
        d = self.d
        names = (d.project.name, d.project.in_text, d.project.what.text, d.laureate.in_text,
                 d.laureate.territory, d.laureate.name, *(r.label for r in d.results))  # fmt: skip
        known = {w.lower() for value in names for w in _PATTERN_WORD.findall(value)}
        keys = {_masked(text, known, keep)}
        if template:
            keys.add(f"pattern: {template}")
        return frozenset(keys)

    def topic(self) -> str | None:
        """The prize's theme as a headline kicker: 'Prix de l’emploi' → 'Emploi'."""
        prize = self.d.prize.name or ""
        match = re.match(r"^Prix (?:de la |de l’|de l'|du |des |d’|d')(.+)$", prize)
        if not match or match[1].lower() in self.patterns.get("not_topics", []):
            return None
        return french.capitalize(match[1])

    def _free(
        self,
        options: Sequence[tuple[str, str]],
        taken: frozenset[str],
        *,
        limit: int = 0,
        keep: int = 0,
    ) -> str:
        """The first (template, text) option, in seeded order, that fits and shares no
        skeleton with what earlier entries of the page took."""
        options = [o for o in options if o[1]]
        if not options:
            return ""
        fits = [o for o in options if not limit or len(o[1]) <= limit] or [
            min(options, key=lambda o: len(o[1]))
        ]
        free = [o for o in fits if not self.choice_keys(o[1], keep or None) & taken]
        return (free or fits)[0][1]

    def choice_keys(self, text: str, keep: int | None = None) -> frozenset[str]:
        """The skeletons of a headline or lead ending this planner filled (for the page:
        the entries after it avoid them)."""
        return self.skeletons(text, self._filled.get(text.rstrip("."), ""), keep)

    # --- messages: body ---------------------------------------------------------------------

    def refer_to_partners(self, note: str) -> str:
        """A note that lists the co-builders again ('les collectivités, les entreprises et
        les associations') says 'ces partenaires': the lead and the caption name them, and
        a third listing is the repetition an editor strikes out. Only a list of two or
        more 'les …' items whose every noun heads a co-builder is replaced."""
        heads = {
            w.lower()
            for name in self.d.project.co_builders
            for w in re.findall(r"[\w’'-]+", name)
            if w.lower() not in _PARTNER_FILLER
        }
        if len(heads) < 2:
            return note

        def replace(match: re.Match[str]) -> str:
            nouns = re.findall(r"\bles\s+([\w’'-]+)", match.group(0))
            if len(nouns) < 2 or not all(n.lower() in heads for n in nouns):
                return match.group(0)
            return "ces partenaires"

        return _LES_LIST.sub(replace, note)

    def notes(self, notes: Sequence[str], frame: str) -> list[str]:
        """The journalist's sentences as they are; fragments gathered into one sentence
        introduced by ``frame`` ("context", "method", "details", "results", "outlook")."""
        sentences, fragments = [], []
        for note in map(self.refer_to_partners, notes):
            (sentences if is_clause(note) else fragments).append(note)
        out = [sentence(n) for n in sentences]
        if fragments:
            out.append(self.fragments(fragments, frame))
        return out

    def fragments(self, fragments: Sequence[str], frame: str) -> str:
        many = len(fragments) > 1
        items = [f[:1].lower() + f[1:] if not _is_name_start(f) else f for f in fragments]
        listed = coordinate(items)
        # The frame names the note's place in the story, never its nature: a fragment
        # may hold a theme, an event or a figure, so 'constat' or 'principe' would lie.
        openings = {
            "context": ["Le décor est planté", "Le contexte tient en quelques mots"],
            # not 'La méthode …': an intertitle may say it just above
            "method": ["La démarche tient en quelques mots", "Le montage se résume ainsi"],
            "details": [
                "D’autres éléments sont à noter" if many else "Un autre élément est à noter",
                "Il faut aussi retenir ceci",
            ],
            "results": [
                "Les résultats se mesurent ainsi",
                "Le projet peut aussi faire valoir ceci",
            ],
            "outlook": ["La suite se dessine ainsi", "La suite s’annonce ainsi"],
        }[frame]
        return f"{self.choose(openings)} : {listed}."

    def started(self) -> str:
        """'La réflexion a commencé en 2008.' (the project's initiated date), unless a
        context note already dates the start: the same year twice says nothing new."""
        initiated = self.d.project.initiated
        if not initiated or str(initiated.year) in " ".join(self.d.project.context):
            return ""
        first = NounPhrase("la", "réflexion", Gender.feminine)
        return self.clause(self.np(first), "commencer", self._date(initiated))

    @property
    def own_step(self) -> tuple[str, FuzzyDate | None]:
        """The verb and date of the laureate's own step: 'lancer' at the launch, or its
        role's verb ('adopter', 'déployer', 'étendre'); an extender with an extension
        date did its part then."""
        project = self.d.project
        if self.role == Role.extended and project.extended:
            return "étendre", project.extended
        return STEP_VERBS.get(self.role, "lancer"), project.launch

    @property
    def launched_by_others(self) -> bool:
        """An extended scheme with its own launch date: who launched it is not stated."""
        return self.role == Role.extended and self.d.project.extended is not None

    def launched(self) -> str:
        """'La municipalité a lancé la régie en 2010.' — only with a date: a bare 'X a
        conçu Y' says nothing the lead has not said."""
        launch = self.d.project.launch
        if not launch:
            return ""
        if self.launched_by_others:
            subject = self.subject("project", self.project_short)
            passive = self.clause(subject, "lancer", self._date(launch), passive=True)
            return self._and_extended(passive)
        said = self.clause(
            self.subject("laureate", self.laureate_short),
            STEP_VERBS.get(self.role, "lancer"),
            self.np(self.project_short),
            self._date(launch),
        )
        return self._and_extended(said)

    def _and_extended(self, said: str) -> str:
        """'… a lancé la Fabrique en 2015 et l’a étendue en 2016': one sentence, the
        project named once (aggregation); 'Le réseau a été lancé en 2015 et la
        communauté urbaine l’a étendu en 2018' when the extension is the laureate's step."""
        extended = self.d.project.extended
        if not extended:
            return said
        participle = self.project_short.agree("étendu")
        who = f" {self.laureate_short.definite}" if self.launched_by_others else ""
        return f"{said.rstrip('.')} et{who} l’a {participle} {extended.adverbial()}."

    def extended(self) -> str:
        """The extension alone, when no launch sentence carries it."""
        extended = self.d.project.extended
        if not extended or self.d.project.launch:
            return ""
        if self.role == Role.extended:  # the extension is the laureate's own step
            subject = self.subject("laureate", self.laureate_short)
            return self.clause(
                subject, "étendre", self.np(self.project_short), self._date(extended)
            )
        subject = self.subject("project", self.project_short)
        return self.clause(subject, "étendre", self._date(extended), passive=True)

    def _date(self, date: FuzzyDate) -> Any:
        return self.q(date.adverbial())

    def passive(self, phrase: NounPhrase, lemma: str, *complements: Any) -> str:
        return self.clause(self.np(phrase), lemma, *complements, passive=True)

    def context_close(self) -> str:
        """'C'est dans ce contexte que la municipalité a créé la régie en 2010.'"""
        p, project = self.p, self.d.project
        date = [self._date(project.launch)] if project.launch else []
        if self.launched_by_others:  # the laureate's step, the extension, comes next
            self._last_subject = "project"
            tree = p.S(p.VP(*self.verb("lancer"), self.np(self.project_short), *date))
            tree = tree.typ({"pas": True})
        else:
            self._last_subject = "laureate"
            tree = p.S(
                self.np(self.laureate_short),
                # the lead's verb is the role's; here the sentence is about the date
                p.VP(
                    *self.verb(STEP_VERBS.get(self.role, "lancer")),
                    self.np(self.project_short),
                    *date,
                ),
            )
        body = realise(tree, self.ligatures).rstrip(".")
        if self.started() or not project.launch:
            # after 'La réflexion a commencé en 2015', 'ce contexte' would be that date
            return self._and_extended(self.say(tree))
        if self.choose([True, False]) and not self.launched_by_others:
            # the date first: 'En 2010, la municipalité a …'
            date_first = p.S(
                self.q(french.capitalize(project.launch.adverbial()) + ","),
                self.np(self.laureate_short),
                p.VP(*self.verb(STEP_VERBS.get(self.role, "lancer")), self.np(self.project_short)),
            )
            return self._and_extended(_tidy(self.say(date_first)))
        intro = "C’est dans ce contexte que"
        said = french.elide("que", body[:1].lower() + body[1:]).replace("que", intro, 1) + "."
        return self._and_extended(said)

    def team(self) -> str:
        team = self.d.project.team
        if not team:
            return ""
        return self.clause(self.np(self.project_short), "mobiliser", self.q(coordinate(team)))

    def partners(self) -> str:
        partners = self.d.project.partners
        if not partners:
            return ""
        p = self.p
        tree = p.S(
            self.np(self.laureate_short),
            p.VP(p.V("appuyer").t("pc"), p.PP(p.P("sur"), self.q(coordinate(partners)))),
        ).typ({"refl": True})
        return self.say(tree)

    def features(self) -> str:
        features = self.d.project.features
        if not features:
            return ""
        listed = coordinate([self.refer_to_partners(f) for f in features])
        p = self.p
        subject = self.subject("project", self.project_short)
        if ";" in listed:  # items with their own commas: announced, then a colon
            # no count: a number the dossier does not hold would fail the fact guard
            lemma, parts = self.choose(
                [("décliner", "en plusieurs volets"), ("articuler", "autour de plusieurs volets")]
            )
            parts = self.q(f"{parts} : {listed}")
            return self.say(p.S(subject, p.VP(p.V(lemma).t("p"), parts)).typ({"refl": True}))
        through = p.PP(p.P("par"), self.q(listed))
        return self.say(p.S(subject, p.VP(p.V("traduire").t("p"), through)).typ({"refl": True}))

    def means(self) -> str:
        means = self.results(ResultKind.means)
        if not means:
            return ""
        p = self.p
        of_them = p.PP(p.P("de"), self.q(coordinate([figure(r) for r in means])))
        subject = self.subject("project", self.project_short)
        text = self.say(p.S(subject, p.VP(p.V("disposer").t("p"), of_them)))
        return " ".join([text, *(sentence(r.note) for r in means if r.note)])

    def targets(self) -> str:
        """'La Breizh COP se donne 38 objectifs.' — what it aims at, never a result."""
        targets = self.results(ResultKind.target)
        if not targets:
            return ""
        p = self.p
        listed = self.q(coordinate([figure(r) for r in targets]))
        subject = self.subject("project", self.project_short)
        text = self.say(p.S(subject, p.VP(p.V("donner").t("p"), listed)).typ({"refl": True}))
        return " ".join([text, *(sentence(r.note) for r in targets if r.note)])

    def budget(self) -> str:
        budget = self.d.project.budget
        if not budget:
            return ""
        text = f"Son budget s’élève à {french.format_number(budget.amount)} €."
        if budget.note:
            text += " " + sentence(budget.note)
        return text

    def results_intertitle(self) -> str:
        highlight = self.highlight
        if not self.has_outcome:  # outputs only: figures, not a change
            return self.choose(["En chiffres", "Quelques chiffres"])
        options = ["Premiers résultats", "Le bilan"]
        if self.results(ResultKind.outcome):
            options.append("Ce que le projet change")
        shown = _straight(figure(highlight, with_period=False)) if highlight else ""
        said = self.lead_of_layout() + _straight(self.headline_of_layout())
        outcome = highlight is not None and highlight.kind == ResultKind.outcome
        if outcome and highlight.qualifier and shown not in said:
            # 'Plus de 160 000 apprenants'; a bare figure does not open a title
            options.append(french.capitalize(figure(highlight, with_period=False)))
        return self.choose(options)

    def results_sentences(self) -> list[str]:
        highlight = self.highlight
        if highlight is None:
            return []
        p = self.p
        short = self.project_short
        period = highlight.period
        when = [self.q(period + ",")] if period else []
        # not the verb the lead gave this figure with ('Histologe totalise …' twice)
        lead = self.lead_of_layout()
        # ('affiche' is a noun too: a reader of the sentence, human or not, may stumble)
        verbs = [v for v in ("recenser", "totaliser", "revendiquer") if f" {v[:-2]}e " not in lead]
        verb = p.V(self.choose(verbs or ["recenser"])).t("p")
        shown = self.q(figure(highlight, with_period=False))
        out = [_tidy(self.say(p.S(*when, self.np(short), p.VP(verb, shown))))]
        others = [r for r in self.reported if r is not highlight]
        if others:
            items = [figure(r, with_period=r.period != highlight.period) for r in others]
            listed = coordinate(items)
            single = len(items) == 1 and others[0].value < 2
            out.append(f"S’y {'ajoute' if single else 'ajoutent'} {listed}.")
        return out

    def quotes_for(self, section: str) -> list[Quote]:
        """Every quote of the dossier placed once, in a section the dossier fills: the
        first in the context (after its notes) or else the method, the others in the
        results or else the method; the details, or the context, when nothing else."""
        d, p = self.d, self.d.project
        present = {
            "context": bool(p.context),
            "method": bool(p.method or p.team or p.partners),
            "details": bool(p.features or p.details or p.budget
                            or self.results(ResultKind.means, ResultKind.target)),
            # an outlook note already past is history (the context), not the results'
            "results": bool(self.reported or self.result_notes or self.outlook),
        }  # fmt: skip
        first_order = ["context", "method", "results", "details"]
        rest_order = ["results", "method", "details", "context"]
        placed: dict[str, list[Quote]] = {}
        for index, quote in enumerate(d.quotes):
            order = first_order if index == 0 else rest_order
            home = next((s for s in order if present[s]), None)
            if home is not None:
                placed.setdefault(home, []).append(quote)
        return placed.get(section, [])

    def quote(self, quote: Quote) -> str:
        """A verbatim quote between « »; a paraphrase as reported speech, never quoted."""
        text = quote.text.rstrip(".")
        if not quote.verbatim:
            return self.reported_speech(quote)
        verb = self.choose(["résume", "souligne", "explique"])
        return f"{french.quote(text)}, {verb} {quote.speaker}, {quote.role}."

    def reported_speech(self, quote: Quote) -> str:
        """'Pour Jo Spiegel, maire de …, la démocratie …' — the speaker's position in the
        dossier's words, attributed, without quotation marks (it is not what was said)."""
        text = quote.text.strip().rstrip(".")
        said = text if _is_name_start(text) else text[:1].lower() + text[1:]
        who = f"{quote.speaker}, {quote.role},"
        if is_clause(text):
            return f"{self.choose(['Pour', 'Selon'])} {who} {said}."
        return f"{who} résume ainsi sa position : {said}."


# Heads that do not stand alone as a short form ('la part du budget …' → not 'la part').
_NOT_A_SHORT_FORM = frozenset({"part", "partie", "feuille", "série", "ensemble", "dizaine"})


def _generic_short(what: str) -> NounPhrase:
    """A short form from the description's head noun: 'une ferme communale …' → 'la
    ferme'; 'le projet' when the head is not a plain noun of the lexicon."""
    from laureate_writer.realiser import noun_gender

    match = re.match(r"^(un|une) ([\wÀ-ÿœæ-]+)", what.replace("'", "’"))
    if match and match[2].lower() not in _NOT_A_SHORT_FORM:
        gender = noun_gender(match[2])
        expected = "f" if match[1] == "une" else "m"
        if gender == expected:
            article = "la" if gender == "f" else "le"
            return NounPhrase(article, match[2], Gender(gender))
    return NounPhrase("le", "projet", Gender.masculine)


def _folded(text: str) -> str:
    """Text modulo apostrophes, guillemets, spaces and case: is one name inside another?"""
    text = text.replace("'", "’").replace("«", " ").replace("»", " ")
    return " ".join(text.split()).casefold()


def _looks_title_case(text: str) -> bool:
    """What the house style's sentence-case rule flags: after the first word, three or
    more capitalised words of four letters or more, most of them (acronyms aside)."""
    long_words = [w for w in _WORD.findall(text)[1:] if len(w) >= 4 and not w.isupper()]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return capitals >= 3 and capitals * 2 > len(long_words)


def _tidy(text: str) -> str:
    """Join canned commas to their words: 'X , Y' → 'X, Y'; no double commas."""
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",\s*\.", ".", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _straight(text: str) -> str:
    """For comparing texts before and after typesetting: one apostrophe, plain spaces."""
    return re.sub(r"\s", " ", text.replace("'", "’")).lower()


def _is_name_start(text: str) -> bool:
    """A fragment opening on a name keeps its capital ('Géotexia …', 'SAMU …')."""
    first = text.split()[0] if text.split() else ""
    return first[:2].isupper() or (first[:1].isupper() and first.lower() not in _COMMON_STARTS)


_COMMON_STARTS = frozenset(
    [
        "le",
        "la",
        "les",
        "l’",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d’",
        "ce",
        "cette",
        "ces",
        "chaque",
        "plusieurs",
        "ateliers",
        "projet",
        "projets",
        "réunions",
    ]
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
