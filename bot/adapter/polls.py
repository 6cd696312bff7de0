"""/study poll on Discord: a native poll of the library's texts, with a Start the winner button
that works after a restart (its custom_id names the group; the poll is the message it is on)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import discord

from bot.adapter.embeds import NO_PINGS
from bot.adapter.offload import off_loop
from bot.adapter.respond import respond
from bot.errors import StudyError
from bot.members import commands as members
from bot.render import Reply

log = logging.getLogger(__name__)


class WinnerButton(discord.ui.DynamicItem[discord.ui.Button], template=r"studybot:winner:(?P<group_id>[0-9]+)"):
    def __init__(self, group_id: int):
        super().__init__(
            discord.ui.Button(
                label="Start the winner", style=discord.ButtonStyle.success, custom_id=f"studybot:winner:{group_id}"
            )
        )
        self.group_id = group_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> WinnerButton:
        return cls(int(match["group_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        message = interaction.message
        if message is None:
            return
        try:
            fresh = await message.channel.fetch_message(message.id)  # the votes as they stand
        except discord.HTTPException:
            fresh = message
        counts = {answer.id: answer.vote_count for answer in fresh.poll.answers} if fresh.poll else {}
        inv = interaction.client.invocation(interaction)  # type: ignore[attr-defined]
        await respond(
            interaction, lambda: members.start_winner(inv, self.group_id, message.id, counts), ephemeral=False
        )


async def open_poll(interaction: discord.Interaction) -> None:
    """Post the poll in the channel (the organiser is answered privately)."""
    inv = interaction.client.invocation(interaction)  # type: ignore[attr-defined]
    try:
        group_id, draft = await off_loop(members.study_poll, inv)
    except StudyError as error:
        refusal = Reply(text=str(error), ephemeral=True)
        await respond(interaction, lambda: refusal, ephemeral=True)
        return
    poll = discord.Poll(question=draft.question, duration=timedelta(hours=draft.hours))
    for _, label in draft.answers:
        poll.add_answer(text=label)
    view = discord.ui.View(timeout=None)
    view.add_item(WinnerButton(group_id))
    try:
        message = await interaction.channel.send(poll=poll, view=view, allowed_mentions=NO_PINGS)  # type: ignore[union-attr]
    except discord.HTTPException as error:
        log.warning("poll not posted: HTTP %s code %s", error.status, error.code)
        await respond(
            interaction,
            lambda: Reply(text="Discord refused the poll; see the bot's log.", ephemeral=True),
            ephemeral=True,
        )
        return
    await off_loop(members.poll_opened, inv, message.id, draft)
    said = f"The poll is open for {draft.hours} hours; press Start the winner on it when the group has voted."
    await respond(interaction, lambda: Reply(text=said, ephemeral=True), ephemeral=True)
