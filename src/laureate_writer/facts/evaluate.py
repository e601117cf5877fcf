"""Score the fact guard on a labelled set of sentences.

    python -m laureate_writer.facts.evaluate [tests/data/facts/perturbations.yaml]

The set is a YAML file: ``dossiers`` (folder, relative to the file), optional ``edition``
(edition file in that folder, for items whose dossier is ``edition``), optional
``variants`` (a dossier with values changed: ``{name: {dossier: pau, set: {status: nominee}}}``)
and ``items``, each with ``id``, ``dossier``, ``label`` (the class: the kind of slip, or
``control`` for the general controls), ``expect`` (``supported`` / ``unsupported``),
``text`` and, for perturbations, ``claim`` — the edited words the guard must flag. A class
holds its perturbations and its controls (the same sentence right, or a legitimate
paraphrase).

Reported per class and overall: recall (perturbations flagged at the edited words) and
precision (of the items flagged, the share flagged at a true edit: a flagged control or a
perturbation flagged elsewhere is a false alarm). Exit 1 when any falls under the
thresholds.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laureate_writer.dossier import Dossier, Edition
from laureate_writer.facts.index import FactIndex, build_index
from laureate_writer.facts.report import trace_text
from laureate_writer.loading import InputError, load, parse_document, read_text

DEFAULT_SET = (
    Path(__file__).resolve().parents[3] / "tests" / "data" / "facts" / "perturbations.yaml"
)


@dataclass
class Outcome:
    id: str
    label: str
    expect: str
    flagged: bool  # any claim reported unsupported
    located: bool  # for perturbations: a reported claim overlaps the edited words
    reports: list[str]


@dataclass
class Scores:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def perturbations(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expect == "unsupported"]

    @property
    def controls(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expect == "supported"]

    @property
    def recall(self) -> float:
        items = self.perturbations
        return sum(o.located for o in items) / len(items) if items else 1.0

    @property
    def control_precision(self) -> float:
        """Share of faithful controls with no claim reported."""
        items = self.controls
        return sum(not o.flagged for o in items) / len(items) if items else 1.0

    @property
    def precision(self) -> float:
        """Of the items the guard flagged, the share that really were perturbed."""
        flagged = [o for o in self.outcomes if o.flagged]
        return sum(o.expect == "unsupported" for o in flagged) / len(flagged) if flagged else 1.0

    def classes(self) -> dict[str, Scores]:
        """The scores of each class (perturbations and controls sharing a label)."""
        out: dict[str, Scores] = defaultdict(Scores)
        for o in self.outcomes:
            out[o.label].outcomes.append(o)
        return dict(sorted(out.items()))

    @property
    def true_alarms(self) -> int:
        return sum(o.located for o in self.perturbations)

    @property
    def false_alarms(self) -> int:
        """Controls flagged, and perturbations flagged only away from their edit."""
        return sum(o.flagged for o in self.controls) + sum(
            o.flagged and not o.located for o in self.perturbations
        )

    @property
    def alarm_precision(self) -> float:
        flagged = self.true_alarms + self.false_alarms
        return self.true_alarms / flagged if flagged else 1.0


def load_set(path: str | Path) -> tuple[list[dict[str, Any]], dict[str, FactIndex]]:
    """The items of a labelled set and the fact index of every dossier they use."""
    path = Path(path)
    doc = parse_document(path, read_text(path))
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError.single(str(path), "expected a mapping with 'dossiers' and 'items'")
    folder = path.parent / str(data.get("dossiers", "."))
    indexes: dict[str, FactIndex] = {}
    variants = data.get("variants") or {}
    for n, item in enumerate(data["items"]):
        if not isinstance(item, dict) or not {"id", "dossier", "text", "expect"} <= set(item):
            line, col = doc.position(("items", n))
            raise InputError.single(
                str(path), "item needs id, dossier, text and expect", line, col, f"items[{n}]"
            )
        name = str(item["dossier"])
        if name in indexes:
            continue
        if name in variants:
            indexes[name] = _variant(folder, dict(variants[name]))
        elif name == "edition":
            edition = load(Edition, folder / str(data.get("edition", "palmares.yaml")))
            indexes[name] = build_index(edition)
        else:
            indexes[name] = build_index(load(Dossier, folder / f"{name}.yaml"))
    return data["items"], indexes


def _variant(folder: Path, spec: dict[str, Any]) -> FactIndex:
    """A dossier with a few values changed (``set``: a nested mapping), validated again:
    a nominee, a laureate that adopted its project…"""
    base = load(Dossier, folder / f"{spec['dossier']}.yaml")
    data = _merge(base.model_dump(mode="json", exclude_none=True), spec.get("set") or {})
    return build_index(Dossier.model_validate(data))


def _merge(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def evaluate(items: list[dict[str, Any]], indexes: dict[str, FactIndex]) -> Scores:
    scores = Scores()
    for item in items:
        text = str(item["text"])
        traces = [t for t in trace_text(text, indexes[str(item["dossier"])]) if not t.supported]
        located = False
        if item.get("claim"):
            at = text.find(str(item["claim"]))
            end = at + len(str(item["claim"]))
            located = at >= 0 and any(t.claim.start < end and at < t.claim.end for t in traces)
        scores.outcomes.append(
            Outcome(
                str(item["id"]),
                str(item.get("label", "")),
                str(item["expect"]),
                bool(traces),
                located,
                [f"{t.claim.kind.value} “{t.claim.text}”: {t.reason}" for t in traces],
            )
        )
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m laureate_writer.facts.evaluate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("labelled_set", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--min-recall", type=float, default=0.97)
    parser.add_argument("--min-precision", type=float, default=0.97)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    try:
        items, indexes = load_set(args.labelled_set)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    scores = evaluate(items, indexes)
    perturbed, controls = scores.perturbations, scores.controls
    print(f"labelled set: {len(perturbed)} perturbations, {len(controls)} controls")
    print(f"  {'class':<26} {'slips':>5} {'ctrls':>5} {'recall':>7} {'precision':>9}")
    ok = True
    for label, part in scores.classes().items():
        ok &= part.recall >= args.min_recall and part.alarm_precision >= args.min_precision
        print(
            f"  {label:<26} {len(part.perturbations):>5} {len(part.controls):>5} "
            f"{part.recall:>7.3f} {part.alarm_precision:>9.3f}"
        )
    print(
        f"  {'overall':<26} {len(perturbed):>5} {len(controls):>5} "
        f"{scores.recall:>7.3f} {scores.alarm_precision:>9.3f}"
    )
    print(f"controls passing clean: {scores.control_precision:.3f}")
    misses = [o for o in perturbed if not o.located] + [o for o in controls if o.flagged]
    if misses:
        print(
            f"{len(misses)} miss(es):"
            if args.verbose
            else f"{len(misses)} miss(es) (-v lists them)"
        )
        if args.verbose:
            for o in misses:
                what = "not flagged" if o.expect == "unsupported" else "false alarm"
                print(f"  {o.id} [{o.label}] {what}: {'; '.join(o.reports) or '-'}")
    ok &= scores.recall >= args.min_recall and scores.alarm_precision >= args.min_precision
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
