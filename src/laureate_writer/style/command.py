"""``laureate-writer check PATH... [--style FILE] [--fix] [--diff] [--format text|json|github]
[--min-severity LEVEL] [--include GLOB] [--exclude GLOB] [--statistics] [--exit-zero]
[--jobs N]`` — the implementation behind the typer command. It behaves like the linters
newsrooms already script (ruff, Vale):

* a folder is walked (``--include``/``--exclude`` globs; hidden folders skipped);
* each file is read by type (:mod:`.formats`): article files and text as they are,
  palmarès pages by their structure, HTML for its text content;
* findings print as ``FILE:LINE:COL: SEVERITY RULE-ID: MESSAGE``, then one summary line
  on stderr (``3 problèmes (1 erreur, 2 avertissements), 1 corrigeable avec --fix``);
* ``--fix`` rewrites files atomically and says what it changed; ``--diff`` prints the
  pending fixes as a unified diff and exits 1 when there are some;
* ``--statistics`` counts findings per rule; ``--exit-zero`` exits 0 whatever remains.
* ``--grammar auto|on|off`` (default ``LW_GRAMMAR``, else ``auto``): the grammar and
  spelling pass (Grammalecte, :mod:`.grammar`) after the house style, on the text the
  house style reported on; ``auto`` runs it when Grammalecte is installed, ``on``
  without it is bad input (one line saying how to install it), ``off`` never loads it.

Exit codes: 0 clean (no error-severity finding left, no pending fix with ``--diff``),
1 findings remain, 2 bad input (missing, unreadable or non-UTF-8 file, invalid style
file, bad option), reported as ``FILE:LINE:COL: message`` with nothing written.
``-`` reads stdin; with ``--fix`` the fixed text goes to stdout and the report to stderr.

``--jobs N``: a large batch of files (see ``parallel.PARALLEL_MIN_CHARS``) is checked by
N worker processes — default one per CPU, ``--jobs 1`` serial; same report, same order.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from laureate_writer.violations import Violation

from .formats import Checkable, checkable

SEVERITY_NAMES = ("suggestion", "warning", "error")
FORMATS = ("text", "json", "github")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.txt", "*.html", "*.htm")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


class InputError(Exception):
    """Bad input: reported as one located line, exit code 2."""

    def __init__(self, message: str, path: str | None = None, line: int = 1, column: int = 1):
        super().__init__(message)
        self.path, self.line, self.column = path, line, column

    def __str__(self) -> str:
        text = self.args[0]
        if self.path is None:
            return f"laureate-writer check : {text}"
        return f"{self.path}:{self.line}:{self.column}: {text}"


@dataclass
class Options:
    """What to look at and how to report it (the command's flags)."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    statistics: bool = False
    exit_zero: bool = False
    quiet: bool = False
    # grammar and spelling pass: auto, on, off (None: LW_GRAMMAR, else auto)
    grammar: str | None = None


@dataclass
class _Tally:
    counts: Counter[int] = field(default_factory=Counter)
    fixable: int = 0
    fixed: int = 0
    fixed_files: int = 0
    pending_files: int = 0
    files: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    messages: dict[str, tuple[str, bool]] = field(default_factory=dict)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def collect(paths: list[str], include: tuple[str, ...], exclude: tuple[str, ...]) -> list[str]:
    """The files to check: files as given, folders walked (sorted) for files matching
    ``include`` and no ``exclude`` glob (globs match a name or a path below the folder)."""
    out: list[str] = []
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            if path != "-" and not os.path.exists(path):
                raise InputError("fichier introuvable", path)
            out.append(path)
            continue
        for root, dirs, files in os.walk(path):
            rel_root = os.path.relpath(root, path)
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".")
                and d not in _SKIPPED_DIRS
                and not _matches(os.path.normpath(os.path.join(rel_root, d)), d, exclude)
            )
            for name in sorted(files):
                rel = os.path.normpath(os.path.join(rel_root, name))
                if _matches(rel, name, include) and not _matches(rel, name, exclude):
                    out.append(os.path.join(root, name))
    return out


