"""`laureate-writer mcp` as a real process: streamable HTTP over loopback, and stdio."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("mcp")

from mcp import Client, StdioServerParameters

from conftest import EXAMPLES, ROOT
from laureate_writer.plugin.command import run_mcp

STARTUP_TIMEOUT = 20.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return tmp_path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LW_", "OPENAI_"))}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early: {proc.stderr.read().decode()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"server did not listen on {port} within {timeout} s")


@contextlib.contextmanager
def _http_server(workspace: Path) -> Iterator[int]:
    """``laureate-writer mcp --http`` on a free loopback port, stopped afterwards."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "laureate_writer", "mcp", "--http", "--port", str(port),
         "--workspace", str(workspace)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
    )  # fmt: skip
    try:
        _wait_for_port(port, proc, STARTUP_TIMEOUT)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.anyio
async def test_http_serves_a_real_client_over_loopback(workspace: Path) -> None:
    with _http_server(workspace) as port:
        async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=30) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert {"draft_article", "save_section", "get_section_brief"} <= names
            listing = await client.call_tool("list_workspace", {})
            assert not listing.is_error and len(listing.structured_content["dossiers"]) == 6
            draft = await client.call_tool("draft_article", {"dossier": "2020/pau.yaml"})
            assert not draft.is_error and (workspace / "2020" / "pau.md").is_file()
            bad = await client.call_tool("validate_dossier", {"path": "../../etc/passwd"})
            assert bad.is_error and "« .. » interdit" in bad.content[0].text
            style = await client.read_resource("laureate://style")
            assert style.contents[0].text.startswith("# Style maison")


@pytest.mark.anyio
async def test_stdio_serves_a_real_client(workspace: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "laureate_writer", "mcp", "--workspace", str(workspace)],
        env=_env(),
    )
    async with Client(params, read_timeout_seconds=30) as client:
        brief = await client.call_tool("get_section_brief",
                                       {"target": "2020/brest.yaml", "section": "lead"})  # fmt: skip
        assert not brief.is_error and brief.structured_content["section_name"] == "chapô"
        prompts = {p.name for p in (await client.list_prompts()).prompts}
        assert prompts == {"rediger_laureat", "reviser_section"}


def test_http_refuses_a_non_loopback_host(workspace: Path, capsys) -> None:
    assert run_mcp(str(workspace), True, 8765, host="0.0.0.0") == 2
    assert "boucle locale" in capsys.readouterr().err


def test_missing_workspace_is_one_line(tmp_path: Path, capsys) -> None:
    assert run_mcp(str(tmp_path / "nope"), False, 0) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "espace de travail introuvable" in err


def test_http_refuses_foreign_host_and_origin_headers(workspace: Path) -> None:
    """DNS rebinding: a page on another site reaching the loopback server through the
    browser carries its own Host or Origin, and is refused before any tool runs."""
    import http.client
    import json

    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "probe", "version": "0"}}})  # fmt: skip

    def post(port: int, **headers: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("POST", "/mcp", body, {
                "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream", **headers})  # fmt: skip
            return conn.getresponse().status
        finally:
            conn.close()

    with _http_server(workspace) as port:
        assert post(port, Host=f"evil.example:{port}") in (400, 403, 421)
        assert post(port, Origin="http://evil.example") in (400, 403)
        assert post(port) == 200  # the same request from the loopback itself is served
