"""What `ingest` says as it goes, for front ends that show progress: the CLI's progress bar now,
a Discord message ("Reading chapter 7 of 21") later. The base class says nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.texts.library import IngestOutcome
    from bot.texts.sources import Source


class IngestProgress:
    def waiting(self) -> None:
        """Another ingest holds this database: this one waits for it to finish."""

    def begin(self, sources: list[Source]) -> None:
        """The files and addresses about to be read, folders already expanded."""

    def reading(self, source: Source, done: int, total: int, unit: str) -> None:
        """Inside one book: `done` of `total` units ("chapter", "page") read."""

    def finished(self, outcome: IngestOutcome) -> None:
        """One file or address read and stored, found unchanged, or failed."""

    def indexing(self) -> None:
        """The search index is being brought up to date: with a text read (merged into it), or
        with all the texts of a large ingest at once."""
