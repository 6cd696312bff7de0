"""Streaks with grace, in the member's own time zone.

A day counts when, on that day (the member's calendar: their reminders' zone, else the group's),
the member marks the day's post read or writes in its discussion thread. The day's post is the
group's last post made that day. Days the group posts nothing neither count nor break a streak;
today does not break it while it lasts; and one missed post day in any seven is forgiven.

Writing in a thread is seen from Discord's message event without its content: the bot asks for
the (unprivileged) guild messages intent, never for message content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.members.catchup import member_zone
from bot.models import Delivery, DeliveryStatus, Group
from bot.store import Store

GRACE_DAYS = 7
"""One missed post day is forgiven in any this many days."""
LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class Streak:
    days: int
    """Post days kept in a row, up to today."""
    forgiven: tuple[date, ...]
    """Missed post days inside the streak that were forgiven."""


def streak_of(store: Store, group: Group, user_id: int, now: datetime) -> Streak:
    """The member's current streak in the group."""
    posts = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    read_at = store.read_times(group.id, user_id)
    wrote_at = store.thread_post_times(group.id, user_id)
    return count_streak(posts, read_at, wrote_at, member_zone(store, group, user_id), now)


def count_streak(
    posts: list[Delivery],
    read_at: dict[int, datetime],
    wrote_at: dict[int, datetime],
    zone: ZoneInfo,
    now: datetime,
) -> Streak:
    """The rule itself, on plain data: passages read (number -> when) and posts written in
    (post id -> when). Linear in the posts."""
    day_post: dict[date, Delivery] = {}
    for post in posts:  # oldest first: the day's last post wins
        day_post[_day(post, zone)] = post
    today = now.astimezone(zone).date()
    kept = 0
    forgiven: list[date] = []
    inside = 0  # forgiven misses with a kept day before them: inside the streak
    for day in sorted(day_post, reverse=True):
        if day > today:
            continue
        if _kept_on(day_post[day], day, read_at, wrote_at, zone):
            kept += 1
            inside = len(forgiven)
        elif day == today:
            continue  # there is still time today
        elif all((f - day).days >= GRACE_DAYS for f in forgiven):
            forgiven.append(day)
        else:
            break
    return Streak(days=kept, forgiven=tuple(forgiven[:inside]))


def _kept_on(
    post: Delivery, day: date, read_at: dict[int, datetime], wrote_at: dict[int, datetime], zone: ZoneInfo
) -> bool:
    wrote = wrote_at.get(post.id)
    if wrote is not None and wrote.astimezone(zone).date() == day:
        return True
    times = [read_at.get(o) for o in range(post.first_ordinal, post.last_ordinal + 1)]
    if any(t is None for t in times):
        return False
    return max(t for t in times if t is not None).astimezone(zone).date() == day


def _day(post: Delivery, zone: ZoneInfo) -> date:
    return post.posted_at.astimezone(zone).date() if post.posted_at else post.local_date


def thread_post(store: Store, thread_id: int, user_id: int, now: datetime) -> bool:
    """A member wrote in a post's thread: kept (their first message there) for their streak.
    False when the thread is no post's."""
    return store.record_thread_post(thread_id, user_id, now)


def leaderboard(store: Store, group: Group, now: datetime) -> list[tuple[int, int]]:
    """(member, streak days) of the longest current streaks, longest first; members with none
    are left out. Linear in the group's readers times its posts."""
    posts = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    scores = []
    for user_id in store.readers(group.id):
        days = count_streak(
            posts,
            store.read_times(group.id, user_id),
            store.thread_post_times(group.id, user_id),
            member_zone(store, group, user_id),
            now,
        ).days
        if days:
            scores.append((user_id, days))
    return sorted(scores, key=lambda s: (-s[1], s[0]))[:LEADERBOARD_SIZE]
