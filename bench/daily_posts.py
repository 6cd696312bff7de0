"""How long the daily fan-out takes: N reading groups (one channel each) due in the same minute,
posted by the real bot against the loopback fake of Discord (tests/fake_discord).

    python bench/daily_posts.py                  # 200 groups, in process (StudyBot + ManualClock)
    python bench/daily_posts.py --kill           # also: `python -m bot run`, SIGKILLed mid-way, restarted
    python bench/daily_posts.py --groups 1000                   # the issue's case: time against the bound
    python bench/daily_posts.py --groups 500 --requests-per-second 40

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
from bot.adapter.budget import RequestBudget  # noqa: E402
from bot.adapter.client import StudyBot  # noqa: E402
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


GLOBAL_LIMIT = 50  # requests a second: Discord's global limit for a bot (the fake enforces it)
CHANNEL_LIMIT = (5, 5.0)  # messages per channel in 5 s: Discord's per-channel limit (advertised in headers)


def bound_seconds(fake: FakeDiscord, since: float) -> float:
    """The least time the limits allow for the REST requests made since `since`: the global
    limit over all of them, or a channel's message limit over its messages, whichever is longer."""
    made = [
        r
        for r in fake.requests
        if r.time >= since and (r.status or 0) < 400 and not r.path.startswith("/interactions/")
    ]
    per_channel: dict[str, int] = {}
    for r in made:
        if r.method == "POST" and r.route == "/channels/{channel_id}/messages":
            per_channel[r.path] = per_channel.get(r.path, 0) + 1
    limit, per = CHANNEL_LIMIT
    channel_bound = max(((n - 1) // limit * per for n in per_channel.values()), default=0.0)
    return max(len(made) / GLOBAL_LIMIT, channel_bound)


def check(fake: FakeDiscord, channels: list[int], since: float = 0.0) -> dict:
    posts, threads = post_counts(fake, channels), thread_counts(fake, channels)
    worst, mean = request_rates(fake, since)
    return {
        "groups posted": f"{sum(1 for n in posts.values() if n)} of {len(channels)}",
        "extra posts": sum(n - 1 for n in posts.values() if n > 1),
        "groups without a thread": sum(1 for n in threads.values() if n == 0),
        "requests": sum(1 for r in fake.requests if r.time >= since),
        "requests/s (mean)": round(mean, 1),
        "requests in the busiest second": worst,
        "429s": len(rate_limited(fake, since)),
    }


def show(title: str, seconds: float, figures: dict) -> None:
    print(f"\n{title}: {seconds:.1f} s")
    for name, value in figures.items():
        print(f"  {name:<32} {value}")


async def in_process(db: Path, groups: int, requests_per_second: float | None) -> None:
    async with FakeDiscord() as fake:
        channels = add_channels(fake, groups)
        store = Store(db)
        for channel_id in channels:
            start_plan(store, fake.world.guild_id, channel_id, time="09:00", zone="Europe/Berlin")
        fake.limit_channel_messages(*CHANNEL_LIMIT)
        fake.limit_globally(GLOBAL_LIMIT)
        clock = SteppingClock(WINTER_MONDAY.replace(hour=7))
        bot = StudyBot(store, clock, tick_seconds=60, **FAST_CLIENT_OPTIONS)
        if requests_per_second:
            bot.budget = RequestBudget(requests_per_second)
        async with run_client(fake, bot):
            await fake.wait_for(lambda: bot.poster.ticks and clock.sleepers, 10, "the first tick")
            began = time.monotonic()
            await step(fake, bot, WINTER_MONDAY.replace(hour=8), timeout=900)
            took = time.monotonic() - began
        store.close()
        bound = bound_seconds(fake, began)
        figures = {
            **check(fake, channels, began),
            "bound the limits allow (s)": round(bound, 1),
            "time / bound": round(took / bound, 2),
        }
        show(f"{groups} groups, in process", took, figures)


async def as_a_process(base: Path, folder: Path, groups: int) -> None:
    """The bot as it runs for real: `python -m bot run`, its own process, so the fake (this one)
    sees requests as they come off the wire, not as a shared event loop gets round to them."""
    async with FakeDiscord() as fake:
        channels = add_channels(fake, groups)
        fake.limit_channel_messages(*CHANNEL_LIMIT)
        fake.limit_globally(GLOBAL_LIMIT)
        db = make_fanout_db(base, folder / "process.db", fake.world.guild_id, channels)
        log = folder / "process.log"
        started = time.monotonic()
        bot = await start_bot_process(fake, db, log)
        try:
            await wait_for_posts(fake, channels, at_least=groups, timeout=900, process=bot)
            await wait_until_recorded(fake, db, groups, 60)
        finally:
            await kill(bot, signal.SIGTERM)
        posting = [r for r in fake.requests if r.method == "POST" and r.route and r.route.startswith("/channels/")]
        began, ended = posting[0].time, posting[-1].time
        bound = bound_seconds(fake, began)
        figures = {
            **check(fake, channels, began),
            "from start-up to the last post (s)": round(ended - started, 1),
            "bound the limits allow (s)": round(bound, 1),
            "time / bound": round((ended - began) / bound, 2),
        }
        show(f"{groups} groups, `python -m bot run`, first post to last", ended - began, figures)


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
    parser.add_argument("--requests-per-second", type=float, help="override the bot's request budget (in process only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studybot-bench-") as tmp:
        folder = Path(tmp)
        base = corpus_db(folder)
        run_db = folder / "in-process.db"
        shutil.copy(base, run_db)
        await in_process(run_db, args.groups, args.requests_per_second)
        await as_a_process(base, folder, args.groups)
        if args.kill:
            await kill_and_restart(base, folder, args.groups)


if __name__ == "__main__":
    asyncio.run(main())
