"""Buttons: "Mark as read" and "Suggest a question" on each daily post, the organisers' Edit,
Approve and Decline buttons (all working after a restart), and search pages."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.render import Button, Reply

READ_ID = "studybot:read:{delivery_id}"
READ_TEMPLATE = r"studybot:read:(?P<delivery_id>[0-9]+)"
ACTION_ID = "studybot:{action}"
ACTION_TEMPLATE = r"studybot:(?P<action>(?:suggest|approve|decline|edit|plan)(?::[0-9]+)+)"
ACTION_STYLES = {
    "approve": discord.ButtonStyle.success,
    "decline": discord.ButtonStyle.danger,
    "edit": discord.ButtonStyle.primary,
    "plan": discord.ButtonStyle.primary,
}


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


class ActionButton(discord.ui.DynamicItem[discord.ui.Button], template=ACTION_TEMPLATE):
    """A persistent button for one of the core's actions ("suggest:17", "approve:3",
    "edit:5:12"): its custom_id carries the action, so it works after a restart."""

    handler: Callable[[discord.Interaction, str], Awaitable[None]] | None = None

    def __init__(self, action: str, label: str = "", disabled: bool = False):
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=ACTION_STYLES.get(action.split(":")[0], discord.ButtonStyle.secondary),
                custom_id=ACTION_ID.format(action=action),
                disabled=disabled,
            )
        )
        self.action = action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["action"], getattr(item, "label", None) or "", getattr(item, "disabled", False))

    async def callback(self, interaction: discord.Interaction) -> None:
        if ActionButton.handler is not None:
            await ActionButton.handler(interaction, self.action)


def read_view(delivery_id: int) -> discord.ui.View:
    """The daily post's buttons."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReadButton(delivery_id))
    view.add_item(ActionButton(f"suggest:{delivery_id}", "Suggest a question"))
    return view


def action_view(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """Persistent buttons for a reply's actions (Edit, Approve, Decline)."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(ActionButton(button.action, button.label, button.disabled))
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
