"""``laureate-writer models`` and ``laureate-writer cache``: which model is configured
and where that comes from, whether its server answers (only when asked: a probe is a
network call), and the local cache of answers.

Nothing here imports a model client: the probe is one ``GET {base_url}/models`` with
the standard library."""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from laureate_writer.loading import os_reason
from laureate_writer.settings import Settings

OPENAI_URL = "https://api.openai.com/v1"


def endpoint(settings: Settings) -> str | None:
    """The base URL an ``openai:`` (or bare) model is called on; None for other
    providers, which their LangChain integration reaches."""
    spec = settings.model or ""
    provider = spec.partition(":")[0] if ":" in spec else "openai"
    if provider != "openai":
        return None
    return (settings.resolved_base_url() or OPENAI_URL).rstrip("/")


def configured(settings: Settings) -> dict[str, Any]:
    """What is configured, and where each value comes from (never the key itself)."""
    where, line, _ = settings.origin("model")
    origin = (
        f"{where}:{line}" if settings.config_file and where == settings.config_file.name else where
    )
    uses = settings.uses_model
    return {
        "model": settings.model if uses else "offline",
        "origin": origin if settings.model else None,
        "client": settings.client if uses else None,
        "base_url": endpoint(settings) if uses else None,
        "api_key": bool(settings.resolved_api_key()) if uses else None,
        "config_file": settings.config_file.name if settings.config_file else None,
        "cache": str(settings.cache_path) if settings.cache else None,
    }


def probe(settings: Settings, timeout: float = 10.0) -> dict[str, Any]:
    """Ask the server which models it serves. ``{"reachable": bool, "models": [...],
    "error": str | None}``; the key is sent, never shown."""
    url = endpoint(settings)
    if url is None:
        return {"reachable": None, "models": [], "error": "pas un serveur compatible OpenAI"}
    request = urllib.request.Request(url + "/models")
    key = settings.resolved_api_key()
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data = json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return {"reachable": True, "models": [], "error": f"HTTP {exc.code}"}
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            said = "délai dépassé"
        elif isinstance(reason, OSError):
            said = os_reason(reason)
        else:
            said = str(reason)
        return {"reachable": False, "models": [], "error": said}
    except ValueError:
        return {"reachable": True, "models": [], "error": "réponse non JSON"}
    models = sorted(m.get("id", "") for m in data.get("data", []) if isinstance(m, dict))
    return {"reachable": True, "models": models, "error": None}


# --- the cache of answers ------------------------------------------------------------------


def cache_stats(path: Path) -> dict[str, Any]:
    """Entries per model, size on disk, oldest and newest answer."""
    if not path.exists():
        return {"path": str(path), "entries": 0, "bytes": 0, "models": {}}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT coalesce(model, ''), COUNT(*), MIN(created), MAX(created) "
            "FROM responses GROUP BY model ORDER BY model"
        ).fetchall()
    size = sum(os.path.getsize(p) for p in _files(path) if p.exists())
    return {
        "path": str(path),
        "entries": sum(r[1] for r in rows),
        "bytes": size,
        "models": {r[0] or "?": {"entries": r[1], "oldest": r[2], "newest": r[3]} for r in rows},
    }


def cache_clear(path: Path, model: str | None = None) -> int:
    """Remove the cached answers (of one model only, if given); the count removed."""
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        if model is None:
            removed = db.execute("DELETE FROM responses").rowcount
        else:
            removed = db.execute("DELETE FROM responses WHERE model = ?", (model,)).rowcount
    if model is None:
        with sqlite3.connect(path, isolation_level=None) as db:
            db.execute("VACUUM")
    return removed


def _files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
