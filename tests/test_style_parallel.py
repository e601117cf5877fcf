"""Batches on several processes give exactly the serial result, in the same order; small
batches never start a pool; ``run_check(..., jobs=N)``; the ``\\b(…)`` pattern rewrite
matches the same."""

from __future__ import annotations

import io
import os
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


def test_a_worker_checks_each_chunk_as_one_document(small_chunks):
    # a chunk longer than BATCH_CHARS (its last article went past the cut), which
    # chunking again would split: the whitespace-only article at its end is fixed
    # differently alone; a worker must not cut it again
    import random

    rng = random.Random(263)
    texts = [
        rng.choice([" ", "x" * rng.randint(100, 1900) + " .", "Texte court. "])
        for _ in range(rng.randint(2, 8))
    ]
    chunks = list(engine._chunks(texts))
    assert any(len(list(engine._chunks(c))) > 1 for c in chunks)
    assert STYLE.fix_and_check_many(texts, jobs=2) == STYLE.fix_and_check_many(texts)


def test_split_runs_keeps_the_order_and_balances_the_sizes():
    assert parallel.split_runs([10, 10, 10, 10], 2) == [range(0, 2), range(2, 4)]
    assert parallel.split_runs([100, 94], 2) == [range(0, 1), range(1, 2)]
    assert parallel.split_runs([5, 5], 4) == [range(0, 1), range(1, 2)]
    assert parallel.split_runs([9, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) == [range(0, 1), range(1, 10)]
    for sizes in ([3, 1, 1, 1, 1, 1], [1] * 7, [50, 1, 1, 1], [1, 1, 1, 50]):
        for parts in (1, 2, 3, 5):
            runs = parallel.split_runs(sizes, parts)
            assert [i for r in runs for i in r] == list(range(len(sizes)))
            assert 1 <= len(runs) <= parts and all(len(r) for r in runs)


def _fail_in_children(monkeypatch, failure):
    """Style.fix_and_check_chunk runs normally here and calls ``failure`` in a child."""
    original = engine.Style.fix_and_check_chunk
    parent = os.getpid()

    def patched(self, texts, scope=None):
        if os.getpid() != parent:
            failure()
        return original(self, texts, scope)

    monkeypatch.setattr(engine.Style, "fix_and_check_chunk", patched)


def test_an_error_in_a_forked_worker_is_raised_here(small_chunks, monkeypatch):
    def boom():
        raise ValueError("boom in a worker")

    _fail_in_children(monkeypatch, boom)
    chunks = list(engine._chunks(_articles(60)))
    with pytest.raises(ValueError, match="boom in a worker"):
        parallel.run(STYLE, "fix_and_check_chunk", chunks, None, 3)


def test_a_worker_that_dies_is_an_error_not_a_short_result(small_chunks, monkeypatch):
    _fail_in_children(monkeypatch, lambda: os._exit(3))
    chunks = list(engine._chunks(_articles(60)))
    with pytest.raises(RuntimeError, match="died"):
        parallel.run(STYLE, "fix_and_check_chunk", chunks, None, 2)


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
