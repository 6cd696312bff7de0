"""What organisers do to a group's plan: start, change, pause, resume, skip, jump, stop.

Every verb checks the caller may do it (Discord's command permissions can be overridden by a
server's admins, so the check is repeated here) and validates what was typed before anything
is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import texts as library
from bot.errors import InvalidSettingError, NotFoundError, PermissionDeniedError
from bot.models import Delivery, Group, Text
from bot.reading.schedule import Schedule, parse_time, parse_weekdays, parse_zone
from bot.store import Store

MAX_PACE = 3
ORGANISER_ONLY = "Only organisers (members with Manage Server) can change the reading plan."


def require_organiser(is_organiser: bool) -> None:
    if not is_organiser:
        raise PermissionDeniedError(ORGANISER_ONLY)


def require_group(store: Store, channel_id: int) -> Group:
    group = store.group_for_channel(channel_id)
    if group is None:
        raise NotFoundError("This channel has no reading plan yet; an organiser can start one with /study start.")
    return group


def schedule_of(group: Group) -> Schedule:
    return Schedule(group.post_time, ZoneInfo(group.timezone), group.weekdays)


@dataclass(frozen=True)
class PlanOverview:
    """What the settings and status cards show about a plan, read at one moment."""

    group: Group
    text: Text
    latest: Delivery | None
    upcoming: tuple[datetime, ...]
    """The next post times (none while paused)."""


def plan_overview(store: Store, group: Group, now: datetime, posts: int = 7) -> PlanOverview:
    latest = store.latest_delivery(group.id)
    upcoming: tuple[datetime, ...] = ()
    if not group.paused:
        schedule = schedule_of(group)
        posted_today = latest is not None and latest.local_date == schedule.local_date(now)
        upcoming = tuple(schedule.next_posts(now, posts, posted_today=posted_today))
    return PlanOverview(group, store.get_text(group.text_id), latest, upcoming)


def parse_pace(pace: int | None) -> int:
    if pace is None:
        return 1
    if not 1 <= pace <= MAX_PACE:
        raise InvalidSettingError(f"Pace is passages per post, from 1 to {MAX_PACE}.")
    return pace


def start_plan(
    store: Store,
    *,
    guild_id: int,
    channel_id: int,
    user_id: int,
    is_organiser: bool,
    text: str,
    time: str,
    zone: str,
    weekdays: str | None,
    pace: int | None,
    start_at: int | None,
    now: datetime,
) -> Group:
    require_organiser(is_organiser)
    found = library.resolve_text(store, text)
    post_time, tz, days, passes = parse_time(time), parse_zone(zone), parse_weekdays(weekdays), parse_pace(pace)
    # not `start_at or 1`: 0 is a mistake to report. By default, past a note on the e-text.
    first = library.first_reading_passage(store, found) if start_at is None else start_at
    if not 1 <= first <= found.passage_count:
        raise InvalidSettingError(f"{found.meta.title} has passages 1 to {found.passage_count}; start within that.")
    group = store.create_group(
        guild_id,
        channel_id,
        found.id,
        post_time,
        tz.key,
        days,
        passes,
        first,
        user_id,
        now,
    )
    if group is None:
        raise InvalidSettingError(
            "This channel already has a reading plan; change it with /study settings or end it with /study stop."
        )
    return group


def change_settings(
    store: Store,
    group: Group,
    *,
    is_organiser: bool,
    time: str | None = None,
    zone: str | None = None,
    weekdays: str | None = None,
    pace: int | None = None,
) -> Group:
    require_organiser(is_organiser)
    changes: dict = {}
    if time is not None:
        changes["post_time"] = parse_time(time)
    if zone is not None:
        changes["timezone"] = parse_zone(zone).key
    if weekdays is not None:
        changes["weekdays"] = parse_weekdays(weekdays)
    if pace is not None:
        changes["pace"] = parse_pace(pace)
    return store.update_group(group.id, **changes) if changes else group


def pause(store: Store, group: Group, *, is_organiser: bool) -> Group:
    require_organiser(is_organiser)
    return store.update_group(group.id, paused=1, pause_reason="Paused by an organiser.")


def resume(store: Store, group: Group, *, is_organiser: bool) -> Group:
    require_organiser(is_organiser)
    return store.update_group(group.id, paused=0, pause_reason=None)


def jump(store: Store, group: Group, ordinal: int, *, is_organiser: bool) -> Group:
    """The next post starts at passage `ordinal`."""
    require_organiser(is_organiser)
    text = store.get_text(group.text_id)
    if not 1 <= ordinal <= text.passage_count:
        raise InvalidSettingError(f"{text.meta.title} has passages 1 to {text.passage_count}; jump within that.")
    return store.update_group(group.id, next_ordinal=ordinal)


def skip(store: Store, group: Group, count: int = 1, *, is_organiser: bool) -> Group:
    """Skip the next `count` passages without posting them; skipping past the end finishes the
    plan. A finished plan has nothing to skip: saying so beats a "next passage" that is not there."""
    require_organiser(is_organiser)
    text = store.get_text(group.text_id)
    if count < 1:
        raise InvalidSettingError("Skip at least one passage.")
    if group.next_ordinal > text.passage_count:
        raise InvalidSettingError(f"The plan has reached the end of {text.meta.title}; there is nothing left to skip.")
    return store.update_group(group.id, next_ordinal=min(group.next_ordinal + count, text.passage_count + 1))


def stop(store: Store, group: Group, now: datetime, *, is_organiser: bool) -> Group:
    require_organiser(is_organiser)
    return store.update_group(group.id, stopped_at=now)
