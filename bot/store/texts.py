"""Queries for texts, their versions, passages and paragraphs, library statistics, and the
language model's cached questions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Literal

from bot.errors import NotFoundError
from bot.models import Passage, StoredPassage, Text, TextMeta
from bot.store.additions import prepare_text
from bot.store.base import LIBRARY_FINGERPRINT_SQL, StoreBase, utcnow_text

MAX_PASSAGES = 2**31
"""More passages than any text can have (a passage is a paragraph or more): a bound on the
ordinals worth looking up."""


class TextStore(StoreBase):
    """Mixed into Store."""

    # -- texts ----------------------------------------------------------------------------------

    def current_text_from(self, source: str, guild_id: int | None = None) -> Text | None:
        """The current text last stored from this source (a file's absolute path) in a server's
        library (None: the shared one)."""
        rows = self.query(
            "SELECT * FROM texts WHERE path = ? AND guild_id IS ? AND is_current = 1 ORDER BY id DESC LIMIT 1",
            (source, guild_id),
        )
        return _text(rows[0]) if rows else None

    def current_text_named(self, slug: str, guild_id: int | None = None) -> Text | None:
        rows = self.query("SELECT * FROM texts WHERE slug = ? AND guild_id IS ? AND is_current = 1", (slug, guild_id))
        return _text(rows[0]) if rows else None

    def text_source(self, text_id: int) -> str:
        """Where a text was stored from, as it was given then (older databases kept relative paths)."""
        rows = self.query("SELECT path FROM texts WHERE id = ?", (text_id,))
        return rows[0][0] if rows else ""

    def move_text(self, text_id: int, source: str) -> None:
        """The same content now comes from another file (a folder moved): that file is its source."""
        with self.transaction() as conn:
            conn.execute("UPDATE texts SET path = ? WHERE id = ?", (source, text_id))

    def current_text_hash(self, slug: str, guild_id: int | None = None) -> str | None:
        """The content hash of the current text `slug` of a server's library (None: the shared one)."""
        rows = self.query(
            "SELECT content_hash FROM texts WHERE slug = ? AND guild_id IS ? AND is_current = 1", (slug, guild_id)
        )
        return rows[0]["content_hash"] if rows else None

    store_text: Callable[..., tuple[int, bool]]  # AdditionStore's

    def save_text(
        self,
        source: str,
        slug: str,
        meta: TextMeta,
        content_hash: str,
        passages: list[Passage],
        update: bool = False,
        guild_id: int | None = None,
        lists_later: bool = False,
    ) -> tuple[Text, Literal["added", "updated"]]:
        """Store passages as a text from `source` in a server's library (None: the shared one),
        whole or not at all; return the text and "added" or "updated".

        With `update`, they are the new version of the text named `slug`. Otherwise they are a new
        text: `slug`, or, if another text of that library has it, `slug-2`, `slug-3`... (two files
        never share a text because of their names), unless a text from the same source appeared
        meanwhile, which they update. The work on the text is done first, then one short
        transaction (bot/store/additions.py). `lists_later`: the caller, storing many, rebuilds
        the term lists once at the end.
        """
        text = prepare_text(slug, source, meta, content_hash, passages, guild_id, holders=not lists_later)
        text_id, updated = self.store_text(text, lists_later, update=update, by_source=not update)
        stored = self.query("SELECT * FROM texts WHERE id = ?", (text_id,))
        return _text(stored[0]), "updated" if updated else "added"

    def replace_text(
        self,
        slug: str,
        path: str,
        meta: TextMeta,
        content_hash: str,
        passages: list[Passage],
        guild_id: int | None = None,
        lists_later: bool = False,
    ) -> int:
        """Store a new version of a text in a server's library (None: the shared one), make it
        current, and drop old versions nobody reads: the work on the text first, then one short
        transaction (bot/store/additions.py). `lists_later`: the caller, storing many, rebuilds
        the term lists once at the end."""
        text = prepare_text(slug, path, meta, content_hash, passages, guild_id, holders=not lists_later)
        return self.store_text(text, lists_later)[0]

    def word_counts(self) -> list[tuple[str, int]]:
        """Every word of the library in canonical spelling, with how often it occurs."""
        return [tuple(r) for r in self.query("SELECT word, count FROM words")]

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

    def paragraphs_at(self, places: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """The plain text of the paragraphs at these (text id, ordinal) places (those that exist),
        by place: a search reads the neighbours of its best paragraphs in one query. Callers ask
        for places in texts they already show, so no server's view is checked here."""
        if not places:
            return {}
        values = ",".join("(?, ?)" for _ in places)
        rows = self.query(
            f"""WITH wanted(text_id, ordinal) AS (VALUES {values})
                SELECT p.text_id, p.ordinal, p.plain FROM wanted
                JOIN paragraphs p ON p.text_id = wanted.text_id AND p.ordinal = wanted.ordinal""",
            [v for place in places for v in place],
        )
        return {(r[0], r[1]): r[2] for r in rows}

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
