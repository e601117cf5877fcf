"""N writers on one article at once — two CLI processes (regenerate, with a model over
the fake server), the plugin's save_section from three threads, and a terminal chat that
edits two sections and saves — each on its own section: every change is in the file or
was refused with a message; never a silent loss (issue 12, acceptance). The stress
version (≥ 200 operations) is bench/store/run.py."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from laureate_writer import operations as ops
from laureate_writer.article import Article

pytest.importorskip("langchain_openai")

from model_answers import REGENERATED_RESULTS, brest_responder, section_of

NEW_LEAD = {"text": "La ville de Brest prête depuis 2019 la Handibox aux organisateurs."}


def responder(request: dict) -> dict:
    mode, name = section_of(request)
    if mode == "regenerate" and name == "chapô":
        return NEW_LEAD
    return brest_responder(request)


def test_cli_processes_plugin_calls_and_a_chat_at_once(fake_openai_env, tmp_path, monkeypatch):
    from laureate_writer.chat.session import ChatSession

    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    monkeypatch.delenv("LW_MODEL", raising=False)
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    article = tmp_path / "2020" / "brest.md"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    base = [sys.executable, "-m", "laureate_writer"]
    fake_openai_env.responder = responder
    drafted = subprocess.run([*base, "draft", str(tmp_path / "2020" / "brest.yaml"), "--model",
                              "openai:any", "-o", str(article)], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    chat = ChatSession(article, workspace=tmp_path, out=io.StringIO())  # opened before all
    fake_openai_env.latency = 1.5  # the CLI processes read, then wait for the model

    procs = [
        subprocess.Popen(
            [*base, "regenerate", str(article), "--section", section, "--model", "openai:any"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for section in ("results", "lead")
    ]
    host_texts = {
        "context": "Les festivals en plein air posent des difficultés d’accueil.",
        "method": "La ville a réuni un atelier participatif.",
        "details": "La Handibox contient une tente et des rampes d’accès mobiles.",
    }
    answers: dict[str, object] = {}

    def host(section: str) -> None:
        try:
            answers[section] = ops.save_section(ops.Context(tmp_path), "2020/brest.md", section,
                                                host_texts[section], intertitle="Un intertitre")  # fmt: skip
        except ops.OperationError as exc:
            answers[section] = exc

    threads = [threading.Thread(target=host, args=(s,)) for s in host_texts]
    for thread in threads:
        thread.start()
    chat.handle("/edit titre Brest prête une Handibox aux festivals")
    chat.handle("/edit légende La Handibox de Brest a reçu le Prix coup de cœur 2020.")
    chat.handle("/save")
    for thread in threads:
        thread.join()
    results = [p.communicate(timeout=120) for p in procs]

    text = article.read_text(encoding="utf-8")
    final = Article.from_markdown(text)
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode in (0, 1), err  # 2 would be a refusal, with its message
    assert final.text_of("results") == REGENERATED_RESULTS["text"]
    assert final.text_of("lead") == NEW_LEAD["text"]
    for section, wanted in host_texts.items():
        assert not isinstance(answers[section], Exception), answers[section]
        assert final.text_of(section) == answers[section].text  # as stored: fixed
        assert wanted.split()[1] in final.text_of(section)
    saved = chat.out.getvalue()
    assert "Enregistré" in saved, saved
    assert final.text_of("headline") == "Brest prête une Handibox aux festivals"
    assert final.text_of("caption").startswith("La Handibox de Brest a reçu")
    assert not [p.name for p in article.parent.iterdir() if p.name.startswith(".brest.md")]


def test_writers_on_the_same_section_land_or_are_refused(tmp_path: Path) -> None:
    from laureate_writer import api
    from laureate_writer.store import ArticleStore, StaleWrite

    path = tmp_path / "brest.md"
    path.write_text(api.draft(EXAMPLES / "brest.yaml").to_markdown(), encoding="utf-8")
    store = ArticleStore(path)
    base, _ = store.read()
    lead = base.section("lead")
    start = threading.Barrier(6)
    outcome: dict[int, str] = {}

    def write(n: int) -> None:
        start.wait()
        new = lead.model_copy(update={"text": f"Version {n}."})
        try:
            store.replace_sections(base, [new])
            outcome[n] = "landed"
        except StaleWrite as exc:
            assert "la section « lead » a changé" in str(exc)
            outcome[n] = "refused"

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    landed = [n for n, what in outcome.items() if what == "landed"]
    assert len(landed) == 1 and len(outcome) == 6  # one wins, five are told
    final = Article.from_markdown(path.read_text(encoding="utf-8"))
    assert final.text_of("lead") == f"Version {landed[0]}."
    assert final.history["lead"][-1]["text"] == lead.text  # the replaced text is kept
