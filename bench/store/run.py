"""Article store under load: concurrent writers on one article, no update ever lost.

    python bench/store/run.py [--processes 4] [--threads 4] [--writes 15]

Each of processes × threads writers owns one section of one article (two or three
writers share each of the seven sections) and, ``--writes`` times, reads the article,
increments a counter at the end of its section's text and writes the section back
through :class:`laureate_writer.store.ArticleStore` (lock, per-section compare-and-swap,
atomic replace). A write based on a stale read of its section is refused (StaleWrite)
and redone from a fresh read. Every attempt is an operation.

Checked: each section's final counter equals the number of writes that landed on it
(a lost update would leave it lower), the file keeps its mode, no lock or temporary file
is left. Reported: operations, landed writes, refusals, wall time, writes a second,
latency of a landed write (median, p95). Target: zero lost updates, ≥ 200 operations.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import stat
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from laureate_writer.article import SectionKind  # noqa: E402
from laureate_writer.store import ArticleStore, StaleWrite  # noqa: E402

SECTIONS = [k for k in SectionKind if k != SectionKind.prize_label]
COUNTER = re.compile(r" #(\d+)$")


def _bump(text: str) -> str:
    found = COUNTER.search(text)
    count = int(found.group(1)) if found else 0
    return COUNTER.sub("", text) + f" #{count + 1}"


def writer(path: str, kind: SectionKind, writes: int) -> tuple[int, int, list[float]]:
    """``writes`` landed increments of ``kind``; returns (landed, refused, latencies)."""
    store = ArticleStore(path, timeout=120)
    landed = refused = 0
    latencies: list[float] = []
    while landed < writes:
        start = time.perf_counter()
        article, _ = store.read()
        section = article.section(kind)
        assert section is not None
        new = section.model_copy(update={"text": _bump(section.text)})
        try:
            store.replace_sections(article, [new], keep_previous=False)
        except StaleWrite:
            refused += 1
            continue
        landed += 1
        latencies.append(time.perf_counter() - start)
    return landed, refused, latencies


def process(path: str, kinds: list[str], writes: int, queue: multiprocessing.Queue) -> None:
    results: list[tuple[str, int, int, list[float]]] = []

    def one(kind: str) -> None:
        results.append((kind, *writer(path, SectionKind(kind), writes)))

    threads = [threading.Thread(target=one, args=(k,)) for k in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--writes", type=int, default=15, help="landed writes per writer")
    args = parser.parse_args()
    from laureate_writer import api

    folder = Path(tempfile.mkdtemp(prefix="lw-store-bench-"))
    try:
        path = folder / "brest.md"
        article = api.draft(ROOT / "examples" / "2020" / "brest.yaml")
        path.write_text(article.to_markdown(), encoding="utf-8")
        path.chmod(0o664)
        workers = args.processes * args.threads
        kinds = [SECTIONS[i % len(SECTIONS)].value for i in range(workers)]
        ctx = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue = ctx.Queue()
        start = time.perf_counter()
        procs = [
            ctx.Process(
                target=process,
                args=(
                    str(path),
                    kinds[p * args.threads : (p + 1) * args.threads],
                    args.writes,
                    queue,
                ),
            )
            for p in range(args.processes)
        ]
        for proc in procs:
            proc.start()
        results = [row for _ in procs for row in queue.get(timeout=600)]
        for proc in procs:
            proc.join()
        wall = time.perf_counter() - start
        final, _ = ArticleStore(path).read()
        landed = {k: 0 for k in set(kinds)}
        refused = 0
        latencies: list[float] = []
        for kind, ok, no, lat in results:
            landed[kind] += ok
            refused += no
            latencies += lat
        lost = 0
        for kind, count in landed.items():
            found = COUNTER.search(final.text_of(kind))
            lost += count - (int(found.group(1)) if found else 0)
        leftovers = sorted(p.name for p in folder.iterdir() if p.name != "brest.md")
        mode = stat.S_IMODE(os.stat(path).st_mode)
        total_landed = sum(landed.values())
        operations = total_landed + refused
        latencies.sort()
        print(f"writers {workers} ({args.processes} processes × {args.threads} threads) on "
              f"{len(landed)} sections of one article")  # fmt: skip
        print(f"operations {operations}: {total_landed} writes landed, {refused} refused as "
              f"stale and redone")  # fmt: skip
        print(f"wall {wall:.2f} s, {total_landed / wall:.0f} writes/s, landed-write latency "
              f"median {statistics.median(latencies) * 1000:.1f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms")  # fmt: skip
        print(
            f"lost updates {lost} (target 0); mode {oct(mode)} (kept 0o664); "
            f"files left {leftovers or 'none'}; operations ≥ 200: {operations >= 200}"
        )
        ok = lost == 0 and mode == 0o664 and not leftovers and operations >= 200
        return 0 if ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
