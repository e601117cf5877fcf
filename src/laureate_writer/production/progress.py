"""Progress of a production run on stderr: a rich progress bar on a terminal (sections
done / total, failures, tokens, elapsed, ETA), plain lines otherwise (a log, a CI job):
one every tenth of the run or every ``every`` seconds, whichever comes first."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from laureate_writer.production.report import Tally, thousands


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}\u202fs"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}\u202fmin\u202f{seconds:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}\u202fh\u202f{minutes:02d}"


def status_line(tally: Tally) -> str:
    t_in, t_out = tally.tokens()
    percent = 100 * tally.done // tally.total if tally.total else 100
    return (
        f"palmarès : {tally.done}/{tally.total} sections ({percent} %), "
        f"{tally.count('failed')} en échec, {thousands(t_in + t_out)} jetons, "
        f"{_duration(tally.elapsed)} écoulées, reste {_duration(tally.eta())}"
    )


class Progress:
    """Follows a :class:`Tally`; ``start()``/``stop()`` around the run (or ``with``)."""

    def __init__(
        self,
        tally: Tally,
        *,
        stream: IO[str] | None = None,
        rich: bool | None = None,
        every: float = 15.0,
        enabled: bool = True,
    ) -> None:
        self.tally = tally
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.rich = self.stream.isatty() if rich is None else rich
        self.every = every
        self._progress: Any = None
        self._task: Any = None
        self._last_line = 0.0
        self._last_step = -1
        tally.on_change = self.refresh

    def start(self) -> Progress:
        if not self.enabled:
            return self
        if self.rich:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            self._progress = RichProgress(
                TextColumn("[bold]palmarès"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("sections"),
                TextColumn("{task.fields[failed]}"),
                TextColumn("{task.fields[tokens]} jetons"),
                TimeElapsedColumn(),
                TextColumn("reste {task.fields[eta]}"),
                console=Console(file=self.stream),
                transient=False,
            )
            self._task = self._progress.add_task(
                "palmarès", total=self.tally.total, failed="", tokens="0", eta="?"
            )
            self._progress.start()
        self.refresh()
        return self

    def refresh(self) -> None:
        if not self.enabled:
            return
        if self._progress is not None:
            t_in, t_out = self.tally.tokens()
            failed = self.tally.count("failed")
            self._progress.update(
                self._task,
                completed=self.tally.done,
                failed=f"[red]{failed} en échec[/]" if failed else "",
                tokens=thousands(t_in + t_out),
                eta=_duration(self.tally.eta()),
            )
            return
        if self.rich:
            return  # started with rich, already stopped
        step = 10 * self.tally.done // max(1, self.tally.total)
        now = time.monotonic()
        if step != self._last_step or now - self._last_line >= self.every:
            self._last_step, self._last_line = step, now
            print(status_line(self.tally), file=self.stream, flush=True)

    def stop(self) -> None:
        if self._progress is not None:
            self.refresh()
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> Progress:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
