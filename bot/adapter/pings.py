"""The one ping the bot makes: the role an organiser chose, mentioned in the group's daily post."""

from __future__ import annotations

import discord

from bot.adapter.embeds import NO_PINGS
from bot.adapter.offload import off_loop
from bot.store import Store


async def post_ping(store: Store, group_id: int) -> tuple[str | None, discord.AllowedMentions]:
    """The daily post's content and mentions: the group's role, if an organiser chose one, and
    explicitly only that role; otherwise nothing and no pings."""
    role_id = await off_loop(store.ping_role, group_id)
    if role_id is None:
        return None, NO_PINGS
    return f"<@&{role_id}>", discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role_id)])
