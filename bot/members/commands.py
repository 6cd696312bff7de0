"""The handlers of members' commands (/remind) and of the organisers' options for members
(/study settings ping_role), run by Discord and the console alike, as in bot/commands.py."""

from __future__ import annotations

from dataclasses import replace

from bot import commands as core
from bot import render
from bot.commands import Invocation
from bot.errors import InvalidSettingError
from bot.members import cards, chart, reminders, streaks
from bot.members import catchup as catching_up
from bot.members import digest as weekly
from bot.members import polls as voting
from bot.reading import plans, progress
from bot.render import Button, Reply
from bot.store import MAX_ID


def remind_at(inv: Invocation, time: str, timezone: str | None = None, days: str | None = None) -> Reply:
    group = plans.require_group(inv.store, inv.channel_id)
    setting = reminders.set_reminder(inv.store, group, inv.user_id, time, timezone, days, inv.now)
    return Reply(text=f"{cards.setting_sentence(setting, inv.now)} /remind off stops them.", ephemeral=True)


def remind_off(inv: Invocation) -> Reply:
    group = plans.require_group(inv.store, inv.channel_id)
    if not reminders.turn_off(inv.store, group, inv.user_id, inv.now):
        return Reply(text="You have no reminders here; /remind at time:20:00 turns them on.", ephemeral=True)
    return Reply(text="Reminders are off; you will get no more. /remind at turns them on again.", ephemeral=True)


def remind_snooze(inv: Invocation, days: int = 1) -> Reply:
    group = plans.require_group(inv.store, inv.channel_id)
    setting = reminders.snooze(inv.store, group, inv.user_id, days, inv.now)
    return Reply(text=cards.setting_sentence(setting, inv.now), ephemeral=True)


def study_settings(
    inv: Invocation,
    time: str | None = None,
    timezone: str | None = None,
    weekdays: str | None = None,
    pace: int | None = None,
    ping_role: int | None = None,
    ping_off: bool = False,
    leaderboard: bool | None = None,
    digest: str | None = None,
) -> Reply:
    """/study settings with the members' options: the role the daily post mentions (the only
    ping the bot ever makes), or none."""
    group = plans.require_group(inv.store, inv.channel_id)
    changing_ping = ping_role is not None or ping_off
    members_options = changing_ping or leaderboard is not None or digest is not None
    digest_day = weekly.parse_digest_day(digest) if digest is not None else None
    if members_options:
        plans.require_organiser(inv.is_organiser)
        if ping_role is not None and ping_off:
            raise InvalidSettingError("Give either ping_role or ping_off, not both.")
        if ping_role == inv.guild_id:  # the @everyone role has the server's id
            raise InvalidSettingError("The daily post will not ping @everyone; pick a role members can join instead.")
    reply = core.study_settings(inv, time, timezone, weekdays, pace)  # checks and saves the plan's own settings
    if changing_ping:
        inv.store.set_ping_role(group.id, None if ping_off else ping_role)
    if leaderboard is not None:
        inv.store.set_leaderboard(group.id, leaderboard)
    if digest is not None:
        inv.store.set_digest_day(group.id, digest_day)
    if members_options:
        reply = replace(reply, text="Settings changed.", ephemeral=False)
    role = inv.store.ping_role(group.id)
    mentioned = f"<@&{role}> (only that role; the bot pings nobody else)" if role else "nobody"
    board = "shown with /progress board" if inv.store.leaderboard_on(group.id) else "off"
    day = inv.store.digest_day(group.id)
    weekly_post = "off" if day is None else f"on {weekly.day_name(day)}, after that day's post"
    extra = (("Daily post mentions", mentioned), ("Streak leaderboard", board), ("Weekly digest", weekly_post))
    shown = tuple(replace(card, fields=card.fields + extra) for card in reply.cards)
    return replace(reply, cards=shown)


# -- catch-up -------------------------------------------------------------------------------------


def catchup(inv: Invocation, pace: int | None = None) -> Reply:
    """/catchup: the list of missed posts, and a Catch me up button (or, once catching up,
    today's portion and when the member reaches the group)."""
    group = plans.require_group(inv.store, inv.channel_id)
    listed = core.catchup(inv)
    day = catching_up.today(inv.store, group, inv.user_id, inv.now)
    if day is not None and pace is not None and pace != day.pace:
        catching_up.start(inv.store, group, inv.user_id, pace, inv.now)
        day = catching_up.today(inv.store, group, inv.user_id, inv.now)
    if day is not None:
        button = Button("Today's catch-up" if day.portion else "Catch-up done today", "catchup:page:0")
        return replace(listed, text=cards.catchup_line(day), buttons=(button,))
    if not progress.member_progress(inv.store, group, inv.user_id, inv.now).missed:
        return listed
    chosen = catching_up.parse_pace(pace)
    said = f"Catch me up ({chosen} a day)"
    return replace(listed, buttons=(Button(said, f"catchup:start:{chosen}"),))


