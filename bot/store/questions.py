"""Queries for discussion questions kept by the store: what each post carried, each server's
curated questions per passage, and members' suggestions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import CuratedQuestion, ServerQuestions, Suggestion


@dataclass(frozen=True)
class Decision:
    """What deciding a suggestion did: the suggestion as it now stands, and why nothing changed
    when nothing did ("decided": someone decided it first; "full": no room for another)."""

    suggestion: Suggestion
    refused: str | None = None


class QuestionStore:
    """Queries for stored, curated and suggested questions; mixed into Store."""

    query: Callable
    transaction: Callable

    # -- what a post carried ---------------------------------------------------------------------

    def keep_delivery_questions(self, delivery_id: int, questions: Sequence[str]) -> tuple[str, ...]:
        """Keep the questions of a post about to be sent, unless an earlier attempt kept some:
        every attempt then sends the same ones. Returns the questions kept."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE deliveries SET questions = ? WHERE id = ? AND questions IS NULL",
                (json.dumps(list(questions), ensure_ascii=False), delivery_id),
            )
            row = conn.execute("SELECT questions FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return tuple(json.loads(row["questions"])) if row and row["questions"] is not None else tuple(questions)

    # -- a server's curated questions ------------------------------------------------------------

    def server_questions(self, guild_id: int, text_id: int, ordinal: int) -> ServerQuestions | None:
        sets = self.query(
            "SELECT * FROM server_question_sets WHERE guild_id = ? AND text_id = ? AND ordinal = ?",
            (guild_id, text_id, ordinal),
        )
        return self._server_set(sets[0]) if sets else None

    def server_question_sets(self, guild_id: int, text_id: int | None = None) -> list[ServerQuestions]:
        """A server's curated questions, passage by passage (of one text version, or all)."""
        where, params = "guild_id = ?", [guild_id]
        if text_id is not None:
            where += " AND text_id = ?"
            params.append(text_id)
        rows = self.query(f"SELECT * FROM server_question_sets WHERE {where} ORDER BY text_id, ordinal", params)
        return [self._server_set(r) for r in rows]

    def _server_set(self, row: sqlite3.Row) -> ServerQuestions:
        questions = self.query(
            """SELECT * FROM server_questions WHERE guild_id = ? AND text_id = ? AND ordinal = ?
               ORDER BY position""",
            (row["guild_id"], row["text_id"], row["ordinal"]),
        )
        return ServerQuestions(
            guild_id=row["guild_id"],
            text_id=row["text_id"],
            ordinal=row["ordinal"],
            questions=tuple(_curated(q) for q in questions),
            replaces_generated=bool(row["replaces_generated"]),
            updated_by=row["updated_by"],
            updated_at=row["updated_at"],
        )

    def save_server_questions(
        self, guild_id: int, text_id: int, ordinal: int, questions: Sequence[CuratedQuestion], by: int, now: str
    ) -> ServerQuestions:
        """An organiser's list for the passage, in order: it replaces the server's list and the
        generated questions, in one transaction."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO server_question_sets (guild_id, text_id, ordinal, replaces_generated, updated_by,
                   updated_at) VALUES (?, ?, ?, 1, ?, ?)
                   ON CONFLICT (guild_id, text_id, ordinal) DO UPDATE SET replaces_generated = 1,
                   updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
                (guild_id, text_id, ordinal, by, now),
            )
            conn.execute(
                "DELETE FROM server_questions WHERE guild_id = ? AND text_id = ? AND ordinal = ?",
                (guild_id, text_id, ordinal),
            )
            conn.executemany(
                """INSERT INTO server_questions (guild_id, text_id, ordinal, position, question, source, author_id,
                   approved_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (guild_id, text_id, ordinal, position, q.text, q.source, q.author_id, q.approved_by, q.added_at)
                    for position, q in enumerate(questions, start=1)
                ],
            )
        saved = self.server_questions(guild_id, text_id, ordinal)
        assert saved is not None  # written just now
        return saved

    # -- suggestions -----------------------------------------------------------------------------

    def add_suggestion(
        self,
        guild_id: int,
        group_id: int,
        delivery_id: int,
        text_id: int,
        ordinal: int,
        question: str,
        user_id: int,
        now: str,
    ) -> Suggestion:
        with self.transaction() as conn:
            suggestion_id = conn.execute(
                """INSERT INTO question_suggestions (guild_id, group_id, delivery_id, text_id, ordinal, question,
                   user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (guild_id, group_id, delivery_id, text_id, ordinal, question, user_id, now),
            ).lastrowid
        return self._suggestion_written(suggestion_id)

    def suggestion_by_id(self, suggestion_id: int) -> Suggestion | None:
        rows = self.query("SELECT * FROM question_suggestions WHERE id = ?", (suggestion_id,))
        return _suggestion(rows[0]) if rows else None

    def open_suggestions(self, group_id: int, limit: int) -> list[Suggestion]:
        """A group's suggestions waiting for a decision, oldest first (at most `limit`)."""
        rows = self.query(
            "SELECT * FROM question_suggestions WHERE group_id = ? AND status = 'open' ORDER BY id LIMIT ?",
            (group_id, limit),
        )
        return [_suggestion(r) for r in rows]

    def count_open_suggestions(self, group_id: int, user_id: int | None = None) -> int:
        where, params = "group_id = ? AND status = 'open'", [group_id]
        if user_id is not None:
            where += " AND user_id = ?"
            params.append(user_id)
        return self.query(f"SELECT count(*) FROM question_suggestions WHERE {where}", params)[0][0]

    def record_suggestion_notice(self, suggestion_id: int, channel_id: int, message_id: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE question_suggestions SET notice_channel_id = ?, notice_message_id = ? WHERE id = ?",
                (channel_id, message_id, suggestion_id),
            )

    def decide_suggestion(self, suggestion_id: int, approve: bool, by: int, now: str, room: int) -> Decision:
        """Approve (the question joins the server's list for its passage, if the list holds
        fewer than `room`) or decline an open suggestion, in one transaction."""
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM question_suggestions WHERE id = ?", (suggestion_id,)).fetchone()
            if row["status"] != "open":
                return Decision(_suggestion(row), "decided")
            if approve:
                key = (row["guild_id"], row["text_id"], row["ordinal"])
                held = conn.execute(
                    """SELECT question, position FROM server_questions WHERE guild_id = ? AND text_id = ?
                       AND ordinal = ? ORDER BY position""",
                    key,
                ).fetchall()
                new = row["question"] not in {h["question"] for h in held}
                if new and len(held) >= room:
                    return Decision(_suggestion(row), "full")  # nothing written yet
                conn.execute(
                    """INSERT INTO server_question_sets (guild_id, text_id, ordinal, updated_by, updated_at)
                       VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, text_id, ordinal) DO UPDATE SET
                       updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
                    (*key, by, now),
                )
                if new:
                    conn.execute(
                        """INSERT INTO server_questions (guild_id, text_id, ordinal, position, question, source,
                           author_id, approved_by, added_at) VALUES (?, ?, ?, ?, ?, 'suggested', ?, ?, ?)""",
                        (*key, (held[-1]["position"] if held else 0) + 1, row["question"], row["user_id"], by, now),
                    )
            conn.execute(
                "UPDATE question_suggestions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                ("approved" if approve else "declined", by, now, suggestion_id),
            )
        return Decision(self._suggestion_written(suggestion_id))

    def _suggestion_written(self, suggestion_id: int) -> Suggestion:
        found = self.suggestion_by_id(suggestion_id)
        assert found is not None  # written just now, and suggestions are never deleted alone
        return found


def _curated(row: sqlite3.Row) -> CuratedQuestion:
    return CuratedQuestion(
        text=row["question"],
        source=row["source"],
        author_id=row["author_id"],
        approved_by=row["approved_by"],
        added_at=row["added_at"],
    )


def _suggestion(row: sqlite3.Row) -> Suggestion:
    return Suggestion(**{name: row[name] for name in row.keys()})
