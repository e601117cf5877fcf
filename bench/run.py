"""Run every benchmark under bench/ (one command: `make bench` or `python bench/run.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = [HERE / "startup.py", *sorted(HERE.glob("*/run.py"))]
    status = 0
    for script in scripts:
        print(f"== {script.relative_to(HERE.parent)}", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
