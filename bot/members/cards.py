"""What members are told about their own reading: reminders, the pause note, their settings.

Short and plain, never a ping: a reminder is a direct message the member asked for, and it
should read like a friend's nudge, not a notification storm."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import render
from bot.models import Delivery, Group, ReminderSetting, StoredPassage, Text
from bot.reading.schedule import format_weekdays

DMS_CLOSED = (
    "I could not send you your reading reminder: your direct messages are closed to this server, so I "
    "stopped trying. To get reminders, allow direct messages from this server's members (Privacy "
    "Settings) and run /remind at again."
)


def post_link(group: Group, post: Delivery) -> str:
    return render.message_link(group.guild_id, group.channel_id, post.message_id) if post.message_id else ""


def passages_phrase(post: Delivery) -> str:
    if post.first_ordinal == post.last_ordinal:
        return f"passage {post.first_ordinal}"
    return f"passages {post.first_ordinal}-{post.last_ordinal}"


def reminder_text(group: Group, text: Text, post: Delivery, passage: StoredPassage | None) -> str:
    """The reminder DM: the passage's title and a link to the post (its thread is there)."""
    section = passage.section if passage else ""
    where = f"<#{group.channel_id}>"
    link = post_link(group, post)
    named = f"**{section}** ({text.meta.title}, " if section else f"**{text.meta.title}** ("
    lines = [
        f"Today's reading in {where}: {named}{passages_phrase(post)} of {text.passage_count}).",
        f"Read it and press Mark as read: {link}" if link else "Read it with /today and press Mark as read.",
        "-# /remind snooze to skip a few days, /remind off to stop.",
    ]
    return "\n".join(lines)


def paused_note(group: Group, unread: int) -> str:
    return (
        f"I have paused your reading reminders for <#{group.channel_id}>: the last {unread} passages I reminded "
        "you of are still unread, and I would rather not nag. Nothing more comes until you mark a passage read "
        "or run /remind again. /catchup shows what the group has read meanwhile."
    )


def setting_sentence(setting: ReminderSetting, now: datetime) -> str:
    """'Reminders at 20:00 America/New_York, daily; the next on Mon 15 Jan.'"""
    if setting.remind_at is None:
        return "Reminders are off."
    days = format_weekdays(setting.weekdays)
    said = f"Reminders at {setting.remind_at:%H:%M} {setting.timezone}, {days}"
    if setting.next_due is not None:
        coming = setting.next_due.astimezone(ZoneInfo(setting.timezone))
        said += f"; the next on {coming:%a %d %b}"
    if setting.snoozed_until is not None and setting.snoozed_until > now.astimezone(ZoneInfo(setting.timezone)).date():
        said += f" (snoozed until {setting.snoozed_until:%a %d %b})"
    return said + ". You get one only on a day you have not marked the group's passage read."
