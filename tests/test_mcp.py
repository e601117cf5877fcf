"""The MCP plugin, in process: every tool, the resources, the prompts, the host-drafted
round trip, and path-escape attempts — through the SDK's own client."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")

from mcp import Client

from conftest import EXAMPLES
from laureate_writer import operations as ops
from laureate_writer.plugin.server import build_server

ALL_TOOLS = {
    "list_workspace", "validate_dossier", "draft_article", "regenerate_section",
    "undo_section", "check_style", "fix_style", "check_facts", "build_palmares",
    "show_article", "get_section_brief", "save_section",
}  # fmt: skip


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LW_MODEL", raising=False)
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return tmp_path


@pytest.fixture
def server(workspace: Path) -> Any:
    return build_server(ops.Context(workspace, model="offline"))


async def ok(client: Client, tool: str, **args: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def refused(client: Client, tool: str, **args: Any) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error
    text = result.content[0].text
    assert "Traceback" not in text
    return text


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["legacy", "auto"])  # legacy: JSON-RPC over memory streams
async def test_every_tool_listed_and_called(server: Any, workspace: Path, mode: str) -> None:
    async with Client(server, mode=mode) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == ALL_TOOLS
        for tool in tools.values():
            assert tool.name.replace("_", "").isalnum() and len(tool.name) < 64
            assert tool.description and tool.output_schema
        assert tools["check_style"].annotations.read_only_hint is True

        listing = await ok(client, "list_workspace")
        assert len(listing["dossiers"]) == 6 and listing["editions"] == ["2020/palmares.yaml"]
        assert (await ok(client, "validate_dossier", path="2020/brest.yaml"))["ok"] is True

        draft = await ok(client, "draft_article", dossier="2020/brest.yaml")
        assert draft["article"] == "2020/brest.md" and draft["writer"] == "offline"
        assert (workspace / "2020" / "brest.md").read_text(encoding="utf-8") == draft["markdown"]
        again = await refused(client, "draft_article", dossier="2020/brest.yaml")
        assert "existe déjà" in again and "overwrite" in again

        shown = await ok(client, "show_article", article="2020/brest.md", section="lead")
        assert "Brest" in shown["text"]
        style = await ok(client, "check_style", article="2020/brest.md")
        assert style["errors"] == 0
        snippet = await ok(client, "check_style", text="Un texte  avec l'apostrophe droite .",
                           section="lead")  # fmt: skip
        assert snippet["errors"] >= 1 and snippet["findings"]
        fixed = await ok(client, "fix_style", article="2020/brest.md", dry_run=True)
        assert fixed["written"] is False
        facts = await ok(client, "check_facts", article="2020/brest.md")
        assert facts["ok"] is True and facts["claims"] > 0

        before = shown["text"]
        regen = await ok(client, "regenerate_section", article="2020/brest.md", section="lead",
                         instruction="plus court")  # fmt: skip
        assert regen["action"] == "regenerated" and "hors ligne" in regen["note"]
        undone = await ok(client, "undo_section", article="2020/brest.md", section="lead")
        assert undone["action"] == "restored" and undone["text"] == before

        brief = await ok(client, "get_section_brief", target="2020/pau.yaml", section="results")
        assert brief["needs_intertitle"] is True and "<dossier>" in brief["messages"][1]["content"]
        saved = await ok(client, "save_section", article="2020/pau.md", section="headline",
                         text="Pau Béarn Pyrénées", dossier="2020/pau.yaml")  # fmt: skip
        assert saved["created"] is True

        page = await ok(client, "build_palmares", edition="2020/palmares.yaml",
                        output="out/page.html", articles_dir="out/articles")  # fmt: skip
        assert page["format"] == "html" and len(page["laureates"]) == 6
        assert (workspace / "out" / "page.html").read_text(encoding="utf-8").startswith("<!")
        assert len(list((workspace / "out" / "articles").glob("*.md"))) == 6


@pytest.mark.anyio
async def test_resources(server: Any, workspace: Path) -> None:
    async with Client(server) as client:
        ops.draft_article(ops.Context(workspace, model="offline"), "2020/brest.yaml")
        uris = {str(r.uri) for r in (await client.list_resources()).resources}
        assert {"laureate://workspace", "laureate://style"} <= uris
        templates = {
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        }
        assert templates == {"laureate://dossiers/{+path}", "laureate://articles/{+path}"}

        index = (await client.read_resource("laureate://workspace")).contents[0].text
        assert "2020/brest.yaml" in index and "2020/brest.md" in index
        style = (await client.read_resource("laureate://style")).contents[0].text
        assert style.startswith("# Style maison") and "typo." in style
        dossier = (await client.read_resource("laureate://dossiers/2020/brest.yaml")).contents[0]
        assert "Ville de Brest" in dossier.text
        article = (await client.read_resource("laureate://articles/2020/brest.md")).contents[0]
        assert article.text.startswith("---\n") and article.mime_type == "text/markdown"

        for uri in ("laureate://dossiers/../secret.yaml", "laureate://articles/2020/nope.md",
                    "laureate://dossiers/%2Fetc%2Fpasswd"):  # fmt: skip
            with pytest.raises(Exception) as info:
                await client.read_resource(uri)
            assert "Traceback" not in str(info.value)


@pytest.mark.anyio
async def test_prompts(server: Any) -> None:
    async with Client(server) as client:
        prompts = {p.name: p for p in (await client.list_prompts()).prompts}
        assert prompts["rediger_laureat"].title == "Rédiger un lauréat"
        assert prompts["reviser_section"].title == "Réviser une section"
        host = await client.get_prompt("rediger_laureat", {"dossier": "2020/brest.yaml"})
        text = host.messages[0].content.text
        assert "get_section_brief" in text and "save_section" in text
        served = await client.get_prompt("rediger_laureat", {"dossier": "2020/brest.yaml",
                                                             "mode": "serveur"})  # fmt: skip
        assert "draft_article" in served.messages[0].content.text
        revise = await client.get_prompt(
            "reviser_section",
            {"article": "2020/brest.md", "section": "lead", "instruction": "plus court"},
        )
        assert "plus court" in revise.messages[0].content.text


@pytest.mark.anyio
async def test_host_drafted_round_trip(server: Any, workspace: Path) -> None:
    """brief → text with defects and an invented figure → violations → corrected → stored."""
    from laureate_writer.article import Article

    async with Client(server) as client:
        brief = await ok(client, "get_section_brief", target="2020/brest.yaml", section="results")
        assert brief["article"] == "2020/brest.md" and brief["section_name"] == "résultats"
        assert "save_section" in brief["how_to_answer"]
        assert (
            "20 semaines" in brief["messages"][1]["content"]
            or "20" in brief["messages"][1]["content"]
        )

        # the host model's first attempt: straight apostrophe, double space, a space before
        # the comma — and a figure the dossier does not have
        first = ("La Handibox a été réservée 35 semaines  de juillet 2019 à février 2020 ,"
                 " l'équipement circule dans toute la ville.")  # fmt: skip
        report = await ok(client, "save_section", article="2020/brest.md", section="results",
                          text=first, intertitle="Premiers résultats", dossier="2020/brest.yaml",
                          model="host-model-1")  # fmt: skip
        assert report["created"] is True and report["ok"] is False
        assert report["fixes_applied"] is True
        assert "  " not in report["text"] and " ," not in report["text"]
        assert "l’équipement" in report["text"]  # the safe fixes were applied
        facts = [f for f in report["remaining"] if f["checker"] == "facts"]
        assert facts and facts[0]["excerpt"].startswith("35") and facts[0]["severity"] == "error"
        assert "20" in facts[0]["message"]  # the closest dossier value is offered
        assert "call save_section again" in report["next_step"]

        corrected = ("De juillet 2019 à février 2020, la Handibox affiche 20 semaines de "
                     "réservation.")  # fmt: skip
        report = await ok(client, "save_section", article="2020/brest.md", section="results",
                          text=corrected, intertitle="Premiers résultats",
                          model="host-model-1")  # fmt: skip
        assert report["ok"] is True and report["created"] is False
        assert not [f for f in report["remaining"] if f["severity"] == "error"]
        assert "sections still to write" in report["next_step"]

        view = await ok(client, "show_article", article="2020/brest.md", section="results")
        assert "20 semaines" in view["text"]

    stored = Article.from_markdown((workspace / "2020" / "brest.md").read_text(encoding="utf-8"))
    section = stored.section("results")
    assert section.provenance.writer == "host" and section.provenance.model == "host-model-1"
    assert section.intertitle == "Premiers résultats" and not section.edited
    assert stored.section("prize_label") is not None  # the award's own wording
    assert len(stored.history["results"]) == 1  # the first attempt is kept as a version
    assert stored.dossier == "brest.yaml"
    assert stored.reports["facts"]["ok"] is True and "unresolved" not in stored.reports


@pytest.mark.anyio
async def test_path_escapes_refused(server: Any, workspace: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    shutil.copy(EXAMPLES / "brest.yaml", outside / "brest.yaml")
    os.symlink(outside / "brest.yaml", workspace / "link.yaml")
    os.symlink(outside, workspace / "escape")
    async with Client(server) as client:
        for tool, args in [
            ("validate_dossier", {"path": "../outside/brest.yaml"}),
            ("validate_dossier", {"path": str(outside / "brest.yaml")}),
            ("validate_dossier", {"path": "link.yaml"}),
            ("draft_article", {"dossier": "2020/brest.yaml", "output": "../stolen.md"}),
            ("draft_article", {"dossier": "2020/brest.yaml", "output": "escape/brest.md"}),
            (
                "save_section",
                {
                    "article": "escape/x.md",
                    "section": "lead",
                    "text": "Texte.",
                    "dossier": "2020/brest.yaml",
                },
            ),
            ("get_section_brief", {"target": "/etc/passwd.yaml", "section": "lead"}),
            ("build_palmares", {"edition": "2020/palmares.yaml", "output": "../page.md"}),
        ]:
            message = await refused(client, tool, **args)
            assert "hors de l’espace de travail" in message or "« .. » interdit" in message
            assert str(workspace) not in message  # the server's own paths are not shown
    assert not (workspace.parent / "stolen.md").exists()
    assert list(outside.iterdir()) == [outside / "brest.yaml"]  # nothing written outside


@pytest.mark.anyio
async def test_tool_errors_are_clear_messages(server: Any, workspace: Path) -> None:
    async with Client(server) as client:
        message = await refused(client, "show_article", article="2020/nope.md")
        assert "article introuvable" in message
        message = await refused(client, "regenerate_section", article="2020/brest.md",
                                section="preface")  # fmt: skip
        assert "section" in message  # rejected by the input schema
        message = await refused(client, "save_section", article="2020/new.md", section="lead",
                                text="Texte.")  # fmt: skip
        assert "indiquez le dossier" in message
        message = await refused(client, "save_section", article="2020/new.md", section="lead",
                                text="x" * 20_000, dossier="2020/brest.yaml")  # fmt: skip
        # the MCP SDK checks argument schemas (in its own words) before our code runs
        assert "at most" in message or "au plus" in message or "trop long" in message

        await ok(client, "draft_article", dossier="2020/brest.yaml")
        path = workspace / "2020" / "brest.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Les réservations sont suspendues", "Les réservations restent suspendues"),
            encoding="utf-8")  # an editor's hand edit  # fmt: skip
        message = await refused(client, "regenerate_section", article="2020/brest.md",
                                section="results")  # fmt: skip
        assert "modifiée à la main" in message and "force=true" in message
        await ok(client, "regenerate_section", article="2020/brest.md", section="results",
                 force=True)  # fmt: skip
        message = await refused(client, "undo_section", article="2020/brest.md", section="lead")
        assert "pas de version précédente" in message

        bad = workspace / "2020" / "bad.yaml"
        bad.write_text("id: bad\nlaureate: {name: 3}\n", encoding="utf-8")
        report = await ok(client, "validate_dossier", path="2020/bad.yaml")
        assert report["ok"] is False and report["problems"][0].startswith("2020/bad.yaml:")


@pytest.mark.anyio
async def test_seven_concurrent_save_section_calls_all_land(server: Any, workspace: Path) -> None:
    """Issue 12, finding 1: one save_section per section at once, all through the
    plugin — every text is in the file afterwards (none lost, none silently dropped)."""
    import anyio

    sections = ["headline", "lead", "context", "method", "details", "results", "caption"]
    async with Client(server) as client:
        await ok(client, "draft_article", dossier="2020/brest.yaml")
        answers: dict[str, Any] = {}

        async def save(section: str) -> None:
            answers[section] = await client.call_tool("save_section", {
                "article": "2020/brest.md", "section": section,
                "text": f"Texte {section} écrit par l’hôte.", "intertitle": "Un intertitre",
            })  # fmt: skip

        async with anyio.create_task_group() as group:
            for section in sections:
                group.start_soon(save, section)
    from laureate_writer.article import Article

    stored = Article.from_markdown((workspace / "2020" / "brest.md").read_text("utf-8"))
    for section in sections:
        assert not answers[section].is_error, answers[section].content
        assert stored.text_of(section).startswith(f"Texte {section}"), section
