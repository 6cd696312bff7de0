"""What keeps the event loop free: the lag monitor that reports a stall and where it was, one
build of the library's figures however many threads ask at once, and those figures read before
the bot connects, so no member's command pays for them."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime

from bot import commands
from bot.adapter.lag import LagMonitor
from bot.search import spelling


def hold_the_loop(seconds: float) -> None:
    time.sleep(seconds)  # as a long computation on the loop would


async def test_a_stall_is_measured_and_logged_with_where_the_loop_was(caplog):
    monitor = LagMonitor(interval=0.02, warn_after=0.2)
    watching = asyncio.ensure_future(monitor.run())
    await asyncio.sleep(0.1)
    monitor.reset()
    with caplog.at_level(logging.WARNING, logger="bot.adapter.lag"):
        hold_the_loop(0.5)
        await asyncio.sleep(0.1)
    watching.cancel()
    await asyncio.gather(watching, return_exceptions=True)
    assert 0.4 < monitor.worst < 1.0
    [warning] = [r.getMessage() for r in caplog.records if "blocked" in r.getMessage()]
    assert "the event loop was blocked for 0." in warning
    assert "hold_the_loop" in warning  # the culprit is named


async def test_short_waits_are_not_stalls(caplog):
    monitor = LagMonitor(interval=0.02, warn_after=0.2)
    watching = asyncio.ensure_future(monitor.run())
    with caplog.at_level(logging.WARNING, logger="bot.adapter.lag"):
        for _ in range(10):
            await asyncio.sleep(0.02)
    watching.cancel()
    await asyncio.gather(watching, return_exceptions=True)
    assert monitor.worst < 0.2 and monitor.stalls == 0
    assert not [r for r in caplog.records if "blocked" in r.getMessage()]


def test_a_library_figure_is_built_once_however_many_threads_ask(store):
    built = []

    def build():
        built.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to ask while it is being built
        return "figure"

    results = []
    threads = [threading.Thread(target=lambda: results.append(store.derived("test.figure", build))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["figure"] * 4 and len(built) == 1


def test_prepared_store_answers_a_search_without_reading_the_library_again(store, monkeypatch):
    commands.prepare(store)
    reads = []
    original = spelling.read_lexicon
    monkeypatch.setattr(spelling, "read_lexicon", lambda s: reads.append(1) or original(s))
    commands.search(commands.Invocation(store, 1, 1, 1, False, datetime.now(UTC)), "Kronstadt")
    assert reads == []
