"""Start-up time of the desk (target: under 2 s): from launching ``laureate-writer desk``
to its printed URL answering the workspace page, in a fresh interpreter each run.

Usage: python bench/desk_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import ROOT, command_prefix

TARGET_S = 2.0


def once() -> tuple[float, float]:
    """Seconds until the URL is printed, and until the page answers."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command_prefix(), "desk", str(ROOT / "examples"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        url = (proc.stdout.readline() if proc.stdout else "").strip()
        printed = time.perf_counter() - start
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
        return printed, time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    runs = [once() for _ in range(options.runs)]
    printed = statistics.median(r[0] for r in runs)
    served = statistics.median(r[1] for r in runs)
    print(f"desk start-up, {options.runs} runs: URL printed after {printed * 1000:.0f} ms, "
          f"first page served after {served * 1000:.0f} ms (medians; min "
          f"{min(r[1] for r in runs) * 1000:.0f} ms)")  # fmt: skip
    verdict = "OK" if served < TARGET_S else "OVER TARGET"
    print(f"target < {TARGET_S * 1000:.0f} ms: {verdict}")
    return 0 if served < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
