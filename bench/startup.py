"""Start-up time of the commands that need no model (target: under 0.3 s each;
``check`` without the grammar pass, which ``check --grammar on`` adds and shows).

Runs each command N times in a fresh interpreter and reports min / median wall time.
Bytecode: the realistic case is an installed package whose .pyc files exist. With
PYTHONDONTWRITEBYTECODE set (as in some sandboxes) nothing is ever cached and every run
recompiles the sources, about 0.1 s more; so the sources are compiled first
(``compileall``, which writes .pyc whatever that variable says). ``--no-compile`` skips
that step and measures whatever the cache holds. The machine's load average is printed:
on a shared machine, read the minimum as the cost and the median as the likely wait; the
CPU time each run used (user + system) varies much less with the load, and is shown too.
Usage: python bench/startup.py [--runs N] [--no-compile]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(args: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system) of ``runs`` runs."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _children_cpu()
        subprocess.run(args, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
    return times, cpu


def _line(name: str, times: list[float], cpu: list[float]) -> str:
    return (f"  {name:34s} min {min(times) * 1000:6.0f} ms   median "
            f"{statistics.median(times) * 1000:6.0f} ms   cpu median "
            f"{statistics.median(cpu) * 1000:5.0f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-compile", action="store_true", help="Do not compile src first.")
    options = parser.parse_args()
    prefix = command_prefix()
    if not options.no_compile:
        compileall.compile_dir(ROOT / "src", quiet=1)
    cached = "not compiled first" if options.no_compile else "sources compiled first"
    dont_write = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "unset"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"bytecode: {cached} (PYTHONDONTWRITEBYTECODE {dont_write}); load average {load}")
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
        times, cpu = measure(prefix + args, options.runs)
        worst = max(worst, statistics.median(times))
        print(_line(name, times, cpu))
    for name, args in extra.items():
        print(_line(name, *measure(prefix + args, options.runs)) + "   (not in the target)")
    verdict = "OK" if worst < TARGET_S else "OVER TARGET"
    print(f"worst median {worst * 1000:.0f} ms (target < {TARGET_S * 1000:.0f} ms): {verdict}")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
