"""Pointing a real discord.py client at the fake and running it for the length of a test.

discord.py reads two class attributes: ``Route.BASE`` (every REST URL is built from it when a
``Route`` is created) and ``DiscordWebSocket.DEFAULT_GATEWAY`` (where the first IDENTIFY goes;
RESUMEs go to READY's ``resume_gateway_url``). Our bot sets the same two from
``DISCORD_API_BASE`` / ``DISCORD_GATEWAY_URL``; tests set them here and restore them after.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, TypeVar

import discord
import discord.gateway
import discord.http
import yarl

if TYPE_CHECKING:
    from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)

#: Client options that keep tests fast: on_ready 50 ms after the last GUILD_CREATE instead of 2 s.
FAST_CLIENT_OPTIONS = {"guild_ready_timeout": 0.05}


@contextlib.contextmanager
def point_client_at(fake: FakeDiscord) -> Iterator[None]:
    """Set ``Route.BASE`` and ``DEFAULT_GATEWAY`` to the fake; restore them on exit."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def env_for(fake: FakeDiscord) -> dict:
    """The environment our bot reads to point itself at the fake (for subprocess/CLI tests)."""
    return {"DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url, "DISCORD_TOKEN": fake.token}


@contextlib.asynccontextmanager
async def run_client(
    fake: FakeDiscord, client: ClientT, *, token: str | None = None, ready_timeout: float = 10.0
) -> AsyncIterator[ClientT]:
    """Start ``client`` against the fake, wait for ``on_ready``, and close it cleanly on exit."""
    with point_client_at(fake):
        task = asyncio.ensure_future(client.start(token or fake.token))
        try:
            await fake.wait_for(lambda: task.done() or client.is_ready(), ready_timeout, "the client to be ready")
            if task.done():
                task.result()  # login/connect failed: raise that error here
                raise RuntimeError("client stopped before it became ready")
            yield client
        finally:
            if not client.is_closed():
                await client.close()
            await asyncio.wait({task}, timeout=5)
            if not task.done():
                task.cancel()
                await asyncio.wait({task})
            elif not task.cancelled():
                task.exception()  # retrieved, so asyncio does not log it as never retrieved
