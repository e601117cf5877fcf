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
_WORD = re.compile(r"[\wÀ-ÿœæ’-]+")


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


def is_clause(note: str) -> bool:
    """A note the journalist wrote as a sentence (full stop) or that has a finite verb."""
    return note.rstrip().endswith((".", "!", "?")) or finite_verb(note) is not None


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


class Planner:
    """Messages of one dossier for one section, realised as French sentences."""

    def __init__(self, dossier: Dossier, section: str, with_laureate: bool = False) -> None:
        self.d = dossier
        self.with_laureate = with_laureate  # the layout puts the laureate in the headline
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
        if self.what_fits:
            described = (
                f"{self.project.definite}, {self.what.head} "
                f"{self.role_participle(self.what)} par {self.laureate.definite}{builders},"
            )
        else:  # a description with its own commas would blur who did what
            described = (
                f"{self.project.definite}, {self.role_participle(self.project)} "
                f"par {self.laureate.definite}{builders},"
            )
        head = NounPhrase(None, described, self.project.gender, self.project.number)
        return _tidy(self.status_clause(self.np(head)))

    @property
    def what_fits(self) -> bool:
        """The description can sit in apposition: no comma of its own, not too long."""
        head = self.what.head
        relative = re.search(r"\b(qui|que|qu’|dont|où)\b", head)
        # 'le programme « 21 actions », un programme …': never the same noun twice
        noun = next((w for w in head.lower().split() if w not in ("un", "une", "des")), "")
        same_noun = noun in self.project.definite.lower().split()
        return "," not in head and not relative and not same_noun and words(head) <= 9

    def lead(self) -> str:
        """Who did what, with whom, why — at most LEAD_MAX_WORDS words."""
        p, d = self.p, self.d
        lemma = self.role_lemma
        subject = self.np(self.laureate_full())
        obj = self.np(self.project)
        what = self.q(f", {self.what.head},")
        purpose = "afin " + french.elide("de", d.project.aim) if " pour " in d.project.aim else None
        aim = self.q(purpose or f"pour {d.project.aim}")
        date = [self.q(d.project.launch.adverbial())] if d.project.launch else []
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
        ]
        first = self.choose([0, 1])
        order = [first, 1 - first, 2, 3, 4] if self.what_fits else [2, 4]
        headline = _straight(self.headline_of_layout())
        if _straight(self.what.head) in headline:
            order = [2, 4]  # the headline says what it is: the lead does not repeat it
        text = ""
        for index in order:
            text = _tidy(forms[index]())
            if words(text) <= LEAD_MAX_WORDS:
                break
        highlight = self.highlight
        # a figure the headline shows is not said again in the lead (the results have it)
        shown = _straight(figure(highlight, with_period=False)) if highlight else ""
        if highlight is not None and shown not in headline:
            second = self._lead_figure(highlight)
            if words(text) + words(second) <= LEAD_MAX_WORDS:
                text = f"{text} {second}"
        return text

    def _lead_figure(self, result: Result) -> str:
        shown = self.q(figure(result))
        verb = self.choose(["afficher", "totaliser"])
        return self.clause(self.np(self.project_short), verb, shown, tense="p")

    def in_place(self) -> str:
        """'À Brest', 'Dans les Landes', 'En Bretagne', 'En Ariège': where, for a headline."""
        laureate = self.d.laureate
        if laureate.kind == LaureateKind.commune or not laureate.territory_in_text:
            return f"À {laureate.territory}"
        place = NounPhrase.parse(laureate.territory_in_text, Gender.feminine)
        if place.article in ("le", "les"):
            return f"Dans {place.article} {place.head}"
        return f"En {place.head}"

    def headline_of_layout(self) -> str:
        """The headline this dossier gets (same seed as the headline section)."""
        # the offline writer seeds each section with "<id>:<kind>"
        planner = Planner(self.d, f"{self.d.id}:headline", self.with_laureate)
        return planner.headline(HEADLINE_MAX, with_laureate=self.with_laureate)

    def headline(self, limit: int, with_laureate: bool = False) -> str:
        """One line; ``with_laureate`` (2023 layout): only forms that name the laureate or
        its territory, since the label line names the prize alone."""
        d, p = self.d, self.p
        name = french.capitalize(d.project.name)
        territory = d.laureate.territory
        subject_text = d.laureate.territory_in_text or territory
        inferred = french.infer_grammar(subject_text)
        # a town named alone is feminine in headlines ("Brest crée …" agrees as "la ville")
        gender = Gender.feminine if subject_text[:1].isupper() else inferred.gender
        subject = NounPhrase.parse(subject_text, gender, inferred.number)
        if d.laureate.kind in (LaureateKind.sdis, LaureateKind.ccas, LaureateKind.syndicat):
            subject = self.laureate_short
        present = self.choose(ROLE_VERBS[self.role])
        verb_headline = _tidy(
            self.say(p.S(self.np(subject), p.VP(*self.verb(present, "p"), self.np(self.project))))
        ).rstrip(".")
        # the aim is an intention: 'veut' is true of a scheme however long it has run
        aim_headline = _tidy(
            self.say(p.S(self.np(subject), p.VP(p.V("vouloir").t("p"), self.q(d.project.aim))))
        ).rstrip(".")
        highlight = self.highlight
        candidates = [
            f"{name} : {figure(highlight, with_period=False)}" if highlight else "",
            f"{territory} : {self.project.definite}"
            if territory.lower() not in self.project.definite.lower()
            else "",
            verb_headline,
            f"{self.in_place()}, {self.what.head}" if self.what_fits else "",
            f"{name}, {self.what.head}" if words(self.what.head) <= 6 else "",
            aim_headline if " pour " not in d.project.aim else "",
        ]
        if words(self.project.definite) >= LONG_NAME_WORDS:
            # a long name is said in the lead and the caption already: not a third time
            short = [c for c in candidates if c and self.project.head not in c]
            candidates = short or candidates
        if with_laureate:
            named = [c for c in candidates if c and territory in c]
            candidates = named or [f"{territory} : {self.project.definite}"]
        # all-capitals names side by side read as English Title Case: the style check flags it
        candidates = [c for c in candidates if c and not _looks_title_case(c)] or candidates
        return self.choose.fitting(candidates, limit)

    # --- messages: body ---------------------------------------------------------------------

    def notes(self, notes: Sequence[str], frame: str) -> list[str]:
        """The journalist's sentences as they are; fragments gathered into one sentence
        introduced by ``frame`` ("context", "method", "details", "results", "outlook")."""
        sentences, fragments = [], []
        for note in notes:
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
        opening = {
            "context": "Le décor est planté",
            "method": "La démarche tient en quelques mots",
            "details": "D’autres éléments sont à noter" if many else "Un autre élément est à noter",
            "results": "Les résultats se mesurent ainsi",
            "outlook": "La suite se dessine ainsi",
        }[frame]
        return f"{opening} : {listed}."

    def started(self) -> str:
        """'La réflexion a commencé en 2008.' (the project's initiated date), unless a
        context note already dates the start: the same year twice says nothing new."""
        initiated = self.d.project.initiated
        if not initiated or str(initiated.year) in " ".join(self.d.project.context):
            return ""
        first = NounPhrase("la", "réflexion", Gender.feminine)
        return self.clause(self.np(first), "commencer", self._date(initiated))

    def launched(self) -> str:
        """'La municipalité a créé la régie en 2010.' — only with a date: a bare 'X a
        conçu Y' says nothing the lead has not said."""
        launch = self.d.project.launch
        if not launch:
            return ""
        return self.clause(
            self.subject("laureate", self.laureate_short),
            "lancer",
            self.np(self.project_short),
            self._date(launch),
        )

    def extended(self) -> str:
        extended = self.d.project.extended
        if not extended:
            return ""
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
        self._last_subject = "laureate"
        tree = p.S(
            self.np(self.laureate_short),
            # the role's verb is the lead's; here the sentence is about the date
            p.VP(*self.verb("lancer"), self.np(self.project_short), *date),
        )
        body = realise(tree, self.ligatures).rstrip(".")
        if self.started() or not project.launch:
            # after 'La réflexion a commencé en 2015', 'ce contexte' would be that date
            return self.say(tree)
        intro = "C’est dans ce contexte que"
        return french.elide("que", body[:1].lower() + body[1:]).replace("que", intro, 1) + "."

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
        listed = coordinate(features)
        p = self.p
        subject = self.subject("project", self.project_short)
        if ";" in listed:  # items with their own commas: counted, then a colon
            # no count: a number the dossier does not hold would fail the fact guard
            parts = p.PP(p.P("en"), self.q(f"plusieurs volets : {listed}"))
            return self.say(p.S(subject, p.VP(p.V("décliner").t("p"), parts)).typ({"refl": True}))
        through = p.PP(p.P("par"), self.q(listed))
        return self.say(p.S(subject, p.VP(p.V("traduire").t("p"), through)).typ({"refl": True}))

    def means(self) -> str:
        means = self.results(ResultKind.means)
        if not means:
            return ""
        p = self.p
        of_them = p.PP(p.P("de"), self.q(coordinate([figure(r) for r in means])))
        subject = self.subject("project", self.project_short)
        return self.say(p.S(subject, p.VP(p.V("disposer").t("p"), of_them)))

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
        options = ["Premiers résultats", "Le bilan", "Ce que le projet change"]
        if highlight is not None and highlight.qualifier:
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
        verb = p.V(self.choose(["afficher", "totaliser", "revendiquer"])).t("p")
        shown = self.q(figure(highlight, with_period=False))
        out = [_tidy(self.say(p.S(*when, self.np(short), p.VP(verb, shown))))]
        others = [r for r in self.reported if r is not highlight]
        if others:
            items = [figure(r, with_period=r.period != highlight.period) for r in others]
            listed = coordinate(items)
            single = len(items) == 1 and others[0].value < 2
            out.append(f"S’y {'ajoute' if single else 'ajoutent'} {listed}.")
        return out

    def quote(self, quote: Quote) -> str:
        verb = self.choose(["résume", "souligne", "explique"])
        text = quote.text.rstrip(".")
        return f"{french.quote(text)}, {verb} {quote.speaker}, {quote.role}."


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


def _looks_title_case(text: str) -> bool:
    long_words = [w for w in _WORD.findall(text) if len(w) > 2]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return len(long_words) >= 3 and capitals > len(long_words) / 2


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
