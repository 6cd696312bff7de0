"""`studybot ingest` as it goes: each file's line as it finishes and, on a terminal, a progress
bar under them (files, megabytes, rate, time left). Not on a terminal: the lines only."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

import click

from bot.texts import IngestOutcome, IngestProgress
from bot.texts.names import printable
from bot.texts.sources import Source, size_of

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

MB = 1024 * 1024


def size_text(count: float) -> str:
    return f"{count / MB:.1f} MB" if count >= MB / 10 else f"{count / 1024:.0f} KB"


def outcome_line(outcome: IngestOutcome) -> str:
    """One line per file: what became of it, the file's name printable whatever bytes it holds."""
    if outcome.status == "failed":
        return f"failed     {outcome.name}: {outcome.message}"
    origin = outcome.path if isinstance(outcome.path, str) else outcome.path.name
    note = f" ({outcome.message})" if outcome.message else ""
    return (
        f"{outcome.status:<10} {outcome.slug}: {outcome.passages} passages, {outcome.words} words, "
        f"from {printable(origin)}{note}"
    )


class IngestReport(IngestProgress):
    """Prints each outcome; draws a click progress bar on `bar_stream` when it is a terminal."""

    def __init__(
        self,
        bar_stream: TextIO | None = None,
        terminal: bool | None = None,
        quiet_unchanged: bool = False,
        database: str = "the database",
    ):
        self.quiet_unchanged = quiet_unchanged
        self.database = database
        self.stream = bar_stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.bar: ProgressBar[str] | None = None
        self.sizes: dict[Source, int] = {}
        self.total = self.done = self.files = self.finished_files = 0
        self.started = time.monotonic()
        self.within = 0  # bytes credited so far to the book being read

    def begin(self, sources: list[Source]) -> None:
        self.sizes = {source: size_of(source) for source in sources}
        self.files = len(sources)
        self.total = sum(self.sizes.values())
        self.started = time.monotonic()
        if self.terminal and self.files:
            self.bar = click.progressbar(
                length=max(self.total, 1),
                label="Reading",
                show_eta=True,
                show_percent=True,
                show_pos=False,
                item_show_func=lambda status: status,
                file=self.stream,
                width=24,
            )
            self.bar.__enter__()
            self._advance(0)

    def reading(self, source: Source, done: int, total: int, unit: str) -> None:
        if self.bar is None or total <= 0:
            return
        credit = self.sizes.get(source, 0) * min(done, total) // total
        self._advance(credit - self.within, f"{unit} {min(done + 1, total)} of {total}")
        self.within = credit

    def finished(self, outcome: IngestOutcome) -> None:
        self.finished_files += 1
        rest = self.sizes.get(outcome.path, 0) - self.within
        self.within = 0
        self._clear()
        if not (self.quiet_unchanged and outcome.status == "unchanged"):
            click.echo(outcome_line(outcome), err=outcome.status == "failed")
        self._advance(rest)

    def waiting(self) -> None:
        self._clear()
        click.echo(f"Another ingest is running on {self.database}; waiting for it to finish.", err=True)

    def indexing(self) -> None:
        self._advance(0, "updating the search index")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def _advance(self, steps: int, doing: str = "") -> None:
        if self.bar is None:
            return
        self.done += max(steps, 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        status = (
            f"{self.finished_files}/{self.files} files, {size_text(self.done)} of {size_text(self.total)}, "
            f"{size_text(self.done / elapsed)}/s" + (f", {doing}" if doing else "")
        )
        self.bar.update(max(steps, 0), status)
        if steps <= 0:
            self.bar.render_progress()  # click draws only on a step; the news is worth a redraw

    def _clear(self) -> None:
        """Wipe the bar's line so that an outcome line prints cleanly; the next update redraws it."""
        if self.bar is not None:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
