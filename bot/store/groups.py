"""Queries for reading groups, their daily posts (deliveries) and who has read what."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time

from bot.errors import NotFoundError
from bot.models import Delivery, DeliveryStatus, Group
from bot.store.base import StoreBase, new_id, stamp


class GroupStore(StoreBase):
    """Queries for groups, their posts and reads; mixed into Store."""

    # -- groups ---------------------------------------------------------------------------------

    def create_group(
        self,
        guild_id: int,
        channel_id: int,
        text_id: int,
        post_time: time,
        timezone_name: str,
        weekdays: frozenset[int],
        pace: int,
        start_ordinal: int,
        created_by: int,
        now: datetime,
    ) -> Group | None:
        """A new group for the channel, or None if the channel already has an active one."""
        with self.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM groups WHERE channel_id = ? AND stopped_at IS NULL", (channel_id,)
            ).fetchone():
                return None
            cursor = conn.execute(
                """INSERT INTO groups (guild_id, channel_id, text_id, next_ordinal, post_time, timezone,
                   weekdays, pace, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    guild_id,
                    channel_id,
                    text_id,
                    start_ordinal,
                    _minute(post_time),
                    timezone_name,
                    _weekdays_text(weekdays),
                    pace,
                    created_by,
                    stamp(now),
                ),
            )
            group_id = new_id(cursor)
        return self.group_by_id(group_id)

    def group_for_channel(self, channel_id: int) -> Group | None:
        rows = self.query("SELECT * FROM groups WHERE channel_id = ? AND stopped_at IS NULL", (channel_id,))
        return _group(rows[0]) if rows else None

    def group_by_id(self, group_id: int) -> Group | None:
        rows = self.query("SELECT * FROM groups WHERE id = ?", (group_id,))
        return _group(rows[0]) if rows else None

    def get_group(self, group_id: int) -> Group:
        """A group known to exist: a delivery's, one just written (groups are stopped, never deleted)."""
        group = self.group_by_id(group_id)
        if group is None:
            raise NotFoundError(f"Reading group {group_id} does not exist.")
        return group

    def groups_in_guild(self, guild_id: int) -> list[Group]:
        rows = self.query("SELECT * FROM groups WHERE guild_id = ? AND stopped_at IS NULL ORDER BY id", (guild_id,))
        return [_group(r) for r in rows]

    def update_group(self, group_id: int, **changes) -> Group:
        """Change plan settings: post_time, timezone, weekdays, pace, next_ordinal, paused, ..."""
        allowed = {
            "post_time",
            "timezone",
            "weekdays",
            "pace",
            "next_ordinal",
            "paused",
            "pause_reason",
            "last_error",
            "stopped_at",
        }
        if not changes or not set(changes) <= allowed:
            raise ValueError(f"cannot change {set(changes) - allowed}")
        if "weekdays" in changes:
            changes["weekdays"] = _weekdays_text(changes["weekdays"])
        if "post_time" in changes:
            changes["post_time"] = _minute(changes["post_time"])
        if changes.get("stopped_at") is not None:
            changes["stopped_at"] = stamp(changes["stopped_at"])
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self.transaction() as conn:
            conn.execute(f"UPDATE groups SET {assignments} WHERE id = ?", (*changes.values(), group_id))
            if changes.get("paused") == 0:
                # Resuming after a failure: a failed post that never went out may be tried again;
                # one whose message did go out is finished (found by its id), never sent again.
                conn.execute(
                    """DELETE FROM deliveries WHERE group_id = ? AND status = 'failed'
                       AND message_id IS NULL AND attempts <= 1""",
                    (group_id,),
                )
                conn.execute(
                    "UPDATE deliveries SET status = 'pending' WHERE group_id = ? AND status = 'failed'",
                    (group_id,),
                )
        return self.get_group(group_id)

    def active_groups_with_last_post(self) -> list[tuple[Group, date | None]]:
        """Every running group with the local date of its last post made or given up on."""
        rows = self.query(
            """SELECT g.*, (SELECT max(local_date) FROM deliveries d
                            WHERE d.group_id = g.id AND d.status != 'pending') AS last_done
               FROM groups g JOIN texts t ON t.id = g.text_id
               WHERE g.stopped_at IS NULL AND g.paused = 0 AND g.next_ordinal <= t.passage_count"""
        )
        return [(_group(r), _date(r["last_done"])) for r in rows]

    # -- deliveries -----------------------------------------------------------------------------

    def claim_delivery(self, group_id: int, local_date: date, now: datetime) -> Delivery | None:
        """Claim the group's post for a local day, once. Returns the pending delivery to send
        (a new one, or one a crash left pending), or None when the day is done or not due."""
        day = local_date.isoformat()
        with self.transaction() as conn:
            existing = conn.execute(
                "SELECT * FROM deliveries WHERE group_id = ? AND local_date = ?", (group_id, day)
            ).fetchone()
            if existing:
                return _delivery(existing) if existing["status"] == "pending" else None
            stale = conn.execute(
                "SELECT id FROM deliveries WHERE group_id = ? AND status = 'pending'",
                (group_id,),
            ).fetchone()
            if stale:
                # A post left pending on an earlier day (a crash across midnight) may already be
                # out: carry the same claim over, so its message is looked for, not sent again.
                conn.execute("UPDATE deliveries SET local_date = ? WHERE id = ?", (day, stale["id"]))
                return _delivery(conn.execute("SELECT * FROM deliveries WHERE id = ?", (stale["id"],)).fetchone())
            group = conn.execute(
                """SELECT g.next_ordinal, g.pace, t.passage_count FROM groups g JOIN texts t ON t.id = g.text_id
                   WHERE g.id = ? AND g.paused = 0 AND g.stopped_at IS NULL""",
                (group_id,),
            ).fetchone()
            if not group or group["next_ordinal"] > group["passage_count"]:
                return None
            last = min(group["next_ordinal"] + group["pace"] - 1, group["passage_count"])
            cursor = conn.execute(
                """INSERT INTO deliveries (group_id, local_date, first_ordinal, last_ordinal, status, claimed_at)
                   VALUES (?, ?, ?, ?, 'pending', ?)""",
                (group_id, day, group["next_ordinal"], last, stamp(now)),
            )
            delivery_id = new_id(cursor)
        return self.delivery_by_id(delivery_id)

    def skip_to(self, group_id: int, from_ordinal: int, to_ordinal: int) -> bool:
        """Move a plan on from `from_ordinal` without posting (past passages that are no reading
        matter), unless it moved meanwhile (an organiser's jump) or a claimed post is pending:
        a claim's passages are fixed once made. True when it moved."""
        with self.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM deliveries WHERE group_id = ? AND status = 'pending'", (group_id,)
            ).fetchone():
                return False
            cursor = conn.execute(
                "UPDATE groups SET next_ordinal = ? WHERE id = ? AND next_ordinal = ?",
                (to_ordinal, group_id, from_ordinal),
            )
            return cursor.rowcount == 1

    def delivery_by_id(self, delivery_id: int) -> Delivery | None:
        rows = self.query("SELECT * FROM deliveries WHERE id = ?", (delivery_id,))
        return _delivery(rows[0]) if rows else None

    def get_delivery(self, delivery_id: int) -> Delivery:
        """A delivery known to exist (one just claimed or attempted)."""
        delivery = self.delivery_by_id(delivery_id)
        if delivery is None:
            raise NotFoundError(f"Post {delivery_id} does not exist.")
        return delivery

    def start_attempt(self, delivery_id: int) -> Delivery:
        """Count an attempt before sending, so a crash mid-send is known to have maybe sent."""
        with self.transaction() as conn:
            conn.execute("UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?", (delivery_id,))
        return self.get_delivery(delivery_id)

    def record_message(self, delivery_id: int, message_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE deliveries SET message_id = ? WHERE id = ?", (message_id, delivery_id))

    def complete_delivery(
        self, delivery_id: int, message_id: int, thread_id: int | None, now: datetime, problem: str | None = None
    ) -> None:
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
                (message_id, thread_id, stamp(now), delivery_id),
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

    def deliveries_of(self, group_id: int, status: DeliveryStatus | None = None) -> list[Delivery]:
        where = "group_id = ?"
        params: list[int | str] = [group_id]
        if status:
            where += " AND status = ?"
            params.append(status)
        rows = self.query(f"SELECT * FROM deliveries WHERE {where} ORDER BY local_date", params)
        return [_delivery(r) for r in rows]

    def latest_delivery(self, group_id: int) -> Delivery | None:
        rows = self.query("SELECT * FROM deliveries WHERE group_id = ? ORDER BY local_date DESC LIMIT 1", (group_id,))
        return _delivery(rows[0]) if rows else None

    # -- reads ----------------------------------------------------------------------------------

    def mark_read(self, group_id: int, user_id: int, text_id: int, first: int, last: int, now: datetime) -> int:
        """Mark passages first..last of the text read by a member; returns how many were new."""
        with self.transaction() as conn:
            cursor = conn.execute(
                """INSERT OR IGNORE INTO reads (group_id, user_id, passage_id, read_at)
                   SELECT ?, ?, id, ? FROM passages WHERE text_id = ? AND ordinal BETWEEN ? AND ?""",
                (group_id, user_id, stamp(now), text_id, first, last),
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
        rows = self.query("SELECT user_id, count(*) FROM reads WHERE group_id = ? GROUP BY user_id", (group_id,))
        return {r[0]: r[1] for r in rows}


def _weekdays_text(days: frozenset[int]) -> str:
    return ",".join(str(d) for d in sorted(days))


def _minute(moment: time) -> str:
    return moment.strftime("%H:%M")


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _group(row: sqlite3.Row) -> Group:
    return Group(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        text_id=row["text_id"],
        next_ordinal=row["next_ordinal"],
        post_time=time.fromisoformat(row["post_time"]),
        timezone=row["timezone"],
        weekdays=frozenset(int(d) for d in row["weekdays"].split(",") if d),
        pace=row["pace"],
        paused=bool(row["paused"]),
        pause_reason=row["pause_reason"],
        last_error=row["last_error"],
        created_by=row["created_by"],
    )


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        id=row["id"],
        group_id=row["group_id"],
        local_date=date.fromisoformat(row["local_date"]),
        first_ordinal=row["first_ordinal"],
        last_ordinal=row["last_ordinal"],
        status=DeliveryStatus(row["status"]),
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        attempts=row["attempts"],
        error=row["error"],
        posted_at=None if row["posted_at"] is None else datetime.fromisoformat(row["posted_at"]),
        claimed_at=datetime.fromisoformat(row["claimed_at"]),
        questions=tuple(json.loads(row["questions"])) if row["questions"] is not None else None,
    )
