"""Reminders: opt-in, at the member's own local time, about the post they have not read.

The rules, as plain functions of `now`:

- A member's reminder is due at their time in their zone (the group's unless they name one), on
  their days, except the days they snoozed.
- It is about "the day's passage": the group's latest post made in the 24 hours before the
  reminder's time (or since). No such post (a day the group does not post), a post the member
  has marked read, or one they were already reminded of: no message.
- Never more than one message a member a day in a group: the store claims one per local day.
- After PAUSE_AFTER reminders in a row whose posts are still unread, the next one is a single
  note that reminders are paused, and nothing more comes until the member acts: marks a passage
  read, or runs /remind again.
- A reminder the bot was down for is not made up on a later day.
- A member whose DMs are closed is told once, the next time they use a command, and not tried
  again until they run /remind again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidSettingError, NotFoundError
from bot.members import cards
from bot.models import Delivery, Group, Reminder, ReminderSetting, StoredPassage, Text
from bot.reading.plans import schedule_of
from bot.reading.schedule import ALL_WEEKDAYS, Schedule, parse_time, parse_weekdays, parse_zone
from bot.store import Store

PAUSE_AFTER = 3
"""Reminders in a row left unread before they pause."""
MAX_SNOOZE_DAYS = 30
POST_WINDOW = timedelta(hours=24)
"""How old the post a reminder is about may be."""
BATCH = 200
"""Reminders claimed at a time: a crash loses at most the batch being sent (never sent twice)."""


@dataclass(frozen=True)
class Outgoing:
    """A direct message to send: the claim, what it says, where it goes."""

    reminder: Reminder
    guild_id: int
    text: str
    dm_channel_id: int | None


# -- the member's settings ------------------------------------------------------------------------


def next_due(setting: ReminderSetting, after: datetime) -> datetime | None:
    """The first reminder moment after `after`: on one of the member's days, not snoozed."""
    if setting.remind_at is None or not setting.weekdays:
        return None
    schedule = Schedule(setting.remind_at, ZoneInfo(setting.timezone), setting.weekdays)
    day = schedule.local_date(after)
    if setting.snoozed_until is not None and day < setting.snoozed_until:
        day = setting.snoozed_until
    for _ in range(8):  # every weekday within eight days
        if schedule.is_post_day(day):
            moment = schedule.post_moment(day)
            if moment > after:
                return moment
        day += timedelta(days=1)
    return None


def set_reminder(
    store: Store, group: Group, user_id: int, at: str, zone: str | None, days: str | None, now: datetime
) -> ReminderSetting:
    """Turn a member's reminders on (or change them): a time, their zone, their days."""
    remind_at = parse_time(at)
    timezone = str(parse_zone(zone)) if zone else group.timezone
    weekdays = parse_weekdays(days) if days else ALL_WEEKDAYS
    return _save(store, group, user_id, remind_at, timezone, weekdays, None, now)


def turn_off(store: Store, group: Group, user_id: int, now: datetime) -> bool:
    """Stop a member's reminders; False when there were none to stop."""
    setting = store.reminder_setting(group.id, user_id)
    if setting is None or setting.remind_at is None:
        return False
    _save(store, group, user_id, None, setting.timezone, setting.weekdays, None, now)
    return True


def snooze(store: Store, group: Group, user_id: int, days: int, now: datetime) -> ReminderSetting:
    """Skip the next `days` days of reminders, starting with the next one due."""
    if not 1 <= days <= MAX_SNOOZE_DAYS:
        raise InvalidSettingError(f"Snooze for 1 to {MAX_SNOOZE_DAYS} days, e.g. /remind snooze days:3.")
    setting = store.reminder_setting(group.id, user_id)
    if setting is None or setting.remind_at is None:
        raise NotFoundError("You have no reminders here to snooze; turn them on with /remind at time:20:00.")
    coming = next_due(replace(setting, snoozed_until=None), now) or now
    until = coming.astimezone(ZoneInfo(setting.timezone)).date() + timedelta(days=days)
    return _save(store, group, user_id, setting.remind_at, setting.timezone, setting.weekdays, until, now)


