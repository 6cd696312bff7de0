"""When a group's posts fall due: pure arithmetic on local dates, times and IANA zones.

Everything takes `now` (an aware datetime) as a parameter. A post is due on a local day when
that day is one of the group's weekdays and the local clock has passed the post time; a day
that was missed stays missed (no backlog), but today's post is still made if the bot comes
back later the same day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import InvalidSettingError

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALL_WEEKDAYS = frozenset(range(7))
_TIME = re.compile(r"^\s*(\d{1,2})(?::|\.|h)?(\d{2})?\s*(am|pm)?\s*$", re.I)


@dataclass(frozen=True)
class Schedule:
    post_time: time
    zone: ZoneInfo
    weekdays: frozenset[int] = ALL_WEEKDAYS

    def local_date(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def post_moment(self, day: date) -> datetime:
        """The UTC instant of the post on a local day. A time skipped by a DST jump moves
        forward by the jump (02:30 on a spring-forward night posts at 03:30)."""
        local = datetime.combine(day, self.post_time, tzinfo=self.zone)
        return local.astimezone(UTC)

    def is_post_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    def due_date(self, now: datetime) -> date | None:
        """Today's local date if a post is due now (post day and past the time), else None."""
        today = self.local_date(now)
        if self.is_post_day(today) and now >= self.post_moment(today):
            return today
        return None

    def next_posts(self, now: datetime, count: int = 7, posted_today: bool = False) -> list[datetime]:
        """The next `count` post moments in the group's zone. Today's counts (even if its time
        has passed: it is then due at once) unless today's post is already made."""
        moments: list[datetime] = []
        day = self.local_date(now)
        if posted_today or (not self.is_post_day(day)):
            day += timedelta(days=1)
        while len(moments) < count and self.weekdays:
            if self.is_post_day(day):
                moments.append(self.post_moment(day).astimezone(self.zone))
            day += timedelta(days=1)
        return moments


def parse_time(text: str) -> time:
    """'9', '09:30', '9.30', '7pm', '19h00' -> time; anything else says how to write it."""
    match = _TIME.match(text or "")
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InvalidSettingError(f"'{text}' is not a time of day; write it as HH:MM, e.g. 09:00 or 18:30.")


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone name such as Europe/Berlin; case and spaces are forgiven."""
    name = (text or "").strip().replace(" ", "_")
    candidates = [name] + [z for z in _zone_names() if z.lower() == name.lower()]
    for candidate in candidates:
        try:
            if candidate and "/" in candidate or candidate in ("UTC", "GMT"):
                return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: a folder of the zone database ("America/Argentina") is no zone.
            continue
    raise InvalidSettingError(
        f"'{text}' is not a time zone; use an IANA name such as Europe/London or America/New_York."
    )


def parse_weekdays(text: str | None) -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'weekdays', 'weekends', 'daily' (the default)."""
    value = (text or "daily").strip().lower()
    presets = {
        "daily": ALL_WEEKDAYS,
        "every day": ALL_WEEKDAYS,
        "weekdays": frozenset(range(5)),
        "weekends": frozenset({5, 6}),
    }
    if value in presets:
        return presets[value]
    days: set[int] = set()
    # Any dash makes a range, spaced or not: phones turn "mon-fri" into "mon–fri".
    value = re.sub(r"\s*[-\u2013\u2014]\s*", "-", value)
    for part in re.split(r"[,\s]+", value):
        if not part:
            continue
        ends = part.split("-")
        try:
            indexes = [_weekday_index(e) for e in ends]
        except ValueError:
            indexes = []
        if len(indexes) == 1:
            days.add(indexes[0])
        elif len(indexes) == 2:
            start, end = indexes
            days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
        else:
            raise InvalidSettingError(f"'{text}' is not a list of weekdays; write e.g. mon-fri, mon,wed,fri or daily.")
    if not days:
        raise InvalidSettingError("Give at least one weekday, e.g. mon-fri or daily.")
    return frozenset(days)


def _weekday_index(word: str) -> int:
    """0 for "mon", "mond" or "monday": a day's name or its start, at least three letters. Not
    its first three letters alone, or "monkey" would be read as Monday."""
    for index, name in enumerate(_FULL_WEEKDAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return index
    raise ValueError(word)


def format_weekdays(days: frozenset[int]) -> str:
    if days == ALL_WEEKDAYS:
        return "daily"
    if days == frozenset(range(5)):
        return "mon-fri"
    return ",".join(WEEKDAY_NAMES[d] for d in sorted(days))


def matching_zones(prefix: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete: those containing what was typed, shortest first."""
    needle = prefix.strip().lower().replace(" ", "_")
    found = [z for z in _zone_names() if needle in z.lower()]
    return sorted(found, key=lambda z: (not z.lower().startswith(needle), len(z), z))[:limit]


_ZONES: list[str] = []


def _zone_names() -> list[str]:
    if not _ZONES:
        _ZONES.extend(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))
    return _ZONES
