"""The production journal: every finished section, recorded in SQLite the moment it lands.

A section is keyed by (dossier hash, section, prompt hash, model, revise rounds): the
same section of the same dossier asked the same way of the same model is the same work,
so a run stopped by Ctrl-C or killed with ``kill -9`` resumes (``--resume``) without
asking for it again. The journal is written in WAL mode with one autocommitted row per
section, so a killed process loses at most the sections that were still in flight.

Open provider batches (``--via batch``) are recorded too, so a resumed run collects a
batch already paid for instead of submitting it again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sections (
    key TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    dossier_hash TEXT NOT NULL,
    section TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    model TEXT,
    status TEXT NOT NULL,
    revise_rounds INTEGER NOT NULL DEFAULT 0,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    draft TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batch_id TEXT PRIMARY KEY,
    input_file_id TEXT,
    lines INTEGER NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def section_key(
    dossier_hash: str, section: str, prompt_hash: str, model: str | None, revise_rounds: int
) -> str:
    raw = json.dumps([dossier_hash, section, prompt_hash, model, revise_rounds])
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class JournalEntry:
    key: str
    dossier_id: str
    section: str
    status: str
    revise_rounds: int
    tokens_in: int
    tokens_out: int
    draft: dict[str, Any]


class Journal:
    """A SQLite journal of finished sections (thread-safe; one connection, autocommit)."""

    def __init__(self, path: str | Path, *, fresh: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed row survives the process being killed (it is in
        # the WAL, flushed to the OS); only a power loss can drop the last commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO meta (name, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                )
            elif int(row[0]) != SCHEMA_VERSION:
                fresh = True
            if fresh:
                self._db.execute("DELETE FROM sections")
                self._db.execute("DELETE FROM batches")
                self._db.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES ('schema', ?)",
                    (str(SCHEMA_VERSION),),
                )

    # --- sections -----------------------------------------------------------------------

    def get(self, key: str) -> JournalEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT key, dossier_id, section, status, revise_rounds, tokens_in, tokens_out, "
                "draft FROM sections WHERE key = ?",
                (key,),
            ).fetchone()
        return _entry(row)

    def latest(
        self, dossier_hash: str, section: str, model: str | None, revise_rounds: int
    ) -> JournalEntry | None:
        """The last finished version of a section of this dossier by this model, whatever
        the prompt it was asked with (a resumed run keeps a framing section finished
        before a body section failed, instead of paying for it again)."""
        with self._lock:
            row = self._db.execute(
                "SELECT key, dossier_id, section, status, revise_rounds, tokens_in, tokens_out, "
                "draft FROM sections WHERE dossier_hash = ? AND section = ? AND model IS ? "
                "AND revise_rounds <= ? ORDER BY created DESC LIMIT 1",
                (dossier_hash, section, model, revise_rounds),
            ).fetchone()
        return _entry(row)

    def put(
        self,
        key: str,
        *,
        dossier_id: str,
        dossier_hash: str,
        section: str,
        prompt_hash: str,
        model: str | None,
        status: str,
        revise_rounds: int,
        tokens_in: int,
        tokens_out: int,
        draft: dict[str, Any],
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sections (key, dossier_id, dossier_hash, section, "
                "prompt_hash, model, status, revise_rounds, tokens_in, tokens_out, draft, "
                "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    dossier_id,
                    dossier_hash,
                    section,
                    prompt_hash,
                    model,
                    status,
                    revise_rounds,
                    tokens_in,
                    tokens_out,
                    json.dumps(draft, ensure_ascii=False),
                    time.time(),
                ),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM sections").fetchone()[0]

    # --- provider batches ---------------------------------------------------------------

    def add_batch(self, batch_id: str, input_file_id: str | None, lines: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO batches (batch_id, input_file_id, lines, state, created) "
                "VALUES (?, ?, ?, 'open', ?)",
                (batch_id, input_file_id, lines, time.time()),
            )

    def close_batch(self, batch_id: str, state: str = "collected") -> None:
        with self._lock:
            self._db.execute("UPDATE batches SET state = ? WHERE batch_id = ?", (state, batch_id))

    def open_batches(self) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT batch_id FROM batches WHERE state = 'open' ORDER BY created"
            ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _entry(row: Any) -> JournalEntry | None:
    """A journal row as an entry; a damaged row is work not done (drafted again)."""
    if row is None:
        return None
    try:
        draft = json.loads(row[7])
    except (TypeError, ValueError):
        return None
    return JournalEntry(*row[:7], draft=draft) if isinstance(draft, dict) else None
