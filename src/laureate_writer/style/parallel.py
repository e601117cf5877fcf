"""Checking and fixing large batches of articles on several cores.

The serial engine already cuts a batch into chunks of about ``engine.BATCH_CHARS``
characters and handles each chunk on its own (``engine._chunks``). The parallel run
hands those very chunks to other processes with the same
:class:`~laureate_writer.style.engine.Style` and concatenates the results in input
order, so the output is the serial run's, in the same order, by construction — even
where an article's result could depend on its chunk.

Where the OS can ``fork`` (Linux), the chunks are cut into ``jobs`` runs of about equal
size; this process takes the smallest run and a forked child each other one. Children
inherit the style and the texts (nothing is sent to them) and send their results back
through a pipe: no pool, no task queue, a millisecond or two of start-up. Elsewhere
(``spawn``) a process pool loads the style again from its file in each worker and
checks that it got the same rules and settings (a fingerprint), or fails.

Starting processes is only worth it when the batch makes at least two chunks (about
:data:`PARALLEL_MIN_CHARS` characters); smaller batches, and ``jobs=1``, run in the
calling process.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pickle
import signal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Style

# Below two chunks there is nothing to share out (engine.BATCH_CHARS); a forked child
# costs a few milliseconds, small against checking half a megabyte (over 0.1 s).
PARALLEL_MIN_CHARS = 500_000

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


def _init_worker(origin: tuple[str, bool] | None, fp: str) -> None:
    """A spawned worker loads the style from its file, and checks it is the same."""
    global _WORKER_STYLE
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
    return getattr(_WORKER_STYLE, method)(chunk, scope)


def run(
    style: Style, method: str, chunks: list[list[str]], scope: str | None, jobs: int
) -> list[Any]:
    """``style.<method>(chunk, scope)`` (``check_chunk`` or ``fix_and_check_chunk``: a
    chunk as one document, as the serial run does) for each chunk on up to ``jobs``
    processes; results concatenated in input order."""
    if "fork" in multiprocessing.get_all_start_methods():
        return _run_forked(style, method, chunks, scope, jobs)
    return _run_pool(style, method, chunks, scope, jobs)


def split_runs(sizes: list[int], parts: int) -> list[range]:
    """Cut chunk indices into at most ``parts`` consecutive runs of about equal total
    size (so that concatenating the runs' results keeps the input order)."""
    total = sum(sizes)
    runs: list[range] = []
    start = 0
    done = 0
    for k in range(parts - 1, 0, -1):  # k runs remain after this one
        target = done + (total - done) / (k + 1)
        end = start
        while end < len(sizes) - k and (end == start or done + sizes[end] / 2 <= target):
            done += sizes[end]
            end += 1
        if end > start:
            runs.append(range(start, end))
        start = end
    if start < len(sizes):
        runs.append(range(start, len(sizes)))
    return runs


def _serial(style: Style, method: str, chunks: list[list[str]], scope: str | None) -> list[Any]:
    out: list[Any] = []
    for chunk in chunks:
        out.extend(getattr(style, method)(chunk, scope))
    return out


def _run_forked(
    style: Style, method: str, chunks: list[list[str]], scope: str | None, jobs: int
) -> list[Any]:
    sizes = [sum(map(len, c)) for c in chunks]
    runs = split_runs(sizes, jobs)
    # this process takes the smallest run: it also reads the others' results
    mine = min(range(len(runs)), key=lambda k: sum(sizes[i] for i in runs[k]))
    children: dict[int, tuple[int, int]] = {}  # run -> (pid, read end of its pipe)
    try:
        for k, run_ in enumerate(runs):
            if k == mine:
                continue
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child (coverage can't see it)
                os.close(read_fd)
                _child(write_fd, style, method, [chunks[i] for i in run_], scope)
            os.close(write_fd)
            children[k] = (pid, read_fd)
        parts = {mine: _serial(style, method, [chunks[i] for i in runs[mine]], scope)}
        for k in sorted(children):
            pid, read_fd = children.pop(k)
            parts[k] = _collect(pid, read_fd)
        return [result for k in range(len(runs)) for result in parts[k]]
    finally:
        for pid, read_fd in children.values():  # this process failed: stop the others
            os.close(read_fd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _child(
    write_fd: int, style: Style, method: str, chunks: list[list[str]], scope: str | None
) -> None:  # pragma: no cover - runs in a forked child
    status = 1
    try:
        try:
            payload: tuple[str, Any] = ("ok", _serial(style, method, chunks, scope))
        except BaseException as exc:  # sent to the parent, raised there
            payload = ("error", exc)
        with os.fdopen(write_fd, "wb") as pipe:
            pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)


def _collect(pid: int, read_fd: int) -> list[Any]:
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, code = os.waitpid(pid, 0)
    if not data or code != 0:
        raise RuntimeError(f"style worker process {pid} died (wait status {code})")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise value
    return value


def _run_pool(
    style: Style, method: str, chunks: list[list[str]], scope: str | None, jobs: int
) -> list[Any]:
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(getattr(style, "origin", None), fingerprint(style)),
    ) as pool:
        out: list[Any] = []
        for part in pool.map(_work, [(method, chunk, scope) for chunk in chunks]):
            out.extend(part)
    return out
