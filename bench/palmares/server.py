"""The fake OpenAI server of the palmarès bench, in its own process (so its threads never
compete with the run being measured), answering any dossier with fact-safe French
(tests/generic_answers.py). Prints its base URL, stops when stdin closes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests")]

from fake_openai import FakeOpenAI  # noqa: E402
from generic_answers import answer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=200)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--fault-retry-after", type=float, default=0.05)
    args = parser.parse_args()
    server = FakeOpenAI(responder=answer, latency_ms=args.latency_ms, fault_rate=args.fault_rate,
                        fault_retry_after=args.fault_retry_after, seed=1)  # fmt: skip
    with server:
        print(server.base_url, flush=True)
        while os.read(0, 4096):
            pass
        print(json.dumps(server.stats()), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