def _save(
    store: Store,
    group: Group,
    user_id: int,
    remind_at: time | None,
    timezone: str,
    weekdays: frozenset[int],
    snoozed_until: date | None,
    now: datetime,
) -> ReminderSetting:
    draft = ReminderSetting(
        group_id=group.id,
        user_id=user_id,
        remind_at=remind_at,
        timezone=timezone,
        weekdays=weekdays,
        snoozed_until=snoozed_until,
        next_due=None,
        counting_since=now,
        paused_at=None,
        dm_channel_id=None,
        dm_closed_at=None,
        dm_closed_told=False,
    )
    return store.save_reminder_setting(
        group.id,
        user_id,
        remind_at=remind_at,
        timezone=timezone,
        weekdays=weekdays,
        snoozed_until=snoozed_until,
        next_due=next_due(draft, now),  # today's again, if it is later: the claim stops a second one
        now=now,
    )


# -- who is due, and what they get -----------------------------------------------------------------


@dataclass
class _Groups:
    """What a pass over due reminders reads once per group, not once per member (10,000
    members of one group are due in the same minute)."""

    store: Store
    now: datetime
    groups: dict[int, tuple[Group, Text, list[Delivery]] | None] = field(default_factory=dict)
    passages: dict[tuple[int, int], StoredPassage | None] = field(default_factory=dict)
    waiting: set[int] = field(default_factory=set)
    """Groups whose post is due now but not out yet: their reminders wait for it."""

    def facts(self, group_id: int) -> tuple[Group, Text, list[Delivery]] | None:
        if group_id not in self.groups:
            group = self.store.group_by_id(group_id)
            self.groups[group_id] = (
                None
                if group is None
                else (group, self.store.get_text(group.text_id), self.store.recent_posts(group_id, 3))
            )
        return self.groups[group_id]

    def passage(self, text_id: int, ordinal: int) -> StoredPassage | None:
        if (text_id, ordinal) not in self.passages:
            self.passages[text_id, ordinal] = self.store.passage(text_id, ordinal)
        return self.passages[text_id, ordinal]


def due_messages(store: Store, now: datetime, limit: int = BATCH) -> list[Outgoing]:
    """Claim the next batch of reminders due at `now` and say what each DM says. Reminders a
    restart left claimed but never tried come first, if still for the member's today."""
    seen = _Groups(store, now)
    outgoing: list[Outgoing] = []
    stale: list[tuple[int, bool]] = []
    for reminder in store.claimed_reminders(limit):
        setting = store.reminder_setting(reminder.group_id, reminder.user_id)
        message = _message(seen, reminder, setting) if setting else None
        if setting is None or message is None or reminder.local_date != _today(setting, now):
            stale.append((reminder.id, False))
        else:
            outgoing.append(message)
    if stale:
        store.finish_reminders(stale, now)
    if outgoing:
        return outgoing
    while not outgoing:  # each member looked at moves on to their next reminder, or waits: this ends
        due = store.due_reminder_settings(now, limit, skip_groups=seen.waiting)
        if not due:
            break
        for setting in due:
            claimed = _claim(seen, setting)
            message = _message(seen, claimed, setting) if claimed is not None else None
            if message is not None:
                outgoing.append(message)
    return outgoing


def _today(setting: ReminderSetting, now: datetime) -> date:
    return now.astimezone(ZoneInfo(setting.timezone)).date()


