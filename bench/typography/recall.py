"""Recall and false alarms on the labelled French typography and lexical cases.

    python bench/typography/recall.py [--cases bench/typography/cases.yaml] [--markdown]

For each family of ``cases.yaml``: recall (incorrect cases where a finding overlaps the
wrong span) and false-alarm rate (correct cases with any finding at all), for

* ``check --grammar off`` — the house style alone (``Style.check``);
* ``check --grammar on`` — the house style plus the grammar pass (``Grammar.check``);
* Grammalecte alone — its grammar and spelling checks with its default options.

The last two need Grammalecte (``apt-get install python3-grammalecte``); without it
their columns read "n/a".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

NOTATION = {"~": "\u00a0", "^": "\u202f"}
Spans = list[tuple[int, int]]


def load_cases(path: Path = HERE / "cases.yaml") -> list[dict]:
    import yaml

    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        for k, v in NOTATION.items():
            case["text"] = case["text"].replace(k, v)
            if "error" in case:
                case["error"] = case["error"].replace(k, v)
        if "error" in case:
            i = case["text"].find(case["error"])
            if i < 0:
                raise ValueError(f"error span {case['error']!r} not in {case['text']!r}")
            case["span"] = (i, i + len(case["error"]))
    return cases


def checkers(grammar: bool) -> dict[str, Callable[[str], Spans] | None]:
    """The three configurations, each mapping a text to the spans of its findings."""
    from laureate_writer.style import grammar as gr
    from laureate_writer.style import load_style

    style = load_style()

    def house(text: str) -> Spans:
        return [(v.start, v.end) for v in style.check(text, "body")]

    out: dict[str, Callable[[str], Spans] | None] = {
        "check --grammar off": house,
        "check --grammar on": None,
        "Grammalecte alone": None,
    }
    if grammar and gr.available():
        g = gr.default_grammar()

        def with_grammar(text: str) -> Spans:
            found = style.check(text, "body")
            extra = g.check(text, "body", found)
            return [(v.start, v.end) for v in [*found, *extra]]

        def alone(text: str) -> Spans:
            engine = gr._engine()
            errors = list(engine.gce.parse(text, "FR"))
            errors += engine.oSpellChecker.parseParagraph(text, False)
            return [(e["nStart"], e["nEnd"]) for e in errors]

        out["check --grammar on"] = with_grammar
        out["Grammalecte alone"] = alone
    return out


def _hit(spans: Spans, s: int, e: int) -> bool:
    return any(a < e and s < max(b, a + 1) for a, b in spans)


def evaluate(cases: list[dict], check: Callable[[str], Spans]) -> dict[str, dict[str, float]]:
    """Per family (and "all"): bad/caught/good/alarms counts, recall, false-alarm rate."""
    stats: dict[str, dict[str, float]] = {}
    for case in cases:
        spans = check(case["text"])
        for fam in (case["family"], "all"):
            st = stats.setdefault(fam, {"bad": 0, "caught": 0, "good": 0, "alarms": 0})
            if "span" in case:
                st["bad"] += 1
                st["caught"] += _hit(spans, *case["span"])
            else:
                st["good"] += 1
                st["alarms"] += bool(spans)
    for st in stats.values():
        st["recall"] = st["caught"] / st["bad"] if st["bad"] else float("nan")
        st["false_alarms"] = st["alarms"] / st["good"] if st["good"] else float("nan")
    return stats


def misses(cases: list[dict], check: Callable[[str], Spans]) -> list[tuple[str, str]]:
    """(kind, text) of the cases a configuration gets wrong: missed or false alarm."""
    out = []
    for case in cases:
        spans = check(case["text"])
        if "span" in case and not _hit(spans, *case["span"]):
            out.append(("missed", case["text"]))
        elif "span" not in case and spans:
            out.append(("false alarm", case["text"]))
    return out


def table(cases: list[dict], configs: dict[str, Callable[[str], Spans] | None]) -> str:
    results = {name: evaluate(cases, fn) if fn else None for name, fn in configs.items()}
    base = results["check --grammar off"]
    assert base is not None
    families = [f for f in base if f != "all"] + ["all"]
    head = "| family | incorrect / correct | " + " | ".join(
        f"{name}: recall | false alarms" for name in configs
    )
    lines = [head + " |", "|---|---|" + "---|---|" * len(configs)]
    for fam in families:
        cells = [f"{int(base[fam]['bad'])} / {int(base[fam]['good'])}"]
        for res in results.values():
            if res is None:
                cells += ["n/a", "n/a"]
            else:
                st = res[fam]
                cells += [f"{st['recall']:.2f}", f"{st['false_alarms']:.2f}"]
        lines.append(f"| {fam} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=HERE / "cases.yaml")
    ap.add_argument("--no-grammar", action="store_true", help="house style column only")
    ap.add_argument("--misses", action="store_true", help="list each configuration's misses")
    a = ap.parse_args(argv)
    cases = load_cases(a.cases)
    bad = sum("span" in c for c in cases)
    print(f"{len(cases)} cases: {bad} incorrect, {len(cases) - bad} correct in the house style\n")
    configs = checkers(not a.no_grammar)
    print(table(cases, configs))
    if a.misses:
        for name, fn in configs.items():
            if fn is not None:
                print(f"\n{name}:")
                for kind, text in misses(cases, fn):
                    print(f"  {kind}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
