"""The README's commands, run as written in a fresh copy of the repository with a fresh
environment: ``make demo`` builds its own ``.venv`` there (pip, from the machine's
package index, as on a new machine), then every ``sh`` block line that needs neither a
model nor the network runs in a shell that activated it as the README says, then the
Python block; and the installed-tool route (``pipx install .``) gives a working command."""

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
_NOT_COPIED = (".venv", ".git", "out", "__pycache__", ".pytest_cache", "*.egg-info", "build")


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


def _clean_env(home: Path) -> dict[str, str]:
    """A new terminal's environment: no virtualenv of ours on PATH, no model settings,
    no make of ours around, the caches and pipx kept inside the test folder."""
    ours = {str(Path(sys.prefix) / "bin"), str(Path(sys.executable).parent)}
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p not in ours]
    drop = ("LW_", "OPENAI_", "VIRTUAL_ENV", "MAKE", "MFLAGS", "PYTHONPATH", "PIPX_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(PATH=os.pathsep.join(path), PYTHONIOENCODING="utf-8",
               XDG_CACHE_HOME=str(home / "cache"), PIPX_HOME=str(home / "pipx"),
               PIPX_BIN_DIR=str(home / "bin"), PIPX_MAN_DIR=str(home / "man"))  # fmt: skip
    if "PIP_CACHE_DIR" not in os.environ:  # pip's wheel cache stays shared (no network)
        env["PIP_CACHE_DIR"] = str(Path.home() / ".cache" / "pip")
    return env


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    copy = tmp_path_factory.mktemp("fresh") / "laureate-writer"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    return copy


def test_readme_has_the_two_commands_and_how_to_run_the_tool():
    commands = [c for lang, c in readme_commands() if lang == "sh"]
    assert commands[0].startswith("make demo")
    assert any(c.startswith(".venv/bin/laureate-writer --help") for c in commands)
    assert any(c.startswith(". .venv/bin/activate") for c in commands)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pipx install ." in text and "uv tool install ." in text


@pytest.mark.slow
def test_readme_commands_run_as_written_in_a_fresh_venv(fresh_clone):
    env = _clean_env(fresh_clone.parent)
    ran = 0
    for lang, command in readme_commands():
        if lang == "python":
            args = [str(fresh_clone / ".venv" / "bin" / "python"), "-c", command]
        elif (fresh_clone / ".venv" / "bin" / "activate").exists():
            # one terminal, activated once as the README says ("then: laureate-writer …")
            args = ["sh", "-c", f". .venv/bin/activate && {command}"]
        else:
            args = ["sh", "-c", command]  # `make demo`: it builds .venv itself
        result = subprocess.run(args, cwd=fresh_clone, env=env, capture_output=True, text=True,
                                timeout=900)  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
        ran += 1
    assert ran >= 12
    venv_python = (fresh_clone / ".venv" / "bin" / "python").resolve()
    assert not venv_python.is_relative_to(Path(sys.prefix).resolve())  # really a new one
    assert (fresh_clone / "out" / "palmares-2020.html").exists()


@pytest.mark.slow
def test_pipx_install_gives_the_command(fresh_clone):
    pipx = shutil.which("pipx", path=str(Path(sys.executable).parent))
    if pipx is None:
        pytest.skip("pipx is not installed (it comes with the test extra)")
    env = _clean_env(fresh_clone.parent)
    env["PATH"] = os.pathsep.join([str(Path(pipx).parent), env["PATH"]])
    result = subprocess.run(["sh", "-c", "pipx install ."], cwd=fresh_clone, env=env,
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    tool = fresh_clone.parent / "bin" / "laureate-writer"
    example = fresh_clone / "examples" / "2020" / "brest.yaml"
    for args in (["--help"], ["validate", str(example)], ["draft", str(example)]):
        run = subprocess.run([str(tool), *args], cwd=fresh_clone.parent, env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
        assert run.returncode == 0, (args, run.stderr)
