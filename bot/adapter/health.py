"""The bot's side of the health file (bot/service/health.py): every WRITE_SECONDS, what the
client, the daily loop, the lease and the lag monitor know, written off the event loop.

Times are the wall clock's, not the bot's injected clock: `studybot health` compares them with
the real time in another process. The daily loop notes its moments on a steady clock, turned
into wall time here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.adapter.offload import off_loop
from bot.service.health import WRITE_SECONDS, Health, write_health

if TYPE_CHECKING:
    from bot.adapter.client import StudyBot

log = logging.getLogger(__name__)


class HealthReporter:
    def __init__(self, bot: StudyBot, path: str | Path, every: float = WRITE_SECONDS):
        self.bot, self.path, self.every = bot, Path(path), every
        self.started_at = datetime.now(UTC)
        self.connected = False
        self.connected_since: datetime | None = None

    def connection_changed(self, connected: bool) -> None:
        """From the client's connect, resumed and disconnect events."""
        if connected != self.connected or self.connected_since is None:
            self.connected, self.connected_since = connected, datetime.now(UTC)

    async def run(self) -> None:
        while True:
            try:
                await off_loop(write_health, self.path, self.snapshot())
            except OSError as error:  # a full disk, a missing folder: said, then tried again
                log.warning("could not write the health file %s: %s", self.path, error)
            await asyncio.sleep(self.every)

    def snapshot(self) -> Health:
        now, steady = datetime.now(UTC), time.monotonic()

        def wall(moment: float | None) -> datetime | None:
            return None if moment is None else now - timedelta(seconds=steady - moment)

        lease = self.bot.lease
        lag_ms = self.bot.lag.take_recent() * 1000  # each write reports the worst since the one before
        poster = self.bot.poster
        return Health(
            written_at=now,
            pid=os.getpid(),
            connected=self.connected,
            connected_since=self.connected_since,
            lease="none" if lease is None else ("lost" if lease.lost.is_set() else "held"),
            last_tick_at=wall(poster.last_tick_steady),
            last_post_at=wall(poster.last_post_steady),
            posts=poster.posts,
            loop_lag_ms=round(lag_ms, 1),
            started_at=self.started_at,
        )
