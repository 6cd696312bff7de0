"""Where discord.py connects. Hosts behind a REST or gateway proxy set DISCORD_API_BASE and
DISCORD_GATEWAY_URL; the tests use the same settings to reach a loopback fake of Discord."""

from __future__ import annotations

import discord
import yarl


def point_discord_at(api_base: str | None, gateway_url: str | None) -> None:
    """REST calls go to `Route.BASE`; a plain Client opens its gateway at `DEFAULT_GATEWAY`."""
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
