"""Batches on several processes give exactly the serial result, in the same order; small
batches never start a pool; ``run_check(..., jobs=N)``; the ``\\b(…)`` pattern rewrite
matches the same."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laureate_writer.style import engine, load_style, parallel
from laureate_writer.style.command import run_check
from laureate_writer.style.rules.base import boundary_prefix

STYLE = load_style()
PIECES = [
    "Qui a gagné? ",
    "l'équipe de 3000 habitants ",
    '"guide" ',
    "le 21ème prix, ",
    "de 8h à 18h30 ",
    "63% ",
    "https://www.ville.fr/x, ",
    "05 34 140 140 ",
    "29200 Brest ",
    "coeur ",
    "M. Dupont ",
    "`code 3000` ",
    "etc... ",
]


def _articles(n: int, seed: int = 3) -> list[str]:
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = "".join(rng.choice(PIECES) for _ in range(rng.randint(5, 30)))
        head = rng.choice(["", "---\ntitle: x\n---\n", "<!-- lw:lead -->\n"])
        tail = rng.choice(["", "\n<!-- open", "\n```\nnot closed 3000\n", "\n"])
        out.append(f"{head}# Titre {i}\n\n{body}\n{tail}")
    return out


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of ~2 000 characters so that a small batch makes many of them (the
    workers are forked: they see the patched values)."""
    monkeypatch.setattr(engine, "BATCH_CHARS", 2_000)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 2_000)


def test_parallel_is_the_serial_result_in_order(small_chunks):
    texts = _articles(120)
    assert len(list(engine._chunks(texts))) > 4
    serial = STYLE.fix_and_check_many(texts)
    assert STYLE.fix_and_check_many(texts, jobs=2) == serial
    assert STYLE.fix_and_check_many(texts, jobs=None) == serial
    assert STYLE.check_many(texts, jobs=3) == STYLE.check_many(texts)
    assert STYLE.fix_and_check_many(texts, "body", jobs=2) == STYLE.fix_and_check_many(
        texts, "body"
    )


def test_parallel_with_spawned_workers_loads_the_same_style(small_chunks, monkeypatch):
    # spawned workers do not inherit the patched BATCH_CHARS: each gets one whole chunk,
    # which it keeps whole anyway
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    texts = _articles(30, seed=5)
    assert STYLE.fix_and_check_many(texts, jobs=2) == STYLE.fix_and_check_many(texts)


def test_small_batches_never_start_a_pool(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("pool started for a small batch")

    monkeypatch.setattr(parallel, "run", boom)
    texts = _articles(20)
    assert STYLE.fix_and_check_many(texts, jobs=None) == STYLE.fix_and_check_many(texts)
    assert STYLE.check_many(texts, jobs=4) == STYLE.check_many(texts)


def test_bad_jobs_value():
    with pytest.raises(ValueError):
        STYLE.check_many(["x"], jobs=0)


def test_run_check_jobs(small_chunks, tmp_path):
    files = []
    for i, text in enumerate(_articles(40, seed=9)):
        p = tmp_path / f"a{i:02d}.md"
        p.write_text(text, encoding="utf-8")
        files.append(str(p))
    outs = {}
    for jobs in (1, 2, None):
        out, err = io.StringIO(), io.StringIO()
        code = run_check(files, fmt="json", out=out, err=err, jobs=jobs)
        outs[jobs] = (code, out.getvalue(), err.getvalue())
    assert outs[1] == outs[2] == outs[None]
    assert outs[1][0] == 1 and outs[1][1].count('"file"') > 40
    out, err = io.StringIO(), io.StringIO()
    assert run_check(files, out=out, err=err, jobs=0) == 2
    assert "--jobs" in err.getvalue()


def test_run_check_jobs_fix_writes_the_same_files(small_chunks, tmp_path):
    texts = _articles(30, seed=11)
    results = []
    for jobs in (1, 2):
        d = tmp_path / f"j{jobs}"
        d.mkdir()
        files = []
        for i, text in enumerate(texts):
            p = d / f"a{i:02d}.md"
            p.write_text(text, encoding="utf-8")
            files.append(p)
        out, err = io.StringIO(), io.StringIO()
        code = run_check([str(p) for p in files], fix=True, out=out, err=err, jobs=jobs)
        report = out.getvalue().replace(str(d), "D")
        results.append((code, report, [p.read_text(encoding="utf-8") for p in files]))
    assert results[0] == results[1]


def test_boundary_prefix_rewrites_and_leaves_others_alone():
    civility = r"\b(M\.|MM\.|Mmes?|Mlles?|Dr|Pr)[ ](?=[A-Z])"
    assert boundary_prefix(civility).startswith("(M(?<!\\wM)\\.|")
    for p in (r"\b(?:ab|cd)", r"\b(a|b?)", r"\b([ab]c)", r"\b(a*|b)", r"\b(é|b)", r"\bab", r"ab"):
        assert boundary_prefix(p) == p


ALPHABET = "MDPrlmes. _\u00a0xÉé-1\n"


@given(st.text(alphabet=ALPHABET, max_size=80))
@settings(max_examples=300, deadline=None)
def test_boundary_prefix_matches_the_same(text):
    for pattern in (
        r"\b(M\.|MM\.|Mmes?|Mlles?|Dr|Pr)[ ](?=[A-ZÀ-ÖØ-Þ])",
        r"\b(Mme|x(e|s)|P)",
        r"\b(D|l\.)",
    ):
        fast = boundary_prefix(pattern)
        assert fast != pattern
        for flags in (0, re.I, re.M):
            for pos in (0, 1, 3):
                slow = [
                    (m.span(), m.groups()) for m in re.compile(pattern, flags).finditer(text, pos)
                ]
                quick = [
                    (m.span(), m.groups()) for m in re.compile(fast, flags).finditer(text, pos)
                ]
                assert slow == quick
