"""Regenerating one section: only that section's bytes change, hand edits are protected,
dry runs write nothing, and a regeneration can be undone."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES
from model_answers import REGENERATED_RESULTS, brest_responder, section_of

pytest.importorskip("langchain_openai")

BREST = EXAMPLES / "brest.yaml"
MARKER = re.compile(r"^<!-- lw:([a-z_]+) -->$", re.MULTILINE)


def _bodies(text: str) -> dict[str, str]:
    body = text.split("\n---\n", 1)[1].split("\n<!-- lw:meta\n", 1)[0]
    parts = MARKER.split(body)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture
def drafted(fake_openai_env, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    fake_openai_env.responder = brest_responder
    target = tmp_path / "brest.md"
    result = cli("draft", str(BREST), "--model", "openai:any", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target


def _regen(cli, path, *extra):
    return cli("regenerate", str(path), "--section", "results", "--model", "openai:any", *extra)


def test_regenerating_results_changes_only_that_section(drafted, cli, fake_openai_env):
    before = drafted.read_text(encoding="utf-8")
    result = _regen(cli, drafted, "--instruction", "mets en avant la demande")
    assert result.returncode == 0, result.stderr
    after = drafted.read_text(encoding="utf-8")
    old, new = _bodies(before), _bodies(after)
    assert old.keys() == new.keys()
    for kind in old:
        if kind != "results":
            assert new[kind].encode() == old[kind].encode(), kind
    assert REGENERATED_RESULTS["intertitle"] in new["results"]
    request = [r for r in fake_openai_env.chat_requests if section_of(r.json)[0] == "regenerate"]
    assert (
        len(request) == 1
        and "mets en avant la demande" in request[0].json["messages"][-1]["content"]
    )
    from laureate_writer.article import Article

    article = Article.from_markdown(after)
    assert article.edited_sections == []
    assert len(article.history["results"]) == 1


def test_regeneration_bypasses_the_cache(drafted, cli, fake_openai_env):
    assert _regen(cli, drafted, "--instruction", "x").returncode == 0
    assert _regen(cli, drafted, "--instruction", "x").returncode == 0
    calls = [r for r in fake_openai_env.chat_requests if section_of(r.json)[0] == "regenerate"]
    assert len(calls) == 2


def test_a_hand_edited_section_is_refused_unless_forced(drafted, cli):
    text = drafted.read_text(encoding="utf-8")
    edited = text.replace("réservée 20 semaines", "réservée vingt semaines", 1)
    assert edited != text
    drafted.write_text(edited, encoding="utf-8")
    result = _regen(cli, drafted, "--instruction", "x")
    assert result.returncode == 2 and "modifiée à la main" in result.stderr  # refused: exit 2
    assert drafted.read_text(encoding="utf-8") == edited
    assert _regen(cli, drafted, "--instruction", "x", "--force").returncode == 0
    from laureate_writer.article import Article

    history = Article.from_markdown(drafted.read_text(encoding="utf-8")).history["results"]
    assert "vingt semaines" in history[-1]["text"]


def test_dry_run_shows_a_diff_and_writes_nothing(drafted, cli):
    before = drafted.read_text(encoding="utf-8")
    result = _regen(cli, drafted, "--instruction", "x", "--dry-run")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("---") and "@@ résultats (results) @@" in out
    assert "{+" + REGENERATED_RESULTS["intertitle"] + "+}" in out  # the words that changed
    # only prose: no front-matter bookkeeping (history, timestamps, hashes)
    assert "created" not in out and "sha256" not in out and "history" not in out
    assert out.count("@@ ") == 1
    assert drafted.read_text(encoding="utf-8") == before


def test_undo_puts_the_previous_version_back(drafted, cli):
    before = drafted.read_text(encoding="utf-8")
    assert _regen(cli, drafted, "--instruction", "x").returncode == 0
    result = cli("regenerate", str(drafted), "--section", "results", "--undo")
    assert result.returncode == 0, result.stderr
    after = drafted.read_text(encoding="utf-8")
    assert _bodies(after) == _bodies(before)
    from laureate_writer.article import Article

    assert Article.from_markdown(after) == Article.from_markdown(before)
    again = cli("regenerate", str(drafted), "--section", "results", "--undo")
    assert again.returncode == 2 and "pas de version précédente" in again.stderr


def test_offline_regeneration_redrafts_from_the_dossier(cli, tmp_path):
    target = tmp_path / "pau.md"
    assert cli("draft", str(EXAMPLES / "pau.yaml"), "-o", str(target)).returncode == 0
    before = target.read_text(encoding="utf-8")
    result = cli("regenerate", str(target), "--section", "lead", "--instruction", "plus court")
    assert result.returncode == 0
    assert "ne suit pas de consigne" in result.stderr
    assert _bodies(target.read_text(encoding="utf-8")) == _bodies(before)
