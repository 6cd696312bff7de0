"""Adding a text costs one text, and takes one short transaction.

Everything that depends on the text alone is worked out first, outside any transaction and
without the store's lock (`prepare_text`: each paragraph's canonical spelling, its words, its
index terms). Then one transaction stores it whole: the text, its passages and paragraphs (the
index follows by trigger), the word counts, the term lists of the terms it holds
(bot/store/term_lists.py), old versions nobody reads deleted. A crash before COMMIT leaves
nothing of it; nothing library-wide is read or rebuilt.

The transaction runs on a connection of its own (a file's: WAL lets the store's connection go
on reading meanwhile, so searches keep answering), one change at a time. What it changed is
kept in memory (`LibraryChange`), so the figures the store keeps about the whole library
(Store.derived: the spelling lexicon, the word statistics) follow it instead of being read
again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace

from bot.models import Passage, TextMeta
from bot.store import index
from bot.store.base import LIBRARY_FINGERPRINT_SQL, StoreBase, new_id, utcnow_text
from bot.store.health import translated
from bot.store.index import term_lists_stamp
from bot.store.statistics import (
    TextStatistics,
    change_word_counts,
    count_library_change,
    keep_private_statistics,
    text_statistics,
)
from bot.store.term_lists import (
    IndexTotals,
    add_to_lists,
    build_list,
    index_totals,
    listed_terms,
    remove_from_lists,
    term_docs,
)
from bot.terms.variants import TOKEN, canonical_text

LISTS_GROWTH = 2
"""The term lists are built again when the index has grown this many times since they were."""
CHANGES_KEPT = 64
"""Changes remembered for the figures in memory to catch up with (more: they are read again)."""
BUSY_SECONDS = 60
"""How long a write waits for another connection's transaction (a large text's) to end."""


@dataclass(frozen=True)
class PreparedText:
    """A text ready to store: all that can be worked out without the library."""

    slug: str
    path: str
    meta: TextMeta
    content_hash: str
    guild_id: int | None
    passages: tuple[Passage, ...]
    searches: tuple[str, ...]
    """Each paragraph in canonical spelling, in order: what the index holds."""
    words: Counter
    stats: TextStatistics
    size: int

    @property
    def word_count(self) -> int:
        return sum(p.word_count for p in self.passages)


def prepare_text(
    slug: str,
    path: str,
    meta: TextMeta,
    content_hash: str,
    passages: Sequence[Passage],
    guild_id: int | None = None,
    holders: bool = True,
) -> PreparedText:
    """Linear in the text's size; touches no database. `holders`: which paragraphs hold each
    term, for merging the text into the term lists (not needed when they are built later)."""
    searches = tuple(canonical_text(p.plain) for passage in passages for p in passage.paragraphs)
    words: Counter = Counter()
    for search in searches:
        words.update(TOKEN.findall(search))
    size = sum(len(p.body.encode("utf-8")) for passage in passages for p in passage.paragraphs)
    stats = text_statistics(searches, holders)
    return PreparedText(slug, path, meta, content_hash, guild_id, tuple(passages), searches, words, stats, size)


@dataclass
class LibraryChange:
    """What one committed change did to the library: signed counts of words, of each index term's
    paragraphs and occurrences, paragraphs and tokens; texts that became current or stopped being."""

    words: Counter = field(default_factory=Counter)
    docs: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)
    paragraphs: int = 0
    tokens: int = 0
    became_current: list[tuple[int, str, str]] = field(default_factory=list)
    """(id, slug, author) of texts added."""
    left: set[int] = field(default_factory=set)
    """Ids of texts no longer current (replaced, removed or deleted)."""
    deleted: set[int] = field(default_factory=set)
    lists_kept: bool = False
    """The term lists were updated with the change (they were the library's before it)."""
    lists_later: bool = False
    """The term lists were left for the caller to rebuild once, after many changes (an ingest of
    a folder: merging each text into them would cost more than building them once)."""

    def grow(self, words: Counter, stats: TextStatistics, sign: int = 1) -> None:
        for word, n in words.items():
            self.words[word] += sign * n
        for term, n in stats.docs.items():
            self.docs[term] += sign * n
        for term, n in stats.counts.items():
            self.counts[term] += sign * n
        self.paragraphs += sign * len(stats.lengths)
        self.tokens += sign * stats.tokens


def apply_counts(table: dict[str, int], changes: Mapping[str, int]) -> dict[str, int]:
    """A table of counts with signed changes added (a count that falls to 0 leaves it), in place."""
    for key, n in changes.items():
        total = table.get(key, 0) + n
        if total > 0:
            table[key] = total
        else:
            table.pop(key, None)
    return table


class AdditionStore(StoreBase):
    """Mixed into Store."""

    _adding: threading.RLock
    _writers: dict[str, sqlite3.Connection]
    """The writing connection, once opened: in a dict that the store's views share with it."""
    _changes: deque

    _words_for_terms: Callable[..., dict[str, str]]  # IndexStore's

    def _init_additions(self) -> None:
        self._adding = threading.RLock()
        self._writers = {}
        self._changes = deque(maxlen=CHANGES_KEPT)

    @contextmanager
    def library_change(self) -> Iterator[tuple[sqlite3.Connection, LibraryChange]]:
        """One transaction that changes the library's texts, on the writing connection, one at a
        time; what it did is remembered once it is committed."""
        with self._adding:
            conn = self.writer_connection()
            with self._lock if conn is self.conn else nullcontext(), translated(self.path):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    before = tuple(conn.execute(LIBRARY_FINGERPRINT_SQL).fetchone())
                    change = LibraryChange()
                    yield conn, change
                    count_library_change(conn)
                    after = tuple(conn.execute(LIBRARY_FINGERPRINT_SQL).fetchone())
                    if change.lists_kept:  # the term lists were updated with it: they are the library's
                        conn.execute(
                            "INSERT OR REPLACE INTO meta (key, value) VALUES ('term_lists', ?)",
                            (term_lists_stamp(after),),
                        )
                    conn.execute("COMMIT")
                except BaseException:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.OperationalError:
                        pass  # SQLite rolled back already (it may, on a full disk)
                    raise
            self._changes.append((before, after, change))
        if not change.lists_kept and not change.lists_later:
            self.refresh_term_lists()  # type: ignore[attr-defined]  # out of date before: rebuilt whole, as always

    def writer_connection(self) -> sqlite3.Connection:
        """A file's own connection for the library's changes; an in-memory store has only one."""
        if self.path == ":memory:":
            return self.conn
        with self._adding:
            if "writer" not in self._writers:
                with translated(self.path):
                    writer = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                    writer.row_factory = sqlite3.Row
                    writer.execute("PRAGMA foreign_keys = ON")
                    writer.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
                    writer.execute("PRAGMA synchronous = NORMAL")
                self._writers["writer"] = writer
            return self._writers["writer"]

    def changes_since(self, fingerprint: tuple[int, ...]) -> list[LibraryChange] | None:
        """The changes that led from `fingerprint` to the library as it is now, in order, if this
        store made them all (and remembers them); None when another process changed it too."""
        now = self.library_fingerprint()  # type: ignore[attr-defined]
        chain: list[LibraryChange] = []
        at = fingerprint
        for before, after, change in list(self._changes):
            if before == at:
                chain.append(change)
                at = after
        return chain if at == now else None

    # -- storing --------------------------------------------------------------------------------

    def store_text(
        self, text: PreparedText, lists_later: bool = False, *, update: bool = True, by_source: bool = False
    ) -> tuple[int, bool]:
        """Store a prepared text as the current version of its slug in its library (a server's,
        or the shared one), in one transaction; old versions no plan refers to are deleted. The
        term lists take it in, unless `lists_later`: then the caller rebuilds them once it has
        stored all it has (refresh_term_lists). Without `update`, a slug another text has is
        not taken: the text gets the first free `slug-2`, `slug-3`..., unless (`by_source`) a
        text from the same path is current, which it updates. Returns its id and whether it
        updated a text."""
        with self._adding:
            coming = [] if lists_later else self._terms_coming_of_age(text.stats)
            with self.library_change() as (conn, change):
                current = None
                if by_source:
                    current = conn.execute(
                        """SELECT slug FROM texts WHERE path = ? AND guild_id IS ? AND is_current = 1
                           ORDER BY id DESC LIMIT 1""",
                        (text.path, text.guild_id),
                    ).fetchone()
                if current is not None:
                    text = replace(text, slug=current[0])
                elif not update:
                    text = replace(text, slug=free_slug(conn, text.slug, text.guild_id))
                change.lists_later = lists_later
                lists = change.lists_kept = not lists_later and self._lists_in_step(conn)
                totals = index_totals(conn)
                old = [
                    r[0]
                    for r in conn.execute(
                        "SELECT id FROM texts WHERE slug = ? AND guild_id IS ? AND is_current = 1",
                        (text.slug, text.guild_id),
                    )
                ]
                conn.execute(
                    "UPDATE texts SET is_current = 0 WHERE slug = ? AND guild_id IS ? AND is_current = 1",
                    (text.slug, text.guild_id),
                )
                change.left.update(old)
                for old_id in self._unread_versions(conn, text.slug, text.guild_id):
                    gone = self.delete_version(conn, old_id, change, lists)
                    totals = IndexTotals(totals.rows - gone.rows, totals.tokens - gone.tokens)
                text_id = self._insert(conn, text)
                first_id = self._insert_paragraphs(conn, text_id, text)
                if text.guild_id is not None:
                    keep_private_statistics(conn, text_id, text.words, text.stats)
                change_word_counts(conn, text.words, Counter())
                if lists:
                    add_to_lists(conn, text.stats, first_id, totals, index.TERM_LIST_SIZE)
                    self._start_lists(conn, coming)
                change.grow(text.words, text.stats)
                change.became_current.append((text_id, text.slug, text.meta.author))
        return text_id, bool(old)

    def _terms_coming_of_age(self, stats: TextStatistics) -> list[str]:
        """The text's terms without a list that it brings past TERM_LIST_MIN_DF paragraphs. Read
        before the transaction: such terms are rare, so their counts are cheap to read, and a
        count a little off costs only a list made later or one not needed."""
        conn = self.writer_connection()
        with self._lock if conn is self.conn else nullcontext(), translated(self.path):
            terms = list(stats.docs)
            listed = listed_terms(conn, terms)
            unlisted = [t for t in terms if t not in listed]
            docs = term_docs(conn, unlisted)
        return [t for t in unlisted if docs.get(t, 0) + stats.docs[t] > index.TERM_LIST_MIN_DF]

    def _start_lists(self, conn: sqlite3.Connection, terms: list[str]) -> None:
        """Lists for terms the change brought past TERM_LIST_MIN_DF, made whole by FTS5 (which
        sees the change, within its transaction)."""
        if not terms:
            return
        spelled = self._words_for_terms(set(terms), conn)
        for term, df in term_docs(conn, terms).items():
            if term in spelled and df > index.TERM_LIST_MIN_DF:
                build_list(conn, term, spelled[term], df, index.TERM_LIST_SIZE)

    def _unread_versions(self, conn: sqlite3.Connection, slug: str, guild_id: int | None) -> list[int]:
        """Versions of a text that no group, running or stopped, refers to: their posts and reads
        would point at their passages."""
        return [
            r[0]
            for r in conn.execute(
                """SELECT id FROM texts t WHERE slug = ? AND guild_id IS ? AND is_current = 0
                   AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.text_id = t.id)""",
                (slug, guild_id),
            )
        ]

    @staticmethod
    def _insert(conn: sqlite3.Connection, text: PreparedText) -> int:
        meta = text.meta
        cursor = conn.execute(
            """INSERT INTO texts (slug, title, author, year, source, language, questions, path,
               content_hash, passage_count, word_count, ingested_at, guild_id, size_bytes)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                text.slug,
                meta.title,
                meta.author,
                meta.year,
                meta.source,
                meta.language,
                json.dumps(meta.questions),
                text.path,
                text.content_hash,
                len(text.passages),
                text.word_count,
                utcnow_text(),
                text.guild_id,
                text.size,
            ),
        )
        return new_id(cursor)

    @staticmethod
    def _insert_paragraphs(conn: sqlite3.Connection, text_id: int, text: PreparedText) -> int:
        """Passages and paragraphs, the paragraphs numbered from the highest id stored plus one
        (the term lists name them by id); returns the first paragraph's id."""
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM paragraphs").fetchone()[0]
        searches = iter(text.searches)
        rowid, ordinal = first, 0
        for passage in text.passages:
            cursor = conn.execute(
                "INSERT INTO passages (text_id, ordinal, section, word_count) VALUES (?, ?, ?, ?)",
                (text_id, passage.ordinal, passage.section, passage.word_count),
            )
            passage_id = new_id(cursor)
            rows = []
            for paragraph in passage.paragraphs:
                ordinal += 1
                rows.append((rowid, passage_id, text_id, ordinal, paragraph.body, paragraph.plain, next(searches)))
                rowid += 1
            conn.executemany(
                "INSERT INTO paragraphs (id, passage_id, text_id, ordinal, body, plain, search) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return first

    # -- deleting -------------------------------------------------------------------------------

    def delete_version(
        self, conn: sqlite3.Connection, text_id: int, change: LibraryChange, lists: bool = True
    ) -> IndexTotals:
        """Delete a text version (passages, paragraphs, index entries, its groups' history goes
        first, by the caller), take its paragraphs out of the term lists and its words out of the
        counts; returns the rows and tokens it took out of the index."""
        rows = conn.execute(
            "SELECT id, search FROM paragraphs WHERE text_id = ? ORDER BY ordinal", (text_id,)
        ).fetchall()
        stats = text_statistics([r[1] for r in rows], holders=False)
        words: Counter = Counter()
        for row in rows:
            words.update(TOKEN.findall(row[1]))
        if lists:
            remove_from_lists(conn, stats, [r[0] for r in rows], index.TERM_LIST_MIN_DF)
        conn.execute("DELETE FROM texts WHERE id = ?", (text_id,))
        change_word_counts(conn, Counter(), words)
        change.grow(words, stats, sign=-1)
        change.left.add(text_id)
        change.deleted.add(text_id)
        return IndexTotals(len(rows), stats.tokens)

    # -- the term lists' stamp ------------------------------------------------------------------

    @staticmethod
    def _lists_in_step(conn: sqlite3.Connection) -> bool:
        """Whether the term lists are those of the library as it is (so a change may update them
        instead of rebuilding them)."""
        stored = conn.execute("SELECT value FROM meta WHERE key = 'term_lists'").fetchone()
        fingerprint = tuple(conn.execute(LIBRARY_FINGERPRINT_SQL).fetchone())
        return stored is not None and stored[0] == term_lists_stamp(fingerprint)

    def lists_outgrown(self) -> bool:
        """Whether the library has grown to twice what the term lists were last built for: the
        scores paragraphs joined them with have drifted enough to build them again (at a writer's
        start, Store.maintain)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'term_lists_rows'").fetchone()
        return row is not None and index_totals(self.conn).rows > LISTS_GROWTH * max(int(row[0]), 1)


def free_slug(conn: sqlite3.Connection, slug: str, guild_id: int | None = None) -> str:
    """`slug`, or the first of `slug-2`, `slug-3`... that no text of that library, current or old, has."""
    taken = {
        r[0]
        for r in conn.execute(
            "SELECT slug FROM texts WHERE (slug = ? OR slug GLOB ?) AND guild_id IS ?",
            (slug, slug + "-[0-9]*", guild_id),
        )
    }
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"
