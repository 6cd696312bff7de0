"""A catch-up that forgives: a member behind the group reads the posts they missed at their own
pace (passages a day), oldest first, until they reach the group. The group's plan does not move.

A member's days are in their own zone (their reminders' zone, else the group's). "Today's
portion" is the oldest unread posts that make up the day's pace, less what they caught up on
today already; reaching the group is having nothing unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidSettingError
from bot.models import Delivery, DeliveryStatus, Group, Text
from bot.reading.plans import schedule_of
from bot.store import Store

DEFAULT_PACE = 2
MAX_PACE = 10
HORIZON_DAYS = 366
"""How far ahead the day a member reaches the group is looked for (one step a day)."""


@dataclass(frozen=True)
class CatchupDay:
    """Where a member's catch-up stands today."""

    pace: int
    """Passages a day."""
    day: int
    """Day of the catch-up, from 1."""
    portion: tuple[Delivery, ...]
    """Today's posts to read, oldest first (empty: today's pace is done, or nothing is left)."""
    caught_up_today: int
    """Passages of earlier posts marked read today."""
    behind: int
    """Passages posted and not yet read."""
    reach_on: date | None
    """The member's local day they reach the group at this pace; None if not within a year."""


def member_zone(store: Store, group: Group, user_id: int) -> ZoneInfo:
    """A member's days are in their reminders' zone, else the group's."""
    setting = store.reminder_setting(group.id, user_id)
    return ZoneInfo(setting.timezone if setting else group.timezone)


def parse_pace(pace: int | None) -> int:
    if pace is None:
        return DEFAULT_PACE
    if not 1 <= pace <= MAX_PACE:
        raise InvalidSettingError(f"Catch up at 1 to {MAX_PACE} passages a day, e.g. /catchup pace:2.")
    return pace


def start(store: Store, group: Group, user_id: int, pace: int | None, now: datetime) -> None:
    """Begin (or re-pace) the member's catch-up; the group's plan is untouched."""
    store.start_catchup(group.id, user_id, parse_pace(pace), now)


def today(store: Store, group: Group, user_id: int, now: datetime) -> CatchupDay | None:
    """The member's catch-up today, or None when they have none (or have reached the group,
    which ends it)."""
    plan = store.catchup_plan(group.id, user_id)
    if plan is None:
        return None
    pace, started_at = plan
    zone = member_zone(store, group, user_id)
    local_today = now.astimezone(zone).date()
    posted = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    read_at = store.read_times(group.id, user_id)
    missed = [d for d in posted if not all(o in read_at for o in _ordinals(d))]
    if not missed:
        store.end_catchup(group.id, user_id)
        return None
    caught_up_today = sum(
        1
        for d in posted
        if _posted_day(d, zone) < local_today
        for o in _ordinals(d)
        if o in read_at and read_at[o].astimezone(zone).date() == local_today
    )
    portion: list[Delivery] = []
    room = pace - caught_up_today
    for post in missed:
        if room <= 0:
            break
        portion.append(post)
        room -= len(_ordinals(post))
    behind = sum(len([o for o in _ordinals(d) if o not in read_at]) for d in missed)
    text = store.get_text(group.text_id)
    group = store.group_by_id(group.id) or group  # where the plan stands now
    return CatchupDay(
        pace=pace,
        day=(local_today - started_at.astimezone(zone).date()).days + 1,
        portion=tuple(portion),
        caught_up_today=caught_up_today,
        behind=behind,
        reach_on=reach_date(group, text, behind, pace - caught_up_today, pace, now, zone),
    )


def reach_date(
    group: Group, text: Text, behind: int, left_today: int, pace: int, now: datetime, zone: ZoneInfo
) -> date | None:
    """The member's local day they have nothing unread, reading `pace` passages a day (today
    what is left of it) while the group goes on posting on its days until its text ends."""
    schedule = schedule_of(group)
    group_left = max(0, text.passage_count - group.next_ordinal + 1)
    posts_today = schedule.due_date(now) is None and schedule.is_post_day(schedule.local_date(now))
    day = now.astimezone(zone).date()
    for step in range(HORIZON_DAYS):
        reading = max(0, left_today) if step == 0 else pace
        if step > 0 or posts_today:  # the group's next post (a post day of its own zone, close enough)
            if not group.paused and group_left > 0 and (step == 0 or schedule.is_post_day(day)):
                new = min(group.pace, group_left)
                behind += new
                group_left -= new
        behind -= reading
        if behind <= 0:
            return day
        day += timedelta(days=1)
    return None


def _ordinals(post: Delivery) -> range:
    return range(post.first_ordinal, post.last_ordinal + 1)


def _posted_day(post: Delivery, zone: ZoneInfo) -> date:
    return post.posted_at.astimezone(zone).date() if post.posted_at else post.local_date
