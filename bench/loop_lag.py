"""How long the event loop is blocked while the daily fan-out runs and members use commands.

    python bench/loop_lag.py                     # 200 groups, commands every 0.2 s
    python bench/loop_lag.py --groups 500 --debug
    python bench/loop_lag.py --mb 50 --members 3 # the corpus plus a 50 MB synthetic library

The real bot (StudyBot) posts to N groups due in the same minute, against the loopback fake of
Discord in the same process, while a member runs a command every --every seconds (search,
progress, today, passage, catchup, texts and an autocomplete). It prints the longest stall of
the event loop (the bot's lag monitor, bot/adapter/lag.py), command latencies, and with --debug
asyncio's list of callbacks that ran longer than 50 ms (which code held the loop).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.daily_posts import corpus_db  # noqa: E402
from bench.search import build_library  # noqa: E402
from bot import texts  # noqa: E402
from bot.adapter.client import StudyBot  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    WINTER_MONDAY,
    SteppingClock,
    add_channels,
    members_keep_asking,
    post_counts,
    start_plan,
    step,
)
from tests.fake_discord import FAST_CLIENT_OPTIONS, FakeDiscord, run_client  # noqa: E402

TEXT = "trotsky-soviet-thermidor-1936"


class SlowCallbacks(logging.Handler):
    """Collects asyncio's debug-mode warnings "Executing <Handle ...> took 0.123 seconds"."""

    def __init__(self):
        super().__init__()
        self.seen: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        found = re.search(r"Executing (.*) took ([0-9.]+) seconds", message, re.S)
        if found:
            self.seen.append((float(found[2]), found[1][:300]))


async def run(db: Path, groups: int, every: float, members: int) -> dict:
    async with FakeDiscord() as fake:
        channels = add_channels(fake, groups)
        store = Store(db)
        for channel_id in channels:
            start_plan(store, fake.world.guild_id, channel_id, time="09:00", zone="Europe/Berlin", text=TEXT)
        fake.limit_channel_messages(5, 5.0)
        clock = SteppingClock(WINTER_MONDAY.replace(hour=7))
        bot = StudyBot(store, clock, tick_seconds=60, **FAST_CLIENT_OPTIONS)
        latencies: list[float] = []
        async with run_client(fake, bot):
            await fake.wait_for(lambda: bot.poster.ticks and clock.sleepers, 10, "the first tick")
            bot.lag.reset()
            asking = asyncio.gather(
                *(
                    members_keep_asking(fake, channels[0], fake.world.reader.id, every, latencies)
                    for _ in range(members)
                )
            )
            began = time.monotonic()
            await step(fake, bot, WINTER_MONDAY.replace(hour=8), timeout=600)
            took = time.monotonic() - began
            asking.cancel()
            await asyncio.gather(asking, return_exceptions=True)
            worst = bot.lag.worst
        store.close()
        posted = sum(1 for n in post_counts(fake, channels).values() if n)
    latencies.sort()
    return {
        "groups posted": f"{posted} of {groups}",
        "fan-out seconds": round(took, 1),
        "longest event-loop stall (ms)": round(worst * 1000),
        "commands answered": len(latencies),
        "command latency median (ms)": round(statistics.median(latencies) * 1000) if latencies else None,
        "command latency worst (ms)": round(latencies[-1] * 1000) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--every", type=float, default=0.2, help="seconds between a member's commands")
    parser.add_argument("--members", type=int, default=1, help="members asking at once")
    parser.add_argument("--debug", action="store_true", help="asyncio debug mode: list callbacks over 50 ms")
    parser.add_argument("--mb", type=int, default=0, help="add a synthetic library of this many MB (bench/search.py)")
    parser.add_argument("--db", type=Path, help="start from a copy of this database (it must hold the corpus)")
    args = parser.parse_args()
    slow = SlowCallbacks()
    if args.debug:
        logging.getLogger("asyncio").addHandler(slow)
    with tempfile.TemporaryDirectory(prefix="studybot-bench-") as tmp:
        folder = Path(tmp)
        db = folder / "lag.db"
        shutil.copy(args.db or corpus_db(folder), db)
        if args.mb:
            build_library(args.mb * 10**6, folder / "library", seed=1)
            store = Store(db)
            texts.ingest(store, [folder / "library"])
            store.close()
        loop = asyncio.new_event_loop()
        if args.debug:
            loop.set_debug(True)
            loop.slow_callback_duration = 0.05
        figures = loop.run_until_complete(run(db, args.groups, args.every, args.members))
        left = asyncio.all_tasks(loop)  # views' timeouts, which outlive the client
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.close()
    print(
        f"\n{args.groups} groups, {args.members} member(s) asking every {args.every} s{' (asyncio debug mode)' if args.debug else ''}"
    )
    for name, value in figures.items():
        print(f"  {name:<32} {value}")
    if args.debug:
        print(f"\ncallbacks over 50 ms: {len(slow.seen)}")
        for (seconds, where), count in Counter(
            (round(s, 2), w) for s, w in sorted(slow.seen, reverse=True)
        ).most_common(15):
            print(f"  {seconds * 1000:6.0f} ms x{count}  {where}")


if __name__ == "__main__":
    main()
