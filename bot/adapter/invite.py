"""The invite link with exactly the scopes and permissions studybot needs."""

from __future__ import annotations

import base64
import binascii

import discord

from bot.errors import ConfigError

PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    read_message_history=True,
    attach_files=True,  # the weekly digest's chart
)


def application_id_from_token(token: str) -> int:
    """A bot token's first part is its user id (the application's id) in base64."""
    head = token.split(".", 1)[0]
    try:
        return int(base64.b64decode(head + "=" * (-len(head) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ConfigError("That does not look like a bot token; pass the application id with --client-id.") from error


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands"))
