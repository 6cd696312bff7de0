"""Queries for each server's own library: what a server's view hides, its quota, and the
organisers' verbs (remove, rename).

A text with a guild_id belongs to that server; NULL is the shared library. A server's view of
the store (Store.view) shows the shared texts and its own; what it hides from search's
statistics (words and index terms only other servers' texts hold) is read from text_words and
text_terms, a few rows per word asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import Group, Text
from bot.store.additions import AdditionStore, LibraryChange
from bot.store.base import stamp
from bot.store.groups import _group
from bot.store.texts import _text

LOOKUP_CHUNK = 500
"""Words or terms asked about in one query (SQLite's parameters are limited)."""


class ServerStore(AdditionStore):
    """Mixed into Store."""

    # -- what a server's view hides -------------------------------------------------------------

    def hides_texts(self) -> bool:
        """Whether this view leaves out any stored text (another server's)."""
        if self.sees_every_text:
            return False
        row = self.query("SELECT 1 FROM texts WHERE guild_id IS NOT NULL AND guild_id IS NOT ? LIMIT 1", (self.viewer,))
        return bool(row)

    def hidden_word_counts(self, words: Sequence[str]) -> dict[str, int]:
        """How often each word occurs in texts this view hides (absent: never)."""
        return self._hidden("text_words", "word", "count", words)

    def hidden_term_docs(self, terms: Sequence[str]) -> dict[str, int]:
        """How many paragraphs of texts this view hides hold each index term (absent: none)."""
        return self._hidden("text_terms", "term", "doc", terms)

    def _hidden(self, table: str, key: str, value: str, keys: Sequence[str]) -> dict[str, int]:
        if not self.hides_texts():
            return {}
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start : start + LOOKUP_CHUNK]
            rows = self.query(
                f"""SELECT s.{key}, sum(s.{value}) FROM {table} s JOIN texts t ON t.id = s.text_id
                    WHERE s.{key} IN ({",".join("?" * len(chunk))})
                    AND t.guild_id IS NOT NULL AND t.guild_id IS NOT ? GROUP BY s.{key}""",
                (*chunk, self.viewer),
            )
            found.update({r[0]: r[1] for r in rows})
        return found

    # -- a server's library ---------------------------------------------------------------------

    def server_usage(self, guild_id: int) -> tuple[int, int]:
        """(texts, bytes) of a server's own current texts: what its quota counts."""
        row = self.query(
            "SELECT count(*), coalesce(sum(size_bytes), 0) FROM texts WHERE guild_id = ? AND is_current = 1",
            (guild_id,),
        )[0]
        return row[0], row[1]

    def server_texts(self, guild_id: int) -> list[Text]:
        """A server's own current texts, by title."""
        rows = self.query("SELECT * FROM texts WHERE guild_id = ? AND is_current = 1 ORDER BY title, id", (guild_id,))
        return [_text(r) for r in rows]

    def texts_leaving(self, guild_id: int) -> list[tuple[Text, list[Group]]]:
        """A server's texts an organiser removed that wait for plans reading them to end, with
        those plans."""
        rows = self.query(
            "SELECT * FROM texts WHERE guild_id = ? AND removed_at IS NOT NULL ORDER BY title, id", (guild_id,)
        )
        return [(_text(r), self.groups_reading(r["id"])) for r in rows]

    def groups_reading(self, text_id: int) -> list[Group]:
        """The running plans of a text version."""
        rows = self.query("SELECT * FROM groups WHERE text_id = ? AND stopped_at IS NULL ORDER BY id", (text_id,))
        return [_group(r) for r in rows]

    def own_text_with_hash(self, guild_id: int, content_hash: str) -> Text | None:
        rows = self.query(
            "SELECT * FROM texts WHERE guild_id = ? AND content_hash = ? AND is_current = 1 LIMIT 1",
            (guild_id, content_hash),
        )
        return _text(rows[0]) if rows else None

    def free_slug(self, slug: str, guild_id: int) -> str:
        """`slug`, or `slug-2`, `slug-3`...: the first that no current text the server sees
        (shared or its own) has, so a text added never replaces another or shares its name."""
        taken = {
            r[0]
            for r in self.query(
                "SELECT slug FROM texts WHERE is_current = 1 AND (guild_id IS NULL OR guild_id = ?) AND slug >= ? "
                "AND slug < ?",
                (guild_id, slug, slug + "\uffff"),
            )
        }
        if slug not in taken:
            return slug
        return next(f"{slug}-{n}" for n in range(2, len(taken) + 3) if f"{slug}-{n}" not in taken)

    def remove_text(self, text_id: int, now: datetime) -> list[Group]:
        """Take a server's text (every version of it) out of its library: versions no running
        plan reads are deleted now, with the history of stopped plans that read them; the others
        stay, marked removed, until their plans end (`finish_removals`). Returns those plans."""
        row = self.query("SELECT slug, guild_id FROM texts WHERE id = ?", (text_id,))
        if not row or row[0]["guild_id"] is None:
            return []
        slug, guild_id = row[0]["slug"], row[0]["guild_id"]
        with self.library_change() as (conn, change):
            change.left.update(
                r[0] for r in conn.execute("SELECT id FROM texts WHERE slug = ? AND guild_id = ?", (slug, guild_id))
            )
            conn.execute(
                "UPDATE texts SET is_current = 0, removed_at = ? WHERE slug = ? AND guild_id = ?",
                (stamp(now), slug, guild_id),
            )
            self._delete_unread(conn, change, "slug = ? AND guild_id = ?", (slug, guild_id))
        leaving = self.query(
            "SELECT id FROM texts WHERE slug = ? AND guild_id = ? AND removed_at IS NOT NULL", (slug, guild_id)
        )
        return [g for r in leaving for g in self.groups_reading(r[0])]

    def finish_removals(self) -> int:
        """Delete the removed texts whose last plan has ended; how many versions went."""
        if not self.query(self._UNREAD_REMOVED.format(where="1") + " LIMIT 1"):
            return 0  # nothing waits: no change to make
        with self.library_change() as (conn, change):
            return self._delete_unread(conn, change, "1", ())

    _UNREAD_REMOVED = """SELECT id FROM texts WHERE {where} AND removed_at IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM groups g WHERE g.text_id = texts.id AND g.stopped_at IS NULL)"""

    def _delete_unread(self, conn, change: LibraryChange, where: str, params: tuple) -> int:
        """Delete the removed versions (matching `where`) no running plan reads, and the history of
        the stopped plans that read them (posts, reads and suggestions go with the plans)."""
        ids = [r[0] for r in conn.execute(self._UNREAD_REMOVED.format(where=where), params)]
        change.lists_kept = change.lists_kept or self._lists_in_step(conn)
        for text_id in ids:
            conn.execute("DELETE FROM groups WHERE text_id = ?", (text_id,))
            self.delete_version(conn, text_id, change, change.lists_kept)
        return len(ids)

    def rename_text(self, text_id: int, title: str, author: str | None) -> None:
        """Give a server's text (every version of it, so its posts say it too) a new title, and
        author if given."""
        with self.transaction() as conn:
            row = conn.execute("SELECT slug, guild_id FROM texts WHERE id = ?", (text_id,)).fetchone()
            if row is None or row["guild_id"] is None:
                return
            conn.execute(
                "UPDATE texts SET title = ?, author = coalesce(?, author) WHERE slug = ? AND guild_id = ?",
                (title, author, row["slug"], row["guild_id"]),
            )
