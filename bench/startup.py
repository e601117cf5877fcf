"""Start-up time of the commands that need no model (target: under 0.3 s each;
``check`` without the grammar pass, which ``check --grammar on`` adds and shows).

Runs each command N times in a fresh interpreter and reports min / median wall time.
Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.3


def command_prefix() -> list[str]:
    exe = Path(sys.executable).with_name("laureate-writer")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("laureate-writer")
    return [found] if found else [sys.executable, "-m", "laureate_writer"]


def measure(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    prefix = command_prefix()
    commands = {
        "--help": ["--help"],
        "validate (6 dossiers + edition)": ["validate", *sorted(
            str(p) for p in (ROOT / "examples" / "2020").glob("*.yaml"))],
        "schema": ["schema"],
        "check --grammar off (README.md)": ["check", "--grammar", "off", "README.md"],
    }  # fmt: skip
    # The grammar pass loads Grammalecte (about 0.15 s of CPU): shown, outside the target.
    extra = {"check --grammar on (README.md)": ["check", "--grammar", "on", "README.md"]}
    print(f"start-up, {options.runs} runs each ({' '.join(prefix)})")
    worst = 0.0
    for name, args in commands.items():
        times = measure(prefix + args, options.runs)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"  {name:34s} min {min(times) * 1000:6.0f} ms   median {median * 1000:6.0f} ms")
    for name, args in extra.items():
        times = measure(prefix + args, options.runs)
        print(f"  {name:34s} min {min(times) * 1000:6.0f} ms   median "
              f"{statistics.median(times) * 1000:6.0f} ms   (not in the target)")  # fmt: skip
    verdict = "OK" if worst < TARGET_S else "OVER TARGET"
    print(f"worst median {worst * 1000:.0f} ms (target < {TARGET_S * 1000:.0f} ms): {verdict}")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
