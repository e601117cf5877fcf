"""Every command held to the one exit-code table of the README: 0 clean, 1 findings
remain, 2 bad input or refused, 3 partial, 70 internal error, 130 interrupted — per
command, every code its row of the README's command table documents (MATRIX, checked
against the README), plus stdin (``-``) and stdout (``-o -``) pipelines."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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


# Each documented (command, code) of the README's command table, with the case that
# produces it: arguments (run in a copy of the examples), or the test elsewhere that
# needs a model server or a signal.
Case = tuple[str, ...] | str
MATRIX: dict[tuple[str, int], list[Case]] = {
    ("validate", 0): [("validate", "{d}"), ("validate", "-", "<{d}")],
    ("validate", 2): [("validate", "{bad}"), ("validate", "-", "<{bad}")],
    ("schema", 0): [("schema",), ("schema", "page", "-o", "-")],
    ("draft", 0): [("draft", "{d}", "-o", "{art}"), ("draft", "-", "-o", "-", "<{d}")],
    ("draft", 1): [("draft", "{d}", "--style", "{house}")],
    ("draft", 2): [
        ("draft", "{bad}"),
        ("draft", "-", "<{bad}"),
        ("draft", "{d}", "-o", "{d}", "--format", "md"),
        ("draft", "{d}", "-o", "{ws}/page.txt"),
        ("draft", "{d}", "--layout", "nope"),
    ],
    ("draft", 3): ["test_cli_models.py::test_unreachable_server_is_named_once_and_no_article"],
    ("dossier annotate", 0): [("dossier", "annotate", "{d}")],
    ("dossier annotate", 2): [("dossier", "annotate", "{bad}")],
    ("dossier new", 0): [("dossier", "new", "-o", "{ws}/new/skeleton.yaml"), ("dossier", "new")],
    ("dossier new", 2): [("dossier", "new", "-o", "{d}")],
    ("palmares", 0): [("palmares", "{e}", "-o", "{ws}/page.md"), ("palmares", "{e}", "-o", "-")],
    ("palmares", 1): [("palmares", "{e}", "--style", "{house}", "-o", "{ws}/flagged.md")],
    ("palmares", 2): [
        ("palmares", "{e}", "-o", "{e}", "--format", "md"),
        ("palmares", "{bad}"),
        ("palmares", "{e}", "-o", "{ws}/page.txt"),
    ],
    ("palmares", 3): ["test_cli_models.py::test_a_laureate_whose_every_section_failed_is"],
    ("palmares", 130): ["test_production.py::test_ctrl_c_stops_cleanly_keeps_finished_work"],
    ("regenerate", 0): [("regenerate", "{art}", "--section", "lead")],
    ("regenerate", 1): [("regenerate", "{art}", "--section", "lead", "--style", "{house}")],
    ("regenerate", 2): [
        ("regenerate", "{ws}/missing.md", "--section", "lead"),
        ("regenerate", "{edited}", "--section", "lead"),
    ],
    ("regenerate", 3): [
        (
            "regenerate",
            "{art}",
            "--section",
            "lead",
            "-m",
            "gpt-4.1-mini",
            "env:OPENAI_BASE_URL={closed}",
        )
    ],
    ("check", 0): [("check", "{art}"), ("check", "-", "<{art}")],
    ("check", 1): [("check", "{text}"), ("check", "-", "<{text}"), ("check", "--diff", "{text}")],
    ("check", 2): [("check", "{ws}/missing.md"), ("check", "{art}", "--grammar", "nope")],
    ("rules", 0): [("rules",), ("rules", "typo.colon-space")],
    ("rules", 2): [("rules", "no.such-rule")],
    ("models", 0): [("models",)],
    ("models", 1): ["test_cli_models.py::test_models_probe_of_an_unreachable_server_exits_1"],
    ("models", 2): [("models", "env:LW_TIMEOUT=-1")],
    ("cache stats", 0): [("cache", "stats")],
    ("cache clear", 0): [("cache", "clear")],
    ("facts", 0): [("facts", "{art}")],
    ("facts", 1): [("facts", "{art}", "--dossier", "{pau}")],
    ("facts", 2): [("facts", "{ws}/missing.md")],
    ("mcp", 0): [("mcp", "--workspace", "{ws}", "</dev/null")],
    ("mcp", 2): [("mcp", "--http", "--host", "10.1.2.3"), ("mcp", "--workspace", "{ws}/none")],
    ("chat", 0): [("chat", "{d}", "-w", "{ws}", "<{quit}")],
    ("chat", 1): [("chat", "{d}", "-w", "{ws}", "<{unsaved}")],
    ("chat", 2): [("chat", "{ws}/missing.yaml", "-w", "{ws}")],
    ("desk", 0): ["test_exit_codes.py::test_the_desk_exits_0_when_stopped"],
    ("desk", 2): [("desk", "{ws}", "--port", "70000"), ("desk", "{ws}/none")],
}


def _documented() -> set[tuple[str, int]]:
    """(command, code) for every row of the README's command table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| command | what it does | exit codes |", 1)[1].split("\n\n", 1)[0]
    found = set()
    for row in table.splitlines()[2:]:
        first, codes = row.split(" | ")[0], row.rsplit("|", 2)[1]
        for command in re.findall(r"`([a-z]+(?: (?:annotate|new|stats|clear))?)", first):
            found |= {(command, int(c)) for c in re.findall(r"\b(\d+)\b", codes)}
    return found


