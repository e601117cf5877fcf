"""The README's commands, run as written: every ``sh`` block line that needs neither a
model nor the network, and the Python block, in a copy of the repository whose
``.venv`` is this test environment (what `make` would have built)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# Lines that need a model (or a version a model wrote: --undo), a key, the network, a
# terminal or a server (mcp, chat, desk), or that run the suite itself.
_SKIP = re.compile(
    r"--model|\s-m\s|OPENAI_|export |…|--undo|make (test|lint|bench|schema)"
    r"|laureate-writer (mcp|chat|desk)"
)
_BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)


def readme_commands() -> list[tuple[str, str]]:
    """(language, command) for every runnable command of the README, in order."""
    out: list[tuple[str, str]] = []
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for lang, body in _BLOCK.findall(text):
        if lang == "python":
            out.append(("python", body))
            continue
        for line in body.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and not _SKIP.search(line):
                out.append(("sh", line))
    return out


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    venv = Path(sys.prefix)
    if not (venv / ".installed").exists():
        pytest.skip("the test environment is not a venv built by make (.venv/.installed)")
    copy = tmp_path_factory.mktemp("repo") / "laureate-writer"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "out", "__pycache__", ".pytest_cache"),
    )
    (copy / ".venv").symlink_to(venv, target_is_directory=True)
    return copy


def test_readme_has_the_two_commands_and_how_to_run_the_tool():
    commands = [c for lang, c in readme_commands() if lang == "sh"]
    assert commands[0].startswith("make demo")
    assert any(c.startswith(".venv/bin/laureate-writer --help") for c in commands)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pipx install ." in text and "uv tool install ." in text


def test_readme_commands_run_as_written(repo_copy):
    env = {
        **os.environ,
        "PATH": f"{repo_copy / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONIOENCODING": "utf-8",
    }
    for name in ("LW_MODEL", "LW_CONFIG", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    ran = 0
    for lang, command in readme_commands():
        if lang == "python":
            args = [str(repo_copy / ".venv" / "bin" / "python"), "-c", command]
        else:
            args = ["sh", "-c", command]
        result = subprocess.run(args, cwd=repo_copy, env=env, capture_output=True, text=True,
                                timeout=300)  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
        ran += 1
    assert ran >= 12
    assert (repo_copy / "out" / "palmares-2020.html").exists()
