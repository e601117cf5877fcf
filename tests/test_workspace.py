"""Workspace confinement: every path resolved inside the folder, inputs bounded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from laureate_writer import operations as ops
from laureate_writer.workspace import MAX_SECTION_CHARS, Workspace, WorkspaceError, limit_text


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return Workspace(tmp_path)


def test_relative_and_absolute_inside_are_resolved(ws: Workspace) -> None:
    inside = ws.resolve("2020/brest.yaml")
    assert inside == ws.root / "2020" / "brest.yaml"
    assert ws.resolve(str(inside)) == inside
    assert ws.relative(inside) == "2020/brest.yaml"


@pytest.mark.parametrize(
    "given",
    ["../secret.yaml", "2020/../../secret.yaml", "..\\secret.yaml", "2020/..", ".."],
)
def test_dotdot_is_refused(ws: Workspace, given: str) -> None:
    with pytest.raises(WorkspaceError, match=r"« \.\. » interdit"):
        ws.resolve(given, must_exist=False)


def test_absolute_path_outside_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="hors de l’espace de travail"):
        ws.resolve("/etc/passwd")
    with pytest.raises(WorkspaceError, match="hors de l’espace de travail"):
        ws.resolve(str(tmp_path.parent / "elsewhere.md"), must_exist=False)


def test_symlink_escape_is_refused(ws: Workspace, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "stolen.yaml").write_text("laureate: x\n", encoding="utf-8")
    os.symlink(outside / "stolen.yaml", ws.root / "link.yaml")
    os.symlink(outside, ws.root / "linkdir")
    with pytest.raises(WorkspaceError, match="hors de l’espace de travail"):
        ws.resolve("link.yaml")
    with pytest.raises(WorkspaceError, match="hors de l’espace de travail"):
        ws.resolve("linkdir/new.md", must_exist=False)  # writing through a link, too
    listed = [p.name for p in ws.files((".yaml",))]
    assert "link.yaml" not in listed and "stolen.yaml" not in listed


def test_symlink_inside_is_allowed(ws: Workspace) -> None:
    os.symlink(ws.root / "2020" / "brest.yaml", ws.root / "alias.yaml")
    assert ws.resolve("alias.yaml") == ws.root / "2020" / "brest.yaml"


@pytest.mark.parametrize("given", ["", "   ", "a\x00b.yaml", "x" * 600])
def test_malformed_paths_are_refused(ws: Workspace, given: str) -> None:
    with pytest.raises(WorkspaceError):
        ws.resolve(given, must_exist=False)


def test_suffix_and_existence_are_checked(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="se termine par"):
        ws.resolve("2020/brest.txt", must_exist=False, suffixes=(".md",), what="article")
    with pytest.raises(WorkspaceError, match="introuvable"):
        ws.resolve("2020/nowhere.yaml")
    with pytest.raises(WorkspaceError, match="n’est pas un fichier"):
        ws.resolve("2020")


def test_file_size_limit(ws: Workspace) -> None:
    big = ws.root / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 1_100_000)
    with pytest.raises(WorkspaceError, match="dépasse"):
        ws.resolve("big.yaml")


def test_text_limits() -> None:
    assert limit_text("  bonjour ", 100, "text") == "bonjour"
    assert limit_text("   ", 100, "text") is None
    with pytest.raises(WorkspaceError, match="vide"):
        limit_text("", 100, "text", required=True)
    with pytest.raises(WorkspaceError, match="trop long"):
        limit_text("x" * (MAX_SECTION_CHARS + 1), MAX_SECTION_CHARS, "text")


def test_missing_workspace_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="introuvable"):
        Workspace(tmp_path / "nope")


def test_operations_refuse_escapes_with_a_clear_message(ws: Workspace) -> None:
    ctx = ops.Context(ws)
    for call in (
        lambda: ops.validate(ctx, "../x.yaml"),
        lambda: ops.draft_article(ctx, "/etc/hosts.yaml"),
        lambda: ops.save_section(ctx, "../evil.md", "lead", "Texte.", dossier="2020/brest.yaml"),
        lambda: ops.show_article(ctx, "/tmp/evil.md"),
    ):
        with pytest.raises(ops.OperationError) as info:
            call()
        assert "espace de travail" in str(info.value)
        assert str(ws.root) not in str(info.value)  # no absolute paths leak


def test_front_matter_dossier_outside_is_refused(ws: Workspace, tmp_path_factory) -> None:
    ctx = ops.Context(ws)
    ops.draft_article(ctx, "2020/brest.yaml")
    article = ws.root / "2020" / "brest.md"
    outside = tmp_path_factory.mktemp("other")
    shutil.copy(EXAMPLES / "brest.yaml", outside / "brest.yaml")
    text = article.read_text(encoding="utf-8").replace(
        "dossier: brest.yaml", f"dossier: {outside / 'brest.yaml'}"
    )
    article.write_text(text, encoding="utf-8")
    with pytest.raises(ops.OperationError, match="hors de l’espace de travail"):
        ops.check_facts(ctx, "2020/brest.md")


def test_shared_modules_import_no_model_or_mcp_client() -> None:
    import subprocess
    import sys

    code = (
        "import sys, laureate_writer.workspace, laureate_writer.operations, "
        "laureate_writer.plugin, laureate_writer.plugin.command, laureate_writer.chat, "
        "laureate_writer.chat.command\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'langchain', 'langchain_core', 'langgraph', 'openai', 'mcp'})\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
