"""Buttons: "Mark as read" on each daily post (works after a restart) and search pages."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.render import Button, Reply

READ_ID = "studybot:read:{delivery_id}"
READ_TEMPLATE = r"studybot:read:(?P<delivery_id>[0-9]+)"


class ReadButton(discord.ui.DynamicItem[discord.ui.Button], template=READ_TEMPLATE):
    """Persistent: its custom_id carries the delivery, so no state is needed after a restart."""

    handler: Callable[[discord.Interaction, int], Awaitable[None]] | None = None

    def __init__(self, delivery_id: int):
        super().__init__(
            discord.ui.Button(
                label="Mark as read",
                style=discord.ButtonStyle.success,
                emoji="✅",
                custom_id=READ_ID.format(delivery_id=delivery_id),
            )
        )
        self.delivery_id = delivery_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReadButton:
        return cls(int(match["delivery_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        if ReadButton.handler is not None:
            await ReadButton.handler(interaction, self.delivery_id)


def read_view(delivery_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReadButton(delivery_id))
    return view


def read_custom_id(delivery_id: int) -> str:
    return READ_ID.format(delivery_id=delivery_id)


OnAction = Callable[[discord.Interaction, str], Awaitable[None]]


class PagesView(discord.ui.View):
    """Buttons of a reply (search pages): pressing one asks `on_action` for the new reply."""

    def __init__(self, buttons: tuple[Button, ...], on_action: OnAction):
        super().__init__(timeout=900)
        for button in buttons:
            self.add_item(_ActionButton(button, on_action))


class _ActionButton(discord.ui.Button[PagesView]):
    """A button that hands its action ("search:2", "context:17") to `on_action` when pressed."""

    def __init__(self, button: Button, on_action: OnAction):
        super().__init__(label=button.label, disabled=button.disabled, style=discord.ButtonStyle.secondary)
        self.action, self.on_action = button.action, on_action

    async def callback(self, interaction: discord.Interaction) -> None:
        await self.on_action(interaction, self.action)


def view_for(reply: Reply, on_action: OnAction) -> discord.ui.View | None:
    return PagesView(reply.buttons, on_action) if reply.buttons else None
