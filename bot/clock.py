"""Time as a parameter: the real clock for the service, a movable one for tests and the console."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ManualClock:
    """A clock that moves only when told. `sleep` waits until someone advances it far enough,
    so a scheduler loop driven by it runs exactly when a test moves time."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._now = start
        self._moved = asyncio.Event() if _has_loop() else None

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
        if self._moved is not None:
            self._moved.set()

    def advance(self, **delta: float) -> datetime:
        self.set(self._now + timedelta(**delta))
        return self._now

    async def sleep(self, seconds: float) -> None:
        if self._moved is None:
            self._moved = asyncio.Event()
        wake_at = self._now + timedelta(seconds=seconds)
        while self._now < wake_at:
            self._moved.clear()
            await self._moved.wait()


def _has_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
