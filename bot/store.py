"""The SQLite store: schema, migrations and every query. Only this module writes SQL.

One file holds everything. Migrations are numbered and run at open (PRAGMA user_version).
Texts are versioned: ingesting a changed file adds a new version and makes it current; the old
version stays only while a group is reading it, so passage numbers a group refers to never
shift under it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from bot.index_terms import porter
from bot.models import Delivery, Group, Passage, StoredPassage, Text, TextMeta
from bot.variants import SPELLING_RULES_VERSION, TOKEN, canonical_text

MIGRATIONS: list[str] = [
    # 1: texts, passages, paragraphs and the keyword index over paragraphs.
    """
    CREATE TABLE texts (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        year INTEGER,
        source TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en',
        questions TEXT NOT NULL DEFAULT '{}',
        path TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        is_current INTEGER NOT NULL DEFAULT 1,
        passage_count INTEGER NOT NULL,
        word_count INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX texts_current_slug ON texts(slug) WHERE is_current = 1;
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        section TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        UNIQUE (text_id, ordinal)
    );
    CREATE TABLE paragraphs (
        id INTEGER PRIMARY KEY,
        passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        body TEXT NOT NULL,
        plain TEXT NOT NULL,
        UNIQUE (text_id, ordinal)
    );
    CREATE INDEX paragraphs_passage ON paragraphs(passage_id);
    CREATE VIRTUAL TABLE paragraphs_fts USING fts5(
        plain, content='paragraphs', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER paragraphs_ai AFTER INSERT ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(rowid, plain) VALUES (new.id, new.plain);
    END;
    CREATE TRIGGER paragraphs_ad AFTER DELETE ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(paragraphs_fts, rowid, plain) VALUES ('delete', old.id, old.plain);
    END;
    """,
    # 2: reading groups, their daily posts, and who has read what.
    """
    CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        text_id INTEGER NOT NULL REFERENCES texts(id),
        next_ordinal INTEGER NOT NULL DEFAULT 1,
        post_time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        weekdays TEXT NOT NULL,
        pace INTEGER NOT NULL DEFAULT 1,
        paused INTEGER NOT NULL DEFAULT 0,
        pause_reason TEXT,
        last_error TEXT,
        created_by INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        stopped_at TEXT
    );
    CREATE UNIQUE INDEX groups_active_channel ON groups(channel_id) WHERE stopped_at IS NULL;
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        local_date TEXT NOT NULL,
        first_ordinal INTEGER NOT NULL,
        last_ordinal INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'failed')),
        message_id INTEGER,
        thread_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        claimed_at TEXT NOT NULL,
        posted_at TEXT,
        UNIQUE (group_id, local_date)
    );
    CREATE TABLE reads (
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        passage_id INTEGER NOT NULL REFERENCES passages(id),
        read_at TEXT NOT NULL,
        PRIMARY KEY (group_id, user_id, passage_id)
    );
    """,
    # 3: the index's vocabulary (library-wide word counts for question analysis) and a cache of
    # questions written by the optional language model.
    """
    CREATE VIRTUAL TABLE paragraphs_vocab USING fts5vocab(paragraphs_fts, 'row');
    CREATE TABLE llm_questions (
        passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,
        questions TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (passage_id, model, prompt_hash)
    );
    """,
    # 4: the index holds each paragraph with its words in canonical spelling (bot/variants.py),
    # so spelling variants match; `words` counts those words, for spelling suggestions.
    """
    ALTER TABLE paragraphs ADD COLUMN search TEXT NOT NULL DEFAULT '';
    DROP TRIGGER paragraphs_ai;
    DROP TRIGGER paragraphs_ad;
    DROP TABLE paragraphs_vocab;
    DROP TABLE paragraphs_fts;
    CREATE VIRTUAL TABLE paragraphs_fts USING fts5(
        search, content='paragraphs', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE paragraphs_vocab USING fts5vocab(paragraphs_fts, 'row');
    CREATE TRIGGER paragraphs_ai AFTER INSERT ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(rowid, search) VALUES (new.id, new.search);
    END;
    CREATE TRIGGER paragraphs_ad AFTER DELETE ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(paragraphs_fts, rowid, search) VALUES ('delete', old.id, old.search);
    END;
    CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 5: for each common index term, its best paragraphs by BM25 ("champion lists"), so a search
    # for common words need not have FTS5 score every paragraph that holds them
    # (Store.refresh_term_lists; ids and scores are array('i') and array('f') bytes).
    """
    CREATE TABLE term_lists (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL,
        floor REAL NOT NULL,
        ids BLOB NOT NULL,
        scores BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
]

TERM_LIST_MIN_DF = 250
"""Terms in more paragraphs than this get a list: below it FTS5 ranks all of them quickly."""
TERM_LIST_SIZE = 1000
"""Paragraphs kept per list: far more than the candidates a search re-ranks."""


def utcnow_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class GroupStore:
    """Queries for groups, their posts and reads. Mixed into Store; kept apart to read easily."""

    query: callable
    transaction: callable

    # -- groups ---------------------------------------------------------------------------------

    def create_group(
        self, guild_id: int, channel_id: int, text_id: int, post_time: str, timezone_name: str,
        weekdays: frozenset[int], pace: int, start_ordinal: int, created_by: int, now: str,
    ) -> Group | None:
        """A new group for the channel, or None if the channel already has an active one."""
        with self.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM groups WHERE channel_id = ? AND stopped_at IS NULL", (channel_id,)
            ).fetchone():
                return None
            group_id = conn.execute(
                """INSERT INTO groups (guild_id, channel_id, text_id, next_ordinal, post_time, timezone,
                   weekdays, pace, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (guild_id, channel_id, text_id, start_ordinal, post_time, timezone_name,
                 _weekdays_text(weekdays), pace, created_by, now),
            ).lastrowid
        return self.group_by_id(group_id)

    def group_for_channel(self, channel_id: int) -> Group | None:
        rows = self.query("SELECT * FROM groups WHERE channel_id = ? AND stopped_at IS NULL", (channel_id,))
        return _group(rows[0]) if rows else None

    def group_by_id(self, group_id: int) -> Group | None:
        rows = self.query("SELECT * FROM groups WHERE id = ?", (group_id,))
        return _group(rows[0]) if rows else None

    def groups_in_guild(self, guild_id: int) -> list[Group]:
        rows = self.query("SELECT * FROM groups WHERE guild_id = ? AND stopped_at IS NULL ORDER BY id", (guild_id,))
        return [_group(r) for r in rows]

    def update_group(self, group_id: int, **changes) -> Group:
        """Change plan settings: post_time, timezone, weekdays, pace, next_ordinal, paused, ..."""
        allowed = {"post_time", "timezone", "weekdays", "pace", "next_ordinal", "paused",
                   "pause_reason", "last_error", "stopped_at"}
        if not changes or not set(changes) <= allowed:
            raise ValueError(f"cannot change {set(changes) - allowed}")
        if "weekdays" in changes:
            changes["weekdays"] = _weekdays_text(changes["weekdays"])
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self.transaction() as conn:
            conn.execute(f"UPDATE groups SET {assignments} WHERE id = ?", (*changes.values(), group_id))
            if changes.get("paused") == 0:
                # Resuming after a failure: a failed post that never went out may be tried again;
                # one whose message did go out is finished (found by its id), never sent again.
                conn.execute(
                    "DELETE FROM deliveries WHERE group_id = ? AND status = 'failed' AND message_id IS NULL",
                    (group_id,),
                )
                conn.execute(
                    "UPDATE deliveries SET status = 'pending' WHERE group_id = ? AND status = 'failed'",
                    (group_id,),
                )
        return self.group_by_id(group_id)

    def active_groups_with_last_post(self) -> list[tuple[Group, str | None]]:
        """Every running group with the local date of its last post made or given up on."""
        rows = self.query(
            """SELECT g.*, (SELECT max(local_date) FROM deliveries d
                            WHERE d.group_id = g.id AND d.status != 'pending') AS last_done
               FROM groups g JOIN texts t ON t.id = g.text_id
               WHERE g.stopped_at IS NULL AND g.paused = 0 AND g.next_ordinal <= t.passage_count"""
        )
        return [(_group(r), r["last_done"]) for r in rows]

    # -- deliveries -----------------------------------------------------------------------------

    def claim_delivery(self, group_id: int, local_date: str, now: str) -> Delivery | None:
        """Claim the group's post for a local day, once. Returns the pending delivery to send
        (a new one, or one a crash left pending), or None when the day is done or not due."""
        with self.transaction() as conn:
            existing = conn.execute(
                "SELECT * FROM deliveries WHERE group_id = ? AND local_date = ?", (group_id, local_date)
            ).fetchone()
            if existing:
                return _delivery(existing) if existing["status"] == "pending" else None
            stale = conn.execute(
                "SELECT id FROM deliveries WHERE group_id = ? AND status = 'pending' AND local_date < ?",
                (group_id, local_date),
            ).fetchone()
            if stale:
                # A post left pending on an earlier day (a crash across midnight) may already be
                # out: carry the same claim over, so its message is looked for, not sent again.
                conn.execute("UPDATE deliveries SET local_date = ? WHERE id = ?", (local_date, stale["id"]))
                return _delivery(conn.execute("SELECT * FROM deliveries WHERE id = ?", (stale["id"],)).fetchone())
            group = conn.execute(
                """SELECT g.next_ordinal, g.pace, t.passage_count FROM groups g JOIN texts t ON t.id = g.text_id
                   WHERE g.id = ? AND g.paused = 0 AND g.stopped_at IS NULL""",
                (group_id,),
            ).fetchone()
            if not group or group["next_ordinal"] > group["passage_count"]:
                return None
            last = min(group["next_ordinal"] + group["pace"] - 1, group["passage_count"])
            delivery_id = conn.execute(
                """INSERT INTO deliveries (group_id, local_date, first_ordinal, last_ordinal, status, claimed_at)
                   VALUES (?, ?, ?, ?, 'pending', ?)""",
                (group_id, local_date, group["next_ordinal"], last, now),
            ).lastrowid
        return self.delivery_by_id(delivery_id)

    def delivery_by_id(self, delivery_id: int) -> Delivery | None:
        rows = self.query("SELECT * FROM deliveries WHERE id = ?", (delivery_id,))
        return _delivery(rows[0]) if rows else None

    def start_attempt(self, delivery_id: int) -> Delivery:
        """Count an attempt before sending, so a crash mid-send is known to have maybe sent."""
        with self.transaction() as conn:
            conn.execute("UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?", (delivery_id,))
        return self.delivery_by_id(delivery_id)

    def record_message(self, delivery_id: int, message_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE deliveries SET message_id = ? WHERE id = ?", (message_id, delivery_id))

    def complete_delivery(self, delivery_id: int, message_id: int, thread_id: int | None, now: str,
                          problem: str | None = None) -> None:
        """The post is out: record it and advance the plan, together."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM deliveries WHERE id = ? AND status = 'pending'", (delivery_id,)
            ).fetchone()
            if row is None:
                return  # already recorded (or given up on): nothing to do twice
            conn.execute(
                """UPDATE deliveries SET status = 'posted', message_id = ?, thread_id = ?, posted_at = ?,
                   error = NULL WHERE id = ?""",
                (message_id, thread_id, now, delivery_id),
            )
            # Advance the plan, unless an organiser moved it (jump, skip) while this was sent.
            conn.execute(
                "UPDATE groups SET next_ordinal = ? WHERE id = ? AND next_ordinal = ?",
                (row["last_ordinal"] + 1, row["group_id"], row["first_ordinal"]),
            )
            conn.execute("UPDATE groups SET last_error = ? WHERE id = ?", (problem, row["group_id"]))

    def fail_delivery(self, delivery_id: int, error: str, permanent: bool) -> None:
        """A failed attempt: kept pending to retry, or, when it cannot succeed, failed and the
        group paused with the reason so the organiser can see it."""
        with self.transaction() as conn:
            if not permanent:
                conn.execute("UPDATE deliveries SET error = ? WHERE id = ?", (error, delivery_id))
                return
            row = conn.execute("SELECT group_id FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
            conn.execute("UPDATE deliveries SET status = 'failed', error = ? WHERE id = ?", (error, delivery_id))
            conn.execute(
                "UPDATE groups SET paused = 1, pause_reason = ?, last_error = ? WHERE id = ?",
                (error, error, row["group_id"]),
            )

    def deliveries_of(self, group_id: int, status: str | None = None) -> list[Delivery]:
        where, params = "group_id = ?", [group_id]
        if status:
            where += " AND status = ?"
            params.append(status)
        rows = self.query(f"SELECT * FROM deliveries WHERE {where} ORDER BY local_date", params)
        return [_delivery(r) for r in rows]

    def latest_delivery(self, group_id: int) -> Delivery | None:
        rows = self.query(
            "SELECT * FROM deliveries WHERE group_id = ? ORDER BY local_date DESC LIMIT 1", (group_id,)
        )
        return _delivery(rows[0]) if rows else None

    # -- reads ----------------------------------------------------------------------------------

    def mark_read(self, group_id: int, user_id: int, text_id: int, first: int, last: int, now: str) -> int:
        """Mark passages first..last of the text read by a member; returns how many were new."""
        with self.transaction() as conn:
            cursor = conn.execute(
                """INSERT OR IGNORE INTO reads (group_id, user_id, passage_id, read_at)
                   SELECT ?, ?, id, ? FROM passages WHERE text_id = ? AND ordinal BETWEEN ? AND ?""",
                (group_id, user_id, now, text_id, first, last),
            )
            return cursor.rowcount

    def read_ordinals(self, group_id: int, user_id: int) -> set[int]:
        rows = self.query(
            """SELECT p.ordinal FROM reads r JOIN passages p ON p.id = r.passage_id
               WHERE r.group_id = ? AND r.user_id = ?""",
            (group_id, user_id),
        )
        return {r[0] for r in rows}

    def readers(self, group_id: int) -> dict[int, int]:
        """Members who have read anything, with how many passages each."""
        rows = self.query(
            "SELECT user_id, count(*) FROM reads WHERE group_id = ? GROUP BY user_id", (group_id,)
        )
        return {r[0]: r[1] for r in rows}


class Store(GroupStore):
    """A connection to the store. Thread-safe: the Discord adapter calls it from worker threads."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.db = sqlite_utils.Database(self.conn)
        self._lock = threading.RLock()
        if self.path != ":memory:":
            self.db.enable_wal()
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA busy_timeout = 5000")
        self.migrate()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

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
                    for statement in _statements(script):
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

    # -- texts ----------------------------------------------------------------------------------

    def current_text_hash(self, slug: str) -> str | None:
        rows = self.query("SELECT content_hash FROM texts WHERE slug = ? AND is_current = 1", (slug,))
        return rows[0]["content_hash"] if rows else None

    def replace_text(
        self, slug: str, path: str, meta: TextMeta, content_hash: str, passages: list[Passage]
    ) -> int:
        """Store a new version of a text, make it current, and drop old versions nobody reads."""
        words = sum(p.word_count for p in passages)
        with self.transaction() as conn:
            old_ids = [r[0] for r in conn.execute("SELECT id FROM texts WHERE slug = ?", (slug,))]
            conn.execute("UPDATE texts SET is_current = 0 WHERE slug = ? AND is_current = 1", (slug,))
            text_id = conn.execute(
                """INSERT INTO texts (slug, title, author, year, source, language, questions, path,
                   content_hash, passage_count, word_count, ingested_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (slug, meta.title, meta.author, meta.year, meta.source, meta.language,
                 json.dumps(meta.questions), path, content_hash, len(passages), words, utcnow_text()),
            ).lastrowid
            paragraph_ordinal = 0
            added: Counter = Counter()
            for passage in passages:
                passage_id = conn.execute(
                    "INSERT INTO passages (text_id, ordinal, section, word_count) VALUES (?, ?, ?, ?)",
                    (text_id, passage.ordinal, passage.section, passage.word_count),
                ).lastrowid
                rows = []
                for paragraph in passage.paragraphs:
                    paragraph_ordinal += 1
                    search = canonical_text(paragraph.plain)
                    added.update(TOKEN.findall(search))
                    rows.append((passage_id, text_id, paragraph_ordinal, paragraph.body, paragraph.plain, search))
                conn.executemany(
                    "INSERT INTO paragraphs (passage_id, text_id, ordinal, body, plain, search) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
            removed: Counter = Counter()
            for old_id in old_ids:
                if not self._text_in_use(conn, old_id):
                    for (search,) in conn.execute("SELECT search FROM paragraphs WHERE text_id = ?", (old_id,)):
                        removed.update(TOKEN.findall(search))
                    conn.execute("DELETE FROM texts WHERE id = ?", (old_id,))
            self._count_words(conn, added, removed)
        return text_id

    @staticmethod
    def _count_words(conn: sqlite3.Connection, added: Counter, removed: Counter) -> None:
        """Keep `words` equal to the word counts of every stored paragraph."""
        conn.executemany(
            "INSERT INTO words (word, count) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET count = count + excluded.count",
            added.items(),
        )
        conn.executemany("UPDATE words SET count = count - ? WHERE word = ?", [(n, w) for w, n in removed.items()])
        if removed:
            conn.execute("DELETE FROM words WHERE count <= 0")

    def word_counts(self) -> list[tuple[str, int]]:
        """Every word of the library in canonical spelling, with how often it occurs."""
        return [tuple(r) for r in self.query("SELECT word, count FROM words")]

    def _text_in_use(self, conn: sqlite3.Connection, text_id: int) -> bool:
        """Whether any group reads this text version. Groups arrive in a later migration."""
        if not self.db["groups"].exists():
            return False
        return conn.execute("SELECT 1 FROM groups WHERE text_id = ? LIMIT 1", (text_id,)).fetchone() is not None

    def texts(self, include_old: bool = False) -> list[Text]:
        where = "" if include_old else "WHERE is_current = 1"
        return [_text(r) for r in self.query(f"SELECT * FROM texts {where} ORDER BY title, id")]

    def text_by_id(self, text_id: int) -> Text | None:
        rows = self.query("SELECT * FROM texts WHERE id = ?", (text_id,))
        return _text(rows[0]) if rows else None

    # -- passages -------------------------------------------------------------------------------

    _PASSAGE_SQL = """
        SELECT p.id, p.text_id, t.slug, t.title, t.author, p.ordinal, t.passage_count, p.section,
               p.word_count
        FROM passages p JOIN texts t ON t.id = p.text_id
    """

    def passage(self, text_id: int, ordinal: int) -> StoredPassage | None:
        rows = self.query(self._PASSAGE_SQL + " WHERE p.text_id = ? AND p.ordinal = ?", (text_id, ordinal))
        return self._with_bodies(rows)[0] if rows else None

    def passages_by_id(self, passage_ids: Sequence[int]) -> dict[int, StoredPassage]:
        if not passage_ids:
            return {}
        marks = ",".join("?" * len(passage_ids))
        rows = self.query(self._PASSAGE_SQL + f" WHERE p.id IN ({marks})", list(passage_ids))
        return {p.id: p for p in self._with_bodies(rows)}

    def passages_of(self, text_id: int) -> list[StoredPassage]:
        rows = self.query(self._PASSAGE_SQL + " WHERE p.text_id = ? ORDER BY p.ordinal", (text_id,))
        return self._with_bodies(rows)

    def _with_bodies(self, rows: list[sqlite3.Row]) -> list[StoredPassage]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        bodies: dict[int, list[str]] = {i: [] for i in ids}
        for r in self.query(
            f"SELECT passage_id, body FROM paragraphs WHERE passage_id IN ({marks}) ORDER BY ordinal", ids
        ):
            bodies[r["passage_id"]].append(r["body"])
        return [
            StoredPassage(
                id=r["id"], text_id=r["text_id"], text_slug=r["slug"], text_title=r["title"],
                author=r["author"], ordinal=r["ordinal"], passage_count=r["passage_count"],
                section=r["section"], body="\n\n".join(bodies[r["id"]]), word_count=r["word_count"],
            )
            for r in rows
        ]

    def paragraphs_around(self, paragraph_id: int, before: int, after: int) -> list[sqlite3.Row]:
        """A paragraph and its neighbours in the same text, in order."""
        return self.query(
            """SELECT n.id, n.passage_id, n.ordinal, n.body, n.plain
               FROM paragraphs p JOIN paragraphs n ON n.text_id = p.text_id
               WHERE p.id = ? AND n.ordinal BETWEEN p.ordinal - ? AND p.ordinal + ?
               ORDER BY n.ordinal""",
            (paragraph_id, before, after),
        )

    # -- library statistics (question analysis) ------------------------------------------------

    def library_fingerprint(self) -> tuple[int, int]:
        """Changes whenever a text is added, replaced or removed."""
        return tuple(self.query("SELECT count(*), coalesce(max(id), 0) FROM texts")[0])

    def vocabulary(self) -> list[sqlite3.Row]:
        """(term, doc, cnt) for every stem in the index: paragraphs holding it, occurrences."""
        return self.query("SELECT term, doc, cnt FROM paragraphs_vocab")

    def paragraph_count(self) -> int:
        return self.query("SELECT count(*) FROM paragraphs")[0][0]

    def current_text_authors(self) -> list[tuple[int, str, str]]:
        return [tuple(r) for r in self.query("SELECT id, slug, author FROM texts WHERE is_current = 1 ORDER BY id")]

    def text_paragraphs(self, text_id: int) -> list[str]:
        return [r[0] for r in self.query("SELECT plain FROM paragraphs WHERE text_id = ? ORDER BY ordinal", (text_id,))]

    # -- questions written by a language model -------------------------------------------------

    def cached_llm_questions(self, passage_id: int, model: str, prompt_hash: str) -> list[str] | None:
        rows = self.query(
            "SELECT questions FROM llm_questions WHERE passage_id = ? AND model = ? AND prompt_hash = ?",
            (passage_id, model, prompt_hash),
        )
        return json.loads(rows[0]["questions"]) if rows else None

    def save_llm_questions(self, passage_id: int, model: str, prompt_hash: str, questions: list[str]) -> None:
        with self.transaction() as conn:
            conn.execute(
                """INSERT OR REPLACE INTO llm_questions (passage_id, model, prompt_hash, questions, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (passage_id, model, prompt_hash, json.dumps(questions), utcnow_text()),
            )

    # -- search ---------------------------------------------------------------------------------

    def match_paragraphs(
        self, expression: str, text_ids: Sequence[int] | None, limit: int
    ) -> list[sqlite3.Row]:
        """The best paragraphs of current texts for an FTS5 expression, by BM25 (`score`: lower
        is better, as FTS5's rank)."""
        where, params = "paragraphs_fts MATCH ?", [expression]
        if text_ids is not None:
            where += f" AND pa.text_id IN ({','.join('?' * len(text_ids))})"
            params += list(text_ids)
        sql = f"""
            SELECT pa.id, pa.passage_id, pa.text_id, pa.ordinal, pa.plain, rank AS score
            FROM paragraphs_fts
            JOIN paragraphs pa ON pa.id = paragraphs_fts.rowid
            JOIN texts t ON t.id = pa.text_id AND t.is_current = 1
            WHERE {where}
            ORDER BY rank
            LIMIT ?
        """
        return self.query(sql, params + [limit])

    def term_doc_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """How many paragraphs hold each index term."""
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = self.query(f"SELECT term, doc FROM paragraphs_vocab WHERE term IN ({marks})", list(terms))
        return {r["term"]: r["doc"] for r in rows}


    _RANKED_IDS_SQL = "SELECT rowid, -rank FROM paragraphs_fts WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT ?"

    def match_ids(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """(paragraph id, BM25: higher is better) of the best paragraphs for an FTS5 expression,
        old versions of texts included (callers fetch rows with `paragraphs_by_id`)."""
        return [tuple(r) for r in self.query(self._RANKED_IDS_SQL, (expression, limit))]

    def all_match_ids(self, expression: str) -> list[int]:
        """Every paragraph id matching an FTS5 expression, unranked: no BM25 to compute."""
        return [r[0] for r in self.query("SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ?", (expression,))]

    def paragraphs_by_id(self, ids: Sequence[int]) -> list[sqlite3.Row]:
        """Rows like `match_paragraphs`' (without `score`) for those ids in current texts."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self.query(
            f"""SELECT pa.id, pa.passage_id, pa.text_id, pa.ordinal, pa.plain FROM paragraphs pa
                JOIN texts t ON t.id = pa.text_id AND t.is_current = 1 WHERE pa.id IN ({marks})""",
            list(ids),
        )

    # -- term lists (migration 5) -----------------------------------------------------------------

    def term_list_dfs(self) -> dict[str, int]:
        """Each listed term with how many paragraphs hold it."""
        return {r[0]: r[1] for r in self.query("SELECT term, df FROM term_lists")}

    def term_list(self, term: str) -> tuple[array, array] | None:
        """A term's best paragraph ids and their single-term BM25 (higher is better), best first."""
        rows = self.query("SELECT ids, scores FROM term_lists WHERE term = ?", (term,))
        if not rows:
            return None
        ids, scores = array("i"), array("f")
        ids.frombytes(rows[0][0])
        scores.frombytes(rows[0][1])
        return ids, scores

    def refresh_term_lists(self, min_df: int | None = None, size: int | None = None) -> None:
        """Rebuild every term's list of its `size` best paragraphs by BM25, for terms in more than
        `min_df` paragraphs (TERM_LIST_SIZE, TERM_LIST_MIN_DF). Call after the library changed:
        a stale list only misses newer paragraphs (search re-checks every candidate against its
        own text)."""
        min_df = TERM_LIST_MIN_DF if min_df is None else min_df
        size = TERM_LIST_SIZE if size is None else size
        with self._lock:
            common = self.conn.execute("SELECT term, doc FROM paragraphs_vocab WHERE doc > ?", (min_df,)).fetchall()
            spelled = self._words_for_terms({term for term, _ in common})
            with self.transaction() as conn:
                conn.execute("DELETE FROM term_lists")
                for term, df in common:
                    if term not in spelled:
                        continue  # no word of the library stems to it (left to FTS5)
                    rows = conn.execute(self._RANKED_IDS_SQL, ('"' + spelled[term] + '"', size)).fetchall()
                    ids, scores = array("i", (r[0] for r in rows)), array("f", (r[1] for r in rows))
                    floor = scores[-1] if rows and df > len(rows) else 0.0
                    conn.execute("INSERT INTO term_lists (term, df, floor, ids, scores) VALUES (?, ?, ?, ?, ?)",
                                 (term, df, floor, ids.tobytes(), scores.tobytes()))
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('term_lists', ?)",
                             (self._term_lists_stamp(),))

    def _words_for_terms(self, terms: set[str]) -> dict[str, str]:
        """A word to ask FTS5 for each index term: the term itself when stemming leaves it as it
        is, else the library's most frequent word that stems to it ("unemploy" stems again to
        "unemploi", so the list of "unemploy" is asked for as "unemployment")."""
        spelled = {t: t for t in terms if porter(t) == t}
        for term in terms - spelled.keys():
            stem = term[:-1]  # a word begins with its stem, but for the stem's last letter (y -> i)
            words = self.conn.execute(
                "SELECT word FROM words WHERE word >= ? AND word < ? ORDER BY count DESC", (stem, stem + "\uffff")
            )
            word = next((w for (w,) in words if porter(w) == term), None)
            if word:
                spelled[term] = word
        return spelled

    def _term_lists_stamp(self) -> str:
        """What the lists were built from: the library's version and the spelling rules."""
        count, last = self.library_fingerprint()
        return f"{count}:{last}:{SPELLING_RULES_VERSION}"

    def _stored_term_lists_stamp(self) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = 'term_lists'")
        return rows[0][0] if rows else None


def _weekdays_text(days: frozenset[int]) -> str:
    return ",".join(str(d) for d in sorted(days))


def _group(row: sqlite3.Row) -> Group:
    return Group(
        id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"], text_id=row["text_id"],
        next_ordinal=row["next_ordinal"], post_time=row["post_time"], timezone=row["timezone"],
        weekdays=frozenset(int(d) for d in row["weekdays"].split(",") if d), pace=row["pace"],
        paused=bool(row["paused"]), pause_reason=row["pause_reason"], last_error=row["last_error"],
        created_by=row["created_by"],
    )


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        id=row["id"], group_id=row["group_id"], local_date=row["local_date"],
        first_ordinal=row["first_ordinal"], last_ordinal=row["last_ordinal"], status=row["status"],
        message_id=row["message_id"], thread_id=row["thread_id"], attempts=row["attempts"],
        error=row["error"], posted_at=row["posted_at"], claimed_at=row["claimed_at"],
    )


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain semicolons)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _text(row: sqlite3.Row) -> Text:
    return Text(
        id=row["id"],
        slug=row["slug"],
        meta=TextMeta(
            title=row["title"], author=row["author"], year=row["year"], source=row["source"],
            language=row["language"], questions=json.loads(row["questions"]),
        ),
        passage_count=row["passage_count"],
        word_count=row["word_count"],
        content_hash=row["content_hash"],
    )
