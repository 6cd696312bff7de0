"""What a host does beside a running bot (`python -m bot run` against the fake Discord): back it
up in the middle of a fan-out (each copy one moment of the database), ask `studybot doctor` who
runs on it (and be refused a repair under it), and let a supervisor run `studybot health`: 0
while it posts, 1 once it is frozen. In process: the health file follows the gateway connection.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import time
from pathlib import Path

import pytest

from bot.service.health import read_health
from tests.e2e.conftest import (
    add_channels,
    kill,
    make_fanout_db,
    post_counts,
    run_studybot,
    start_bot_process,
    step,
    wait_for_posts,
    wait_until_recorded,
)
from tests.helpers import start_plan


def report(record_property, name: str, **figures) -> None:
    record_property(name, figures)
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def one_moment(copy: Path) -> int:
    """Check a copy is one moment of the database: sound, and every group's plan advanced exactly
    as far as its posts recorded (both change in one transaction). Returns the posts it holds."""
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            """SELECT g.next_ordinal, (SELECT max(last_ordinal) FROM deliveries d
                                       WHERE d.group_id = g.id AND d.status = 'posted') FROM groups g"""
        ).fetchall()
        assert rows and all(next_ordinal == (last or 0) + 1 for next_ordinal, last in rows), rows
        return conn.execute("SELECT count(*) FROM deliveries WHERE status = 'posted'").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.bot_process
async def test_a_running_bot_is_backed_up_mid_fan_out_checked_by_doctor_and_watched_by_health(
    fake, corpus_db, tmp_path, record_property
):
    groups = 80
    channels = add_channels(fake, groups)
    db = make_fanout_db(corpus_db, tmp_path / "bot.db", fake.world.guild_id, channels)
    health, log = tmp_path / "health.json", tmp_path / "bot.log"
    bot = await start_bot_process(fake, db, log, env={"STUDYBOT_HEALTH_FILE": str(health)})
    try:
        await wait_for_posts(fake, channels, at_least=5, timeout=60, process=bot)
        copies, seconds = [], []
        while sum(post_counts(fake, channels).values()) < groups and len(copies) < 4:
            copy = tmp_path / f"backup-{len(copies)}.db"
            began = time.monotonic()
            code, output = await run_studybot(fake, db, "backup", str(copy), timeout=30)
            seconds.append(time.monotonic() - began)
            assert code == 0 and f"to {copy}:" in output, output
            copies.append(copy)
        held = [one_moment(copy) for copy in copies]
        assert any(0 < n < groups for n in held), held  # taken while the bot was posting

        code, output = await run_studybot(fake, db, "doctor", timeout=30)
        assert code == 0 and f"writer: held by pid {bot.pid} on {socket.gethostname()}, since " in output, output
        code, output = await run_studybot(fake, db, "doctor", "--repair", timeout=30)
        assert code == 1 and f"A studybot run is using {db} (pid {bot.pid} on" in output, output

        await wait_for_posts(fake, channels, at_least=groups, timeout=90, process=bot)
        await wait_until_recorded(fake, db, groups, 30)
        await fake.wait_for(lambda: health.exists() and read_health(health).posts == groups, 30, "the health file")
        code, output = await run_studybot(fake, db, "health", STUDYBOT_HEALTH_FILE=str(health))
        assert code == 0 and output.startswith("healthy: connected, lease held, last tick "), output
        assert f"{groups} posts since" in output

        bot.send_signal(signal.SIGSTOP)  # hung, as far as anyone outside can tell
        await asyncio.sleep(3)
        code, output = await run_studybot(fake, db, "health", "--max-age", "2", STUDYBOT_HEALTH_FILE=str(health))
        assert code == 1 and output.startswith("unhealthy: the status is ") and f"(pid {bot.pid}) has stopped" in output
        bot.send_signal(signal.SIGCONT)

        assert await kill(bot, signal.SIGTERM) == -signal.SIGTERM
        code, output = await run_studybot(fake, db, "doctor", timeout=30)
        assert code == 0 and "writer: free: no studybot run holds the database" in output, output
    except BaseException as error:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""
        raise AssertionError(f"{error}\n{tail}") from error
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGCONT)
            await kill(bot)
    report(
        record_property,
        "backup_while_posting",
        database_mb=round(db.stat().st_size / 2**20, 1),
        backups=len(copies),
        posts_in_each=held,
        slowest_backup_seconds_with_start_up=round(max(seconds), 2),
    )


async def test_the_health_file_follows_the_connection_and_the_posts(fake, launch, store, clock, tmp_path):
    health = tmp_path / "health.json"
    channels = add_channels(fake, 3)
    for channel_id in channels:
        start_plan(store, fake.world.guild_id, channel_id, time="09:00", zone="Europe/Berlin")
    bot = await launch(health_file=health)
    bot.health.every = 0.05
    await fake.wait_for(lambda: health.exists() and read_health(health).connected, 10, "a connected status")
    first = read_health(health)
    assert (first.lease, first.posts, first.last_post_at) == ("none", 0, None)
    assert first.last_tick_at is not None and first.connected_since is not None

    await step(fake, bot, clock.now().replace(hour=8))
    await fake.wait_for(lambda: read_health(health).posts == 3, 10, "three posts in the status")
    assert read_health(health).last_post_at is not None

    fake.gateway.refusing = True  # an outage: the connection drops and cannot be made again
    fake.apologies_expected = True  # discord.py logs each failed reconnect at ERROR
    await fake.drop_gateway()
    await fake.wait_for(lambda: not read_health(health).connected, 10, "a disconnected status")
    down = read_health(health)
    assert down.connected_since is not None and down.connected_since > first.connected_since
    fake.gateway.refusing = False
    await fake.wait_for(lambda: read_health(health).connected, 30, "connected again")
    assert read_health(health).connected_since > down.connected_since
