"""House-style benchmark: check + fix on a synthetic corpus, against Grammalecte.

    python bench/style/run.py [--articles 1000] [--seed 7] [--repeat 5] [--jobs N]
                              [--no-grammalecte]

1. Generates (deterministically) ``--articles`` articles in the laureate-writer
   Markdown format into a temporary folder (``bench/style/corpus.py``).
2. Ours, all in this run, on the same texts (MB = 10^6 UTF-8 bytes; each time is the
   best of ``--repeat`` runs, the median in brackets):
   * single core, check only — ``Style.check_many(texts, jobs=1)``;
   * single core, check + fix — ``Style.fix_and_check_many(texts, jobs=1)``: what
     ``laureate-writer check --fix --jobs 1 FILE...`` does (safe fixes to a fixed point,
     then the report of what remains);
   * all cores, check + fix — ``fix_and_check_many(texts, jobs=N)`` with N = the CPUs
     this process may use (or ``--jobs``): what ``check --fix FILE...`` does by
     default; the time includes starting the worker processes;
   * the per-article API — ``Style.fix_and_check(text)`` once per article, one core.
   Memory: tracemalloc peak of one single-core check + fix run (Python allocations),
   the max RSS of this process, and the max RSS of the largest worker process of the
   parallel run (workers are forked: their RSS includes pages shared with this one).
   Both outputs are compared: the parallel run must return exactly the serial result.
3. Grammalecte: ``grammalecte-cli -f corpus.txt -tfo`` (its text formatter only, one
   process, single-threaded) on the same text concatenated into one file, in the same
   run, timed the same way (best of ``--repeat``, median in brackets; its start-up,
   about 0.1 s, included). Ratios: ours single-core check + fix over its formatter
   (like for like: one core each), and ours on all cores over its formatter (which
   cannot use more); best over best, and medians over medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

from corpus import write_corpus  # noqa: E402

from laureate_writer.style import load_style  # noqa: E402
from laureate_writer.style.parallel import PARALLEL_MIN_CHARS, cpu_count  # noqa: E402


def timed(fn, repeat: int):
    """(best, median) seconds over ``repeat`` runs. Results are dropped at once: kept
    alive, they would slow the next runs down (more objects for the garbage collector
    to walk), which is not the engine's cost."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=None, help="default: CPUs available")
    ap.add_argument("--no-grammalecte", action="store_true")
    args = ap.parse_args()
    jobs = args.jobs or cpu_count()

    with tempfile.TemporaryDirectory(prefix="lw-style-bench-") as tmp:
        paths = write_corpus(Path(tmp) / "corpus", args.articles, args.seed)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        size = sum(len(t.encode("utf-8")) for t in texts)
        joined = Path(tmp) / "corpus.txt"
        joined.write_text("\n\n".join(texts), encoding="utf-8")
        mb = size / 1e6

        t0 = time.perf_counter()
        style = load_style()
        load_s = time.perf_counter() - t0
        style.check(texts[0])  # warm the lazily compiled rules
        r = args.repeat
        check = timed(lambda: style.check_many(texts, jobs=1), r)
        fix = timed(lambda: style.fix_and_check_many(texts, jobs=1), r)
        par = timed(lambda: style.fix_and_check_many(texts, jobs=jobs), r)
        children_rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        one = timed(lambda: [style.fix_and_check(t) for t in texts], 1)
        serial_result = style.fix_and_check_many(texts, jobs=1)
        same = style.fix_and_check_many(texts, jobs=jobs) == serial_result
        left = sum(len(v) for _, v in serial_result)
        del serial_result
        tracemalloc.start()
        style.fix_and_check_many(texts, jobs=1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        findings = sum(len(v) for v in style.check_many(texts))

        def line(label: str, t: tuple, note: str = "") -> None:
            print(f"{label:<34}: {t[0]:6.2f} s ({t[1]:.2f})  {mb / t[0]:6.2f} MB/s  {note}")

        print(
            f"corpus: {len(texts)} articles, {mb:.2f} MB; {findings} findings before fixes, "
            f"{left} after"
        )
        print(f"style load: {load_s * 1000:.0f} ms ({len(style.rules)} rules)")
        print(
            f"machine: {os.cpu_count()} CPUs, {cpu_count()} usable; "
            f"best of {r} (median in brackets)"
        )
        line("ours, 1 core, check only", check, "check_many(jobs=1)")
        line("ours, 1 core, check + fix", fix, "fix_and_check_many(jobs=1) = check --fix --jobs 1")
        line(
            f"ours, {jobs} processes, check + fix",
            par,
            f"jobs={jobs} = check --fix (process start-up included; "
            f"several processes only above {PARALLEL_MIN_CHARS:,} chars)",
        )
        line("ours, 1 core, one article a call", one, "Style.fix_and_check per article")
        print(f"parallel result identical to serial: {same}")
        print(f"peak memory, tracemalloc, 1-core check + fix: {peak / 1e6:.1f} MB")
        print(f"max RSS, this process: {rss_kb / 1024:.0f} MB")
        print(
            f"max RSS, largest worker of the {jobs}-process run: {children_rss_kb / 1024:.0f} MB"
            " (forked: shares the parent's pages)"
        )

        cli = shutil.which("grammalecte-cli")
        if args.no_grammalecte or cli is None:
            print("grammalecte-cli: skipped" + ("" if cli else " (not installed)"))
            return

        def grammalecte() -> None:
            subprocess.run(
                [cli, "-f", str(joined), "-tfo"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        gl = timed(grammalecte, r)
        line("grammalecte-cli -tfo, 1 core", gl, "formatter only, same text in one file")
        print(
            f"ratio, 1 core vs 1 core   (ours check + fix / grammalecte -tfo): "
            f"{gl[0] / fix[0]:.1f}x (medians {gl[1] / fix[1]:.1f}x)"
        )
        print(
            f"ratio, {jobs} processes vs 1 (ours check + fix / grammalecte -tfo): "
            f"{gl[0] / par[0]:.1f}x (medians {gl[1] / par[1]:.1f}x)"
        )


if __name__ == "__main__":
    main()
