"""A small SQLite cache of model answers, so a rerun of the same request costs nothing.

Keyed by a hash of everything that shapes the answer (model, parameters, messages,
output schema). Our own, on ``sqlite3``: langchain-community's cache would bring in
SQLAlchemy and numpy for thirty lines of work.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any


def request_key(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class CacheError(Exception):
    """The cache file cannot be used (a folder, not a database, another schema, no write
    access); the message says why, without a traceback."""


class ResponseCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and not self.path.is_file():
                raise CacheError(f"{self.path} : pas un fichier")
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode, NORMAL survives a killed process (only a power cut can lose the
            # last answers, which are then asked again) without an fsync per answer.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, model TEXT, "
                "answer TEXT NOT NULL, created TEXT DEFAULT CURRENT_TIMESTAMP)"
            )
            # a database of another schema fails here, not at the first answer
            self._db.execute("SELECT key, model, answer, created FROM responses LIMIT 0")
            # and a read-only file or folder here, not when the first answer lands
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise CacheError(
                f"{self.path} : inutilisable comme cache des réponses ({reason})"
            ) from None

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM responses WHERE key = ?", (key,)).fetchone()
        if not row:
            return None
        try:
            answer = json.loads(row[0])
        except (TypeError, ValueError):
            return None  # a damaged row is a miss: the model is asked again
        return answer if isinstance(answer, dict) else None

    def put(self, key: str, model: str | None, answer: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, model, answer) VALUES (?, ?, ?)",
                (key, model, json.dumps(answer, ensure_ascii=False)),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
