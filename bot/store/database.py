"""The store: one SQLite file, one connection, every query (bot/store/*.py hold them by subject).

Texts are versioned: ingesting a changed file adds a new version and makes it current; the old
version stays only while a group is reading it, so passage numbers a group refers to never
shift under it.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from bot.errors import NotFoundError, StoreError
from bot.store.additions import BUSY_SECONDS, LibraryChange
from bot.store.clusters import ClusterStore
from bot.store.groups import GroupStore
from bot.store.health import LATEST_VERSION, check_schema, check_version, older, translated
from bot.store.index import IndexStore
from bot.store.members import CatchupStore, DigestStore, MemberStore, PollStore, StreakStore
from bot.store.questions import QuestionStore
from bot.store.schema import MIGRATIONS, statements
from bot.store.servers import ServerStore
from bot.store.statistics import keep_private_statistics, text_statistics
from bot.store.texts import TextStore
from bot.terms.variants import SPELLING_RULES_VERSION, TOKEN, canonical_text

T = TypeVar("T")

MAX_ID = 2**63 - 1
"""SQLite's largest integer: a larger id (typed, or read from a button) names no row, and
binding it would raise OverflowError; callers check against this before asking."""

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another's transaction: the longest is storing a 50 MB text
(about 10 s on two busy cores, bench/ingest_hostile.py); other writers wait their turn."""


