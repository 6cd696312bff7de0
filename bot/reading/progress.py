"""Where a group and its members stand. Every number comes from the store's records of posts
and reads, not from counters kept alongside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.members.streaks import streak_of
from bot.models import Delivery, DeliveryStatus, Group, Text
from bot.reading.plans import schedule_of
from bot.store import Store


@dataclass(frozen=True)
class GroupProgress:
    text: Text
    posted: int
    """Distinct passages posted so far."""
    last_posted: int | None
    next_ordinal: int
    percent: int
    projected_finish: date | None
    """The local day of the post that will carry the last passage; None when paused or done."""
    finished: bool
    paused: bool
    pause_reason: str | None
    readers: int


@dataclass(frozen=True)
class MemberProgress:
    read: int
    posted: int
    streak: int
    """Post days kept in a row, in the member's zone, with grace (bot/members/streaks.py)."""
    missed: tuple[Delivery, ...]
    """Posts made that the member has not marked read, oldest first."""


def posted_ordinals(deliveries: list[Delivery]) -> set[int]:
    return {o for d in deliveries for o in range(d.first_ordinal, d.last_ordinal + 1)}


def group_progress(store: Store, group: Group, now: datetime) -> GroupProgress:
    text = store.get_text(group.text_id)
    delivered = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    posted = posted_ordinals(delivered)
    remaining = max(0, text.passage_count - group.next_ordinal + 1)
    finished = remaining == 0
    projected = None
    if not finished and not group.paused and group.weekdays:
        schedule = schedule_of(group)
        today = schedule.local_date(now)
        # Only a post made counts: a claim still being sent carries next_ordinal today, so
        # counting it would push the finish back a post day until the send completes.
        posted_today = any(d.local_date == today for d in store.deliveries_of(group.id, DeliveryStatus.POSTED))
        posts_needed = -(-remaining // group.pace)
        projected = schedule.next_posts(now, posts_needed, posted_today=posted_today)[-1].date()
    return GroupProgress(
        text=text,
        posted=len(posted),
        last_posted=max(posted) if posted else None,
        next_ordinal=group.next_ordinal,
        percent=round(100 * len(posted) / text.passage_count),
        projected_finish=projected,
        finished=finished,
        paused=group.paused,
        pause_reason=group.pause_reason,
        readers=len(store.readers(group.id)),
    )


def member_progress(store: Store, group: Group, user_id: int, now: datetime) -> MemberProgress:
    delivered = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    read = store.read_ordinals(group.id, user_id)
    done = [all(o in read for o in range(d.first_ordinal, d.last_ordinal + 1)) for d in delivered]
    streak = streak_of(store, group, user_id, now).days
    return MemberProgress(
        read=len(read & posted_ordinals(delivered)),
        posted=len(posted_ordinals(delivered)),
        streak=streak,
        missed=tuple(d for d, was_read in zip(delivered, done) if not was_read),
    )