def _matches(rel: str, name: str, globs: tuple[str, ...]) -> bool:
    rel = rel.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, g + "/*")
        for g in globs
    )


MAX_CHECK_BYTES = 4_000_000  # a write-up is a few kilobytes; a whole book still fits


def _read(path: str) -> str:
    from laureate_writer.loading import InputError as FileError
    from laureate_writer.loading import read_bytes

    if path == "-":
        data = sys.stdin.buffer.read(MAX_CHECK_BYTES + 1)
        name = "<stdin>"
        if len(data) > MAX_CHECK_BYTES:
            raise InputError(f"trop grand (au plus {MAX_CHECK_BYTES / 1e6:g} Mo)", name)
    else:
        try:
            # the one reader: a size cap counted while reading, regular files only
            data = read_bytes(path, max_bytes=MAX_CHECK_BYTES)
        except FileError as exc:
            problem = exc.problems[0]
            raise InputError(problem.message, path, problem.line, problem.column) from None
        name = path
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"pas en UTF-8 valide (octet {exc.start}) : enregistrez le fichier en UTF-8",
            name,
            line,
            column,
        ) from None
    if "\x00" in text:
        before = text[: text.index("\x00")]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise InputError("contient un octet NUL (pas un fichier texte ?)", name, line, column)
    return text


def _write_atomic(path: str, text: str, original: str) -> None:
    """Write the fixed file through the article store's lock (atomic, mode kept), and
    only if it still holds what was checked: an edit made meanwhile is never replaced."""
    from laureate_writer.output import write_atomic
    from laureate_writer.store import ArticleStore

    with ArticleStore(path).locked():
        with open(path, "rb") as fh:
            current = fh.read().decode("utf-8", errors="replace")
        if current != original:
            raise InputError("le fichier a changé depuis sa lecture : rien n'a été écrit", path)
        write_atomic(path, text)


def _github_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def run_check(
    files: list[str],
    style: str | None = None,
    fix: bool = False,
    diff: bool = False,
    fmt: str = "text",
    min_severity: str = "suggestion",
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    jobs: int | None = None,
    options: Options | None = None,
) -> int:
    """Check (and optionally fix) files against a house style. See the module doc.

    ``jobs``: worker processes for a large batch of files (``None``, the default: one
    per CPU; 1: serial). Small batches always run in this process; the output is the
    same, in the same order, whatever ``jobs`` is."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        return _run(
            files, style, fix, diff, fmt, min_severity, out, err, jobs, options or Options()
        )
    except InputError as exc:
        print(exc, file=err)
        return 2


def _located(v: Violation, doc: Checkable) -> Violation:
    """A finding with the file's own line and column (the checked text may differ)."""
    if doc.verbatim:
        return v
    line, column = doc.source_line_col(v.start)
    return v.model_copy(
        update={"line": line, "column": column, "fixable": v.fixable and doc.fixable}
    )


