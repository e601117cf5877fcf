"""Prose quality of the offline writer on the development set and the 2020 examples:
the stock phrases an editor rejected never come back, no 4-word sequence is used three
times in an entry, and one verb does not open two sentences in a row."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from laureate_writer.article import SectionKind
from laureate_writer.dossier import Dossier
from laureate_writer.drafting import draft_article
from laureate_writer.loading import load
from laureate_writer.writers.offline import OfflineWriter
from laureate_writer.writers.planner import Planner

ROOT = Path(__file__).resolve().parents[1]
DOSSIERS = sorted((ROOT / "examples" / "dev").glob("*.yaml")) + sorted(
    p for p in (ROOT / "examples" / "2020").glob("*.yaml") if p.name != "palmares.yaml"
)
WRITER = OfflineWriter()
WORD = re.compile(r"[\w’'-]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«A-ZÀÂÉÈÊÎÔÛÇ0-9])")

# bench/editorial/reviews/after.md: formulas the desk editor sent back for rewriting
REJECTED = [
    "C’est là que",
    "Les premiers travaux datent",
    "se distingue aussi par",
    "On compte",
    "On relève",
    "on retiendra",
    "offre notamment",
    "fait état",
    "part d’un constat",
    "de plusieurs constats",
    "Tout part de",
    "quelques principes",
]


def sections(path: Path) -> dict[str, str]:
    article = draft_article(load(Dossier, path), WRITER)
    return {
        s.kind.value: (f"{s.intertitle}\n\n{s.text}" if s.intertitle else s.text)
        for s in article.sections
        if s.kind.value != "prize_label"
    }


def ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" for p in paths]


@pytest.mark.parametrize("path", DOSSIERS, ids=ids(DOSSIERS))
def test_no_rejected_stock_phrase(path):
    text = "\n".join(sections(path).values())
    found = [phrase for phrase in REJECTED if phrase.lower() in text.lower()]
    assert found == []


@pytest.mark.parametrize("path", DOSSIERS, ids=ids(DOSSIERS))
def test_no_verb_leans_on_the_same_support_twice_in_a_row(path):
    said = [s for t in sections(path).values() for s in SENTENCE_END.split(t)]
    leaning = [bool(re.search(r"s’(appuie|est appuyée?s?) sur", s)) for s in said]
    assert not any(a and b for a, b in itertools.pairwise(leaning))


DEV = [p for p in DOSSIERS if p.parent.name == "dev"]


@pytest.mark.parametrize("path", DEV, ids=ids(DEV))
def test_no_four_words_three_times_in_an_entry(path):
    tokens = [w.lower() for w in WORD.findall("\n".join(sections(path).values()))]
    grams = Counter(" ".join(tokens[i : i + 4]) for i in range(len(tokens) - 3))
    assert [g for g, n in grams.items() if n >= 3] == []


def test_a_note_listing_the_co_builders_again_says_ces_partenaires():
    dossier = load(Dossier, ROOT / "examples" / "dev" / "bretagne.yaml")
    planner = Planner(dossier, "test")
    # every noun heads a co-builder: the list was named in the lead already
    assert (
        planner.refer_to_partners("des engagements signés par les collectivités, les entreprises "
                                  "et les associations")
        == "des engagements signés par ces partenaires"
    )  # fmt: skip
    # one noun that is not a co-builder ('habitants'): the list says something new
    kept = "une charte signée par les entreprises et les habitants"
    assert planner.refer_to_partners(kept) == kept
    # a single item is a mention, not a listing
    single = "une aide réservée aux associations"
    assert planner.refer_to_partners(single) == single


def page_entries(writer: OfflineWriter, paths: list[Path]) -> list[tuple[Dossier, dict[str, str]]]:
    dossiers = [load(Dossier, p) for p in paths]
    writer.plan_page(dossiers)
    out = []
    for dossier in dossiers:
        article = draft_article(dossier, writer)
        out.append((dossier, {s.kind.value: s.text for s in article.sections}))
    return out


def shared(counts: Counter) -> dict[str, int]:
    return {pattern: n for pattern, n in counts.items() if n > 1}


def test_a_page_of_the_dev_set_shares_no_headline_pattern_nor_lead_ending():
    import bench_editorial

    entries = page_entries(OfflineWriter(), DEV)
    headlines = Counter(bench_editorial.pattern(s["headline"], d) for d, s in entries)
    endings = Counter(
        bench_editorial.pattern(lead[-1], d, keep=3)
        for d, s in entries
        if len(lead := bench_editorial.sentences(s["lead"])) > 1
    )
    assert shared(headlines) == {} and shared(endings) == {}
    # reruns are byte-identical, page or not
    assert entries == page_entries(OfflineWriter(), DEV)
    alone = draft_article(entries[0][0], OfflineWriter())
    assert {s.kind.value: s.text for s in alone.sections} == entries[0][1]


def test_the_2020_page_through_the_api_varies_its_headlines(tmp_path):
    import bench_editorial

    from laureate_writer import api

    page = api.palmares(ROOT / "examples" / "2020" / "palmares.yaml", writer=OfflineWriter())
    by_id = {p.stem: load(Dossier, p) for p in DOSSIERS if p.parent.name == "2020"}
    patterns = Counter(
        bench_editorial.pattern(a.text_of(SectionKind.headline), by_id[a.id]) for a in page.articles
    )
    assert len(page.articles) == 6 and shared(patterns) == {}


def test_six_leads_ending_on_a_figure_end_each_its_own_way():
    import bench_editorial

    base = load(Dossier, ROOT / "examples" / "dev" / "gers.yaml").model_dump(mode="json")
    dossiers = []
    for n, town in enumerate(["Albi", "Auch", "Condom", "Lectoure", "Mirande", "Nogaro"]):
        data = {**base, "id": f"town-{n}"}
        data["laureate"] = {**base["laureate"], "territory": town, "territory_in_text": None,
                            "kind": "commune", "name": f"Commune de {town}",
                            "in_text": f"la commune de {town}"}  # fmt: skip
        data["project"] = {**base["project"], "launch": None}
        data["results"] = [{"label": "projets financés", "value": 40 + n, "kind": "outcome"}]
        dossiers.append(Dossier.model_validate(data))
    writer = OfflineWriter()
    writer.plan_page(dossiers)
    leads = [draft_article(d, writer).text_of(SectionKind.lead) for d in dossiers]
    endings = Counter(
        bench_editorial.pattern(bench_editorial.sentences(lead)[-1], d, keep=3)
        for d, lead in zip(dossiers, leads, strict=True)
        if len(bench_editorial.sentences(lead)) > 1
    )
    # two of the headlines show their figure: those leads do not repeat it
    assert sum(endings.values()) >= 4 and shared(endings) == {}


@pytest.mark.parametrize("empty", [(), ("context",), ("method", "results"), ("context", "method")])
def test_every_quote_is_used_once(empty):
    data = load(Dossier, ROOT / "examples" / "dev" / "kingersheim.yaml").model_dump(mode="json")
    data["quotes"] = [
        {"speaker": f"Personne {n}", "role": "maire", "text": f"Phrase numéro {word}."}
        for n, word in enumerate(["un", "deux", "trois"])
    ]
    for field in empty:
        if field == "results":
            data["results"], data["results_notes"], data["outlook"] = [], [], []
        else:
            data["project"] = {**data["project"], field: [], "team": [], "partners": []}
    article = draft_article(Dossier.model_validate(data), WRITER)
    text = "\n".join(s.text for s in article.sections)
    for word in ["un", "deux", "trois"]:
        assert text.count(f"Phrase numéro {word}") == 1, (word, text)
