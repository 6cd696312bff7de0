"""The handlers of members' commands (/remind) and of the organisers' options for members
(/study settings ping_role), run by Discord and the console alike, as in bot/commands.py."""

from __future__ import annotations

from dataclasses import replace

from bot import commands as core
from bot.commands import Invocation
from bot.errors import InvalidSettingError
from bot.members import cards, reminders
from bot.reading import plans
from bot.render import Reply


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
) -> Reply:
    """/study settings with the members' options: the role the daily post mentions (the only
    ping the bot ever makes), or none."""
    group = plans.require_group(inv.store, inv.channel_id)
    changing_ping = ping_role is not None or ping_off
    if changing_ping:
        plans.require_organiser(inv.is_organiser)
        if ping_role is not None and ping_off:
            raise InvalidSettingError("Give either ping_role or ping_off, not both.")
        if ping_role == inv.guild_id:  # the @everyone role has the server's id
            raise InvalidSettingError("The daily post will not ping @everyone; pick a role members can join instead.")
    reply = core.study_settings(inv, time, timezone, weekdays, pace)  # checks and saves the plan's own settings
    if changing_ping:
        inv.store.set_ping_role(group.id, None if ping_off else ping_role)
        reply = replace(reply, text="Settings changed.", ephemeral=False)
    role = inv.store.ping_role(group.id)
    mentioned = f"<@&{role}> (only that role; the bot pings nobody else)" if role else "nobody"
    shown = tuple(replace(card, fields=card.fields + (("Daily post mentions", mentioned),)) for card in reply.cards)
    return replace(reply, cards=shown)
