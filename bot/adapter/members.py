"""Members' slash commands: /remind at, /remind off, /remind snooze (each member's own
reminders in this channel's group, answered privately)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapter.commands import answer, zone_choices
from bot.adapter.reminders import open_dm
from bot.members import commands as members

log = logging.getLogger(__name__)


class RemindCommands(
    app_commands.Group, name="remind", description="Reading reminders by DM, at your hour.", guild_only=True
):
    """/remind: opt-in reminders; a member who never runs it gets nothing."""

    @app_commands.command(name="at", description="A DM at this time on days you have not read the group's passage.")
    @app_commands.describe(
        time="Your local time, e.g. 20:00",
        timezone="Your IANA time zone (default: the group's), e.g. America/New_York",
        days="Which days: daily, mon-fri, mon,wed,fri (default daily)",
    )
    @app_commands.autocomplete(timezone=zone_choices)
    async def at(
        self, interaction: discord.Interaction, time: str, timezone: str | None = None, days: str | None = None
    ) -> None:
        await answer(interaction, members.remind_at, time, timezone, days)
        bot = interaction.client
        try:  # open the DM channel now, so each reminder later is one request, not two
            await open_dm(bot, bot.store, interaction.user.id)  # type: ignore[attr-defined]
        except Exception as error:  # the first reminder opens it then
            log.warning("could not open a DM channel with %s: %s", interaction.user.id, error)

    @app_commands.command(name="off", description="No more reminders in this channel.")
    async def off(self, interaction: discord.Interaction) -> None:
        await answer(interaction, members.remind_off)

    @app_commands.command(name="snooze", description="Skip the next few days of reminders.")
    @app_commands.describe(days="How many days (default 1)")
    async def snooze(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 30] = 1) -> None:
        await answer(interaction, members.remind_snooze, days)