class Store(
    TextStore,
    IndexStore,
    GroupStore,
    QuestionStore,
    MemberStore,
    CatchupStore,
    StreakStore,
    DigestStore,
    PollStore,
    ServerStore,
    ClusterStore,
):
    """A connection to the store. Thread-safe: the Discord adapter calls it from worker threads."""

    def __init__(self, path: str | Path, *, readonly: bool = False, maintain: bool = True):
        """Open the store. A writer (the default) brings the file up to date: migrations, then
        the derived tables (search index spelling, term lists). A reader (`readonly`, for
        commands that only look) writes nothing at all, so it works on a full disk, beside a
        running bot, on a file it may not write; it reads derived tables as they are.

        Either way a file made by a newer studybot, or missing part of the schema, is refused
        with a StoreError saying what to do, before anything is written. `maintain=False` is
        for `studybot doctor --repair` alone: a writer that only migrates, checking nothing."""
        self.path = str(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        self._derived: dict[Hashable, tuple[tuple[int, ...], Any]] = {}
        self._building: dict[Hashable, threading.Lock] = {}
        self._building_lock = threading.Lock()
        self._init_additions()
        memory = self.path == ":memory:"
        if readonly and not memory and not Path(self.path).is_file():
            raise NotFoundError(f"There is no database at {self.path} yet; run `studybot ingest` to create it.")
        if not memory and not readonly:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open(maintain)
        except (StoreError, sqlite3.OperationalError) as error:
            if not (readonly and could_not_share(error) and not wal_holds_anything(self.path)):
                raise
            # On a full disk a reader cannot make the index of shared memory (the -shm file) a
            # WAL database wants. With nothing in the WAL, no writer is at work and the file alone
            # holds the whole database: read it as it is.
            self._open(maintain, immutable=True)

    def _open(self, maintain: bool, immutable: bool = False) -> None:
        memory = self.path == ":memory:"
        target = self.path
        if self.readonly and not memory:
            target = reading_uri(self.path, immutable)
        self.conn = sqlite3.connect(target, uri=self.readonly, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.db = sqlite_utils.Database(self.conn)
        try:
            with translated(self.path):
                # First: two processes may open a new file at once, and one waits for the other.
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                version = check_version(self.conn, self.path)
                self.conn.execute("PRAGMA foreign_keys = ON")
                if self.readonly:
                    self._open_for_reading(version)
                else:
                    if not memory:
                        self.db.enable_wal()
                    self.conn.execute("PRAGMA synchronous = NORMAL")
                    self.conn.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")  # a large text's transaction
                    self.migrate()
                    if maintain:
                        self.maintain()
        except BaseException:
            self.conn.close()
            raise

    def _open_for_reading(self, version: int) -> None:
        if version == 0 and not self.query("SELECT 1 FROM sqlite_master LIMIT 1"):
            raise NotFoundError(f"The database {self.path} is empty; run `studybot ingest` to load texts into it.")
        if version < LATEST_VERSION:
            raise older(self.path, version)
        check_schema(self.conn, self.path)

    def checkpoint(self) -> None:
        """Fold the WAL into the file and empty it: a file just made (`studybot reshard`) is then
        whole on its own."""
        with self._lock, translated(self.path):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._adding, self._lock:
            for writer in self._writers.values():
                writer.close()
            self.conn.close()

    def derived(
        self, key: Hashable, build: Callable[[], T], update: Callable[[T, LibraryChange], T | None] | None = None
    ) -> T:
        """`build()`, computed once per version of the library and kept with this connection.

        Search and question analysis read figures about the whole library (vocabulary, counts) on
        every call; they are recomputed only when a text is added, replaced or removed, which
        changes `library_fingerprint`, so a stale figure is never served. When this store made
        the changes since, `update(figure, change)` brings the figure up to date for each of them
        instead (a text's worth of work, not the library's; None: build it again). One thread
        builds a figure while others asking for it wait: building it in several at once (seconds
        of Python at a large library) would only multiply the work and starve the event loop.
        """
        fingerprint = self.library_fingerprint()
        cached = self._derived.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        with self._building_lock:  # not the store's lock: a build runs queries, which take it
            building = self._building.setdefault(key, threading.Lock())
        with building:
            cached = self._derived.get(key)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]  # another thread built it meanwhile
            value = self._updated(cached, update) if cached is not None and update is not None else None
            if value is None:
                value = build()
            self._derived[key] = (fingerprint, value)
            return value

    def _updated(self, cached: tuple[tuple[int, ...], Any], update: Callable[[Any, LibraryChange], Any]) -> Any:
        """The figure brought up to date with the changes this store made since it was built, or
        None when some change was not this store's (another process's ingest)."""
        changes = self.changes_since(cached[0])
        if changes is None:
            return None
        value = cached[1]
        for change in changes:
            value = update(value, change)
            if value is None:
                return None
        return value

    def view(self, guild_id: int | None) -> Store:
        """The store as a server sees it: the shared texts and its own (`guild_id` None or 0: the
        shared texts alone). Every query of texts, passages, paragraphs and matches answers from
        those; search leaves out the words and terms only other servers' texts hold (`hidden_*`).
        Shares this store's connection, lock and figures: a view costs nothing to make. The
        library-wide figures (Store.derived) are the same for every view, so they must be built
        only from queries a view does not narrow (word counts, the index's vocabulary)."""
        view = copy.copy(self)
        view.sees_every_text = False
        view.viewer = guild_id or None
        return view

    def impatient(self) -> Store | None:
        """Another connection to this file that never waits for a lock: when another writer
        holds it, its write fails at once (`busy(error)` says so) having written nothing. For
        cheap work on the event loop (Mark as read), which must never wait on SQLite: its reads
        never wait in WAL mode, and its writes either go through at once or are left to a
        thread. It does not checkpoint the WAL (a checkpoint's writes would hold the loop); the
        patient connections do. None for a database in memory (no second connection sees it)
        and for a reader. The caller closes it."""
        if self.path == ":memory:" or self.readonly:
            return None
        other = Store(self.path, maintain=False)  # this store brought the file up to date
        other.conn.execute("PRAGMA busy_timeout = 0")
        other.conn.execute("PRAGMA wal_autocheckpoint = 0")
        return other

    # -- plumbing -------------------------------------------------------------------------------

    def copy_in_memory(self) -> Store:
        """A private copy of the whole database, in memory (SQLite's online backup): the
        console's, which leaves nothing on disk however its session ends. Memory: the file's size."""
        copy = Store(":memory:")
        with self._lock:
            self.conn.backup(copy.conn)
        return copy

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

    def maintain(self) -> None:
        """Check the schema is whole, then bring the derived tables up to date. Writers only."""
        with self._lock, translated(self.path):
            check_schema(self.conn, self.path)
            self._refresh_search_index()
            if self._term_lists_stamp() != self._stored_term_lists_stamp() or self.lists_outgrown():
                self.refresh_term_lists()

    def _refresh_search_index(self) -> None:
        """Re-spell the whole index when the spelling rules changed since it was built (or it was
        built before there were any): the rules must be the same for texts and queries."""
        with self._lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'spelling_rules'").fetchone()
            if row and row[0] == SPELLING_RULES_VERSION:
                return
            with self.transaction() as conn:
                rebuild_search_index(conn)


def rebuild_search_index(conn: sqlite3.Connection) -> None:
    """Derive the index from the stored paragraphs alone: each paragraph's canonical spelling,
    the FTS5 index over it, and the word counts (within the caller's transaction)."""
    conn.create_function("canonical_text", 1, canonical_text, deterministic=True)
    conn.execute("UPDATE paragraphs SET search = canonical_text(plain)")
    conn.execute("INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM words")
    conn.executemany("INSERT INTO words (word, count) VALUES (?, ?)", count_words(conn).items())
    rebuild_private_statistics(conn)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('spelling_rules', ?)", (SPELLING_RULES_VERSION,))


def rebuild_private_statistics(conn: sqlite3.Connection) -> None:
    """Count the words and index terms of every server's own text again (text_words, text_terms)."""
    conn.execute("DELETE FROM text_words")
    conn.execute("DELETE FROM text_terms")
    for (text_id,) in conn.execute("SELECT id FROM texts WHERE guild_id IS NOT NULL").fetchall():
        searches = [
            r[0] for r in conn.execute("SELECT search FROM paragraphs WHERE text_id = ? ORDER BY ordinal", (text_id,))
        ]
        words: Counter = Counter()
        for search in searches:
            words.update(TOKEN.findall(search))
        keep_private_statistics(conn, text_id, words, text_statistics(searches, holders=False))


def count_words(conn: sqlite3.Connection) -> Counter:
    """Each word of the stored paragraphs (in canonical spelling) with how often it occurs: what
    the `words` table must hold."""
    counts: Counter = Counter()
    for (search,) in conn.execute("SELECT search FROM paragraphs"):
        counts.update(TOKEN.findall(search))
    return counts


def busy(error: BaseException) -> bool:
    """Whether `error` is SQLite refusing a write because another connection holds the lock
    (an impatient store's answer instead of waiting)."""
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
    return isinstance(error, sqlite3.OperationalError) and code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def closed(error: BaseException) -> bool:
    """Whether `error` is SQLite saying its connection was closed: the process is shutting down
    (a command still on a thread when the bot stops), not a fault to report."""
    return isinstance(error, sqlite3.ProgrammingError) and "closed database" in str(error)


def reading_uri(path: str, immutable: bool = False) -> str:
    """The URI that opens a database file read-only (and, `immutable`, without the -shm file)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def could_not_share(error: Exception) -> bool:
    """The open failed on the disk (I/O error, cannot open a file), not on the database."""
    cause = error if isinstance(error, sqlite3.Error) else error.__cause__
    code = (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF
    return code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL)


def wal_holds_anything(path: str) -> bool:
    wal = Path(path + "-wal")
    return wal.exists() and wal.stat().st_size > 0
