"""``laureate-writer check FILE... [--style FILE] [--fix] [--diff] [--format text|json|github]
[--min-severity LEVEL] [--jobs N]`` — the implementation behind the typer command.

``--jobs N`` (``run_check(..., jobs=N)``): a large batch of files (see
``parallel.PARALLEL_MIN_CHARS``) is checked by N worker processes — default one per
CPU, ``--jobs 1`` serial; the report is the same, in the same order.

Exit codes: 0 clean (no error-severity finding left), 1 errors remain, 2 bad input
(unreadable or non-UTF-8 file, invalid style file, bad option) with a one-line message
on stderr and no traceback. ``-`` reads stdin; with ``--fix`` the fixed text goes to
stdout and the report to stderr. ``--fix`` rewrites files atomically (temporary file in
the same directory + ``os.replace``); ``--diff`` prints a unified diff of the fixes
(without writing unless ``--fix`` is also given).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import sys
import tempfile
from typing import TextIO

SEVERITY_NAMES = ("suggestion", "warning", "error")
FORMATS = ("text", "json", "github")


class InputError(Exception):
    """Bad input: reported as one line, exit code 2."""


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputError(f"{path}: cannot read file: {exc.strerror}") from exc
        name = path
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not valid UTF-8 (byte {exc.start})") from exc


def _write_atomic(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".lw-style-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with contextlib.suppress(OSError):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
) -> int:
    """Check (and optionally fix) files against a house style. See the module doc.

    ``jobs``: worker processes for a large batch of files (``None``, the default: one
    per CPU; 1: serial). Small batches always run in this process; the output is the
    same, in the same order, whatever ``jobs`` is."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        return _run(files, style, fix, diff, fmt, min_severity, out, err, jobs)
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return 2


def _run(
    files: list[str],
    style_ref: str | None,
    fix: bool,
    diff: bool,
    fmt: str,
    min_severity: str,
    out: TextIO,
    err: TextIO,
    jobs: int | None = None,
) -> int:
    from .engine import StyleError, load_style

    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if min_severity not in SEVERITY_NAMES:
        raise InputError(
            f"--min-severity must be one of {', '.join(SEVERITY_NAMES)} (got {min_severity!r})"
        )
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError(f"--jobs must be a number of processes, 1 or more (got {jobs!r})")
    if not files:
        raise InputError("no input file (give FILE... or - for stdin)")
    if files.count("-") > 1:
        raise InputError("stdin (-) can be given only once")
    try:
        style = load_style(style_ref)
    except StyleError as exc:
        raise InputError(f"invalid style: {exc}") from exc
    threshold = SEVERITY_NAMES.index(min_severity) + 1

    # read everything first: a bad file fails the run before anything is written
    texts = {path: _read(path) for path in files}
    records = []
    errors_left = False
    report = err if (fix and "-" in files) else out
    originals = list(texts.values())
    if fix or diff:
        # all files in one batch (fast); a large batch is spread over `jobs` processes
        results = style.fix_and_check_many(originals, jobs=jobs)
    else:
        results = list(zip(originals, style.check_many(originals, jobs=jobs), strict=True))
    for (path, text), (fixed, violations) in zip(texts.items(), results, strict=True):
        name = "<stdin>" if path == "-" else path
        if diff and fixed != text:
            report.writelines(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    fixed.splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        if fix:
            fixed = _rehash_fixed_sections(text, fixed)
            if path == "-":
                out.write(fixed)
            elif fixed != text:
                try:
                    _write_atomic(path, fixed)
                except OSError as exc:
                    raise InputError(f"{path}: cannot write file: {exc.strerror}") from exc
        for v in violations:
            if v.severity >= 3:
                errors_left = True
            if int(v.severity) < threshold:
                continue
            records.append((name, v))
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
    return 1 if errors_left else 0


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
    body = after[after.find("\n---\n", 3) + len("\n---\n") :]
    updated = new.model_copy(update={"sections": sections})
    return f"---\n{updated.front_matter()}---\n{body}"


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
    a = ap.parse_args(argv)
    return run_check(a.files, a.style, a.fix, a.diff, a.fmt, a.min_severity, jobs=a.jobs)


if __name__ == "__main__":
    sys.exit(main())
