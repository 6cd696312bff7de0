"""Queries for texts, their versions, passages and paragraphs, library statistics, and the
language model's cached questions."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.errors import NotFoundError
from bot.models import Passage, StoredPassage, Text, TextMeta
from bot.store.base import StoreBase, new_id
from bot.store.statistics import (
    change_word_counts,
    count_library_change,
    delete_version,
    keep_private_statistics,
    text_statistics,
)
from bot.terms.variants import TOKEN, canonical_text

MAX_PASSAGES = 2**31
"""More passages than any text can have (a passage is a paragraph or more): a bound on the
ordinals worth looking up."""
LIBRARY_FINGERPRINT_SQL = (
    "SELECT count(*), coalesce(max(id), 0), "
    "(SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'library_changes') FROM texts"
)
"""(texts, highest id, changes): changes whenever a text is added, replaced or removed (the
count of changes, as a removed text's id may be given again)."""


def utcnow_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TextStore(StoreBase):
    """Mixed into Store."""

    # -- texts ----------------------------------------------------------------------------------

    def current_text_hash(self, slug: str, guild_id: int | None = None) -> str | None:
        """The content hash of the current text `slug` of a server's library (None: the shared one)."""
        rows = self.query(
            "SELECT content_hash FROM texts WHERE slug = ? AND guild_id IS ? AND is_current = 1", (slug, guild_id)
        )
        return rows[0]["content_hash"] if rows else None

    def replace_text(
        self,
        slug: str,
        path: str,
        meta: TextMeta,
        content_hash: str,
        passages: list[Passage],
        guild_id: int | None = None,
    ) -> int:
        """Store a new version of a text in a server's library (None: the shared one), make it
        current, and drop old versions nobody reads."""
        words = sum(p.word_count for p in passages)
        searches = [canonical_text(p.plain) for passage in passages for p in passage.paragraphs]
        private = text_statistics(searches) if guild_id is not None else None
        size = sum(len(p.body.encode("utf-8")) for passage in passages for p in passage.paragraphs)
        with self.transaction() as conn:
            old_ids = [
                r[0] for r in conn.execute("SELECT id FROM texts WHERE slug = ? AND guild_id IS ?", (slug, guild_id))
            ]
            conn.execute(
                "UPDATE texts SET is_current = 0 WHERE slug = ? AND guild_id IS ? AND is_current = 1", (slug, guild_id)
            )
            cursor = conn.execute(
                """INSERT INTO texts (slug, title, author, year, source, language, questions, path,
                   content_hash, passage_count, word_count, ingested_at, guild_id, size_bytes)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    slug,
                    meta.title,
                    meta.author,
                    meta.year,
                    meta.source,
                    meta.language,
                    json.dumps(meta.questions),
                    path,
                    content_hash,
                    len(passages),
                    words,
                    utcnow_text(),
                    guild_id,
                    size,
                ),
            )
            text_id = new_id(cursor)
            paragraph_ordinal = 0
            added: Counter = Counter()
            search_of = iter(searches)
            for passage in passages:
                cursor = conn.execute(
                    "INSERT INTO passages (text_id, ordinal, section, word_count) VALUES (?, ?, ?, ?)",
                    (text_id, passage.ordinal, passage.section, passage.word_count),
                )
                passage_id = new_id(cursor)
                rows = []
                for paragraph in passage.paragraphs:
                    paragraph_ordinal += 1
                    search = next(search_of)
                    added.update(TOKEN.findall(search))
                    rows.append((passage_id, text_id, paragraph_ordinal, paragraph.body, paragraph.plain, search))
                conn.executemany(
                    "INSERT INTO paragraphs (passage_id, text_id, ordinal, body, plain, search) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
            if private is not None:
                keep_private_statistics(conn, text_id, added, private)
            removed: Counter = Counter()
            for old_id in old_ids:
                if not self._text_in_use(conn, old_id):
                    removed += delete_version(conn, old_id)
            change_word_counts(conn, added, removed)
            count_library_change(conn)
        return text_id

    def word_counts(self) -> list[tuple[str, int]]:
        """Every word of the library in canonical spelling, with how often it occurs."""
        return [tuple(r) for r in self.query("SELECT word, count FROM words")]

    def _text_in_use(self, conn: sqlite3.Connection, text_id: int) -> bool:
        """Whether any group, running or stopped, refers to this version: its posts and reads
        point at the version's passages, so it stays."""
        return conn.execute("SELECT 1 FROM groups WHERE text_id = ? LIMIT 1", (text_id,)).fetchone() is not None

    def texts(self, include_old: bool = False) -> list[Text]:
        """The current texts this store shows (a server's view: the shared ones and its own)."""
        shown, params = self.visible()
        where = "1" if include_old else "t.is_current = 1"
        return [_text(r) for r in self.query(f"SELECT * FROM texts t WHERE {where}{shown} ORDER BY title, id", params)]

    def text_by_id(self, text_id: int) -> Text | None:
        """Any version of a text, if this store shows it (a server's view: a shared or own text)."""
        shown, params = self.visible()
        rows = self.query(f"SELECT * FROM texts t WHERE id = ?{shown}", (text_id, *params))
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
        shown, params = self.visible()
        rows = self.query(
            self._PASSAGE_SQL + f" WHERE p.text_id = ? AND p.ordinal = ?{shown}", (text_id, ordinal, *params)
        )
        return self._with_bodies(rows)[0] if rows else None

    def passages_by_id(self, passage_ids: Sequence[int]) -> dict[int, StoredPassage]:
        """Those of the passages this store shows (a server's view: of shared or own texts)."""
        if not passage_ids:
            return {}
        marks = ",".join("?" * len(passage_ids))
        shown, params = self.visible()
        rows = self.query(self._PASSAGE_SQL + f" WHERE p.id IN ({marks}){shown}", [*passage_ids, *params])
        return {p.id: p for p in self._with_bodies(rows)}

    def passages_of(self, text_id: int) -> list[StoredPassage]:
        shown, params = self.visible()
        rows = self.query(self._PASSAGE_SQL + f" WHERE p.text_id = ?{shown} ORDER BY p.ordinal", (text_id, *params))
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
        """A paragraph and its neighbours in the same text, in order (none if this store does not
        show its text)."""
        shown, params = self.visible()
        return self.query(
            f"""SELECT n.id, n.passage_id, n.ordinal, n.body, n.plain
               FROM paragraphs p JOIN texts t ON t.id = p.text_id JOIN paragraphs n ON n.text_id = p.text_id
               WHERE p.id = ? AND n.ordinal BETWEEN p.ordinal - ? AND p.ordinal + ?{shown}
               ORDER BY n.ordinal""",
            (paragraph_id, before, after, *params),
        )

    # -- library statistics (question analysis) ------------------------------------------------

    def library_fingerprint(self) -> tuple[int, int, int]:
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
        guild_id=row["guild_id"],
        size_bytes=row["size_bytes"],
    )
