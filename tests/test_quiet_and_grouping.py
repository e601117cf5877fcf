"""--quiet, --verbose and grouped findings on a palmarès run with a model (issue 18),
against the fake OpenAI server over real HTTP: -q keeps the problems and the summary and
drops the progress; repeated findings are one line per kind with a count, every one of
them with -v."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys

import pytest

from conftest import EDITION, ROOT
from generic_answers import answer

pytest.importorskip("langchain_openai")


def _palmares(fake, tmp_path, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test",
           "LW_CACHE_PATH": str(tmp_path / "cache.sqlite3"), "PYTHONIOENCODING": "utf-8",
           "LW_REVISE_ROUNDS": "0"}  # fmt: skip
    env.pop("LW_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "laureate_writer", *flags, "palmares", str(EDITION),
         "--model", "gpt-4.1-mini", "-o", str(tmp_path / "p.html"), "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


PROGRESS = re.compile(r"^palmarès : \d+/\d+ sections", re.M)
SUMMARY = re.compile(r"^42/42 sections \(", re.M)


def test_quiet_drops_progress_and_keeps_the_summary(fake_openai, tmp_path):
    fake_openai.responder = answer
    loud = _palmares(fake_openai, tmp_path)
    assert loud.returncode == 0, loud.stderr
    assert PROGRESS.search(loud.stderr) and SUMMARY.search(loud.stderr)
    assert "Production du palmarès" in loud.stderr and "écrit : " in loud.stderr
    quiet = _palmares(fake_openai, tmp_path, "-q")
    assert quiet.returncode == 0, quiet.stderr
    assert not PROGRESS.search(quiet.stderr), quiet.stderr
    assert "Production du palmarès" not in quiet.stderr and "écrit : " not in quiet.stderr
    assert SUMMARY.search(quiet.stderr) and len(quiet.stderr.splitlines()) == 1, quiet.stderr


def test_repeated_findings_are_grouped_per_kind(fake_openai, tmp_path):
    numbers = itertools.count(1001)

    def padded(request):  # every section states a figure no dossier gives, each its own
        reply = answer(request)
        reply["text"] += f" Plus de {next(numbers)} visiteurs l’ont découvert."
        return reply

    fake_openai.responder = padded
    grouped = _palmares(fake_openai, tmp_path)
    assert grouped.returncode == 1, grouped.stderr
    lines = [line for line in grouped.stderr.splitlines() if "unsupported-number" in line]
    assert len(lines) == 1, grouped.stderr
    count = int(re.search(r"facts unsupported-number : (\d+) constats \(", lines[0])[1])
    assert count >= 30 and "par exemple nombre « " in lines[0]
    findings = [line for line in grouped.stderr.splitlines() if " facts " in f" {line}"]
    assert len(findings) <= 3, grouped.stderr  # one per kind: the summary stays in view

    fake_openai.responder = padded
    every = _palmares(fake_openai, tmp_path, "-v")
    assert every.returncode == 1
    each = [line for line in every.stderr.splitlines() if "unsupported-number" in line]
    assert len(each) == count and all(re.match(r"^[a-z-]+/[a-z_]+: facts ", x) for x in each)
    quiet = _palmares(fake_openai, tmp_path, "-q")
    assert quiet.returncode == 1 and not PROGRESS.search(quiet.stderr)
    kept = [x for x in quiet.stderr.splitlines() if "unsupported-number" in x]
    assert [x.split(" ; ")[0] for x in kept] == [x.split(" ; ")[0] for x in lines]
