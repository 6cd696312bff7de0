"""Many groups due at once: 200 channels, each with a plan posting in the same minute.

In process, the bot posts all 200 as fast as its request budget allows: one message with the
button and one thread per channel, no 429 from Discord's per-channel limit or its global limit
(both enforced by the fake), and no second above Discord's global 50 requests. Then the issue's kill test: the real `python -m bot run` process,
SIGKILLed in the middle of the fan-out and started again, ends with exactly one post per group.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time

import pytest

from tests.e2e.conftest import (
    WINTER_MONDAY,
    add_channels,
    forget_nonces,
    kill,
    make_fanout_db,
    members_keep_asking,
    post_counts,
    rate_limited,
    request_rates,
    slash,
    start_bot_process,
    step,
    thread_counts,
    wait_for_posts,
    wait_until_recorded,
)
from tests.fake_discord.rest import TOKEN_ROUTES
from tests.helpers import start_plan

GROUPS = 200
GLOBAL_LIMIT = 50  # requests a second, Discord's global limit for a bot
STALL_LIMIT = 0.25  # seconds the event loop may be held at most (the lag monitor logs past 1 s)


def report(record_property, name: str, **figures) -> None:
    record_property(name, figures)
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


async def test_two_hundred_groups_due_in_the_same_minute_get_one_post_each(fake, launch, store, record_property):
    w = fake.world
    channels = add_channels(fake, GROUPS)
    for channel_id in channels:
        start_plan(store, w.guild_id, channel_id, time="09:00", zone="Europe/Berlin")
    fake.limit_channel_messages(5, 5.0)  # Discord's per-channel limit, advertised in headers
    fake.limit_globally(GLOBAL_LIMIT)  # and its global limit, which is not
    bot = await launch()

    bot.lag.reset()
    began = time.monotonic()
    fan_out = asyncio.ensure_future(step(fake, bot, WINTER_MONDAY.replace(hour=8), timeout=120))
    # Members keep using commands while the posts go out: each still answers within 3 s.
    await wait_for_posts(fake, channels, at_least=20, timeout=30)
    posted = next(c for c, n in post_counts(fake, channels).items() if n)
    for name, options in [("progress", {}), ("search", {"query": "Kronstadt"}), ("today", {})]:
        answer = await slash(fake, posted, w.reader.id, name, **options)
        assert answer["_latency"] < 3 and answer["embeds"], name
    latencies: list[float] = []
    asking = asyncio.ensure_future(members_keep_asking(fake, posted, w.reader.id, 0.2, latencies))
    assert not fan_out.done()
    await fan_out
    took = time.monotonic() - began
    asking.cancel()
    await asyncio.gather(asking, return_exceptions=True)
    assert len(latencies) >= 10 and max(latencies) < 3, latencies
    # Nothing held the event loop (which the fake shares) for long: not the core's work, not
    # rendering, not the lag monitor's own thread.
    assert bot.lag.worst < STALL_LIMIT, f"the event loop stalled for {bot.lag.worst * 1000:.0f} ms"

    posts, threads = post_counts(fake, channels), thread_counts(fake, channels)
    assert set(posts.values()) == {1}, {c: n for c, n in posts.items() if n != 1}
    assert set(threads.values()) == {1}, {c: n for c, n in threads.items() if n != 1}
    assert rate_limited(fake) == []
    worst, mean = request_rates(fake, since=began)
    assert worst <= GLOBAL_LIMIT, f"{worst} requests in one second"
    # Every request the global limit counts took its turn in the bot's budget; answers to the
    # members' commands did not wait for one.
    assert bot.budget.spent == sum(1 for r in fake.requests if not r.path.startswith(TOKEN_ROUTES))
    assert store.query("SELECT count(*) FROM deliveries WHERE status = 'posted'")[0][0] == GROUPS
    assert {r[0] for r in store.query("SELECT next_ordinal FROM groups")} == {2}
    report(
        record_property,
        "fanout_in_process",
        posts=GROUPS,
        seconds=round(took, 1),
        requests_per_second=round(mean, 1),
        worst_second=worst,
        rate_limited=0,
        longest_stall_ms=round(bot.lag.worst * 1000),
        commands=len(latencies),
    )


@pytest.mark.bot_process
async def test_killed_in_the_middle_of_the_fan_out_and_restarted_posts_once_per_group(
    fake, corpus_db, tmp_path, record_property
):
    channels = add_channels(fake, GROUPS)
    db = make_fanout_db(corpus_db, tmp_path / "fanout.db", fake.world.guild_id, channels)
    log = tmp_path / "bot.log"
    processes = []

    def log_tail() -> str:
        return "\n" + "\n".join(log.read_text(errors="replace").splitlines()[-25:]) if log.exists() else ""

    try:
        began = time.monotonic()
        first = await start_bot_process(fake, db, log)
        processes.append(first)
        await wait_for_posts(fake, channels, at_least=30, timeout=60, process=first)
        assert await kill(first, signal.SIGKILL) == -signal.SIGKILL
        at_kill = sum(1 for n in post_counts(fake, channels).values() if n)
        assert 30 <= at_kill < GROUPS, f"{at_kill} posts when killed{log_tail()}"
        with sqlite3.connect(db) as conn:  # posts sent that the killed bot had not recorded
            unrecorded = (
                at_kill - conn.execute("SELECT count(*) FROM deliveries WHERE message_id IS NOT NULL").fetchone()[0]
            )
        forget_nonces(fake)  # only the bot's own records may prevent a second post

        second = await start_bot_process(fake, db, log)
        processes.append(second)
        await wait_for_posts(fake, channels, at_least=GROUPS, timeout=90, process=second)
        took = time.monotonic() - began
        await wait_until_recorded(fake, db, GROUPS, 30)
        assert await kill(second, signal.SIGTERM) == -signal.SIGTERM
    except BaseException as error:
        raise AssertionError(f"{error}{log_tail()}") from error
    finally:
        for process in processes:
            if process.returncode is None:
                await kill(process)

    posts, threads = post_counts(fake, channels), thread_counts(fake, channels)
    assert set(posts.values()) == {1}, {c: n for c, n in posts.items() if n != 1}
    assert set(threads.values()) == {1}, {c: n for c, n in threads.items() if n != 1}
    assert rate_limited(fake) == []
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT g.channel_id, g.next_ordinal, d.status, d.message_id FROM groups g "
            "JOIN deliveries d ON d.group_id = g.id"
        ).fetchall()
    assert len(rows) == GROUPS and {(r[1], r[2]) for r in rows} == {(2, "posted")}
    by_channel = {m["channel_id"]: int(m["id"]) for c in channels for m in fake.messages(c)}
    assert all(by_channel[str(channel_id)] == message_id for channel_id, _, _, message_id in rows)
    worst, mean = request_rates(fake)
    assert worst <= GLOBAL_LIMIT, f"{worst} requests in one second"
    report(
        record_property,
        "fanout_kill_restart",
        posts=GROUPS,
        posted_before_kill=at_kill,
        sent_but_unrecorded_at_kill=unrecorded,
        seconds=round(took, 1),
        requests_per_second=round(mean, 1),
        worst_second=worst,
        rate_limited=0,
    )
