"""``make fuzz``: ten thousand generated inputs per entry point, in this one process.

    python bench/fuzz.py                    # 10 000 per entry point, new inputs each run
    python bench/fuzz.py --examples 200     # the brief version CI runs
    python bench/fuzz.py --only article --fixed

Entry points (tests/fuzzing.py): dossier YAML and JSON files (validate, and draft on
exit 2), edition files (validate), article files (regenerate, check --fix) and model
answers (a section drafted and polished from fuzzed chat completions). Each input must
give no traceback, an exit code from the documented table and, on exit 2, no file
written. Memory must stay bounded: the peak resident size may not grow by more than
--max-growth-mb over the run. Prints one line per entry point: inputs, wall time,
peak memory. Exit 1 on the first failure (with the failing input, shrunk).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--only", action="append", help="An entry point (repeatable).")
    parser.add_argument("--fixed", action="store_true", help="The same inputs every run.")
    parser.add_argument("--max-growth-mb", type=float, default=400.0)
    args = parser.parse_args()

    from fuzzing import Workspace, entry_points, fuzz

    points = entry_points(Workspace())
    start_peak = peak_mb()
    total_start = time.perf_counter()
    for name, (strategy, body) in points.items():
        if args.only and name not in args.only:
            continue
        began = time.perf_counter()
        count = fuzz(strategy, body, args.examples, fixed=args.fixed)
        elapsed = time.perf_counter() - began
        print(
            f"{name:13} {count:6d} inputs  {elapsed:7.1f} s  "
            f"({elapsed / count * 1000:5.1f} ms each)  peak RSS {peak_mb():6.0f} MB",
            flush=True,
        )
    growth = peak_mb() - start_peak
    print(f"total {time.perf_counter() - total_start:.1f} s; peak RSS grew {growth:.0f} MB")
    if growth > args.max_growth_mb:
        print(f"memory not bounded: grew more than {args.max_growth_mb:g} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
