"""One writer per database, against the fake Discord.

In process: a bot whose lease lapses in the middle of a fan-out (its process frozen, as seen by
its own clock) sends nothing more, stops when it finds the lease taken, and the bot that took
over posts the rest: one post per group. With real processes (`python -m bot run`): a second run
on the file refuses to start naming the first; a standby (`--standby`) takes over within a
minute when the first is SIGKILLed in the middle of a fan-out, and when the first is frozen
(SIGSTOP) past its lease; the frozen one, woken, posts nothing and exits saying why.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.service import Lease
from bot.service.lease import EXPIRY_SECONDS
from bot.store import LeaseBook
from tests.e2e.conftest import (
    UTC,
    WINTER_MONDAY,
    SteppingClock,
    add_channels,
    forget_nonces,
    kill,
    make_fanout_db,
    post_counts,
    rate_limited,
    run_bot_process,
    start_bot_process,
    step,
    thread_counts,
    wait_for_posts,
    wait_until_recorded,
)
from tests.helpers import start_plan

TAKEOVER_LIMIT = 60.0  # seconds from the first's death (or freeze) to the standby holding the lease


def report(record_property, name: str, **figures) -> None:
    record_property(name, figures)
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def lease_pid(db: Path) -> int | None:
    with sqlite3.connect(db, timeout=30) as conn:
        row = conn.execute("SELECT pid FROM writer_lease").fetchone()
    return row[0] if row else None


def one_post_and_thread_each(fake, channels) -> None:
    posts, threads = post_counts(fake, channels), thread_counts(fake, channels)
    assert set(posts.values()) == {1}, {c: n for c, n in posts.items() if n != 1}
    assert set(threads.values()) == {1}, {c: n for c, n in threads.items() if n != 1}
    assert rate_limited(fake) == []


def problems_in(*logs: Path) -> list[str]:
    """Lines of the processes' logs that show a traceback or an error."""
    return [
        line
        for log in logs
        for line in log.read_text(errors="replace").splitlines()
        if "Traceback" in line or " ERROR " in line
    ]


def posted_lines(log: Path) -> int:
    return sum(1 for line in log.read_text(errors="replace").splitlines() if "posted passage" in line)


def tails(*logs: Path) -> str:
    return "".join(f"\n--- {p.name}\n" + p.read_text(errors="replace")[-3000:] for p in logs if p.exists())


@pytest_asyncio.fixture
async def processes():
    """The bot processes a test starts (`processes.append`): any still running at the end is
    woken (if frozen) and killed."""
    started: list[asyncio.subprocess.Process] = []
    yield started
    for process in started:
        if process.returncode is None:
            process.send_signal(signal.SIGCONT)
            await kill(process)


async def start_holder(fake, db: Path, log: Path, processes: list) -> asyncio.subprocess.Process:
    """`python -m bot run`, once it holds the lease."""
    first = await start_bot_process(fake, db, log)
    processes.append(first)
    await wait_for_lease(fake, db, first, 30)
    return first


async def start_standby(fake, db: Path, log: Path, processes: list) -> asyncio.subprocess.Process:
    """`python -m bot run --standby`, once it says it stands by."""
    standby = await start_bot_process(fake, db, log, "--standby")
    processes.append(standby)
    await fake.wait_for(lambda: "Standing by" in log.read_text(), 30, "the standby to stand by")
    return standby


async def wait_for_lease(fake, db: Path, process: asyncio.subprocess.Process, timeout: float) -> float:
    """Wait until `process` holds the lease; returns when (time.monotonic())."""

    def held() -> bool:
        if process.returncode is not None:
            raise AssertionError(f"the process exited with {process.returncode}")
        return lease_pid(db) == process.pid

    await fake.wait_for(held, timeout, f"pid {process.pid} to hold the lease")
    return time.monotonic()


# -- in process ------------------------------------------------------------------------------------


