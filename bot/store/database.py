"""The store: one SQLite file, one connection, every query (bot/store/*.py hold them by subject).

Texts are versioned: ingesting a changed file adds a new version and makes it current; the old
version stays only while a group is reading it, so passage numbers a group refers to never
shift under it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from bot.store.groups import GroupStore
from bot.store.index import IndexStore
from bot.store.schema import MIGRATIONS, statements
from bot.store.texts import TextStore
from bot.terms.variants import SPELLING_RULES_VERSION, TOKEN, canonical_text

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another's transaction: the longest is storing a 50 MB text
(about 10 s on two busy cores, bench/ingest_hostile.py); other writers wait their turn."""


class Store(TextStore, IndexStore, GroupStore):
    """A connection to the store. Thread-safe: the Discord adapter calls it from worker threads."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.db = sqlite_utils.Database(self.conn)
        self._lock = threading.RLock()
        self._derived: dict[Hashable, tuple[tuple[int, int], Any]] = {}
        self.conn.execute(
            f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"
        )  # first: two processes may open a new file at once
        if self.path != ":memory:":
            self.db.enable_wal()
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """`build()`, computed once per version of the library and kept with this connection.

        Search and question analysis read figures about the whole library (vocabulary, counts) on
        every call; they are recomputed only when a text is added, replaced or removed, which
        changes `library_fingerprint`, so a stale figure is never served.
        """
        fingerprint = self.library_fingerprint()
        cached = self._derived.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        value = build()
        self._derived[key] = (fingerprint, value)
        return value

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: nothing is half-written."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def backup_to(self, path: str | Path) -> None:
        """A consistent copy of the whole database (SQLite's online backup)."""
        with self._lock:
            target = sqlite3.connect(str(path))
            try:
                self.conn.backup(target)
            finally:
                target.close()

    def query(self, sql: str, params: Sequence | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def schema_version(self) -> int:
        return self.query("PRAGMA user_version")[0][0]

    def migrate(self) -> None:
        """Run every migration newer than the file's user_version, each in its own transaction."""
        with self._lock:
            for number, script in enumerate(MIGRATIONS, start=1):
                if self.schema_version() >= number:
                    continue
                with self.transaction() as conn:
                    if self.schema_version() >= number:
                        continue  # another process ran it while this one waited for the lock
                    for statement in statements(script):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")
            self._refresh_search_index()
            if self._term_lists_stamp() != self._stored_term_lists_stamp():
                self.refresh_term_lists()

    def _refresh_search_index(self) -> None:
        """Re-spell the whole index when the spelling rules changed since it was built (or it was
        built before there were any): the rules must be the same for texts and queries."""
        with self._lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'spelling_rules'").fetchone()
            if row and row[0] == SPELLING_RULES_VERSION:
                return
            with self.transaction() as conn:
                conn.create_function("canonical_text", 1, canonical_text, deterministic=True)
                conn.execute("UPDATE paragraphs SET search = canonical_text(plain)")
                conn.execute("INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('rebuild')")
                conn.execute("DELETE FROM words")
                counts = Counter()
                for (search,) in conn.execute("SELECT search FROM paragraphs"):
                    counts.update(TOKEN.findall(search))
                conn.executemany("INSERT INTO words (word, count) VALUES (?, ?)", counts.items())
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('spelling_rules', ?)", (SPELLING_RULES_VERSION,)
                )
