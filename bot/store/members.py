"""Queries for members' own reading: reminder settings, the reminders claimed and sent, and a
group's options for its members (the role its daily post mentions)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, time

from bot.models import Delivery, Reminder, ReminderSetting
from bot.store.base import StoreBase, stamp
from bot.store.groups import _delivery


def utc_stamp(moment: datetime) -> str:
    """Moments the store compares in SQL (when a reminder is due) are written in UTC, so that
    text order is time order."""
    return stamp(moment.astimezone(UTC))


class MemberStore(StoreBase):
    """Queries for reminders and members' options; mixed into Store."""

    # -- reminder settings ----------------------------------------------------------------------

    def reminder_setting(self, group_id: int, user_id: int) -> ReminderSetting | None:
        rows = self.query("SELECT * FROM reminder_settings WHERE group_id = ? AND user_id = ?", (group_id, user_id))
        return _setting(rows[0]) if rows else None

    def save_reminder_setting(
        self,
        group_id: int,
        user_id: int,
        *,
        remind_at: time | None,
        timezone: str,
        weekdays: frozenset[int],
        snoozed_until: date | None,
        next_due: datetime | None,
        now: datetime,
    ) -> ReminderSetting:
        """Set a member's reminders. The member acted: a pause, a closed-DM stop and the count of
        unread reminders all start afresh (the DM channel, once known, is kept)."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO reminder_settings (group_id, user_id, remind_at, timezone, weekdays, snoozed_until,
                       next_due, counting_since, paused_at, dm_closed_at, dm_closed_told, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?)
                   ON CONFLICT (group_id, user_id) DO UPDATE SET remind_at = excluded.remind_at,
                       timezone = excluded.timezone, weekdays = excluded.weekdays,
                       snoozed_until = excluded.snoozed_until, next_due = excluded.next_due,
                       counting_since = excluded.counting_since, paused_at = NULL, dm_closed_at = NULL,
                       dm_closed_told = 0, updated_at = excluded.updated_at""",
                (
                    group_id,
                    user_id,
                    None if remind_at is None else remind_at.strftime("%H:%M"),
                    timezone,
                    ",".join(str(d) for d in sorted(weekdays)),
                    None if snoozed_until is None else snoozed_until.isoformat(),
                    None if next_due is None else utc_stamp(next_due),
                    stamp(now),
                    stamp(now),
                ),
            )
        setting = self.reminder_setting(group_id, user_id)
        assert setting is not None  # just written
        return setting

    def due_reminder_settings(
        self, now: datetime, limit: int, skip_groups: Collection[int] = ()
    ) -> list[ReminderSetting]:
        """Members of running groups whose reminder is due, the most overdue first; at most
        `limit` (the caller takes them in batches), none of the groups in `skip_groups`."""
        skipped = ",".join(str(int(g)) for g in skip_groups)
        rows = self.query(
            f"""SELECT r.* FROM reminder_settings r JOIN groups g ON g.id = r.group_id
               WHERE r.next_due IS NOT NULL AND r.next_due <= ? AND g.stopped_at IS NULL
               AND r.group_id NOT IN ({skipped}) ORDER BY r.next_due LIMIT ?""",
            (utc_stamp(now), limit),
        )
        return [_setting(r) for r in rows]

    def move_reminder(
        self, group_id: int, user_id: int, next_due: datetime | None, resumed_at: datetime | None = None
    ) -> None:
        """The next reminder's moment, without a reminder now; `resumed_at` ends a pause (the
        member read something since) and starts the count of unread reminders afresh."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE reminder_settings SET next_due = ? WHERE group_id = ? AND user_id = ?",
                (None if next_due is None else utc_stamp(next_due), group_id, user_id),
            )
            if resumed_at is not None:
                conn.execute(
                    """UPDATE reminder_settings SET paused_at = NULL, counting_since = ?
                       WHERE group_id = ? AND user_id = ?""",
                    (stamp(resumed_at), group_id, user_id),
                )

    # -- reminders ------------------------------------------------------------------------------

    def claim_reminder(
        self,
        group_id: int,
        user_id: int,
        local_date: date,
        kind: str,
        delivery_id: int | None,
        next_due: datetime | None,
        now: datetime,
        resumed: bool = False,
    ) -> Reminder | None:
        """Claim the member's one message for a local day and move on to the next reminder,
        together. None when the day already has one: never two a day, whatever happens."""
        with self.transaction() as conn:
            if resumed:
                conn.execute(
                    """UPDATE reminder_settings SET paused_at = NULL, counting_since = ?
                       WHERE group_id = ? AND user_id = ?""",
                    (stamp(now), group_id, user_id),
                )
            conn.execute(
                "UPDATE reminder_settings SET next_due = ? WHERE group_id = ? AND user_id = ?",
                (None if next_due is None else utc_stamp(next_due), group_id, user_id),
            )
            cursor = conn.execute(
                """INSERT OR IGNORE INTO reminders (group_id, user_id, local_date, kind, delivery_id, status, claimed_at)
                   VALUES (?, ?, ?, ?, ?, 'claimed', ?)""",
                (group_id, user_id, local_date.isoformat(), kind, delivery_id, stamp(now)),
            )
            if cursor.rowcount == 0:
                return None
            if kind == "paused":
                conn.execute(
                    "UPDATE reminder_settings SET paused_at = ? WHERE group_id = ? AND user_id = ?",
                    (stamp(now), group_id, user_id),
                )
            row = conn.execute("SELECT * FROM reminders WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _reminder(row)

    def claimed_reminders(self, limit: int) -> list[Reminder]:
        """Reminders claimed but never tried (a restart came between): safe to send."""
        rows = self.query("SELECT * FROM reminders WHERE status = 'claimed' ORDER BY id LIMIT ?", (limit,))
        return [_reminder(r) for r in rows]

    def start_sending(self, reminder_ids: Iterable[int]) -> None:
        """Mark reminders as being sent, before any goes out: one a crash interrupts is never
        tried again (a second DM would be worse than a missing one)."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE reminders SET status = 'sending' WHERE id = ? AND status = 'claimed'",
                [(i,) for i in reminder_ids],
            )

    def finish_reminders(self, outcomes: Iterable[tuple[int, bool]], now: datetime) -> None:
        """Record each reminder as sent or failed."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE reminders SET status = ?, sent_at = ? WHERE id = ?",
                [("sent" if ok else "failed", stamp(now) if ok else None, i) for i, ok in outcomes],
            )

    def reminded_of(self, group_id: int, user_id: int, delivery_id: int) -> bool:
        rows = self.query(
            "SELECT 1 FROM reminders WHERE group_id = ? AND user_id = ? AND delivery_id = ? LIMIT 1",
            (group_id, user_id, delivery_id),
        )
        return bool(rows)

    def latest_reminders(self, group_id: int, user_id: int, count: int) -> list[tuple[Reminder, datetime]]:
        """The member's latest reminders sent (not pause notes), newest first, with when each
        was claimed."""
        rows = self.query(
            """SELECT * FROM reminders WHERE group_id = ? AND user_id = ? AND kind = 'reminder'
               AND status = 'sent' ORDER BY id DESC LIMIT ?""",
            (group_id, user_id, count),
        )
        return [(_reminder(r), datetime.fromisoformat(r["claimed_at"])) for r in rows]

    def reminders_of(self, group_id: int, user_id: int) -> list[Reminder]:
        rows = self.query("SELECT * FROM reminders WHERE group_id = ? AND user_id = ? ORDER BY id", (group_id, user_id))
        return [_reminder(r) for r in rows]

    # -- direct messages ------------------------------------------------------------------------

    def record_dm_channel(self, user_id: int, channel_id: int) -> None:
        """A member's DM channel, kept so later reminders need one request, not two."""
        with self.transaction() as conn:
            conn.execute("UPDATE reminder_settings SET dm_channel_id = ? WHERE user_id = ?", (channel_id, user_id))

    def close_dms(self, guild_id: int, user_id: int, now: datetime) -> None:
        """The member's DMs are closed to this server's members: stop every reminder they set on
        it, and keep that to tell them once."""
        with self.transaction() as conn:
            conn.execute(
                """UPDATE reminder_settings SET dm_closed_at = ?, dm_closed_told = 0, next_due = NULL
                   WHERE user_id = ? AND group_id IN (SELECT id FROM groups WHERE guild_id = ?)""",
                (stamp(now), user_id, guild_id),
            )

    def take_dm_closure(self, guild_id: int, user_id: int) -> bool:
        """Whether the member has yet to hear that their DMs were closed; they hear it once.
        Asked on every command: a read, and a write only when there is something to tell."""
        waiting = self.query(
            """SELECT 1 FROM reminder_settings WHERE user_id = ? AND dm_closed_at IS NOT NULL AND dm_closed_told = 0
               AND group_id IN (SELECT id FROM groups WHERE guild_id = ?) LIMIT 1""",
            (user_id, guild_id),
        )
        if not waiting:
            return False
        with self.transaction() as conn:
            cursor = conn.execute(
                """UPDATE reminder_settings SET dm_closed_told = 1
                   WHERE user_id = ? AND dm_closed_at IS NOT NULL AND dm_closed_told = 0
                   AND group_id IN (SELECT id FROM groups WHERE guild_id = ?)""",
                (user_id, guild_id),
            )
            return cursor.rowcount > 0

    # -- reads, as reminders ask about them -----------------------------------------------------

    def recent_posts(self, group_id: int, count: int) -> list[Delivery]:
        """The group's latest posts made, newest first."""
        rows = self.query(
            "SELECT * FROM deliveries WHERE group_id = ? AND status = 'posted' ORDER BY local_date DESC LIMIT ?",
            (group_id, count),
        )
        return [_delivery(r) for r in rows]

    def has_read(self, group_id: int, user_id: int, text_id: int, first: int, last: int) -> bool:
        """Whether the member marked every passage first..last read."""
        rows = self.query(
            """SELECT count(*) FROM reads r JOIN passages p ON p.id = r.passage_id
               WHERE r.group_id = ? AND r.user_id = ? AND p.text_id = ? AND p.ordinal BETWEEN ? AND ?""",
            (group_id, user_id, text_id, first, last),
        )
        return rows[0][0] >= last - first + 1

    def last_read_at(self, group_id: int, user_id: int) -> datetime | None:
        """When the member last marked anything read in the group."""
        rows = self.query(
            "SELECT read_at FROM reads WHERE group_id = ? AND user_id = ? ORDER BY rowid DESC LIMIT 1",
            (group_id, user_id),
        )
        return datetime.fromisoformat(rows[0][0]) if rows else None

    # -- a group's options for its members -------------------------------------------------------

    def ping_role(self, group_id: int) -> int | None:
        rows = self.query("SELECT ping_role_id FROM group_options WHERE group_id = ?", (group_id,))
        return rows[0][0] if rows else None

    def set_ping_role(self, group_id: int, role_id: int | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO group_options (group_id, ping_role_id) VALUES (?, ?)
                   ON CONFLICT (group_id) DO UPDATE SET ping_role_id = excluded.ping_role_id""",
                (group_id, role_id),
            )


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _setting(row: sqlite3.Row) -> ReminderSetting:
    return ReminderSetting(
        group_id=row["group_id"],
        user_id=row["user_id"],
        remind_at=None if row["remind_at"] is None else time.fromisoformat(row["remind_at"]),
        timezone=row["timezone"],
        weekdays=frozenset(int(d) for d in row["weekdays"].split(",") if d),
        snoozed_until=None if row["snoozed_until"] is None else date.fromisoformat(row["snoozed_until"]),
        next_due=_moment(row["next_due"]),
        counting_since=datetime.fromisoformat(row["counting_since"]),
        paused_at=_moment(row["paused_at"]),
        dm_channel_id=row["dm_channel_id"],
        dm_closed_at=_moment(row["dm_closed_at"]),
        dm_closed_told=bool(row["dm_closed_told"]),
    )


def _reminder(row: sqlite3.Row) -> Reminder:
    return Reminder(
        id=row["id"],
        group_id=row["group_id"],
        user_id=row["user_id"],
        local_date=date.fromisoformat(row["local_date"]),
        kind=row["kind"],
        delivery_id=row["delivery_id"],
        status=row["status"],
    )


class CatchupStore(StoreBase):
    """Queries for members' catch-up plans; mixed into Store."""

    def start_catchup(self, group_id: int, user_id: int, pace: int, now: datetime) -> None:
        """Begin a member's catch-up, or change its pace (its first day stays)."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO catchup_plans (group_id, user_id, pace, started_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (group_id, user_id) DO UPDATE SET pace = excluded.pace""",
                (group_id, user_id, pace, stamp(now)),
            )

    def catchup_plan(self, group_id: int, user_id: int) -> tuple[int, datetime] | None:
        """(passages a day, when it began), or None."""
        rows = self.query(
            "SELECT pace, started_at FROM catchup_plans WHERE group_id = ? AND user_id = ?", (group_id, user_id)
        )
        return (rows[0][0], datetime.fromisoformat(rows[0][1])) if rows else None

    def end_catchup(self, group_id: int, user_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM catchup_plans WHERE group_id = ? AND user_id = ?", (group_id, user_id))

    def read_times(self, group_id: int, user_id: int) -> dict[int, datetime]:
        """Each passage the member marked read in the group (by number), with when."""
        rows = self.query(
            """SELECT p.ordinal, r.read_at FROM reads r JOIN passages p ON p.id = r.passage_id
               WHERE r.group_id = ? AND r.user_id = ?""",
            (group_id, user_id),
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows}


class StreakStore(StoreBase):
    """Queries for streaks and the leaderboard; mixed into Store."""

    def record_thread_post(self, thread_id: int, user_id: int, now: datetime) -> bool:
        """A member's message in a post's thread (the first one counts); False when the thread
        is no post's. Every message in a thread asks this: one indexed lookup."""
        with self.transaction() as conn:
            cursor = conn.execute(
                """INSERT OR IGNORE INTO thread_posts (delivery_id, user_id, posted_at)
                   SELECT id, ?, ? FROM deliveries WHERE thread_id = ? AND status = 'posted' LIMIT 1""",
                (user_id, stamp(now), thread_id),
            )
            return cursor.rowcount > 0

    def thread_post_times(self, group_id: int, user_id: int) -> dict[int, datetime]:
        """Post id -> when the member first wrote in its thread."""
        rows = self.query(
            """SELECT t.delivery_id, t.posted_at FROM thread_posts t JOIN deliveries d ON d.id = t.delivery_id
               WHERE d.group_id = ? AND t.user_id = ?""",
            (group_id, user_id),
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows}

    def leaderboard_on(self, group_id: int) -> bool:
        rows = self.query("SELECT leaderboard FROM group_options WHERE group_id = ?", (group_id,))
        return bool(rows and rows[0][0])

    def set_leaderboard(self, group_id: int, on: bool) -> None:
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO group_options (group_id, leaderboard) VALUES (?, ?)
                   ON CONFLICT (group_id) DO UPDATE SET leaderboard = excluded.leaderboard""",
                (group_id, int(on)),
            )


class DigestStore(StoreBase):
    """Queries for the weekly digest and the progress chart; mixed into Store."""

    def group_read_times(self, group_id: int) -> dict[int, list[datetime]]:
        """Each member who read anything: when they marked each passage, oldest first."""
        times: dict[int, list[datetime]] = {}
        for user_id, read_at in self.query("SELECT user_id, read_at FROM reads WHERE group_id = ?", (group_id,)):
            times.setdefault(user_id, []).append(datetime.fromisoformat(read_at))
        for moments in times.values():
            moments.sort()
        return times

    def thread_writers(self, group_id: int, delivery_ids: list[int]) -> dict[int, int]:
        """Post id -> how many members wrote in its thread."""
        rows = self.query(
            """SELECT t.delivery_id, count(*) FROM thread_posts t JOIN deliveries d ON d.id = t.delivery_id
               WHERE d.group_id = ? GROUP BY t.delivery_id""",
            (group_id,),
        )
        wanted = set(delivery_ids)
        return {r[0]: r[1] for r in rows if r[0] in wanted}

    def digest_day(self, group_id: int) -> int | None:
        rows = self.query("SELECT digest_day FROM group_options WHERE group_id = ?", (group_id,))
        return rows[0][0] if rows else None

    def set_digest_day(self, group_id: int, day: int | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO group_options (group_id, digest_day) VALUES (?, ?)
                   ON CONFLICT (group_id) DO UPDATE SET digest_day = excluded.digest_day""",
                (group_id, day),
            )

    def digest_groups(self) -> list[tuple[int, int]]:
        """(group, weekday) of every running group with a weekly digest."""
        rows = self.query(
            """SELECT o.group_id, o.digest_day FROM group_options o JOIN groups g ON g.id = o.group_id
               WHERE o.digest_day IS NOT NULL AND g.stopped_at IS NULL AND g.paused = 0"""
        )
        return [(r[0], r[1]) for r in rows]

    def claim_digest(self, group_id: int, local_date: date, now: datetime) -> bool:
        """Claim a group's digest for a day, once: False if it was claimed already."""
        with self.transaction() as conn:
            cursor = conn.execute(
                """INSERT OR IGNORE INTO digests (group_id, local_date, status, claimed_at)
                   VALUES (?, ?, 'sending', ?)""",
                (group_id, local_date.isoformat(), stamp(now)),
            )
            return cursor.rowcount > 0

    def finish_digest(self, group_id: int, local_date: date, message_id: int | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE digests SET status = ?, message_id = ? WHERE group_id = ? AND local_date = ?",
                ("sent" if message_id else "failed", message_id, group_id, local_date.isoformat()),
            )


class PollStore(StoreBase):
    """Queries for polls of the next text; mixed into Store."""

    def record_poll(self, group_id: int, message_id: int, text_ids: list[int], now: datetime) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO text_polls (group_id, message_id, answers, opened_at) VALUES (?, ?, ?, ?)",
                (group_id, message_id, json.dumps(text_ids), stamp(now)),
            )

    def poll_answers(self, group_id: int, message_id: int) -> list[int] | None:
        """The texts an open poll's answers name, in order; None for no such open poll."""
        rows = self.query(
            "SELECT answers FROM text_polls WHERE group_id = ? AND message_id = ? AND closed = 0",
            (group_id, message_id),
        )
        return json.loads(rows[0][0]) if rows else None

    def close_poll(self, group_id: int, message_id: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE text_polls SET closed = 1 WHERE group_id = ? AND message_id = ?", (group_id, message_id)
            )