def _run(
    files: list[str],
    style_ref: str | None,
    fix: bool,
    diff: bool,
    fmt: str,
    min_severity: str,
    out: TextIO,
    err: TextIO,
    jobs: int | None,
    options: Options,
) -> int:
    from .engine import StyleError, load_style

    if fmt not in FORMATS:
        raise InputError(f"--format doit valoir {', '.join(FORMATS)} (reçu {fmt!r})")
    if min_severity not in SEVERITY_NAMES:
        raise InputError(
            f"--min-severity doit valoir {', '.join(SEVERITY_NAMES)} (reçu {min_severity!r})"
        )
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError(f"--jobs doit être un nombre de processus, 1 ou plus (reçu {jobs!r})")
    if not files:
        raise InputError("aucun fichier à vérifier (donnez FICHIER... ou - pour l’entrée standard)")
    if files.count("-") > 1:
        raise InputError("l’entrée standard (-) ne peut être donnée qu’une fois")
    try:
        style = load_style(style_ref)
    except StyleError as exc:
        raise InputError(f"style invalide : {exc}") from exc
    threshold = SEVERITY_NAMES.index(min_severity) + 1
    grammar = _grammar(options.grammar)
    paths = collect(files, options.include, options.exclude)

    # read everything first: a bad file fails the run before anything is written
    docs = {path: checkable(path, _read(path)) for path in paths}
    records: list[tuple[str, Violation]] = []
    tally = _Tally(files=len(docs))
    errors_left = False
    report = err if (fix and "-" in paths) else out
    texts = [doc.text for doc in docs.values()]
    before = style.check_many(texts, jobs=jobs) if (fix or diff) else None
    if fix or diff:
        # all files in one batch (fast); a large batch is spread over `jobs` processes
        results = style.fix_and_check_many(texts, jobs=jobs)
    else:
        results = list(zip(texts, style.check_many(texts, jobs=jobs), strict=True))
    for index, ((path, doc), (fixed_text, violations)) in enumerate(
        zip(docs.items(), results, strict=True)
    ):
        name = "<stdin>" if path == "-" else path
        if not doc.fixable and before is not None:
            violations = before[index]  # never rewritten: what it holds now
        if grammar is not None:  # on the text the house style reported on
            checked = doc.text if (not doc.fixable and before is not None) else fixed_text
            found = grammar.check(checked, None, violations)
            violations = sorted([*violations, *found], key=lambda v: (v.start, v.end, v.rule))
        fixed = doc.restore(fixed_text) if doc.fixable else doc.source
        if fixed != doc.source:
            tally.pending_files += 1
        if diff and fixed != doc.source:
            report.writelines(
                difflib.unified_diff(
                    doc.source.splitlines(keepends=True),
                    fixed.splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        if fix:
            fixed = _rehash_fixed_sections(doc.source, fixed)
            if path == "-":
                out.write(fixed)
            elif fixed != doc.source:
                try:
                    _write_atomic(path, fixed, doc.source)
                except OSError as exc:
                    raise InputError(f"écriture impossible : {exc.strerror}", path) from exc
            if before is not None and fixed != doc.source:
                _say_fixed(name, before[index], violations, tally, err, options)
        for v in violations:
            v = _located(v, doc)
            if v.severity >= 3:
                errors_left = True
            if int(v.severity) < threshold:
                continue
            records.append((name, v))
            tally.counts[int(v.severity)] += 1
            tally.fixable += v.fixable
            tally.by_rule[v.rule] += 1
            tally.messages.setdefault(v.rule, (v.message, v.fixable))
    _write_report(records, fmt, report)
    if options.statistics:
        _write_statistics(tally, report)
    if not options.quiet:
        err.write(_summary(tally, fix, diff) + "\n")
    if options.exit_zero:
        return 0
    return 1 if errors_left or (diff and not fix and tally.pending_files) else 0


def _grammar(mode: str | None):
    """The grammar pass for this run, or None (``off`` never imports it)."""
    if (mode or os.environ.get("LW_GRAMMAR") or "auto") == "off":
        return None
    from .grammar import GrammarUnavailable, default_grammar, resolve_mode

    try:
        return default_grammar() if resolve_mode(mode) else None
    except (ValueError, GrammarUnavailable) as exc:
        raise InputError(str(exc)) from None


def _say_fixed(
    name: str,
    before: list[Violation],
    after: list[Violation],
    tally: _Tally,
    err: TextIO,
    options: Options,
) -> None:
    fixed = Counter(v.rule for v in before if v.fixable)
    fixed.subtract(Counter(v.rule for v in after if v.fixable))
    changes = {rule: n for rule, n in fixed.items() if n > 0}
    total = sum(changes.values())
    tally.fixed += total
    tally.fixed_files += 1
    if options.quiet:
        return
    detail = ", ".join(f"{rule} ×{n}" if n > 1 else rule for rule, n in sorted(changes.items()))
    what = _plural(total, "correction", "corrections") if total else "corrections"
    err.write(f"{name} : {what}" + (f" ({detail})" if detail else "") + "\n")


def _write_report(records: list[tuple[str, Violation]], fmt: str, report: TextIO) -> None:
    if fmt == "json":
        payload = [
            {"file": name, **v.model_dump(mode="json", exclude={"checker"})} for name, v in records
        ]
        report.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "github":
        level = {1: "notice", 2: "warning", 3: "error"}
        for name, v in records:
            report.write(
                f"::{level[int(v.severity)]} file={_github_escape(name, True)},"
                f"line={v.line},col={v.column},title={_github_escape(v.rule, True)}::"
                f"{_github_escape(v.message)}\n"
            )
    else:
        for name, v in records:
            report.write(v.one_line(name) + "\n")


def _write_statistics(tally: _Tally, report: TextIO) -> None:
    """One line per rule, most frequent first (as ``ruff --statistics``)."""
    for rule, n in sorted(tally.by_rule.items(), key=lambda item: (-item[1], item[0])):
        message, fixable = tally.messages[rule]
        report.write(f"{n:>5}  {rule:<32} {'[*]' if fixable else '   '} {message}\n")


def _summary(tally: _Tally, fix: bool, diff: bool) -> str:
    files = _plural(tally.files, "fichier vérifié", "fichiers vérifiés")
    total = sum(tally.counts.values())
    done = ""
    if fix and tally.fixed:
        done = (
            f"{_plural(tally.fixed, 'correction appliquée', 'corrections appliquées')} "
            f"dans {_plural(tally.fixed_files, 'fichier', 'fichiers')} ; "
        )
    if diff and not fix and tally.pending_files:
        done = f"{_plural(tally.pending_files, 'fichier à corriger', 'fichiers à corriger')} ; "
    if not total:
        return f"{done}aucun problème ({files})."
    parts = [
        _plural(tally.counts[3], "erreur", "erreurs"),
        _plural(tally.counts[2], "avertissement", "avertissements"),
        _plural(tally.counts[1], "suggestion", "suggestions"),
    ]
    detail = ", ".join(p for p in parts if not p.startswith("0 "))
    line = f"{done}{_plural(total, 'problème', 'problèmes')} ({detail}) dans {files}"
    if tally.fixable and not fix:
        line += f", {_plural(tally.fixable, 'corrigeable', 'corrigeables')} avec --fix"
    return line + "."


def _rehash_fixed_sections(before: str, after: str) -> str:
    """After safe fixes to an article file, record the new hash of every section that
    was not edited by hand before: a typographic fix is not a hand edit, and must not
    make the section look edited (regeneration refuses those). Other files pass as is."""
    if after == before or not before.startswith("---\n") or "<!-- lw:" not in before:
        return after
    from laureate_writer.article import Article, Section
    from laureate_writer.loading import InputError

    try:
        old, new = Article.from_markdown(before), Article.from_markdown(after)
    except InputError:
        return after
    untouched = {s.kind for s in old.sections if not s.edited}
    sections = [
        Section.create(s.kind, s.text, s.provenance, s.intertitle)
        if s.kind in untouched and s.edited
        else s
        for s in new.sections
    ]
    if sections == new.sections:
        return after
    from laureate_writer.article import with_metadata

    return with_metadata(after, new.model_copy(update={"sections": sections}))


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (``python -m laureate_writer.style.command``)."""
    import argparse

    ap = argparse.ArgumentParser(prog="laureate-writer check", description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--style")
    ap.add_argument("--fix", action="store_true")
    ap.add_argument("--diff", action="store_true")
    ap.add_argument("--format", default="text", dest="fmt")
    ap.add_argument("--min-severity", default="suggestion")
    ap.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes for large batches (default: one per CPU; 1: serial)",
    )
    ap.add_argument("--grammar", default=None, help="auto (default), on or off")
    a = ap.parse_args(argv)
    return run_check(
        a.files, a.style, a.fix, a.diff, a.fmt, a.min_severity, jobs=a.jobs,
        options=Options(grammar=a.grammar),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
