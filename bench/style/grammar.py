"""Grammar pass speed: ``check --grammar on`` end to end on one 5 000-character article,
and the grammar pass's throughput on the style bench corpus.

    python bench/style/grammar.py [--runs 5] [--articles 100] [--seed 7]

1. One article of about 5 000 characters (paragraphs of the style bench corpus,
   ``bench/style/corpus.py``, in the article Markdown format). Each command runs
   ``--runs`` times in a fresh process, from process start to exit: wall time and
   process time (user + system CPU of the child, ``RUSAGE_CHILDREN``), best and median.
   * ``laureate-writer check --grammar on FILE`` (target: ≤ 1.5 s process time);
   * ``laureate-writer check --grammar off FILE`` (the house style alone, as before);
   * ``grammalecte-cli -f FILE -j`` (Grammalecte's own command, a process per call:
     the alternative to importing its module, which is what ``check`` does).
2. Throughput in one process over ``--articles`` corpus articles: the house style
   alone (``Style.check``), and house style + grammar pass (``Grammar.check``), in
   MB/s (10^6 UTF-8 bytes), after Grammalecte is loaded (its one-off load is shown).
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

from corpus import write_corpus  # noqa: E402

TARGET_S = 1.5
ARTICLE_CHARS = 5000


def article_of(texts: list[str], size: int = ARTICLE_CHARS) -> str:
    """About ``size`` characters of article Markdown: the first corpus article, then the
    body paragraphs of the next ones, cut at a paragraph end."""
    out = texts[0].rstrip("\n")
    for text in texts[1:]:
        body = text.split("\n---\n", 1)[-1]
        for para in body.split("\n\n"):
            if len(out) >= size:
                return out[:size].rsplit("\n\n", 1)[0] + "\n"
            if para.strip() and not para.lstrip().startswith(("<!--", "#")):
                out += "\n\n" + para.strip()
    return out + "\n"


def run_timed(args: list[str], runs: int) -> tuple[list[float], list[float], int]:
    """(wall times, process times, last exit code) of ``runs`` fresh processes."""
    walls, cpus, code = [], [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code = proc.returncode
    return walls, cpus, code


def command() -> list[str]:
    exe = Path(sys.executable).with_name("laureate-writer")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "laureate_writer"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    from laureate_writer.style import grammar, load_style

    if not grammar.available():
        print(grammar.INSTALL_HINT)
        return 1
    env_note = f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_corpus(folder / "corpus", a.articles, a.seed)
        texts = [p.read_text(encoding="utf-8") for p in sorted(paths)]
        article = folder / "article.md"
        article.write_text(article_of(texts), encoding="utf-8")
        size = len(article.read_text(encoding="utf-8"))
        print(f"1. one article of {size} characters, {a.runs} fresh processes each ({env_note})")
        worst = 0.0
        commands = {
            "check --grammar on": [*command(), "check", "--grammar", "on", str(article)],
            "check --grammar off": [*command(), "check", "--grammar", "off", str(article)],
        }
        cli = shutil.which("grammalecte-cli")
        if cli:
            commands["grammalecte-cli -f FILE -j"] = [cli, "-f", str(article), "-j"]
        for name, args in commands.items():
            walls, cpus, code = run_timed(args, a.runs)
            best, median = min(cpus), statistics.median(cpus)
            if name == "check --grammar on":
                worst = median
            print(f"   {name:28s} process {best:5.2f} s (median {median:5.2f})   "
                  f"wall {min(walls):5.2f} s (median {statistics.median(walls):5.2f})"
                  f"   exit {code}")  # fmt: skip
        verdict = "OK" if worst <= TARGET_S else "OVER TARGET"
        print(f"   check --grammar on: median process time {worst:.2f} s "
              f"(target ≤ {TARGET_S} s): {verdict}")  # fmt: skip

        style = load_style()
        g = grammar.default_grammar()
        t0 = time.process_time()
        grammar._engine()
        g.check("Une phrase.", "body")
        load = time.process_time() - t0
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        t0 = time.process_time()
        house = [style.check(t) for t in texts]
        t_house = time.process_time() - t0
        t0 = time.process_time()
        for text, found in zip(texts, house, strict=True):
            g.check(text, None, found)
        t_grammar = time.process_time() - t0
        print(f"\n2. throughput on {len(texts)} corpus articles ({mb:.2f} MB), one process, "
              f"CPU time (Grammalecte's one-off load: {load:.2f} s)")  # fmt: skip
        print(f"   house style alone           {t_house:6.2f} s   {mb / t_house:7.2f} MB/s")
        both = t_house + t_grammar
        print(f"   house style + grammar pass  {both:6.2f} s   {mb / both:7.2f} MB/s"
              f"   ({len(texts) / both:.1f} articles/s)")  # fmt: skip
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