def catchup_start(inv: Invocation, pace: int) -> Reply:
    """Catch me up: the member's own pace from today, privately; the group's plan does not move."""
    group = plans.require_group(inv.store, inv.channel_id)
    catching_up.start(inv.store, group, inv.user_id, pace, inv.now)
    return catchup_page(inv, 0)


def catchup_page(inv: Invocation, after: int) -> Reply:
    """The next post of today's catch-up after post `after` (0: the first), with Mark as read,
    Next, and the group's thread for it."""
    group = plans.require_group(inv.store, inv.channel_id)
    day = catching_up.today(inv.store, group, inv.user_id, inv.now)
    if day is None:
        return Reply(cards=(cards.caught_up(),), ephemeral=True)
    previous = inv.store.delivery_by_id(after) if 0 < after <= MAX_ID else None
    coming = [p for p in day.portion if previous is None or p.local_date > previous.local_date]
    if not coming:
        return Reply(cards=(cards.catchup_done(day),), ephemeral=True)
    post = coming[0]
    text = inv.store.get_text(group.text_id)
    passages = [
        p for p in (inv.store.passage(text.id, n) for n in range(post.first_ordinal, post.last_ordinal + 1)) if p
    ]
    card = cards.catchup_page(group, text, day, post, passages, day.portion.index(post) + 1)
    buttons = (Button("Mark as read", f"read:{post.id}"), Button("Next", f"catchup:page:{post.id}"))
    return Reply(cards=(card,), buttons=buttons, ephemeral=True)


# -- streaks --------------------------------------------------------------------------------------


def leaderboard(inv: Invocation) -> Reply:
    """/progress board: the group's longest streaks, for everyone, only if an organiser turned
    it on (names shown without pinging anyone)."""
    group = plans.require_group(inv.store, inv.channel_id)
    if not inv.store.leaderboard_on(group.id):
        return Reply(
            text="This group shows no leaderboard; an organiser can turn it on with /study settings leaderboard:True.",
            ephemeral=True,
        )
    board = streaks.leaderboard(inv.store, group, inv.now)
    return Reply(cards=(cards.leaderboard_card(board),))


def progress_chart(inv: Invocation) -> tuple[Reply, bytes]:
    """/progress chart: the group's chart (plan, posted, the median member's reads), privately."""
    group = plans.require_group(inv.store, inv.channel_id)
    data = chart.chart_data(inv.store, group, inv.now)
    said = f"{data.title}: {data.posted[-1] if data.posted else 0} of {data.total} passages posted."
    return Reply(text=said, ephemeral=True), chart.draw(data)


# -- polls for the next text ----------------------------------------------------------------------


def study_poll(inv: Invocation) -> tuple[int, voting.PollDraft]:
    """/study poll: the group and the poll to open (organisers, in the plan's last week)."""
    group = plans.require_group(inv.store, inv.channel_id)
    return group.id, voting.draft(inv.store, group, inv.is_organiser)


def poll_opened(inv: Invocation, message_id: int, poll: voting.PollDraft) -> None:
    voting.opened(inv.store, plans.require_group(inv.store, inv.channel_id), message_id, poll, inv.now)


def start_winner(inv: Invocation, group_id: int, message_id: int, counts: dict[int, int]) -> Reply:
    """Start the winner: the plan ends and the chosen text starts on the same schedule."""
    group = plans.require_group(inv.store, inv.channel_id)
    if group.id != group_id:
        return Reply(text="This poll belongs to an earlier plan; open another with /study poll.", ephemeral=True)
    started, winner = voting.start_winner(
        inv.store, group, message_id, counts, is_organiser=inv.is_organiser, user_id=inv.user_id, now=inv.now
    )
    votes = sum(counts.values())
    said = f"The group chose {winner.meta.title} ({votes} vote{'s' if votes != 1 else ''} cast); it starts on the same schedule."
    return Reply(text=said, cards=(render.settings_card(plans.plan_overview(inv.store, started, inv.now)),))
