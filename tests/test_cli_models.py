"""Model use from the command line: `models` (configured, and reachable on request),
`cache stats|clear`, and a server that cannot be reached (named once, nothing written)."""

from __future__ import annotations

import json
import socket

from conftest import EXAMPLES, run_cli


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _no_model_env(monkeypatch, tmp_path):
    for name in ("LW_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "LW_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))


def test_models_offline_by_default(tmp_path, monkeypatch):
    _no_model_env(monkeypatch, tmp_path)
    result = run_cli("models", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("modèle : offline")


def test_models_shows_where_the_model_is_set_and_probes_only_on_request(
    tmp_path, monkeypatch, fake_openai_env
):
    monkeypatch.delenv("LW_MODEL", raising=False)
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    (tmp_path / "laureate-writer.toml").write_text('\nmodel = "gpt-4.1-mini"\n', encoding="utf-8")
    before = len(fake_openai_env.requests) if hasattr(fake_openai_env, "requests") else None
    result = run_cli("models", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "modèle : gpt-4.1-mini (laureate-writer.toml:2)" in result.stdout
    assert f"serveur : {fake_openai_env.base_url.rstrip('/')}" in result.stdout
    assert "joignable" not in result.stdout  # no network call unless asked
    if before is not None:
        assert len(fake_openai_env.requests) == before
    probed = run_cli("models", "--probe", "--format", "json", cwd=tmp_path)
    assert probed.returncode == 0, probed.stderr
    data = json.loads(probed.stdout)
    assert data["probe"]["reachable"] is True and "gpt-4.1-mini" in data["probe"]["models"]
    assert data["api_key"] is True and "sk-" not in probed.stdout


def test_models_probe_of_an_unreachable_server_exits_1_naming_it(tmp_path, monkeypatch):
    _no_model_env(monkeypatch, tmp_path)
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    result = run_cli("models", "--probe", "-m", "gpt-4.1-mini", cwd=tmp_path)
    assert result.returncode == 1
    assert f"serveur injoignable : {url}" in result.stdout


def test_cache_stats_and_clear(tmp_path, monkeypatch):
    from laureate_writer.cache import ResponseCache

    _no_model_env(monkeypatch, tmp_path)
    cache = ResponseCache(tmp_path / "cache.sqlite3")
    cache.put("k1", "gpt-4.1-mini", {"parsed": {}})
    cache.put("k2", "gpt-4.1-mini", {"parsed": {}})
    cache.put("k3", "gpt-4.1", {"parsed": {}})
    cache.close()
    stats = run_cli("cache", "stats", "--format", "json", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["entries"] == 3 and data["models"]["gpt-4.1-mini"]["entries"] == 2
    text = run_cli("cache", "stats", cwd=tmp_path).stdout
    assert "3 réponses en cache" in text
    cleared = run_cli("cache", "clear", "-m", "gpt-4.1", cwd=tmp_path)
    assert cleared.returncode == 0 and "1 réponse supprimée" in cleared.stderr
    cleared = run_cli("cache", "clear", cwd=tmp_path)
    assert "2 réponses supprimées" in cleared.stderr
    assert (
        json.loads(run_cli("cache", "stats", "--format", "json", cwd=tmp_path).stdout)["entries"]
        == 0
    )


def test_unreachable_server_is_named_once_and_no_article_is_written(tmp_path, monkeypatch):
    _no_model_env(monkeypatch, tmp_path)
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("LW_MAX_RETRIES", "0")
    target = tmp_path / "brest.md"
    result = run_cli("draft", str(EXAMPLES / "brest.yaml"), "-m", "gpt-4.1-mini", "--no-cache",
                     "-o", str(target), cwd=tmp_path)  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert result.stderr.count(url) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def _palmares(tmp_path, *extra):
    return run_cli("palmares", str(EXAMPLES / "palmares.yaml"), "-m", "gpt-4.1-mini",
                   "--no-cache", "--journal", str(tmp_path / "j.sqlite3"),
                   "--out-dir", str(tmp_path / "articles"), "-o", str(tmp_path / "page.md"),
                   *extra, cwd=tmp_path)  # fmt: skip


def test_unreachable_server_writes_no_article_and_no_page(tmp_path, monkeypatch):
    _no_model_env(monkeypatch, tmp_path)
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("LW_MAX_RETRIES", "0")
    result = _palmares(tmp_path)
    assert result.returncode == 3, result.stderr
    assert result.stderr.count(url) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "page.md").exists()
    assert not list((tmp_path / "articles").glob("*.md"))


def test_a_laureate_whose_every_section_failed_is_reported_not_written(
    tmp_path, monkeypatch, fake_openai_env
):
    from fake_openai import Behaviour
    from generic_answers import answer

    monkeypatch.delenv("LW_MODEL", raising=False)
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    monkeypatch.setenv("LW_MAX_RETRIES", "0")
    fake_openai_env.responder = answer
    fake_openai_env.behave("Handibox", Behaviour.server_error(500))  # Brest's project
    result = _palmares(tmp_path)
    assert result.returncode == 3, result.stderr
    assert "brest : aucune section rédigée : article non écrit, absent de la page" in (
        result.stderr
    )
    written = sorted(p.stem for p in (tmp_path / "articles").glob("*.md"))
    assert "brest" not in written and len(written) == 5
    page = (tmp_path / "page.md").read_text(encoding="utf-8")
    assert "Brest" not in page and page.count("\n### ") == 5
