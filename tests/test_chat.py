"""`laureate-writer chat`, driven as a person would: a scripted session on stdin, offline and
with a model through the fake OpenAI server (the agent's tool calls over real HTTP)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from laureate_writer.article import Article
from laureate_writer.chat.command import run_chat


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LW_MODEL", raising=False)
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return tmp_path


def chat(workspace: Path, target: str, lines: list[str], *args: str,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess:  # fmt: skip
    base = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    base.update({"PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8",
                 "LW_CACHE": "false", **(env or {})})  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "laureate_writer", "chat", target, "--workspace", str(workspace),
         *args],
        input="".join(f"{line}\n" for line in lines), capture_output=True, text=True,
        cwd=workspace, env=base, timeout=60,
    )  # fmt: skip


def test_offline_session_draft_regen_check_undo_save(workspace: Path) -> None:
    result = chat(workspace, "2020/brest.yaml", [
        "/help",
        "/draft",
        "raccourcis le chapô",
        "/regen chapô plus court",
        "/check",
        "/facts",
        "/show lead",
        "/diff",
        "/undo",
        "/undo",
        "/save",
        "/quit",
    ])  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "mode hors ligne" in out and "/regen SECTION consigne" in out
    assert "Article rédigé (offline) : 8 sections" in out
    assert "Mode hors ligne" in out and "essayez : /regen" in out  # plain text answered
    assert "Section lead réécrite (offline)" in out and "ne suit pas de consigne" in out
    assert "Style maison" in out and "Faits :" in out
    assert "Annulé : regen lead" in out and "Annulé : draft" in out
    assert "n'a jamais été enregistré" in out  # /diff before anything was saved
    assert "Enregistré : 2020/brest.md" not in out  # nothing left after two undos
    assert "L'article n'est pas encore rédigé" in out
    assert out.rstrip().endswith("Au revoir.")
    assert not (workspace / "2020" / "brest.md").exists()


def test_offline_session_saves_atomically(workspace: Path) -> None:
    result = chat(workspace, "2020/brest.yaml", [
        "/draft", "/regen résultats", "/undo", "/fix", "/save", "/diff", "/quit",
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Enregistré : 2020/brest.md" in result.stdout
    assert "Aucun changement depuis le dernier enregistrement." in result.stdout
    article = Article.from_markdown((workspace / "2020" / "brest.md").read_text(encoding="utf-8"))
    assert len(article.sections) == 8 and article.dossier == "brest.yaml"
    assert not list((workspace / "2020").glob(".brest.md.*"))  # no temporary file left


def test_quitting_with_unsaved_changes_asks_first(workspace: Path) -> None:
    result = chat(workspace, "2020/brest.yaml", ["/draft", "/quit", "a", "/quit", "n"])
    assert result.returncode == 0
    assert result.stdout.count("Des modifications ne sont pas enregistrées") == 2
    assert "On continue." in result.stdout and "Modifications abandonnées" in result.stdout
    assert not (workspace / "2020" / "brest.md").exists()

    result = chat(workspace, "2020/brest.yaml", ["/draft", "/quit", "o"])
    assert result.returncode == 0 and "Enregistré : 2020/brest.md" in result.stdout
    assert (workspace / "2020" / "brest.md").is_file()


def test_end_of_input_with_unsaved_changes_is_reported(workspace: Path) -> None:
    result = chat(workspace, "2020/pau.yaml", ["/draft"])
    assert result.returncode == 1
    assert "abandonnées" in result.stdout and not (workspace / "2020" / "pau.md").exists()


def test_existing_article_and_hand_edits(workspace: Path) -> None:
    chat(workspace, "2020/brest.yaml", ["/draft", "/save", "/quit"])
    path = workspace / "2020" / "brest.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Les réservations sont suspendues",
                    "Les réservations restent suspendues"), encoding="utf-8")  # fmt: skip
    result = chat(workspace, "2020/brest.md", [
        "/regen résultats", "/regen résultats --force", "/show résultats", "/undo",
        "/show résultats", "/regen préface", "/quit",
    ])  # fmt: skip
    out = result.stdout
    assert "dossier 2020/brest.yaml" in out and "(chargé)" in out
    # French, naming the chat's own syntax (not the plugin's force=true)
    assert "la section results a été modifiée à la main : /regen results --force" in out
    assert "force=true" not in out and "edited by hand" not in out
    assert "Section results réécrite" in out
    assert out.count("totalise") >= 1 and "Annulé : regen results" in out
    assert "section inconnue « préface »" in out
    assert result.returncode == 0  # the undo left nothing unsaved


def test_bad_target_is_one_line(workspace: Path) -> None:
    (workspace / "bad.yaml").write_text("id: bad\n", encoding="utf-8")
    result = chat(workspace, "bad.yaml", [])
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("bad.yaml:") and "Traceback" not in result.stderr


def test_chat_with_a_model_through_the_fake_openai_server(workspace: Path, fake_openai_env,
                                                          monkeypatch) -> None:  # fmt: skip
    pytest.importorskip("langchain.agents")
    from fake_openai.server import Behaviour
    from laureate_writer import operations as ops

    ops.draft_article(ops.Context(workspace, model="offline"), "2020/brest.yaml")
    before = (workspace / "2020" / "brest.md").read_text(encoding="utf-8")
    agent_turn = lambda request: bool(request.get("tools"))  # noqa: E731
    fake_openai_env.script(
        Behaviour.tool_call("regenerate_section", {"article": "2020/brest.md", "section": "lead",
                                                   "instruction": "plus court"}),
        "Voici le chapô raccourci, tiré du dossier.",
        Behaviour.tool_call("check_style", {"article": "2020/brest.md"}),
        "Le style maison est respecté.",
        match=agent_turn,
    )  # fmt: skip
    monkeypatch.setenv("LW_CACHE", "false")
    stdin = io.StringIO("raccourcis le chapô\nvérifie le style\n/undo\n/diff\n/quit\n")
    stdout = io.StringIO()
    code = run_chat(str(workspace / "2020" / "brest.md"), "openai:gpt-test", str(workspace),
                    stdin=stdin, stdout=stdout)  # fmt: skip
    out = stdout.getvalue()
    assert code == 0, out
    assert "mode modèle openai:gpt-test" in out
    assert "[outil regenerate_section : ok]" in out and "[outil check_style : ok]" in out
    assert "Voici le chapô raccourci, tiré du dossier." in out
    assert "Annulé : regen lead" in out and "Aucun changement" in out
    assert (workspace / "2020" / "brest.md").read_text(encoding="utf-8") == before

    agent_requests = [r for r in fake_openai_env.chat_requests if r.json.get("tools")]
    assert len(agent_requests) == 4 and all(r.json.get("stream") for r in agent_requests)
    names = {t["function"]["name"] for t in agent_requests[0].json["tools"]}
    assert {"regenerate_section", "check_style", "undo_section"} <= names
    # the regenerate tool drafted with the model writer: a structured request, same server
    writer_requests = [r for r in fake_openai_env.chat_requests if r.json.get("response_format")]
    assert writer_requests and "plus court" in str(writer_requests[0].json["messages"])
    # the model saw the tool's result before answering
    second = agent_requests[1].json["messages"]
    assert second[-1]["role"] == "tool" and '"action":"regenerated"' in second[-1]["content"]


def test_edit_replaces_a_section_checked_like_any_text(workspace: Path) -> None:
    result = chat(workspace, "2020/brest.yaml", [
        "/draft",
        "/edit chapô La ville de Brest prête la Handibox : <!-- lw:caption --> un kit .",
        "/edit méthode",
        "## Un atelier <!-- lw-style off -->",
        "Un atelier a réuni 4 812 personnes.",
        "",
        "## Pas un titre",
        ".",
        "/save", "/quit",
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Section lead remplacée." in out and "Section method remplacée." in out
    assert "Reste à corriger" in out and "812" in out  # the fact guard ran on the edit
    article = Article.from_markdown((workspace / "2020" / "brest.md").read_text("utf-8"))
    assert article.text_of("lead") == "La ville de Brest prête la Handibox\u00a0: un kit."
    method = article.section("method")
    assert method.intertitle == "Un atelier" and "##" not in method.text
    assert "Pas un titre" in method.text and "lw-style" not in method.text


def _pty_chat(workspace: Path, keys: list[tuple[str, str]]) -> str:
    """Drive the chat at a pseudo-terminal: send each input once ``expect`` is shown."""
    import pty
    import select
    import time

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    env.update({"PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8", "TERM": "xterm",
                "XDG_STATE_HOME": str(workspace / "state"), "LW_CACHE": "false"})  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "laureate_writer", "chat", "2020/brest.yaml", "--workspace",
         str(workspace)],
        stdin=slave, stdout=slave, stderr=slave, cwd=workspace, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen = log = b""
    try:
        for expect, send in keys:
            deadline = time.monotonic() + 60
            while expect.encode() not in seen:
                assert time.monotonic() < deadline, (expect, seen.decode(errors="replace"))
                ready, _, _ = select.select([master], [], [], 1)
                if ready:
                    seen += os.read(master, 65536)
            log += seen[: seen.index(expect.encode()) + len(expect.encode())]
            seen = seen[seen.index(expect.encode()) + len(expect.encode()) :]
            os.write(master, send.encode())
        proc.wait(timeout=60)
        while select.select([master], [], [], 0.5)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return (log + seen).decode(errors="replace")


def test_at_a_terminal_ctrl_d_asks_and_lines_can_be_edited(workspace: Path) -> None:
    out = _pty_chat(workspace, [
        ("vous › ", "/draft\r"),
        ("l'enregistrer.\r\nvous › ", "\x04"),  # Ctrl-D with unsaved work: asks
        ("Enregistrer avant de quitter ?", "a\r"),
        ("On continue.\r\nvous › ", "/hlp\x1b[D\x1b[De\r"),  # the left arrow: "/help"
        ("changements)\r\nvous › ", "\x1b[A\r"),  # up arrow: the last line again
        ("changements)\r\nvous › ", "/quit\r"),
        ("Enregistrer avant de quitter ?", "n\r"),
    ])  # fmt: skip
    assert "^[[" not in out and "Commande inconnue" not in out
    assert "Modifications abandonnées" in out
    history = (workspace / "state" / "laureate-writer" / "chat_history").read_text("utf-8")
    assert "/help" in history
