"""Members' slash commands: /remind at, /remind off, /remind snooze (each member's own
reminders in this channel's group, answered privately), and /catchup with its private pages."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapter.commands import _bot, answer, zone_choices
from bot.adapter.reminders import open_dm
from bot.adapter.respond import respond, update
from bot.adapter.views import ReadButton, _ActionButton
from bot.members import commands as members
from bot.render import Reply

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


@app_commands.command(name="catchup", description="The posts you have not marked read, and a catch-up at your pace.")
@app_commands.describe(pace="Passages a day to catch up at, 1-10 (default 2)")
@app_commands.guild_only()
async def catchup(interaction: discord.Interaction, pace: app_commands.Range[int, 1, 10] | None = None) -> None:
    inv = _bot(interaction).invocation(interaction)
    await respond(interaction, lambda: members.catchup(inv, pace), ephemeral=True, view_for=catchup_view)


async def _on_catchup_action(pressed: discord.Interaction, action: str) -> None:
    """Catch me up (a new private page) or Next (the page turns in place)."""
    _, kind, number = action.split(":")
    inv = _bot(pressed).invocation(pressed)
    if kind == "start":
        await respond(pressed, lambda: members.catchup_start(inv, int(number)), ephemeral=True, view_for=catchup_view)
    else:
        await update(pressed, lambda: members.catchup_page(inv, int(number)), catchup_view)


def catchup_view(reply: Reply) -> discord.ui.View | None:
    """A catch-up page's buttons: Mark as read (the daily post's own button, so it counts the
    same and works after a restart), Next, Catch me up."""
    if not reply.buttons:
        return None
    view = discord.ui.View(timeout=900)
    for button in reply.buttons:
        kind, _, number = button.action.partition(":")
        if kind == "read":
            view.add_item(ReadButton(int(number)))
        else:
            view.add_item(_ActionButton(button, _on_catchup_action))
    return view
