"""The CLI run in this process (through ``cli.main``, with its top-level guard), for
tests and fuzzers that run it hundreds of times: a subprocess per call would cost a
second of start-up each."""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_main(*args: str) -> Result:
    from laureate_writer import cli

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["laureate-writer", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    return Result(code, out.getvalue(), err.getvalue())
