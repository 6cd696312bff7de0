"""Cards and replies drawn as Discord embeds, views and message arguments."""

from __future__ import annotations

import hashlib

import discord

from bot.render import Card, Reply

COLOUR = discord.Colour(0x5B7F95)


def nonce_for(kind: str, channel_id: int, row_id: int) -> str:
    """A message's nonce: Discord drops a repeat of it by the same author within minutes, so it
    is the same on every retry of one row's message, and unique to the channel too: two
    clusters (or a database resharded from two) number their rows alike. 24 characters
    (Discord takes at most 25)."""
    digest = hashlib.blake2b(f"{kind}:{channel_id}:{row_id}".encode(), digest_size=11).hexdigest()
    return f"sb{digest}"


NO_PINGS = discord.AllowedMentions.none()
"""Every message: text from users (queries, titles, names) may hold @everyone or <@id>, and the
bot must never ping anyone with it. A ping would be an explicit AllowedMentions."""


def to_embed(card: Card) -> discord.Embed:
    embed = discord.Embed(title=card.title or None, description=card.description or None, colour=COLOUR)
    for name, value in card.fields:
        embed.add_field(name=name, value=value or "—", inline=False)
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed


def message_kwargs(reply: Reply, view: discord.ui.View | None = None) -> dict:
    """Arguments for send_message / followup.send: content, embeds, view, no pings."""
    kwargs: dict = {"embeds": [to_embed(c) for c in reply.cards], "allowed_mentions": NO_PINGS}
    if reply.text:
        kwargs["content"] = reply.text[:2000]
    if view is not None:
        kwargs["view"] = view
    return kwargs
