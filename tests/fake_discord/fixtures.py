"""pytest fixtures: a fake Discord per test, and a factory that runs discord.py clients on it.

Import them into a test module (``from tests.fake_discord.fixtures import fake_discord,
start_client``) or list this module in a conftest's ``pytest_plugins``. Both are function
scoped, so every test gets a fresh server, fresh state and a fresh event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import discord
import pytest
import pytest_asyncio

from .harness import run_client
from .server import FakeDiscord

StartClient = Callable[..., Awaitable[discord.Client]]


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake on 127.0.0.1 (random port) with the default world.

    At teardown the test fails if the bot called a route the fake does not implement (set
    ``fake.fail_on_unknown_routes = False`` when a test means to do that) or if the fake hit
    a bug of its own (``fake.internal_errors``).
    """
    async with FakeDiscord() as fake:
        yield fake
    if fake.internal_errors:
        pytest.fail("fake_discord itself failed:\n" + "\n".join(fake.internal_errors))
    if fake.unknown_routes and fake.fail_on_unknown_routes:
        pytest.fail(f"the bot called routes the fake does not implement: {fake.unknown_routes}")


@pytest_asyncio.fixture
async def start_client(fake_discord: FakeDiscord) -> AsyncIterator[StartClient]:
    """``client = await start_client(client)``: runs it against ``fake_discord`` until ready;
    every client started this way is closed (and its tasks awaited) at teardown."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(client: discord.Client, **kwargs) -> discord.Client:
            return await stack.enter_async_context(run_client(fake_discord, client, **kwargs))

        yield start
