"""Shared fixtures: the repository's example dossiers, the reference page, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fake_openai.fixtures import fake_openai, fake_openai_env  # noqa: F401

# The grammar pass (Grammalecte) runs where it is installed: off by default here, so that
# every test behaves the same with or without it; grammar tests switch it on.
os.environ["LW_GRAMMAR"] = "off"

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "2020"
EDITION = EXAMPLES / "palmares.yaml"
DOSSIERS = sorted(p for p in EXAMPLES.glob("*.yaml") if p.name != "palmares.yaml")
SEED = ROOT.parent / "shared" / "seeds" / "000_0665f5bfaebcfaeb.txt"


@pytest.fixture(scope="session")
def dossier_paths() -> list[Path]:
    return DOSSIERS


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"reference page not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def offline_articles():
    """The six 2020 articles drafted offline (drafted once per session)."""
    from laureate_writer import api

    return {p.stem: api.draft(p) for p in DOSSIERS}


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "laureate_writer", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=60,
    )


@pytest.fixture
def cli():
    return run_cli


def fake_server_writer(fake, model: str, *, max_retries: int, **flags):
    """A model writer pointed at the fake OpenAI server ``fake`` (10 s timeout unless
    given)."""
    from laureate_writer import api

    flags.setdefault("timeout", 10)
    return api.make_writer(model, base_url=fake.base_url, api_key="sk-test",
                           max_retries=max_retries, **flags)  # fmt: skip


def _bench_editorial():
    """bench/editorial/run.py as a module: the planner tests reuse its measures."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_editorial", ROOT / "bench" / "editorial" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_editorial"] = module
    spec.loader.exec_module(module)


_bench_editorial()
