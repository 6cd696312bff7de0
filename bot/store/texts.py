"""Queries for texts, their versions, passages and paragraphs, library statistics, and the
language model's cached questions."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from bot.errors import NotFoundError
from bot.models import Passage, StoredPassage, Text, TextMeta
from bot.store.base import StoreBase, new_id
from bot.terms.variants import TOKEN, canonical_text

MAX_PASSAGES = 2**31
"""More passages than any text can have (a passage is a paragraph or more): a bound on the
ordinals worth looking up."""
LIBRARY_FINGERPRINT_SQL = "SELECT count(*), coalesce(max(id), 0) FROM texts"
"""(texts, highest id): changes whenever a text is added, replaced or removed."""


def utcnow_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TextStore(StoreBase):
    """Mixed into Store."""

    # -- texts ----------------------------------------------------------------------------------

    def current_text_from(self, source: str) -> Text | None:
        """The current text last stored from this source (a file's absolute path)."""
        rows = self.query("SELECT * FROM texts WHERE path = ? AND is_current = 1 ORDER BY id DESC LIMIT 1", (source,))
        return _text(rows[0]) if rows else None

    def current_text_named(self, slug: str) -> Text | None:
        rows = self.query("SELECT * FROM texts WHERE slug = ? AND is_current = 1", (slug,))
        return _text(rows[0]) if rows else None

    def text_source(self, text_id: int) -> str:
        """Where a text was stored from, as it was given then (older databases kept relative paths)."""
        rows = self.query("SELECT path FROM texts WHERE id = ?", (text_id,))
        return rows[0][0] if rows else ""

    def move_text(self, text_id: int, source: str) -> None:
        """The same content now comes from another file (a folder moved): that file is its source."""
        with self.transaction() as conn:
            conn.execute("UPDATE texts SET path = ? WHERE id = ?", (source, text_id))

    def save_text(
        self, source: str, slug: str, meta: TextMeta, content_hash: str, passages: list[Passage], update: bool = False
    ) -> tuple[Text, Literal["added", "updated"]]:
        """Store passages as a text from `source`, whole or not at all; return the text and
        "added" or "updated".

        With `update`, they are the new version of the text named `slug`. Otherwise they are a new
        text: `slug`, or, if another text has it, `slug-2`, `slug-3`... (two files never share a
        text because of their names), unless a text from the same source appeared meanwhile,
        which they update. The previous version is dropped unless a group reads it. Rows are
        prepared before the write transaction, which then only inserts: other writers wait as
        briefly as possible.
        """
        rows, added = _paragraph_rows(passages)
        words = sum(p.word_count for p in passages)
        with self.transaction() as conn:
            if update:
                current = conn.execute("SELECT slug FROM texts WHERE slug = ? AND is_current = 1", (slug,)).fetchone()
            else:
                current = conn.execute(
                    "SELECT slug FROM texts WHERE path = ? AND is_current = 1 ORDER BY id DESC LIMIT 1", (source,)
                ).fetchone()
            slug = current[0] if current else _free_slug(conn, slug)
            old_ids = [r[0] for r in conn.execute("SELECT id FROM texts WHERE slug = ?", (slug,))]
            conn.execute("UPDATE texts SET is_current = 0 WHERE slug = ? AND is_current = 1", (slug,))
            cursor = conn.execute(
                """INSERT INTO texts (slug, title, author, year, source, language, questions, path,
                   content_hash, passage_count, word_count, ingested_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    slug,
                    meta.title,
                    meta.author,
                    meta.year,
                    meta.source,
                    meta.language,
                    json.dumps(meta.questions),
                    source,
                    content_hash,
                    len(passages),
                    words,
                    utcnow_text(),
                ),
            )
            text_id = new_id(cursor)
            for passage, paragraphs in zip(passages, rows):
                passage_id = new_id(
                    conn.execute(
                        "INSERT INTO passages (text_id, ordinal, section, word_count) VALUES (?, ?, ?, ?)",
                        (text_id, passage.ordinal, passage.section, passage.word_count),
                    )
                )
                conn.executemany(
                    "INSERT INTO paragraphs (passage_id, text_id, ordinal, body, plain, search) VALUES (?, ?, ?, ?, ?, ?)",
                    [(passage_id, text_id, *row) for row in paragraphs],
                )
            removed: Counter = Counter()
            for old_id in old_ids:
                if not self._text_in_use(conn, old_id):
                    for (search,) in conn.execute("SELECT search FROM paragraphs WHERE text_id = ?", (old_id,)):
                        removed.update(TOKEN.findall(search))
                    conn.execute("DELETE FROM texts WHERE id = ?", (old_id,))
            self._count_words(conn, added, removed)
            text = _text(conn.execute("SELECT * FROM texts WHERE id = ?", (text_id,)).fetchone())
        return text, "updated" if current else "added"

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
        """Whether any group, running or stopped, refers to this version: its posts and reads
        point at the version's passages, so it stays."""
        return conn.execute("SELECT 1 FROM groups WHERE text_id = ? LIMIT 1", (text_id,)).fetchone() is not None

    def texts(self, include_old: bool = False) -> list[Text]:
        where = "" if include_old else "WHERE is_current = 1"
        return [_text(r) for r in self.query(f"SELECT * FROM texts {where} ORDER BY title, id")]

    def text_by_id(self, text_id: int) -> Text | None:
        rows = self.query("SELECT * FROM texts WHERE id = ?", (text_id,))
        return _text(rows[0]) if rows else None

    def get_text(self, text_id: int) -> Text:
        """A text known to exist: a group's, a passage's (a text a group reads is never deleted)."""
        text = self.text_by_id(text_id)
        if text is None:
            raise NotFoundError(f"Text {text_id} is not in the library.")
        return text

    # -- passages -------------------------------------------------------------------------------

    _PASSAGE_SQL = """
        SELECT p.id, p.text_id, t.slug, t.title, t.author, p.ordinal, t.passage_count, p.section,
               p.word_count
        FROM passages p JOIN texts t ON t.id = p.text_id
    """

    def passage(self, text_id: int, ordinal: int) -> StoredPassage | None:
        if not 0 < ordinal <= MAX_PASSAGES:
            return None  # typed numbers can be anything; SQLite's integers end at 2**63
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
                id=r["id"],
                text_id=r["text_id"],
                text_slug=r["slug"],
                text_title=r["title"],
                author=r["author"],
                ordinal=r["ordinal"],
                passage_count=r["passage_count"],
                section=r["section"],
                body="\n\n".join(bodies[r["id"]]),
                word_count=r["word_count"],
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
        return tuple(self.query(LIBRARY_FINGERPRINT_SQL)[0])

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
        if self.readonly:
            return  # a cache: a reader (`studybot questions`) asks the model again next time
        with self.transaction() as conn:
            conn.execute(
                """INSERT OR REPLACE INTO llm_questions (passage_id, model, prompt_hash, questions, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (passage_id, model, prompt_hash, json.dumps(questions), utcnow_text()),
            )


def _paragraph_rows(passages: list[Passage]) -> tuple[list[list[tuple[int, str, str, str]]], Counter]:
    """Each passage's paragraph rows (ordinal in the text, body, plain, search) and the count of
    every word the index will hold, computed before the write transaction."""
    rows: list[list[tuple[int, str, str, str]]] = []
    words: Counter = Counter()
    ordinal = 0
    for passage in passages:
        rows.append([])
        for paragraph in passage.paragraphs:
            ordinal += 1
            search = canonical_text(paragraph.plain)
            words.update(TOKEN.findall(search))
            rows[-1].append((ordinal, paragraph.body, paragraph.plain, search))
    return rows, words


def _free_slug(conn: sqlite3.Connection, slug: str) -> str:
    """`slug`, or the first of `slug-2`, `slug-3`... that no text, current or old, has."""
    taken = {
        r[0] for r in conn.execute("SELECT slug FROM texts WHERE slug = ? OR slug GLOB ?", (slug, slug + "-[0-9]*"))
    }
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def _text(row: sqlite3.Row) -> Text:
    return Text(
        id=row["id"],
        slug=row["slug"],
        meta=TextMeta(
            title=row["title"],
            author=row["author"],
            year=row["year"],
            source=row["source"],
            language=row["language"],
            questions=json.loads(row["questions"]),
        ),
        passage_count=row["passage_count"],
        word_count=row["word_count"],
        content_hash=row["content_hash"],
    )
