"""The bot's request budget: what Discord limits is requests, not posts.

A daily post is a message and a thread (two requests; more for a pace above one, or when a
retried post looks for what it may have sent). Discord allows a bot about 50 requests a second
in all (the global limit: documented, never sent in headers; a request over it gets a global
429) and per-route limits on top (5 messages in 5 s a channel), which Discord sends in every
answer's X-RateLimit headers: discord.py reads those, holds each route's requests until its
bucket resets, and waits out any 429. What is left to the bot is the global limit, which a
fan-out of thousands of groups meets.

So every REST request the bot makes takes its turn here, RATE a second, at the moment it gets
its connection: after discord.py's per-route waits, just before it is written, so the spacing
is what Discord sees (spaced earlier, the event loop's hiccups between a turn and the wire bunch
requests up past the limit). Interaction and webhook routes (answers to commands) are not
counted by Discord's global limit and do not wait; neither does the gateway.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

GLOBAL_LIMIT = 50.0
"""Discord's global limit, requests a second."""
RATE = 47.0
"""What the bot spends of it: a margin for the time between a request's turn and its arrival."""
UNCOUNTED = ("/interactions/", "/webhooks/")


class RequestBudget:
    """At most `rate` request starts a second, one at a time on a fixed grid, whoever asks.

    Requests take their turns in order, each waiting for the grid's next point. A request that
    wakes a little late (the event loop was busy) does not push the grid on, so small delays do
    not lower the rate; one that finds the grid more than a point behind (the budget was idle, or
    the loop was held) restarts it from now, so a stall is never made up by a burst. Any second
    thus holds at most `rate` + 2 starts."""

    def __init__(self, rate: float = RATE):
        self.rate = rate
        self.interval = 1.0 / rate
        self.spent = 0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def spend(self) -> None:
        """Wait for this request's turn."""
        async with self._lock:
            now = time.monotonic()
            if self._next < now - self.interval:
                self._next = now
            if self._next > now:
                await asyncio.sleep(self._next - now)
            self._next += self.interval
            self.spent += 1


def counted(url: str | object, upgrade: bool = False) -> bool:
    """Whether Discord's global limit counts a request to `url` (a websocket upgrade, the
    gateway, is not a REST request)."""
    return not upgrade and not any(part in str(url) for part in UNCOUNTED)


class BudgetedConnector(aiohttp.TCPConnector):
    """discord.py's HTTP connections (it takes a connector), each REST request waiting for its
    turn in the budget before it is given one."""

    def __init__(self, budget: RequestBudget, **options):
        super().__init__(**options)
        self.budget = budget

    async def connect(self, req, *args, **kwargs):  # type: ignore[no-untyped-def]
        if counted(req.url, upgrade="Upgrade" in req.headers):
            await self.budget.spend()
        return await super().connect(req, *args, **kwargs)
