"""``laureate-writer facts ARTICLE.md [--dossier FILE] [--format text|json]``.

Exit codes: 0 every claim traces to the dossier, 1 some claim does not, 2 bad input
(one located line per problem on stderr, no traceback, nothing on stdout).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from laureate_writer.dossier import Dossier, Edition
from laureate_writer.facts.index import FactIndex, build_index
from laureate_writer.facts.report import FactReport, check_sections
from laureate_writer.facts.sections import ArticleText, parse_article
from laureate_writer.facts.text import line_col
from laureate_writer.loading import InputError, load, parse_document, read_text, validate

EXIT_OK, EXIT_UNSUPPORTED, EXIT_BAD_INPUT = 0, 1, 2


def load_fact_source(path: str | Path) -> tuple[FactIndex, str]:
    """The fact index of a dossier file, or of an edition file and all its dossiers."""
    path = Path(path)
    doc = parse_document(path, read_text(path))
    if isinstance(doc.data, dict) and "dossiers" in doc.data and "prizes" in doc.data:
        edition = validate(Edition, doc)
        dossiers = [load(Dossier, path.parent / name) for name in edition.dossiers]
        return build_index([edition, *dossiers]), "edition"
    dossier = validate(Dossier, doc)
    return build_index(dossier), dossier.id


def check_article(article: ArticleText, index: FactIndex) -> FactReport:
    """The article's report, with line and column in the article file."""
    report = check_sections([(s.kind, s.text) for s in article.sections], index)
    offsets = {s.kind: s.offset for s in article.sections}
    located = []
    for claim in report.unsupported:
        line, column = line_col(article.text, offsets[claim.section or ""] + claim.start)
        located.append(claim.model_copy(update={"line": line, "column": column}))
    return report.model_copy(update={"unsupported": located})


def _resolve_dossier(article: ArticleText, article_path: Path, override: str | None) -> Path:
    if override:
        return Path(override)
    if article.dossier is None:
        raise InputError.single(
            str(article_path),
            "pas de dossier : indiquez --dossier FICHIER ou « dossier: » dans le front matter",
            1,
            1,
            field="dossier",
        )
    candidate = Path(article.dossier)
    return candidate if candidate.is_absolute() else article_path.parent / candidate


def run_facts(
    article: str,
    dossier: str | None = None,
    fmt: str = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check ARTICLE against its dossier; print the report; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    if fmt not in ("text", "json"):
        err.write(f"{article}:1:1: --format: doit valoir text ou json (trouvé : « {fmt} »)\n")
        return EXIT_BAD_INPUT
    article_path = Path(article)
    try:
        parsed = parse_article(read_text(article_path), str(article_path))
        dossier_path = _resolve_dossier(parsed, article_path, dossier)
        index, label = load_fact_source(dossier_path)
    except InputError as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        return EXIT_BAD_INPUT
    report = check_article(parsed, index)
    if fmt == "json":
        payload = {
            "article": str(article_path),
            "dossier_file": str(dossier_path),
            **report.model_dump(mode="json"),
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        _write_text(report, str(article_path), label, out)
    return EXIT_OK if report.ok else EXIT_UNSUPPORTED


def _write_text(report: FactReport, path: str, label: str, out: TextIO) -> None:
    for violation in report.violations():
        section = f" [{violation.section}]" if violation.section else ""
        out.write(violation.one_line(path) + section + "\n")
    if report.coverage:
        out.write(coverage_line(report) + "\n")
    out.write(verdict_line(report, label) + "\n")


def coverage_line(report: FactReport) -> str:
    counts = report.counts
    line = f"couverture : {counts.results_mentioned}/{counts.results} résultats du dossier cités"
    if missing := report.missing_results:
        line += " ; jamais cités : " + " ; ".join(f"{r.path} {r.text}" for r in missing)
    return line


def verdict_line(report: FactReport, label: str | None = None) -> str:
    counts = report.counts
    claims = f"{counts.claims} affirmation{'s' if counts.claims != 1 else ''}"
    sections = f"{counts.sections} section{'s' if counts.sections != 1 else ''}"
    if report.ok:
        verdict = "toutes étayées" if counts.claims != 1 else "étayée"
    else:
        n = counts.unsupported
        verdict = f"{n} non étayée{'s' if n != 1 else ''}"
    source = f" (dossier {label})" if label else ""
    return f"faits : {claims} dans {sections}, {verdict}{source}"
