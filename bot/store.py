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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from bot.models import Passage, StoredPassage, Text, TextMeta

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
]


def utcnow_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
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
            for passage in passages:
                passage_id = conn.execute(
                    "INSERT INTO passages (text_id, ordinal, section, word_count) VALUES (?, ?, ?, ?)",
                    (text_id, passage.ordinal, passage.section, passage.word_count),
                ).lastrowid
                rows = []
                for paragraph in passage.paragraphs:
                    paragraph_ordinal += 1
                    rows.append((passage_id, text_id, paragraph_ordinal, paragraph.body, paragraph.plain))
                conn.executemany(
                    "INSERT INTO paragraphs (passage_id, text_id, ordinal, body, plain) VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
            for old_id in old_ids:
                if not self._text_in_use(conn, old_id):
                    conn.execute("DELETE FROM texts WHERE id = ?", (old_id,))
        return text_id

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

    # -- search ---------------------------------------------------------------------------------

    def match_paragraphs(
        self, expression: str, text_ids: Sequence[int] | None, limit: int
    ) -> list[sqlite3.Row]:
        """Best paragraphs for an FTS5 expression by BM25, with a highlighted snippet.

        Markers \\x02 and \\x03 wrap each match; renderers turn them into bold.
        """
        where, params = "paragraphs_fts MATCH ?", [expression]
        if text_ids is not None:
            where += f" AND pa.text_id IN ({','.join('?' * len(text_ids))})"
            params += list(text_ids)
        sql = f"""
            SELECT pa.id, pa.passage_id, pa.ordinal, pa.plain, rank AS score,
                   snippet(paragraphs_fts, 0, char(2), char(3), '…', 48) AS snippet
            FROM paragraphs_fts
            JOIN paragraphs pa ON pa.id = paragraphs_fts.rowid
            JOIN texts t ON t.id = pa.text_id AND t.is_current = 1
            WHERE {where}
            ORDER BY rank
            LIMIT ?
        """
        return self.query(sql, params + [limit])


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
