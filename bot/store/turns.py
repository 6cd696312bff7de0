"""One ingest at a time per database.

Two ingests side by side interleave their texts, each rebuilds the search's term lists for a
library the other is still changing, and one of them used to fail with "database is locked"
halfway. An ingest therefore takes its turn: an exclusive lock (flock) on a file beside the
database, which the system releases if the process dies, so a killed ingest never blocks the
next. Other writers (the bot's posts) are not held up: they only wait for SQLite's short write
transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # Windows: no flock; ingests there are not serialised
    fcntl = None  # type: ignore[assignment]


@contextmanager
def ingest_turn(db_path: str, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the database's ingest turn; call `waiting` first if another ingest has it."""
    if db_path == ":memory:" or fcntl is None:
        yield
        return
    try:
        handle = open(f"{db_path}.ingest-lock", "a+b")  # noqa: SIM115 (held open for the turn)
    except OSError:
        yield  # a folder we cannot write in: the ingest fails on the database itself, plainly
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
