"""A watch on the event loop: anything that blocks it delays every answer, post and heartbeat
(Discord drops a bot whose heartbeats lag). A coroutine wakes every INTERVAL and measures how
late it woke; a thread beside the loop notes what the loop was running while it was stuck, so
the warning names the culprit."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback

log = logging.getLogger(__name__)

INTERVAL = 0.05
"""Seconds between two looks: a stall shorter than this may go unseen."""
WARN_AFTER = 1.0
"""A stall longer than this is logged, with where the loop was stuck."""


class LagMonitor:
    def __init__(self, interval: float = INTERVAL, warn_after: float = WARN_AFTER):
        self.interval, self.warn_after = interval, warn_after
        self.worst = 0.0
        """The longest stall seen since `reset()`, in seconds."""
        self._recent = 0.0
        self.stalls = 0
        """How many stalls over `warn_after` were logged."""
        self._last_beat = time.monotonic()
        self._stuck_in: str | None = None
        self._stop = threading.Event()

    def reset(self) -> None:
        self.worst = 0.0

    def take_recent(self) -> float:
        """The longest stall since the last call, in seconds (the health file's, apart from `worst`)."""
        recent, self._recent = self._recent, 0.0
        return recent

    async def run(self) -> None:
        loop_thread = threading.get_ident()
        watcher = threading.Thread(target=self._watch, args=(loop_thread,), name="studybot-lag-watch", daemon=True)
        watcher.start()
        loop = asyncio.get_running_loop()
        try:
            while True:
                self._last_beat = time.monotonic()
                asked = loop.time()
                await asyncio.sleep(self.interval)
                self._record(loop.time() - asked - self.interval)
        finally:
            self._stop.set()

    def _record(self, lag: float) -> None:
        self.worst = max(self.worst, lag)
        self._recent = max(self._recent, lag)
        if lag > self.warn_after:
            self.stalls += 1
            where = self._stuck_in or "(not caught: shorter than the watch's look)"
            log.warning("the event loop was blocked for %.2f s; where each thread was:\n%s", lag, where)
        self._stuck_in = None

    def _watch(self, loop_thread: int) -> None:
        """In a thread: once the loop has not beaten for `warn_after`, note where it and the
        other threads are. A loop caught waiting in select() was starved of the GIL by a thread
        running Python (or a long C call that keeps the GIL), so their stacks matter as much."""
        while not self._stop.wait(self.interval):
            if self._stuck_in is None and time.monotonic() - self._last_beat > self.warn_after:
                self._stuck_in = _stacks(loop_thread)


def _stacks(loop_thread: int) -> str:
    names = {t.ident: t.name for t in threading.enumerate()}
    parts = []
    for ident, frame in sys._current_frames().items():
        if ident == threading.get_ident():
            continue
        depth = 12 if ident == loop_thread else 6
        label = "the event loop" if ident == loop_thread else f"thread {names.get(ident, ident)}"
        parts.append(f"{label}:\n" + "".join(traceback.format_stack(frame)[-depth:]))
    return "\n".join(parts)
