"""What a production run did: laureate × section (ok / fixed / flagged / failed), tokens
and an estimated cost — as a table on stderr and as JSON (``--report FILE``).

The tally is filled as sections land (it also feeds the progress display). Sections taken
back from the journal are marked ``restored``: their tokens count in the page's total,
not in what this run paid.
"""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from laureate_writer.article import SECTION_ORDER, SectionKind

#: The sections a report shows (the prize label is the award's own wording, never drafted).
COLUMNS: tuple[SectionKind, ...] = tuple(k for k in SECTION_ORDER if k != SectionKind.prize_label)
STATUSES = ("ok", "fixed", "flagged", "failed")
# how people read a status (the JSON report keeps the identifiers)
STATUS_WORDS = {"ok": "ok", "fixed": "corrigée", "flagged": "signalée", "failed": "en échec"}


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


@cache
def price_table() -> dict[str, Any]:
    text = resources.files("laureate_writer.production").joinpath("prices.toml").read_text("utf-8")
    return tomllib.loads(text)


def model_prices(model: str | None) -> dict[str, float] | None:
    """USD per million tokens for ``model`` ("openai:gpt-4.1-mini", "gpt-4.1-2025-04-14"),
    or None when the model is not in the table."""
    if not model:
        return None
    name = model.split(":", 1)[1] if ":" in model else model
    models = price_table()["models"]
    for candidate in (name, re.sub(r"-\d{4}-\d{2}-\d{2}$", "", name)):
        if candidate in models:
            return models[candidate]
    return None


def estimate_cost(
    model: str | None, tokens_in: int, tokens_out: int, *, batch: bool
) -> float | None:
    prices = model_prices(model)
    if prices is None:
        return None
    cost = (tokens_in * prices["input"] + tokens_out * prices["output"]) / 1_000_000
    return round(cost * (price_table()["batch_discount"] if batch else 1.0), 6)


@dataclass
class Cell:
    status: str | None = None  # None: not landed yet
    restored: bool = False
    tokens_in: int = 0
    tokens_out: int = 0
    reason: str | None = None