def _claim(seen: _Groups, setting: ReminderSetting) -> Reminder | None:
    """Decide one member's due reminder: claim a message, move on to the next day, or wait for
    the group's post that is due now."""
    assert setting.next_due is not None  # only due settings come here
    store, now = seen.store, seen.now
    zone = ZoneInfo(setting.timezone)
    day = setting.next_due.astimezone(zone).date()
    following = next_due(setting, max(setting.next_due, now))
    group_id, user_id = setting.group_id, setting.user_id
    today = now.astimezone(zone).date()
    if day != today:  # the bot was down: that day is not made up, but today's still comes
        start_of_today = datetime.combine(today, time(0), tzinfo=zone) - timedelta(microseconds=1)
        store.move_reminder(group_id, user_id, next_due(setting, max(setting.next_due, start_of_today)))
        return None
    facts = seen.facts(group_id)
    if facts is None:
        store.move_reminder(group_id, user_id, None)
        return None
    group, text, recent = facts
    resumed = False
    if setting.paused_at is not None:
        last_read = store.last_read_at(group_id, user_id)
        if last_read is None or last_read <= setting.paused_at:
            store.move_reminder(group_id, user_id, following)
            return None
        resumed = True  # the member read something since the pause: reminders run again
    post = _day_post(recent, setting.next_due, now)
    if post is None and post_coming(group, text, recent, now):
        seen.waiting.add(group_id)  # asked again next tick, when the post is out
        return None
    if (
        post is None
        or store.has_read(group_id, user_id, group.text_id, post.first_ordinal, post.last_ordinal)
        or store.reminded_of(group_id, user_id, post.id)
    ):
        store.move_reminder(group_id, user_id, following, resumed_at=now if resumed else None)
        return None
    since = now if resumed else setting.counting_since
    kind = "paused" if unread_run(store, group, user_id, since) >= PAUSE_AFTER else "reminder"
    return store.claim_reminder(group_id, user_id, day, kind, post.id, following, now, resumed=resumed)


def post_coming(group: Group, text: Text, recent: list[Delivery], now: datetime) -> bool:
    """Whether the group's post for today is due and not made yet (being sent, or about to be):
    a reminder at the group's own post time waits for it rather than skip the day."""
    if group.paused or group.next_ordinal > text.passage_count:
        return False
    day = schedule_of(group).due_date(now)
    return day is not None and (not recent or recent[0].local_date < day)


def _day_post(recent: list[Delivery], due: datetime, now: datetime) -> Delivery | None:
    """The latest post made in the 24 hours before the reminder's time, or since."""
    for post in recent:  # newest first
        if post.posted_at is not None and due - POST_WINDOW < post.posted_at <= now:
            return post
    return None


def unread_run(store: Store, group: Group, user_id: int, since: datetime) -> int:
    """How many of the member's latest reminders (since `since`) are, in a row, about posts
    still unread."""
    run = 0
    for reminder, claimed_at in store.latest_reminders(group.id, user_id, PAUSE_AFTER):
        post = store.delivery_by_id(reminder.delivery_id) if reminder.delivery_id else None
        if claimed_at < since or post is None:
            break
        if store.has_read(group.id, user_id, group.text_id, post.first_ordinal, post.last_ordinal):
            break
        run += 1
    return run


def _message(seen: _Groups, reminder: Reminder, setting: ReminderSetting) -> Outgoing | None:
    facts = seen.facts(reminder.group_id)
    if facts is None or reminder.delivery_id is None:
        return None
    group, text, recent = facts
    post = next((d for d in recent if d.id == reminder.delivery_id), None) or seen.store.delivery_by_id(
        reminder.delivery_id
    )
    if post is None:
        return None
    if reminder.kind == "paused":
        said = cards.paused_note(group, PAUSE_AFTER)
    else:
        said = cards.reminder_text(group, text, post, seen.passage(group.text_id, post.first_ordinal))
    return Outgoing(reminder, group.guild_id, said, setting.dm_channel_id)


def sent(store: Store, outcomes: list[tuple[int, bool]], now: datetime) -> None:
    store.finish_reminders(outcomes, now)


def dms_closed(store: Store, guild_id: int, user_id: int, now: datetime) -> None:
    """A DM was refused: stop the member's reminders on this server, to tell them once."""
    store.close_dms(guild_id, user_id, now)


def pending_note(store: Store, guild_id: int, user_id: int) -> str | None:
    """What a member must hear when they next use a command (once): that their DMs are closed
    and reminders stopped."""
    return cards.DMS_CLOSED if store.take_dm_closure(guild_id, user_id) else None