async def test_a_bot_whose_lease_lapses_mid_fan_out_stops_and_the_one_taking_over_posts_the_rest(
    fake, launch, store, clock
):
    channels = add_channels(fake, 40)  # more than the poster has under way at once
    for channel_id in channels:
        start_plan(store, fake.world.guild_id, channel_id, time="09:00", zone="Europe/Berlin")

    def frozen_after_four_posts() -> float:
        """The first bot's own clock: it jumps a minute on once four posts are out, as for a
        process frozen that long (its lease lapses for everyone while it sleeps)."""
        return 60.0 if sum(post_counts(fake, channels).values()) >= 4 else 0.0

    first_lease = Lease(LeaseBook(store.path), steady=frozen_after_four_posts)
    first_lease.take()
    first = await launch(lease=first_lease)
    await step(fake, first, WINTER_MONDAY.replace(hour=8), timeout=60)
    sent_by_first = sum(post_counts(fake, channels).values())
    assert 4 <= sent_by_first < len(channels)  # those under way when it froze went out
    pending = store.query("SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0]
    assert pending == len(channels) - sent_by_first

    later = datetime.now(UTC) + timedelta(seconds=EXPIRY_SECONDS + 1)
    second_lease = Lease(LeaseBook(store.path), wall=lambda: later)
    second_lease.take()  # the first's lease lapsed: taken over
    assert first_lease.renew() is False and first_lease.lost.is_set()
    await fake.wait_for(first.is_closed, 10, "the first bot to stop")

    second = await launch(lease=second_lease, on_clock=SteppingClock(WINTER_MONDAY.replace(hour=8, minute=1)))
    await wait_for_posts(fake, channels, at_least=len(channels), timeout=30)
    assert second.poster.ticks >= 1
    one_post_and_thread_each(fake, channels)
    assert store.query("SELECT count(*) FROM deliveries WHERE status = 'posted'")[0][0] == len(channels)
    for lease in (first_lease, second_lease):
        lease.release()
        lease.book.close()


# -- real processes ----------------------------------------------------------------------------------


@pytest.mark.bot_process
async def test_a_second_run_refuses_and_a_standby_takes_over_when_the_first_is_killed_mid_fan_out(
    fake, corpus_db, tmp_path, record_property, processes
):
    groups = 60
    channels = add_channels(fake, groups)
    db = make_fanout_db(corpus_db, tmp_path / "fanout.db", fake.world.guild_id, channels)
    first_log, standby_log = tmp_path / "first.log", tmp_path / "standby.log"
    try:
        first = await start_holder(fake, db, first_log, processes)
        with sqlite3.connect(db) as conn:
            since = datetime.fromisoformat(conn.execute("SELECT started_at FROM writer_lease").fetchone()[0])

        code, output = await run_bot_process(fake, db, timeout=30)
        assert code == 1
        lines = output.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in output, output
        assert f"pid {first.pid} on {socket.gethostname()}, since {since:%Y-%m-%d %H:%M:%S} UTC" in lines[0]
        assert "--standby" in lines[0]

        standby = await start_standby(fake, db, standby_log, processes)
        await wait_for_posts(fake, channels, at_least=10, timeout=60, process=first)
        assert await kill(first, signal.SIGKILL) == -signal.SIGKILL
        killed = time.monotonic()
        at_kill = sum(1 for n in post_counts(fake, channels).values() if n)
        assert at_kill < groups, "the first finished before it was killed"
        forget_nonces(fake)  # only the records in the database may prevent a second post

        took_over = await wait_for_lease(fake, db, standby, TAKEOVER_LIMIT) - killed
        await wait_for_posts(fake, channels, at_least=groups, timeout=90, process=standby)
        finished = time.monotonic() - killed
        await wait_until_recorded(fake, db, groups, 30)
        assert await kill(standby, signal.SIGTERM) == -signal.SIGTERM
        assert lease_pid(db) is None  # a supervisor's stop gives the lease up: no one need wait
    except BaseException as error:
        raise AssertionError(f"{error}{tails(first_log, standby_log)}") from error

    assert took_over < TAKEOVER_LIMIT
    assert problems_in(first_log, standby_log) == []
    one_post_and_thread_each(fake, channels)
    report(
        record_property,
        "lease_kill_takeover",
        groups=groups,
        posted_before_kill=at_kill,
        takeover_seconds=round(took_over, 1),
        rest_posted_seconds_after_kill=round(finished, 1),
    )


@pytest.mark.bot_process
async def test_a_run_frozen_past_its_lease_is_replaced_by_the_standby_and_woken_posts_nothing(
    fake, corpus_db, tmp_path, record_property, processes
):
    groups = 20
    channels = add_channels(fake, groups)
    db = tmp_path / "frozen.db"
    db.write_bytes(corpus_db.read_bytes())
    first_log, standby_log = tmp_path / "first.log", tmp_path / "standby.log"
    try:
        first = await start_holder(fake, db, first_log, processes)
        await fake.wait_for(lambda: "connected as" in first_log.read_text(), 30, "the first to be ready")
        standby = await start_standby(fake, db, standby_log, processes)

        first.send_signal(signal.SIGSTOP)
        frozen = time.monotonic()
        # Plans fall due while the first is frozen: only the standby may post them.
        make_fanout_db(None, db, fake.world.guild_id, channels)
        took_over = await wait_for_lease(fake, db, standby, TAKEOVER_LIMIT) - frozen
        await wait_for_posts(fake, channels, at_least=groups, timeout=60, process=standby)
        await wait_until_recorded(fake, db, groups, 30)

        first.send_signal(signal.SIGCONT)
        code = await asyncio.wait_for(first.wait(), timeout=30)
        assert code == 1
        first_output = first_log.read_text(errors="replace")
        assert f"its lease on {db} lapsed" in first_output and f"pid {standby.pid}" in first_output
        await asyncio.sleep(2)  # anything the woken process had queued would be out by now
        assert lease_pid(db) == standby.pid
        assert await kill(standby, signal.SIGTERM) == -signal.SIGTERM
    except BaseException as error:
        raise AssertionError(f"{error}{tails(first_log, standby_log)}") from error

    assert EXPIRY_SECONDS - 12 <= took_over < TAKEOVER_LIMIT  # by the lease's expiry: the pid lives
    assert posted_lines(first_log) == 0 and posted_lines(standby_log) == groups
    assert problems_in(first_log, standby_log) == []
    one_post_and_thread_each(fake, channels)
    report(record_property, "lease_freeze_takeover", groups=groups, takeover_seconds=round(took_over, 1))
