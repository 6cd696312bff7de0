"""The reminder fan-out: N members (default 10,000) whose reminders fall due in the same minute,
reminded by the real bot (StudyBot, in process, ManualClock) over the loopback fake of Discord.

    python bench/reminders.py                      # 10,000 members in 20 groups
    python bench/reminders.py --members 2000       # a quicker look
    python bench/reminders.py --fresh-dms          # no DM channel opened beforehand (two requests each)

Every group posts at 09:00 UTC and every member asked for a reminder at 09:00 UTC, so the daily
posts and the reminders meet. Members open their DM channel when they turn reminders on, so a
reminder is one request (`--fresh-dms`: the first reminder opens it). It prints how long the
reminders took from 09:00, the request rate (mean, and the busiest one-second window, posts
included: Discord allows a bot about 50 requests a second), 429s the fake answered, and checks
every member got exactly one DM.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.adapter.client import StudyBot  # noqa: E402
from bot.members import reminders  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.e2e.conftest import SteppingClock, add_channels, rate_limited, request_rates  # noqa: E402
from tests.fake_discord import FAST_CLIENT_OPTIONS, FakeDiscord, run_client  # noqa: E402
from tests.fake_discord.state import DM  # noqa: E402
from tests.helpers import TINY_PACE, start_plan, write_tiny_library  # noqa: E402

NINE = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)


def prepare(store: Store, fake: FakeDiscord, groups: int, members: int, fresh_dms: bool) -> list[int]:
    """Groups posting at 09:00 UTC, and members each with a reminder at 09:00 UTC in one of them."""
    channels = add_channels(fake, groups)
    plans = [
        start_plan(store, fake.world.guild_id, c, text="gardener-soil", time="09:00", zone="UTC", now=NINE)
        for c in channels
    ]
    users = []
    for n in range(members):
        user = fake.state.add_user(f"member-{n:05d}")
        fake.state.add_member(fake.world.guild_id, user.id)
        reminders.set_reminder(store, plans[n % groups], user.id, "09:00", None, None, NINE.replace(hour=8))
        if not fresh_dms:
            channel = fake.state.add_channel(None, "", type=DM)
            channel.recipient_ids = [user.id]
            store.record_dm_channel(user.id, channel.id)
        users.append(user.id)
    return users


def dm_counts(fake: FakeDiscord) -> Counter:
    """user id -> DMs the bot sent them."""
    bot_id = fake.state.bot_user_id
    counts: Counter = Counter()
    for stored in list(fake.state.messages.values()):
        channel = fake.state.channels.get(stored.channel_id)
        if channel is not None and channel.type == DM and stored.author_id == bot_id:
            counts[channel.recipient_ids[0]] += 1
    return counts


async def run(folder: Path, groups: int, members: int, fresh_dms: bool) -> None:
    store = Store(folder / "bench.db")
    texts.ingest(store, [write_tiny_library(folder / "tiny")], TINY_PACE)
    async with FakeDiscord() as fake:
        fake.limit_channel_messages(5, 5.0)  # Discord's per-channel limit, advertised
        began = time.monotonic()
        users = prepare(store, fake, groups, members, fresh_dms)
        print(f"prepared {groups} groups and {members} members with reminders in {time.monotonic() - began:.1f} s")
        clock = SteppingClock(NINE.replace(hour=8, minute=59))
        bot = StudyBot(store, clock, tick_seconds=30, **FAST_CLIENT_OPTIONS)
        async with run_client(fake, bot):
            await fake.wait_for(lambda: bot.reminders.ticks and bot.poster.ticks and clock.sleepers >= 2, 30, "ready")
            since = time.monotonic()
            requests_before = len(fake.requests)
            clock.set(NINE)  # posts go out; reminders due now wait for their group's post
            await fake.wait_for(lambda: clock.sleepers >= 2 and bot.reminders.ticks >= 2, 120, "the 09:00 tick")
            clock.set(NINE.replace(minute=0, second=30))  # the next tick: the fan-out
            await fake.wait_for(lambda: bot.reminders.sent >= members, 3600, "every reminder")
            took = time.monotonic() - since
        counts = dm_counts(fake)
        worst, mean = request_rates(fake, since)
        print(
            f"\n{members} reminders due at 09:00 ({'DM channels opened on the way' if fresh_dms else 'DM channels known'}):"
        )
        figures = {
            "reminders sent": f"{sum(1 for u in users if counts[u])} of {members}",
            "members with more than one": sum(1 for u in users if counts[u] > 1),
            "seconds from 09:00 to the last": round(took, 1),
            "requests": len(fake.requests) - requests_before,
            "requests/s (mean)": round(mean, 1),
            "requests in the busiest second": worst,
            "429s": len(rate_limited(fake, since)),
        }
        for name, value in figures.items():
            print(f"  {name:<34} {value}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--fresh-dms", action="store_true", help="no DM channel opened before the first reminder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studybot-bench-") as tmp:
        asyncio.run(run(Path(tmp), args.groups, args.members, args.fresh_dms))


if __name__ == "__main__":
    main()
