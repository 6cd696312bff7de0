"""How long the daily fan-out takes: N reading groups (one channel each) due in the same minute,
posted by the real bot against the loopback fake of Discord (tests/fake_discord).

    python bench/daily_posts.py                  # 200 groups, in process (StudyBot + ManualClock)
    python bench/daily_posts.py --kill           # also: `python -m bot run`, SIGKILLed mid-way, restarted
    python bench/daily_posts.py --groups 500 --posts-per-second 20

Run it from the repository root with the dev dependencies installed (pip install -e '.[dev]').
It prints, for each run, how long the posts took, requests a second (mean and the busiest
second), 429s the fake answered, and checks there is exactly one post and one thread per group.
Discord's per-channel message limit (5 per 5 s) is enforced and advertised, as on Discord.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.adapter.client import StudyBot  # noqa: E402
from bot.adapter.daily import RateLimiter  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    WINTER_MONDAY,
    SteppingClock,
    add_channels,
    forget_nonces,
    kill,
    make_fanout_db,
    post_counts,
    rate_limited,
    request_rates,
    start_bot_process,
    step,
    thread_counts,
    wait_for_posts,
    wait_until_recorded,
)
from tests.fake_discord import FAST_CLIENT_OPTIONS, FakeDiscord, run_client  # noqa: E402
from tests.helpers import start_plan  # noqa: E402


def corpus_db(folder: Path) -> Path:
    path = folder / "corpus.db"
    store = Store(path)
    texts.ingest(store, [ROOT / "corpus"])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def check(fake: FakeDiscord, channels: list[int]) -> dict:
    posts, threads = post_counts(fake, channels), thread_counts(fake, channels)
    worst, mean = request_rates(fake)
    return {
        "groups posted": f"{sum(1 for n in posts.values() if n)} of {len(channels)}",
        "extra posts": sum(n - 1 for n in posts.values() if n > 1),
        "groups without a thread": sum(1 for n in threads.values() if n == 0),
        "requests": len(fake.requests),
        "requests/s (mean)": round(mean, 1),
        "requests in the busiest second": worst,
        "429s": len(rate_limited(fake)),
    }


def show(title: str, seconds: float, figures: dict) -> None:
    print(f"\n{title}: {seconds:.1f} s")
    for name, value in figures.items():
        print(f"  {name:<32} {value}")


async def in_process(db: Path, groups: int, posts_per_second: float | None) -> None:
    async with FakeDiscord() as fake:
        channels = add_channels(fake, groups)
        store = Store(db)
        for channel_id in channels:
            start_plan(store, fake.world.guild_id, channel_id, time="09:00", zone="Europe/Berlin")
        fake.limit_channel_messages(5, 5.0)
        clock = SteppingClock(WINTER_MONDAY.replace(hour=7))
        bot = StudyBot(store, clock, tick_seconds=60, **FAST_CLIENT_OPTIONS)
        if posts_per_second:
            bot.poster._limiter = RateLimiter(posts_per_second)
        async with run_client(fake, bot):
            await fake.wait_for(lambda: bot.poster.ticks and clock.sleepers, 10, "the first tick")
            began = time.monotonic()
            await step(fake, bot, WINTER_MONDAY.replace(hour=8), timeout=600)
            took = time.monotonic() - began
        store.close()
        show(f"{groups} groups, in process", took, check(fake, channels))


async def kill_and_restart(base: Path, folder: Path, groups: int) -> None:
    async with FakeDiscord() as fake:
        channels = add_channels(fake, groups)
        db = make_fanout_db(base, folder / "fanout.db", fake.world.guild_id, channels)
        log = folder / "bot.log"
        began = time.monotonic()
        first = await start_bot_process(fake, db, log)
        try:
            await wait_for_posts(fake, channels, at_least=max(1, groups // 5), timeout=120, process=first)
        finally:
            await kill(first, signal.SIGKILL)
        at_kill = sum(1 for n in post_counts(fake, channels).values() if n)
        forget_nonces(fake)
        second = await start_bot_process(fake, db, log)
        try:
            await wait_for_posts(fake, channels, at_least=groups, timeout=600, process=second)
            took = time.monotonic() - began
            await wait_until_recorded(fake, db, groups, 60)
        finally:
            await kill(second, signal.SIGTERM)
        figures = {"posted before the kill": at_kill, **check(fake, channels)}
        show(f"{groups} groups, `python -m bot run` killed and restarted", took, figures)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--kill", action="store_true", help="also run the kill/restart variant (a real process)")
    parser.add_argument("--posts-per-second", type=float, help="override the poster's pace (in process only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studybot-bench-") as tmp:
        folder = Path(tmp)
        base = corpus_db(folder)
        run_db = folder / "in-process.db"
        shutil.copy(base, run_db)
        await in_process(run_db, args.groups, args.posts_per_second)
        if args.kill:
            await kill_and_restart(base, folder, args.groups)


if __name__ == "__main__":
    asyncio.run(main())
