"""Failure never destroys, reviewed articles are the source of truth for pages, and a
resumed run redoes failed sections only (issue 12, findings 2, 3, 8)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from laureate_writer.article import Article

pytest.importorskip("langchain_openai")

from fake_openai import Behaviour
from generic_answers import answer


@pytest.fixture
def editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    monkeypatch.delenv("LW_MODEL", raising=False)
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return tmp_path / "2020"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "laureate_writer", *args], cwd=ROOT,
                          capture_output=True, text=True, env=full, timeout=120)  # fmt: skip


def model_env(fake, tmp_path: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test",
            "LW_CACHE_PATH": str(tmp_path / "cache.sqlite3")}  # fmt: skip


def _edit_context(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    article = Article.from_markdown(text)
    old = article.text_of("context")
    new = old + " Une phrase ajoutée par la rédaction."
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return new


# --- finding 2: a failing model never destroys a finished article -------------------------


def test_draft_with_a_failing_model_leaves_a_good_article_untouched(
    editions: Path, fake_openai, tmp_path: Path
) -> None:
    target = editions / "brest.md"
    assert run("draft", str(editions / "brest.yaml"), "-o", str(target)).returncode == 0
    good = target.read_bytes()
    fake_openai.behave(None, Behaviour.error(401, "invalid key"))
    result = run("draft", str(editions / "brest.yaml"), "-o", str(target), "--model",
                 "openai:gpt-4.1-mini", env=model_env(fake_openai, tmp_path))  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert "laissé tel quel" in result.stderr
    assert target.read_bytes() == good


def test_palmares_with_a_failing_model_over_a_finished_run_keeps_it(
    editions: Path, fake_openai, tmp_path: Path
) -> None:
    out = tmp_path / "articles"
    page = tmp_path / "page.md"
    edition = str(editions / "palmares.yaml")
    assert run("palmares", edition, "--out-dir", str(out), "-o", str(page)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fake_openai.behave(None, Behaviour.error(401, "invalid key"))
    # a newer dossier for one laureate: its sections are stale and must be redrafted
    dossier = editions / "brest.yaml"
    dossier.write_text(dossier.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("Handibox", "Handi-box", 1), encoding="utf-8"
    )
    result = run("palmares", edition, "--out-dir", str(out), "-o", str(page), "--model",
                 "openai:gpt-4.1-mini", env=model_env(fake_openai, tmp_path))  # fmt: skip
    assert result.returncode == 3, result.stderr  # brest's redraft failed: partial
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # nothing new succeeded: every file untouched
    assert page.read_text(encoding="utf-8").count("\n### ") == 6  # the page did not shrink


# --- finding 3 and acceptance: hand edits kept, pages built from reviewed articles -------------


def test_palmares_over_a_reviewed_out_dir_keeps_the_hand_edit(editions: Path, tmp_path) -> None:
    out = tmp_path / "articles"
    page = tmp_path / "page.md"
    edition = str(editions / "palmares.yaml")
    assert run("palmares", edition, "--out-dir", str(out), "-o", str(page)).returncode == 0
    edit = _edit_context(out / "brest.md")
    result = run("palmares", edition, "--out-dir", str(out), "-o", str(page))
    assert result.returncode == 0, result.stderr
    kept = [line for line in result.stderr.splitlines() if "gardée" in line]
    assert kept == [
        "brest/context : section gardée (modifiée à la main ; --force pour la rédiger de nouveau)"
    ]
    assert edit in (out / "brest.md").read_text(encoding="utf-8")
    assert edit in page.read_text(encoding="utf-8")
    assert "écrit : 0 article(s)" in result.stderr  # nothing was redrafted
    # --force redrafts it, the hand edit goes into the history
    result = run("palmares", edition, "--out-dir", str(out), "-o", str(page), "--force")
    assert result.returncode == 0, result.stderr
    article = Article.from_markdown((out / "brest.md").read_text(encoding="utf-8"))
    assert edit not in article.text_of("context")
    assert article.history["context"][-1]["text"] == edit


def test_draft_over_an_article_keeps_its_hand_edit(editions: Path) -> None:
    target = editions / "brest.md"
    assert run("draft", str(editions / "brest.yaml"), "-o", str(target)).returncode == 0
    edit = _edit_context(target)
    result = run("draft", str(editions / "brest.yaml"), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "brest/context : section gardée (modifiée à la main" in result.stderr
    assert edit in target.read_text(encoding="utf-8")


def test_the_page_is_built_from_the_articles_alone(
    editions: Path, fake_openai, tmp_path: Path
) -> None:
    out = tmp_path / "articles"
    edition = str(editions / "palmares.yaml")
    assert run("palmares", edition, "--out-dir", str(out)).returncode == 0
    edit = _edit_context(out / "pau.md")
    page = tmp_path / "page.html"
    result = run("palmares", edition, "--articles", str(out), "-o", str(page), "--model",
                 "openai:gpt-4.1-mini", env=model_env(fake_openai, tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    drafted = [r for r in fake_openai.chat_requests if "Handibox" in str(r.json)]
    assert drafted == []  # no section asked again: every article was complete and current
    assert edit.split()[-1] in page.read_text(encoding="utf-8")


# --- finding 8: resume redoes failed sections only -------------------------------------------


def test_resume_redoes_only_the_failed_sections(editions: Path, fake_openai, tmp_path) -> None:
    failing = [True]

    def broken_method(request: dict) -> bool:
        last = request["messages"][-1]["content"]
        return failing[0] and "« méthode »" in last and '"id": "pau"' not in last

    fake_openai.responder = answer
    fake_openai.behave(broken_method, Behaviour.error(401, "invalid key"))
    env = model_env(fake_openai, tmp_path)
    common = ["palmares", str(editions / "palmares.yaml"), "--model", "gpt-4.1-mini",
              "--no-cache", "--journal", str(tmp_path / "j.sqlite3")]  # fmt: skip
    first = run(*common, env=env)
    assert first.returncode == 3, first.stderr
    assert "5 sections en échec" in first.stderr
    failing[0] = False
    calls = fake_openai.calls
    again = run(*common, "--resume", env=env)
    assert again.returncode == 0, again.stderr
    assert fake_openai.calls - calls == 5  # the five failed sections, nothing else
