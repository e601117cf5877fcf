"""The LangChain tools, alone and inside a `create_agent` agent driven by a fake chat model
that emits tool calls."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("langchain.agents")

from langchain.agents import create_agent

from conftest import EXAMPLES
from fake_tool_chat import FakeToolChat, call, calls
from laureate_writer import operations as ops
from laureate_writer.tools import make_tools
from test_mcp import ALL_TOOLS


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ops.Context:
    monkeypatch.delenv("LW_MODEL", raising=False)
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return ops.Context(tmp_path, model="offline")


def tool_messages(state: dict) -> list:
    return [m for m in state["messages"] if m.type == "tool"]


def test_tools_mirror_the_plugin(ctx: ops.Context) -> None:
    tools = {t.name: t for t in make_tools(ctx)}
    assert set(tools) == ALL_TOOLS
    schema = tools["regenerate_section"].args_schema.model_json_schema()
    assert schema["properties"]["section"]["enum"][0] == "headline"
    assert schema["required"] == ["article", "section"]
    result = json.loads(tools["validate_dossier"].invoke({"path": "2020/brest.yaml"}))
    assert result["ok"] is True
    error = tools["validate_dossier"].invoke({"path": "../etc/passwd.yaml"})
    assert error.startswith("Erreur :") and "« .. » interdit" in error


def test_agent_drafts_revises_and_checks(ctx: ops.Context) -> None:
    def conclude(messages: list) -> str:
        facts = json.loads(messages[-1].content)
        return f"Article prêt : {facts['supported']} faits vérifiés sur {facts['claims']}."

    model = FakeToolChat(script=[
        calls(call("draft_article", dossier="2020/brest.yaml")),
        calls(call("regenerate_section", article="2020/brest.md", section="lead",
                   instruction="plus court")),
        calls(call("check_style", article="2020/brest.md"),
              call("show_article", article="../../etc/passwd.md")),
        calls(call("check_facts", article="2020/brest.md")),
        conclude,
    ])  # fmt: skip
    agent = create_agent(model, make_tools(ctx), system_prompt="Tu es l'assistant.")
    state = agent.invoke({"messages": [{"role": "user", "content": "Rédige Brest."}]})

    assert set(model.bound) == ALL_TOOLS
    results = tool_messages(state)
    assert [m.name for m in results] == ["draft_article", "regenerate_section", "check_style",
                                         "show_article", "check_facts"]  # fmt: skip
    assert json.loads(results[0].content)["writer"] == "offline"
    assert "markdown" not in json.loads(results[0].content)  # long text kept out of context
    assert json.loads(results[1].content)["action"] == "regenerated"
    assert results[3].content.startswith("Erreur :") and results[3].status == "error"
    assert state["messages"][-1].content.startswith("Article prêt : ")
    article = ctx.workspace.root / "2020" / "brest.md"
    assert "history:\n  lead:" in article.read_text(encoding="utf-8")


def test_agent_host_drafts_a_section(ctx: ops.Context) -> None:
    """The agent's own model writes: brief → invented figure → errors → corrected."""

    def after_first_save(messages: list) -> object:
        report = json.loads(messages[-1].content)
        assert report["ok"] is False
        assert any(f["checker"] == "facts" for f in report["remaining"])
        return calls(
            call(
                "save_section",
                article="2020/brest.md",
                section="results",
                text="De juillet 2019 à février 2020, la Handibox affiche 20 "
                "semaines de réservation.",
                intertitle="Premiers résultats",
            )
        )

    model = FakeToolChat(script=[
        calls(call("get_section_brief", target="2020/brest.yaml", section="results")),
        calls(call("save_section", article="2020/brest.md", section="results",
                   text="La Handibox a été réservée 48 semaines en 2019 .",
                   intertitle="Premiers résultats", dossier="2020/brest.yaml")),
        after_first_save,
        "La section résultats est enregistrée.",
    ])  # fmt: skip
    agent = create_agent(model, make_tools(ctx))
    state = agent.invoke({"messages": [{"role": "user", "content": "Écris les résultats."}]})
    last_report = json.loads(tool_messages(state)[-1].content)
    assert last_report["ok"] is True and last_report["section"] == "results"
    shown = ops.show_article(ctx, "2020/brest.md", "results").text
    assert "20" in shown and "48" not in shown
