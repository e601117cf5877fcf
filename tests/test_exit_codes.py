"""Every command held to the one exit-code table of the README: 0 clean, 1 findings
remain, 2 bad input or refused, 3 partial, 70 internal error, 130 interrupted. (The
model-backed cases — 1 after a regeneration, 3 with a failing model, 130 for a stopped
palmarès — are in test_flags, test_reuse and test_production.)"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

TABLE = {0, 1, 2, 3, 70, 130}


def test_the_readme_has_one_exit_code_table_with_every_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes (every command)", 1)[1].split("\n\n###", 1)[0]
    codes = {int(c) for c in re.findall(r"^\| (\d+) \|", section, re.M)}
    assert codes == TABLE
    from laureate_writer import cli

    assert {cli.EXIT_BAD_INPUT, cli.EXIT_PARTIAL, cli.EXIT_INTERRUPTED, cli.EXIT_INTERNAL} <= TABLE


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("codes")
    shutil.copytree(EXAMPLES, root / "2020")
    (root / "bad.yaml").write_text("id: x\nlaureate: [\n", encoding="utf-8")
    return root


def _cases(ws: Path) -> list[tuple[list[str], int]]:
    d, e = ws / "2020" / "brest.yaml", ws / "2020" / "palmares.yaml"
    art = ws / "brest.md"
    text = ws / "flagged.txt"
    text.write_text("Un texte  avec l'apostrophe droite .\n", encoding="utf-8")
    return [
        (["validate", str(d)], 0),
        (["validate", str(ws / "bad.yaml")], 2),
        (["schema"], 0),
        (["draft", str(d), "-o", str(art)], 0),
        (["draft", str(ws / "bad.yaml")], 2),
        (["draft", str(d), "-o", str(d), "--format", "md"], 2),
        (["palmares", str(e), "-o", str(ws / "page.md")], 0),
        (["palmares", str(e), "-o", str(e), "--format", "md"], 2),
        (["regenerate", str(art), "--section", "lead"], 0),
        (["regenerate", str(ws / "missing.md"), "--section", "lead"], 2),
        (["check", str(art)], 0),
        (["check", str(text)], 1),
        (["check", str(ws / "missing.md")], 2),
        (["facts", str(art)], 0),
        (["facts", str(ws / "missing.md")], 2),
    ]


def test_every_command_keeps_to_the_table(ws: Path, cli) -> None:
    for args, code in _cases(ws):
        result = cli(*args)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr, args
    # refused: a hand-edited section (2), then a broken marker (2, located)
    art = ws / "brest.md"
    text = art.read_text(encoding="utf-8")
    lead = text.split("<!-- lw:lead -->\n", 1)[1].split("\n", 1)[0]
    art.write_text(text.replace(lead, lead[:-2] + " Ajout.**", 1), "utf-8")
    result = cli("regenerate", str(art), "--section", "lead")
    assert result.returncode == 2 and "edited by hand" in result.stderr
    result = cli("facts", str(art), "--dossier", str(ws / "2020" / "pau.yaml"))
    assert result.returncode == 1


def test_a_bug_is_one_line_and_exit_70() -> None:
    code = (
        "import sys, laureate_writer.validation as v\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "v.validate_files = boom\n"
        "from laureate_writer.cli import main\n"
        "sys.argv = ['laureate-writer', *sys.argv[1:]]\n"
        "main()\n"
    )
    run = [sys.executable, "-c", code]
    example = str(EXAMPLES / "brest.yaml")
    result = subprocess.run([*run, "validate", example], capture_output=True, text=True)
    assert result.returncode == 70
    assert result.stderr.count("\n") == 1 and "internal error (RuntimeError)" in result.stderr
    result = subprocess.run([*run, "--debug", "validate", example], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_an_interrupted_command_exits_130() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "laureate_writer", "check", "-"],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)  # fmt: skip
    time.sleep(3)  # reading stdin
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err