@dataclass
class Tally:
    """Section by section, what happened — filled while the run goes."""

    laureates: list[tuple[str, str]]  # (id, name) in page order
    model: str | None = None
    via: str = "interactive"
    started: float = field(default_factory=time.monotonic)
    on_change: Callable[[], None] | None = None
    cells: dict[tuple[str, SectionKind], Cell] = field(default_factory=dict)
    interrupted: bool = False
    finished: float | None = None

    def __post_init__(self) -> None:
        for laureate_id, _ in self.laureates:
            for kind in COLUMNS:
                self.cells[(laureate_id, kind)] = Cell()

    # --- filled by the scheduler --------------------------------------------------------

    def landed(self, laureate_id: str, kind: SectionKind, tokens: tuple[int, int],
               restored: bool) -> None:  # fmt: skip
        cell = self.cells.get((laureate_id, kind))
        if cell is not None:
            cell.tokens_in, cell.tokens_out = tokens
            cell.restored = restored

    def status(
        self, laureate_id: str, kind: SectionKind, status: str, reason: str | None = None
    ) -> None:
        cell = self.cells.get((laureate_id, kind))
        if cell is None:
            return
        cell.status = status
        if reason:
            cell.reason = reason
        if self.on_change is not None:
            self.on_change()

    # --- sums ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.cells)

    def count(self, status: str | None = None, *, restored: bool | None = None) -> int:
        return sum(
            1
            for c in self.cells.values()
            if c.status is not None
            and (status is None or c.status == status)
            and (restored is None or c.restored == restored)
        )

    @property
    def done(self) -> int:
        return self.count()

    def tokens(self, *, this_run: bool = False) -> tuple[int, int]:
        cells = [c for c in self.cells.values() if not (this_run and c.restored)]
        return sum(c.tokens_in for c in cells), sum(c.tokens_out for c in cells)

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def eta(self) -> float | None:
        """Seconds left at this run's pace (sections drafted now, not restored ones)."""
        drafted = self.count(restored=False)
        left = self.total - self.done
        if left == 0:
            return 0.0
        if drafted == 0:
            return None
        return self.elapsed / drafted * left

    def cost(self, *, this_run: bool = False) -> float | None:
        t_in, t_out = self.tokens(this_run=this_run)
        return estimate_cost(self.model, t_in, t_out, batch=self.via == "batch")

    # --- output -------------------------------------------------------------------------

    def as_json(self, **extra: Any) -> dict[str, Any]:
        t_in, t_out = self.tokens()
        n_in, n_out = self.tokens(this_run=True)
        prices = model_prices(self.model)
        return {
            "model": self.model,
            "via": self.via,
            "interrupted": self.interrupted,
            "elapsed_seconds": round(self.elapsed, 3),
            "sections": {
                "total": self.total,
                "done": self.done,
                "pending": self.total - self.done,
                "restored": self.count(restored=True),
                **{s: self.count(s) for s in STATUSES},
            },
            "tokens": {
                "input": t_in,
                "output": t_out,
                "input_this_run": n_in,
                "output_this_run": n_out,
            },
            "cost": {
                "currency": price_table()["currency"],
                "estimated": self.cost(),
                "this_run": self.cost(this_run=True),
                "prices_per_million": prices,
                "batch_discount": price_table()["batch_discount"] if self.via == "batch" else None,
            },
            "laureates": [
                {
                    "id": laureate_id,
                    "name": name,
                    "sections": {
                        kind.value: _cell_json(self.cells[(laureate_id, kind)]) for kind in COLUMNS
                    },
                }
                for laureate_id, name in self.laureates
            ],
            **extra,
        }

    def cost_text(self, value: float | None) -> str:
        return (
            "inconnu"
            if value is None
            else f"{value:,.4f} $".replace(",", "\u202f").replace(".", ",")
        )

    def summary_line(self) -> str:
        t_in, t_out = self.tokens()
        counts = ", ".join(f"{self.count(s)} {STATUS_WORDS[s]}" for s in STATUSES)
        restored = self.count(restored=True)
        return (
            f"{self.done}/{self.total} sections ({counts}"
            + (f" ; {restored} repris du journal" if restored else "")
            + f"), {thousands(t_in + t_out)} jetons, coût estimé {self.cost_text(self.cost())}"
            + (f" (cette fois {self.cost_text(self.cost(this_run=True))})" if restored else "")
            + f", {self.elapsed:.1f} s".replace(".", ",")
        )

    def render(self, console: Any) -> None:
        """The laureate × section table, then the summary line, on a rich console."""
        from rich.table import Table

        table = Table(title="Production du palmarès", title_justify="left", show_lines=False)
        table.add_column("lauréat", overflow="fold")
        for kind in COLUMNS:
            table.add_column(kind.value)
        table.add_column("jetons", justify="right")
        styles = {"ok": "green", "fixed": "cyan", "flagged": "yellow", "failed": "bold red"}
        for laureate_id, _ in self.laureates:
            row = [laureate_id]
            total = 0
            for kind in COLUMNS:
                cell = self.cells[(laureate_id, kind)]
                total += cell.tokens_in + cell.tokens_out
                if cell.status is None:
                    row.append("-")
                    continue
                mark = "*" if cell.restored else ""
                row.append(f"[{styles[cell.status]}]{STATUS_WORDS[cell.status]}{mark}[/]")
            row.append(thousands(total))
            table.add_row(*row)
        console.print(table)
        if self.count(restored=True):
            console.print("* repris du journal (terminé lors d’une exécution précédente)")
        console.print(self.summary_line(), highlight=False)


def _cell_json(cell: Cell) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": cell.status or "pending",
        "restored": cell.restored,
        "tokens_in": cell.tokens_in,
        "tokens_out": cell.tokens_out,
    }
    if cell.reason:
        data["reason"] = cell.reason
    return data
