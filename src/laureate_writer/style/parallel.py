"""Checking and fixing large batches of articles on several cores.

The serial engine already cuts a batch into chunks of about ``engine.BATCH_CHARS``
characters and handles each chunk on its own (``engine._chunks``). The parallel run
hands those very chunks to worker processes with the same
:class:`~laureate_writer.style.engine.Style` and concatenates the results in input
order, so the output is the serial run's, in the same order, by construction — even
where an article's result depends on its chunk (an unterminated ``<!--`` or code fence
masks the rest of its chunk, following articles included).

A pool costs a few tens of milliseconds to start, so it is used only when the batch
makes at least two chunks (about :data:`PARALLEL_MIN_CHARS` characters); smaller
batches, and ``jobs=1``, run in the calling process.

Workers get the style without pickling it: with the ``fork`` start method (Linux) they
inherit it from the parent; otherwise (``spawn``) they load it again from its file and
check that they got the same rules and settings (a fingerprint), or fail.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Style

# Below two chunks there is nothing to share out (engine.BATCH_CHARS).
PARALLEL_MIN_CHARS = 1_000_000

_INHERITED: dict[str, Style] = {}  # set in the parent just before forking
_WORKER_STYLE: Style | None = None


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    if jobs is None:
        return cpu_count()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a positive number of processes (got {jobs!r})")
    return jobs


def fingerprint(style: Style) -> str:
    """Rules (in order, with their full definitions) and settings of a style."""
    data = repr(([r.spec for r in style.rules], sorted(style.settings.values.items())))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def chunks_to_share(texts: list[str], jobs: int) -> list[list[str]] | None:
    """The serial engine's chunks of ``texts`` when there are at least two of them
    and more than one job; None: run serially."""
    if jobs < 2 or len(texts) < 2 or sum(map(len, texts)) < PARALLEL_MIN_CHARS:
        return None
    from .engine import _chunks

    chunks = list(_chunks(texts))
    return chunks if len(chunks) > 1 else None


def _init_worker(key: str, origin: tuple[str, bool] | None, fp: str) -> None:
    global _WORKER_STYLE
    style = _INHERITED.get(key)
    if style is None:  # spawned: load the style again from its file
        if origin is None:
            raise RuntimeError("this style cannot be sent to worker processes (no file)")
        from pathlib import Path

        from .engine import build_style

        style = build_style(Path(origin[0]), origin[1])
        if fingerprint(style) != fp:
            raise RuntimeError(f"style file {origin[0]} changed while checking")
    _WORKER_STYLE = style


def _work(task: tuple[str, list[str], str | None]) -> list[Any]:
    method, chunk, scope = task
    assert _WORKER_STYLE is not None
    # one serial chunk: the engine keeps it whole (it only cuts once BATCH_CHARS is
    # reached, which a chunk reaches at its last article at the earliest)
    return getattr(_WORKER_STYLE, method)(chunk, scope, jobs=1)


def run(
    style: Style, method: str, chunks: list[list[str]], scope: str | None, jobs: int
) -> list[Any]:
    """``style.<method>(chunk, scope)`` (``check_many`` or ``fix_and_check_many``) for
    each chunk on up to ``jobs`` processes; results concatenated in input order."""
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    key = f"{os.getpid()}:{id(style)}"
    fp = fingerprint(style)
    workers = min(jobs, len(chunks))
    _INHERITED[key] = style
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(key, getattr(style, "origin", None), fp),
        ) as pool:
            parts = pool.map(_work, [(method, chunk, scope) for chunk in chunks])
            out: list[Any] = []
            for part in parts:
                out.extend(part)
    finally:
        _INHERITED.pop(key, None)
    return out
