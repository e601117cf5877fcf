"""Palmarès at scale (issue 6): 120 synthetic laureates against the fake OpenAI server at
200 ms a call, concurrency 16 — wall time against the ideal (calls × latency /
concurrency), the same with 10 % injected 429/500, calls on a rerun (target 0), peak RSS.

    python bench/palmares/run.py [--laureates 120] [--concurrency 16] [--latency-ms 200]

Targets: ≤ 1.2× ideal clean, ≤ 1.5× with faults, 0 calls on rerun, < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = ROOT / "examples" / "2020"


def synthetic_edition(folder: Path, count: int) -> Path:
    """``count`` dossiers cloned from the 2020 examples, each with its own id (so every
    prompt differs and nothing is served from a cache), and their edition file."""
    edition = yaml.safe_load((EXAMPLES / "palmares.yaml").read_text(encoding="utf-8"))
    sources = [
        yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
        for name in edition["dossiers"]
    ]
    names = []
    for i in range(count):
        dossier = dict(sources[i % len(sources)])
        dossier["id"] = f"{dossier['id']}-{i:04d}"
        name = f"{dossier['id']}.yaml"
        (folder / name).write_text(yaml.safe_dump(dossier, allow_unicode=True), encoding="utf-8")
        names.append(name)
    edition["dossiers"] = names
    path = folder / "palmares.yaml"
    path.write_text(yaml.safe_dump(edition, allow_unicode=True), encoding="utf-8")
    return path


class Server:
    def __init__(self, *args: str) -> None:
        command = [sys.executable, str(HERE / "server.py"), *args]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.base_url = self.proc.stdout.readline().strip()  # type: ignore[union-attr]

    def _call(self, path: str, data: bytes | None = None) -> dict:
        url = self.base_url.removesuffix("/v1") + path
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
            return json.loads(r.read() or b"{}")

    def stats(self) -> dict:
        return self._call("/_fake/stats")

    def reset(self) -> None:
        self._call("/_fake/reset", b"{}")

    def close(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(timeout=10)


def run(server: Server, edition: Path, work: Path, concurrency: int, *extra: str) -> dict:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "sk-bench",
        "LW_CACHE_PATH": str(work / "cache.sqlite3"),
        "LW_MAX_RETRIES": "8",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    server.reset()
    report = work / "report.json"
    args = [
        sys.executable,
        "-m",
        "laureate_writer",
        "palmares",
        str(edition),
        "--model",
        "gpt-4.1-mini",
        "--concurrency",
        str(concurrency),
        "-o",
        str(work / "page.html"),
        "--out-dir",
        str(work / "articles"),
        "--journal",
        str(work / "journal.sqlite3"),
        "--report",
        str(report),
        *extra,
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""  # type: ignore[union-attr]
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(err[-3000:], file=sys.stderr)
        raise SystemExit(f"palmares exited {code}")
    stats = server.stats()
    stamps = [
        r["at"] for r in server._call("/_fake/requests") if r["path"].endswith("/completions")
    ]
    phase = (max(stamps) - min(stamps)) if stamps else 0.0
    return {
        "wall": wall,
        "phase": phase,
        "calls": stats["calls"],
        "faults": stats["faults_injected"],
        "peak": stats["peak_concurrency"],
        "rss_mb": usage.ru_maxrss / 1024,
        "report": json.loads(report.read_text(encoding="utf-8")),
    }


def client_floor(server: Server, calls: int, concurrency: int, client: str) -> float:
    """Wall time of ``calls`` bare structured-output calls at ``concurrency`` through one
    of the writer's two clients (``openai``: the SDK; ``langchain``: ChatOpenAI): the
    cost of the client stack alone, with none of laureate-writer's own work."""
    import asyncio

    from laureate_writer.writers.clients import LangChainClient, OpenAIClient
    from laureate_writer.writers.schemas import SectionText

    if client == "openai":
        model = OpenAIClient("x", api_key="sk-bench", base_url=server.base_url, timeout=60,
                             max_retries=2, params={})  # fmt: skip
    else:
        from langchain_openai import ChatOpenAI
        from openai import DefaultAsyncHttpxClient

        chat = ChatOpenAI(model="x", api_key="sk-bench", max_retries=2, base_url=server.base_url,
                          http_async_client=DefaultAsyncHttpxClient())  # fmt: skip
        model = LangChainClient(chat)
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            answer = await model.ask(
                SectionText, [{"role": "user", "content": f"Rédige la section n° {i}."}]
            )
            assert answer.parsed is not None, answer

    async def every() -> float:
        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(calls)))
        return time.perf_counter() - start

    return asyncio.run(every())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laureates", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-ms", type=float, default=200)
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    failed = False
    with tempfile.TemporaryDirectory(prefix="lw-bench-palmares-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        edition = synthetic_edition(folder / "in", args.laureates)
        print(
            f"{args.laureates} laureates, {args.latency_ms:.0f} ms a call, "
            f"concurrency {args.concurrency}"
        )
        for label, fault_rate, target in (("clean", 0.0, 1.2), ("10% faults", 0.1, 1.5)):
            work = folder / label.replace(" ", "").replace("%", "")
            work.mkdir()
            server = Server("--latency-ms", str(args.latency_ms), "--fault-rate", str(fault_rate))
            try:
                first = run(server, edition, work, args.concurrency)
                again = run(server, edition, work, args.concurrency, "--resume")
            finally:
                server.close()
            # ideal: every answered call (faults answer without latency for 429s; count the
            # calls that pay latency — all but the 429s — as the ideal's work)
            paid = first["calls"] - first["faults"] if fault_rate else first["calls"]
            ideal = paid * latency / args.concurrency
            ratio = first["wall"] / ideal
            phase_ratio = (first["phase"] + latency) / ideal
            ok = ratio <= target and again["calls"] == 0 and first["rss_mb"] < 300
            failed |= not ok
            sections = first["report"]["sections"]
            print(
                f"  {label:11s} wall {first['wall']:6.2f} s  ideal {ideal:6.2f} s  "
                f"ratio {ratio:4.2f} (target ≤ {target})  calls {first['calls']} "
                f"(faults {first['faults']})  peak concurrency {first['peak']}  "
                f"sections ok {sections['ok']} fixed {sections['fixed']} "
                f"flagged {sections['flagged']} failed {sections['failed']}  "
                f"peak RSS {first['rss_mb']:.0f} MB  | rerun --resume: "
                f"{again['calls']} calls, {again['wall']:.2f} s  {'OK' if ok else 'MISSED'}"
            )
            print(
                f"  {'':11s} drafting phase (first request to last answer, no process "
                f"start-up): {first['phase'] + latency:6.2f} s, ratio {phase_ratio:4.2f}"
            )
        calls = args.laureates * 7
        ideal = calls * latency / args.concurrency
        for client in ("openai", "langchain"):
            server = Server("--latency-ms", str(args.latency_ms))
            try:
                floor = client_floor(server, calls, args.concurrency, client)
            finally:
                server.close()
            print(
                f"  client floor, {client:9s}: {calls} bare structured calls, same server: "
                f"{floor:6.2f} s, ratio {floor / ideal:4.2f} (the client stack alone, in this "
                "process)"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
