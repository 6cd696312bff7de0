"""The weekly digest: on the day an organiser chose, one post in the group's channel with the
week's passages, how many members are up to date (a count, never names), the busiest discussion,
next week's dates, and the progress chart. At most one a group a week: claimed in the store
before it is sent, and never sent twice (a crash mid-send loses that week's, not doubles it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.errors import InvalidSettingError
from bot.models import Delivery, DeliveryStatus, Group, Text
from bot.reading.plans import schedule_of
from bot.reading.schedule import WEEKDAY_NAMES, parse_weekdays
from bot.render import Card
from bot.store import Store


@dataclass(frozen=True)
class Digest:
    group: Group
    text: Text
    local_date: date
    posts: tuple[Delivery, ...]
    """The week's posts (the seven days up to today), oldest first."""
    sections: tuple[str, ...]
    """Each post's section (or the text's title)."""
    up_to_date: int
    """Members who have read every post before today's (today's may still be read today)."""
    members: int
    """Members who have marked anything read."""
    busiest: tuple[Delivery, int] | None
    """The post whose thread the most members wrote in this week, and how many."""
    next_week: tuple[datetime, ...]


def parse_digest_day(text: str) -> int | None:
    """'sun', 'monday' -> a weekday; 'off' -> None."""
    if text.strip().lower() in ("off", "none", "no"):
        return None
    days = parse_weekdays(text)
    if len(days) != 1:
        raise InvalidSettingError("Name one day for the weekly digest, e.g. digest:sun, or digest:off.")
    return next(iter(days))


def day_name(day: int | None) -> str:
    return "off" if day is None else WEEKDAY_NAMES[day]


def due(store: Store, group: Group, digest_day: int, now: datetime) -> date | None:
    """The local day a group's digest is due now: its day, at or after its post time, once the
    day's post (if it has one) is out."""
    schedule = schedule_of(group)
    today = schedule.local_date(now)
    if today.weekday() != digest_day or now < schedule.post_moment(today) or group.paused:
        return None
    latest = store.latest_delivery(group.id)
    if schedule.is_post_day(today) and (latest is None or latest.local_date < today or latest.status == "pending"):
        text = store.get_text(group.text_id)
        if group.next_ordinal <= text.passage_count:
            return None  # wait for the day's post
    return today


def weekly_digest(store: Store, group: Group, now: datetime) -> Digest:
    text = store.get_text(group.text_id)
    schedule = schedule_of(group)
    today = schedule.local_date(now)
    since = today - timedelta(days=6)
    posted = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    week = tuple(d for d in posted if since <= d.local_date <= today)
    sections = tuple(
        ((p.section if (p := store.passage(text.id, d.first_ordinal)) else "") or text.meta.title) for d in week
    )
    every = {o for d in posted if d.local_date < today for o in range(d.first_ordinal, d.last_ordinal + 1)}
    readers = store.readers(group.id)
    up_to_date = sum(1 for user_id in readers if every <= store.read_ordinals(group.id, user_id))
    writers = store.thread_writers(group.id, [d.id for d in week])
    busiest = max(((d, writers.get(d.id, 0)) for d in week), key=lambda pair: pair[1], default=None)
    latest = store.latest_delivery(group.id)
    posted_today = latest is not None and latest.local_date == today
    coming = tuple(
        m for m in schedule.next_posts(now, 7, posted_today=posted_today) if m.date() <= today + timedelta(days=7)
    )
    left = max(0, text.passage_count - group.next_ordinal + 1)
    return Digest(
        group=group,
        text=text,
        local_date=today,
        posts=week,
        sections=sections,
        up_to_date=up_to_date,
        members=len(readers),
        busiest=busiest if busiest and busiest[1] > 0 else None,
        next_week=coming[: -(-left // group.pace)] if not group.paused else (),
    )


def claim_due(store: Store, now: datetime) -> list[tuple[Group, date]]:
    """Claim every weekly digest due now (each group's once a day it is due)."""
    claimed = []
    for group_id, weekday in store.digest_groups():
        group = store.group_by_id(group_id)
        day = due(store, group, weekday, now) if group else None
        if group is not None and day is not None and store.claim_digest(group.id, day, now):
            claimed.append((group, day))
    return claimed


def render(store: Store, group: Group, now: datetime) -> tuple[Card, bytes]:
    """The digest's card and its chart (a PNG)."""
    from bot.members import cards, chart

    return cards.digest_card(weekly_digest(store, group, now)), chart.draw(chart.chart_data(store, group, now))
