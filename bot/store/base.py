"""The connection every query mixin (texts, index, groups) runs on. Store opens it; the mixins
inherit from this class so each of them type-checks on its own."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from bot.store.health import translated

LIBRARY_FINGERPRINT_SQL = (
    "SELECT count(*), coalesce(max(id), 0), "
    "(SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'library_changes') FROM texts"
)
"""(texts, highest id, changes): changes whenever a text is added, replaced or removed (the
count of changes, as a removed text's id may be given again)."""


def utcnow_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreBase:
    conn: sqlite3.Connection
    path: str
    readonly: bool
    _lock: threading.RLock
    sees_every_text: bool = True
    """False in a server's view of the store (Store.view), which shows only the shared texts and
    the server's own."""
    viewer: int | None = None
    """The server a view shows texts to; None: the shared library alone."""

    def visible(self, alias: str = "t") -> tuple[str, tuple[int, ...]]:
        """An SQL condition (" AND ...") keeping the rows of `alias` (a texts row) this store
        shows, and its parameters: nothing for the whole store."""
        if self.sees_every_text:
            return "", ()
        if self.viewer is None:
            return f" AND {alias}.guild_id IS NULL", ()
        return f" AND ({alias}.guild_id IS NULL OR {alias}.guild_id = ?)", (self.viewer,)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (a failed COMMIT included, as
        on a full disk): nothing is half-written, and what earlier transactions stored stays."""
        with self._lock, translated(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise

    def _roll_back(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # SQLite rolled back already (it may, on a full disk)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock, translated(self.path):
            return self.conn.execute(sql, params).fetchall()


def new_id(cursor: sqlite3.Cursor) -> int:
    """The id an INSERT of one row gave it (sqlite3 types `lastrowid` as optional: other
    statements have none)."""
    if cursor.lastrowid is None:
        raise RuntimeError("the statement inserted no row")
    return cursor.lastrowid


def stamp(moment: datetime) -> str:
    """How the store writes a moment: ISO 8601 to the second, with the offset it was given in."""
    return moment.isoformat(timespec="seconds")
