"""Where the core runs: on a few threads of its own beside the event loop.

Few, because more would not be faster and would stall the loop: the store has one SQLite
connection (its calls take turns), and Python runs one thread at a time (the GIL), so every
extra thread busy with Python (ranking a search, analysing a passage) is one more the loop must
wait behind each time it wakes. Two, so one slow call (a language model's answer, a search of a
large library) does not hold up every other. Their own, so asyncio's default pool stays free for
what discord.py and aiohttp use it for (DNS lookups).

Cheap commands (Mark as read) are answered on the event loop itself (respond.py's
respond_at_once) and, when the database is busy, on a thread of their own beside those: when a
post lands, hundreds of members press its button at once while others search or draw charts; on
the core's threads each press would wait its turn behind every one of those queued before it
(bench/command_burst.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

CORE_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=CORE_THREADS, thread_name_prefix="studybot-core")


_in_flight = 0
"""Calls handed to the core's threads and not yet done (counted on the event loop alone)."""


async def off_loop(call: Callable[..., T], *args) -> T:
    """`call(*args)` on a core thread (asyncio.to_thread, on our pool)."""
    global _in_flight
    _in_flight += 1
    try:
        return await _run_on(_pool, call, *args)
    finally:
        _in_flight -= 1


def core_busy() -> bool:
    """Whether a call handed to the core now would wait for a thread: every one is taken (a
    burst of searches, a fan-out's posts)."""
    return _in_flight >= CORE_THREADS


async def _run_on(pool: ThreadPoolExecutor, call: Callable[..., T], *args) -> T:
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    return await loop.run_in_executor(pool, functools.partial(context.run, call, *args))


_long_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-library")


async def off_loop_long(call: Callable[..., T], *args) -> T:
    """`call(*args)` on the thread for long work (reading a book into the library: up to minutes),
    one at a time, so that the core's threads stay free for members' commands meanwhile."""
    return await _run_on(_long_pool, call, *args)


_quick_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-quick")


async def off_loop_quick(call: Callable[..., T], *args) -> T:
    """`call(*args)` on the thread for cheap commands (a fraction of a millisecond each: Mark as
    read), so that they never wait behind an expensive one (a search, a catch-up) for a thread.
    One thread: the calls are writes, which SQLite takes one at a time anyway."""
    return await _run_on(_quick_pool, call, *args)
