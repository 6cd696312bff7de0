"""What members are told about their own reading: reminders, the pause note, their settings.

Short and plain, never a ping: a reminder is a direct message the member asked for, and it
should read like a friend's nudge, not a notification storm."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import render
from bot.members.catchup import CatchupDay
from bot.members.digest import Digest
from bot.models import Delivery, Group, ReminderSetting, StoredPassage, Text
from bot.reading.schedule import format_weekdays
from bot.render import Card

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


def thread_link(group: Group, post: Delivery) -> str:
    """Where the group discusses a post: its thread, else the post itself."""
    if post.thread_id:
        return f"https://discord.com/channels/{group.guild_id}/{post.thread_id}"
    return post_link(group, post)


def catchup_line(day: CatchupDay) -> str:
    """'Catching up at 2 passages a day (day 3): 5 passages behind; you reach the group on Fri 19 Jan.'"""
    said = f"Catching up at {day.pace} passage{'s' if day.pace != 1 else ''} a day (day {day.day}): "
    said += f"{day.behind} passage{'s' if day.behind != 1 else ''} behind"
    if day.reach_on is not None:
        return said + f"; you reach the group on {day.reach_on:%a %d %b}."
    return said + "; at this pace you keep up but do not catch up: /catchup pace:3 goes faster."


def catchup_page(
    group: Group, text: Text, day: CatchupDay, post: Delivery, passages: list[StoredPassage], number: int
) -> Card:
    """One post of today's catch-up, to read here privately, with the group's thread for it."""
    first = passages[0] if passages else None
    body = first.body if first else "This passage is no longer in the library."
    more = [p.ordinal for p in passages[1:]]
    if more:
        body += "\n\n" + ", ".join(f"/passage {n}" for n in more) + " continues this post."
    heading = (first.section if first else "") or text.meta.title
    return Card(
        title=_clip(f"Catch-up, day {day.day} · {number} of {len(day.portion)} today: {heading}", 256),
        description=_clip(body, 3500),
        fields=(
            (
                "The group's discussion",
                f"[Thread of the post of {post.local_date:%a %d %b}]({thread_link(group, post)})",
            ),
        ),
        footer=_clip(
            f"{text.meta.title} · {passages_phrase(post)} of {text.passage_count} · {catchup_line(day)}", 2048
        ),
    )


def catchup_done(day: CatchupDay) -> Card:
    read = day.caught_up_today
    return Card(
        title="That is today's catch-up",
        description=f"You caught up on {read} passage{'s' if read != 1 else ''} today. {catchup_line(day)}",
        footer="Come back tomorrow with /catchup; the group's plan does not wait, and does not need to.",
    )


def caught_up() -> Card:
    return Card(title="You have reached the group", description="Every post so far is marked read. Well done.")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def leaderboard_card(board: list[tuple[int, int]]) -> Card:
    lines = [f"{n}. <@{user_id}>: {days} day{'s' if days != 1 else ''}" for n, (user_id, days) in enumerate(board, 1)]
    return Card(
        title="Longest streaks",
        description="\n".join(lines) or "No streaks yet: mark today's passage read to start one.",
        footer="A day counts when you mark its passage read or write in its thread that day; one missed day a week is forgiven.",
    )


def digest_card(digest: Digest) -> Card:
    """The weekly digest: counts, never names; the chart is attached beside it."""
    group, text = digest.group, digest.text
    if digest.posts:
        lines = [
            f"{d.local_date:%a %d %b}: [{passages_phrase(d)}]({post_link(group, d)}) · {_clip(section, 80)}"
            for d, section in zip(digest.posts, digest.sections)
        ]
        week = "\n".join(lines)
    else:
        week = "Nothing was posted this week."
    members = digest.members
    fields = [
        ("Up to date", f"{digest.up_to_date} of {members} member{'s' if members != 1 else ''} who read along"),
    ]
    if digest.busiest is not None:
        post, writers = digest.busiest
        fields.append(
            (
                "Busiest discussion",
                f"[{passages_phrase(post)}]({thread_link(group, post)}): {writers} member{'s' if writers != 1 else ''} wrote",
            )
        )
    coming = ", ".join(f"{m:%a %d %b}" for m in digest.next_week) or "no posts planned"
    fields.append(("Next week", coming))
    return Card(
        title=_clip(f"The week in {text.meta.title}", 256),
        description=_clip(week, 4000),
        fields=tuple(fields),
        footer="Plan, posts and the median member's reads: the chart below. /progress chart:True shows it any time.",
    )
