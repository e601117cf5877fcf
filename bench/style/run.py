"""House-style benchmark: check + fix on a synthetic corpus, against Grammalecte.

    python bench/style/run.py [--articles 1000] [--no-grammalecte]

1. Generates (deterministically) ``--articles`` articles in the laureate-writer
   Markdown format into a temporary folder (``bench/style/corpus.py``).
2. Ours: ``Style.fix_and_check_many`` over all articles — what ``laureate-writer
   check --fix FILE...`` does (files are checked in batches: one pass of each rule per
   batch): safe fixes to a fixed point, then the report of what remains. Also a
   check-only pass, and the one-article-per-call API for comparison. Reports MB/s
   (UTF-8 bytes) and peak memory (tracemalloc peak during a separate instrumented run,
   and the process's max RSS).
3. Grammalecte: ``grammalecte-cli -f corpus.txt -tfo`` (its text formatter only) on
   the same text concatenated into one file, in the same run; the ratio is ours
   (check + fix) over its formatter.
"""

from __future__ import annotations

import argparse
import resource
import shutil
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


def measure(fn, texts: list[str]) -> float:
    t0 = time.perf_counter()
    fn(texts)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-grammalecte", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="lw-style-bench-") as tmp:
        paths = write_corpus(Path(tmp) / "corpus", args.articles, args.seed)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        size = sum(len(t.encode("utf-8")) for t in texts)
        joined = Path(tmp) / "corpus.txt"
        joined.write_text("\n\n".join(texts), encoding="utf-8")

        t0 = time.perf_counter()
        style = load_style()
        load_s = time.perf_counter() - t0
        style.check(texts[0])  # warm the lazily compiled rules
        check_s = measure(style.check_many, texts)
        fix_s = measure(style.fix_and_check_many, texts)
        one_s = measure(lambda ts: [style.fix_and_check(t) for t in ts], texts)
        tracemalloc.start()
        style.fix_and_check_many(texts)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        findings = sum(len(v) for v in style.check_many(texts))

        mb = size / 1e6
        print(f"corpus: {len(texts)} articles, {mb:.2f} MB, {findings} findings before fixes")
        print(f"style load: {load_s * 1000:.0f} ms ({len(style.rules)} rules)")
        print(f"ours check only      : {check_s:6.2f} s  {mb / check_s:6.2f} MB/s")
        print(
            f"ours check + fix     : {fix_s:6.2f} s  {mb / fix_s:6.2f} MB/s"
            "  (batched, as `check --fix`)"
        )
        print(
            f"  one article a call : {one_s:6.2f} s  {mb / one_s:6.2f} MB/s  (Style.fix_and_check)"
        )
        print(f"peak memory (tracemalloc, check+fix run): {peak / 1e6:.1f} MB")
        print(f"max RSS of this process: {rss_kb / 1024:.0f} MB")

        cli = shutil.which("grammalecte-cli")
        if args.no_grammalecte or cli is None:
            print("grammalecte-cli: skipped" + ("" if cli else " (not installed)"))
            return
        t0 = time.perf_counter()
        subprocess.run(
            [cli, "-f", str(joined), "-tfo"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        gl_s = time.perf_counter() - t0
        print(f"grammalecte-cli -tfo : {gl_s:6.2f} s  {mb / gl_s:6.2f} MB/s (same text, one file)")
        print(f"ratio ours(check+fix) / grammalecte formatter: {gl_s / fix_s:.1f}x")


if __name__ == "__main__":
    main()
