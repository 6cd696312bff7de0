"""Messages for others besides an answer: a member's suggested question, posted in the post's
thread with Approve and Decline buttons, and edited when an organiser decides on it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from bot.adapter.embeds import message_kwargs
from bot.adapter.views import action_view
from bot.render import Notice

log = logging.getLogger(__name__)


async def deliver_notice(
    client: discord.Client, notice: Notice | None, posted: Callable[[int, int, int], Awaitable[None]]
) -> None:
    """Post the notice (in the first of its channels that takes it) or edit its message; once
    posted, `posted(suggestion_id, channel_id, message_id)` records where. A failure is logged:
    the suggestion is kept, and /study questions lists it all the same."""
    if notice is None:
        return
    kwargs = message_kwargs(notice.reply)
    kwargs["view"] = action_view(notice.reply.buttons)  # None clears the buttons of an edited one
    kwargs["allowed_mentions"] = discord.AllowedMentions.none()  # name the member, do not ping them
    if notice.message_id is not None:
        try:
            channel = await _channel(client, notice.where[0])
            await channel.get_partial_message(notice.message_id).edit(**kwargs)
        except discord.HTTPException as error:
            log.warning("could not update notice %s: HTTP %s %s", notice.message_id, error.status, error.text)
        return
    for channel_id in notice.where:
        try:
            channel = await _channel(client, channel_id)
            message = await channel.send(**kwargs)
        except discord.HTTPException as error:
            log.warning("could not post a notice in %s: HTTP %s %s", channel_id, error.status, error.text)
            continue
        if notice.suggestion_id is not None:
            await posted(notice.suggestion_id, channel_id, message.id)
        return


async def _channel(client: discord.Client, channel_id: int):
    return client.get_channel(channel_id) or await client.fetch_channel(channel_id)
