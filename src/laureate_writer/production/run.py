"""A production run as the command line starts it: journal, Batch API wrapping, progress
display and report around :func:`laureate_writer.api.apalmares`. The CLI only parses
options and prints; scripts can call :func:`run` the same way."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laureate_writer.palmares import LoadedEdition
from laureate_writer.production.journal import Journal
from laureate_writer.production.report import Tally
from laureate_writer.writers.base import Writer


class RunError(Exception):
    """A run that cannot start (bad options, journal not writable): one line for the user."""


def journal_path(edition: Path, given: Path | None, cache_path: Path) -> Path:
    """The journal of an edition: ``given``, or one per edition file beside the cache."""
    if given is not None:
        return given
    digest = hashlib.sha256(str(edition.resolve()).encode()).hexdigest()[:12]
    return cache_path.parent / "journals" / f"{edition.stem}-{digest}.sqlite3"


@dataclass
class Run:
    result: Any  # api.PalmaresOutcome
    writer: Writer
    tally: Tally
    journal: Journal | None
    via: str

    def report(self, **extra: Any) -> dict[str, Any]:
        """The run's JSON report (``--report``)."""
        production = self.result.production
        return self.tally.as_json(
            calls=getattr(self.writer, "calls", None),
            journal=str(self.journal.path) if self.journal else None,
            articles=[str(p) for p in production.written],
            peak_concurrency=production.peak_concurrency,
            **({"batch": self.writer.stats()} if self.via == "batch" else {}),  # type: ignore[attr-defined]
            **extra,
        )

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def run(
    loaded: LoadedEdition,
    writer: Writer,
    *,
    style: Any,
    concurrency: int,
    revise_rounds: int = 2,
    rpm: float | None = None,
    resume: bool = False,
    journal: Path | None = None,
    via: str = "interactive",
    poll_interval: float = 10.0,
    out_dir: Path | None = None,
    page_dir: Path | None = None,
    progress: bool = True,
    force: bool = False,
) -> Run:
    """Draft the edition's page with ``writer``. Model runs are journaled (``resume``
    keeps what a stopped run finished); ``via="batch"`` goes through the Batch API.
    Ctrl-C stops cleanly: ``run.result.interrupted`` is then true."""
    from laureate_writer import api
    from laureate_writer.production.progress import Progress

    if rpm is not None and rpm <= 0:
        raise RunError("--rpm : doit être un nombre positif de requêtes par minute")
    uses_model = writer.name != "offline"
    if via == "batch" and not uses_model:
        raise RunError("--via batch demande un modèle (--model, LW_MODEL ou laureate-writer.toml)")
    run_journal = None
    if uses_model and journal is not None:
        try:
            run_journal = Journal(journal, fresh=not resume)
        except Exception as exc:  # sqlite3.Error, OSError
            raise RunError(f"{journal} : journal illisible : {exc}") from None
    if via == "batch":
        from laureate_writer.production.batch import BatchWriter

        try:
            writer = BatchWriter(
                writer, journal=run_journal, poll_interval=poll_interval, concurrency=concurrency
            )
        except ValueError as exc:
            raise RunError(str(exc)) from None
    laureates = [(d.id, d.laureate.name) for _, d in loaded.dossiers]
    tally = Tally(laureates, model=writer.model, via=via)
    with Progress(tally, enabled=progress and uses_model):
        result = asyncio.run(
            api.apalmares(
                loaded,
                writer=writer,
                page_dir=page_dir,
                style=style,
                revise_rounds=revise_rounds,
                rpm=rpm,
                concurrency=getattr(writer, "gate_limit", concurrency),
                journal=run_journal,
                out_dir=out_dir,
                tally=tally,
                handle_signals=True,
                force=force,
            )
        )
    return Run(result, writer, tally, run_journal, via)