def test_the_matrix_covers_every_documented_code_of_every_command() -> None:
    documented = _documented()
    assert len({c for c, _ in documented}) == 16  # every command of the table
    assert set(MATRIX) == documented
    for cases in MATRIX.values():  # a case kept elsewhere exists there
        for case in cases:
            if isinstance(case, str):
                file, name = case.split("::")
                assert f"def {name}" in (ROOT / "tests" / file).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("codes")
    shutil.copytree(EXAMPLES, root / "2020")
    (root / "bad.yaml").write_text("id: x\nlaureate: [\n", encoding="utf-8")
    (root / "flagged.txt").write_text("Un texte  avec l'apostrophe droite .\n", "utf-8")
    (root / "house.yaml").write_text(
        "extends: gazette\nrules:\n  - id: x.brest\n    type: existence\n"
        '    severity: error\n    message: "« {match} »"\n    tokens:\n      Brest: test\n',
        encoding="utf-8",
    )
    (root / "quit.txt").write_text("/quit\n", encoding="utf-8")
    (root / "unsaved.txt").write_text("/draft\n", encoding="utf-8")
    d = root / "2020" / "brest.yaml"
    from laureate_writer import api

    for name in ("brest.md", "edited.md"):
        (root / name).write_text(api.draft(d, article_dir=root).to_markdown(), "utf-8")
    text = (root / "edited.md").read_text(encoding="utf-8")
    lead = text.split("<!-- lw:lead -->\n", 1)[1].split("\n", 1)[0]
    (root / "edited.md").write_text(text.replace(lead, lead + " Ajout.", 1), "utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    return {"ws": str(root), "d": str(d), "e": str(root / "2020" / "palmares.yaml"),
            "bad": str(root / "bad.yaml"), "art": str(root / "brest.md"),
            "edited": str(root / "edited.md"), "text": str(root / "flagged.txt"),
            "house": str(root / "house.yaml"), "pau": str(root / "2020" / "pau.yaml"),
            "quit": str(root / "quit.txt"), "unsaved": str(root / "unsaved.txt"),
            "closed": closed}  # fmt: skip


def _run(case: tuple[str, ...], ws: dict[str, str]) -> subprocess.CompletedProcess:
    args, stdin, extra = [], None, {}
    for part in (p.format(**ws) for p in case):
        if part.startswith("<"):
            stdin = Path(part[1:]).read_bytes()
        elif part.startswith("env:"):
            name, _, value = part[4:].partition("=")
            extra[name] = value
        else:
            args.append(part)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LW_", "OPENAI_"))}
    env.update(PYTHONIOENCODING="utf-8", LW_CACHE_PATH=f"{ws['ws']}/cache.sqlite3",
               LW_MAX_RETRIES="0", OPENAI_API_KEY="sk-test", **extra)  # fmt: skip
    return subprocess.run([sys.executable, "-m", "laureate_writer", *args], cwd=ws["ws"],
                          input=stdin if stdin is not None else b"", capture_output=True,
                          env=env, timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    ("command", "code", "case"),
    [
        (c, k, case)
        for (c, k), cases in MATRIX.items()
        for case in cases
        if not isinstance(case, str)
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_command_keeps_to_the_table(ws, command, code, case) -> None:
    result = _run(case, ws)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, (case, stderr)
    assert "Traceback" not in stderr, case
    if code == 2 and command not in ("mcp", "desk", "chat", "check", "rules", "models"):
        assert stderr.strip(), case  # a reason is always given


def test_the_refusals_say_why(ws) -> None:
    result = _run(("regenerate", "{edited}", "--section", "lead"), ws)
    assert result.returncode == 2 and "modifiée à la main".encode() in result.stderr
    result = _run(("regenerate", "{art}", "--section", "lead", "-m", "gpt-4.1-mini",
                   "env:OPENAI_BASE_URL={closed}"), ws)  # fmt: skip
    assert result.returncode == 3 and result.stderr.count(ws["closed"].encode()) == 1


def test_stdin_and_stdout_pipelines(ws) -> None:
    """A dossier through a pipe, the article to stdout, then checked through a pipe."""
    drafted = _run(("draft", "-", "-o", "-", "<{d}"), ws)
    assert drafted.returncode == 0 and drafted.stdout.startswith(b"---\nid: brest\n")
    assert b"dossier: '-'" in drafted.stdout  # no file to point back to
    assert not (Path(ws["ws"]) / "-").exists()
    (Path(ws["ws"]) / "piped.md").write_bytes(drafted.stdout)
    checked = _run(("check", "-", "<{ws}/piped.md"), ws)
    assert checked.returncode == 0 and checked.stdout == b""
    facts = _run(("facts", "{ws}/piped.md", "--dossier", "{d}"), ws)
    assert facts.returncode == 0, facts.stderr
    page = _run(("palmares", "{e}", "-o", "-", "--format", "json"), ws)
    assert page.returncode == 0 and page.stdout.startswith(b"{")
    assert not (Path(ws["ws"]) / "-").exists()


def test_the_desk_exits_0_when_stopped(ws) -> None:
    pytest.importorskip("uvicorn")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "laureate_writer", "desk", ws["ws"],
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)  # fmt: skip
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    for _ in range(300):  # answering (the socket listens before uvicorn takes Ctrl-C)
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
        else:
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err


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
    assert result.stderr.count("\n") == 1 and "erreur interne (RuntimeError)" in result.stderr
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
    assert err.endswith("laureate-writer : interrompu\n"), err  # said, once, in French
