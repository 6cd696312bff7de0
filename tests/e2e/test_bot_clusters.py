"""Two clusters of one bot (shards 0-1 and 2-3 of 4), each on its own database, against a fake
Discord that routes each server's events and commands through its shard: each cluster holds,
answers and posts for its own servers only, once a group and day; a command that reaches the
wrong cluster is refused with one sentence."""

from __future__ import annotations

import asyncio
import shutil
import signal
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapter.client import StudyBot
from bot.service.health import read_health
from bot.shards import Cluster, shard_of
from bot.store import Store
from tests.e2e.conftest import (
    TICK_SECONDS,
    WINTER_MONDAY,
    SteppingClock,
    answer_of,
    kill,
    posts_in,
    run_bot_process,
    start_bot_process,
    step,
)
from tests.fake_discord import FAST_CLIENT_OPTIONS, point_client_at

SHARDS = 4
CLUSTERS = (Cluster((0, 1), SHARDS), Cluster((2, 3), SHARDS))


async def start_plan_in(fake, server) -> None:
    """The server's organiser starts a plan in its #reading-room (Discord routes it by shard)."""
    handle = await fake.invoke_slash(
        server.guild_id,
        server.room.id,
        server.organiser.id,
        "study",
        {"text": "thermidor", "time": "09:00", "timezone": "Europe/Berlin"},
        subcommand="start",
    )
    assert (await answer_of(fake, handle))["content"] == "The reading plan is set."


async def test_two_clusters_post_only_for_their_own_servers_once_a_day(fake, launch, corpus_db, tmp_path, caplog):
    servers = [fake.add_server(f"Server {n}", shard=(n % SHARDS, SHARDS)) for n in range(2 * SHARDS)]
    assert sorted(shard_of(s.guild_id, SHARDS) for s in servers) == sorted(list(range(SHARDS)) * 2)
    stores, clocks, bots = [], [], []
    for n, cluster in enumerate(CLUSTERS):
        shutil.copy(corpus_db, tmp_path / f"cluster-{n}.db")
        stores.append(Store(tmp_path / f"cluster-{n}.db"))
        clocks.append(SteppingClock(WINTER_MONDAY.replace(hour=7)))
        bots.append(await launch(stores[-1], clocks[-1], cluster=cluster, identify_seconds=0))
    try:
        # Each cluster connected its own two shards, and was sent its own servers only.
        identified = sorted(tuple(s.shard) for s in fake.gateway.sessions.values())
        assert identified == [(n, SHARDS) for n in range(SHARDS)]
        for bot, cluster in zip(bots, CLUSTERS, strict=True):
            mine = {s.guild_id for s in servers if cluster.owns(s.guild_id)}
            assert {g.id for g in bot.guilds} - {fake.world.guild_id} == mine
            assert sorted(bot.shards) == list(cluster.shard_ids or ())

        # Organisers start a plan in every server: Discord routes each command to its cluster.
        for server in servers:
            await start_plan_in(fake, server)
        for store, cluster in zip(stores, CLUSTERS, strict=True):
            held = {g.guild_id for g, _ in store.active_groups_with_last_post()}
            assert held == {s.guild_id for s in servers if cluster.owns(s.guild_id)}

        # Three mornings: every group gets one post a day, from the cluster that owns its server.
        for day in range(3):
            morning = WINTER_MONDAY + timedelta(days=day)
            for hour, minute in ((7, 59), (8, 0), (9, 30), (12, 0)):
                for bot in bots:
                    await step(fake, bot, morning.replace(hour=hour, minute=minute))
            for server in servers:
                assert len(posts_in(fake, server.room.id)) == day + 1, f"{server.guild.name} on day {day + 1}"
        for store, cluster in zip(stores, CLUSTERS, strict=True):
            posted = store.query(
                "SELECT g.guild_id, count(*) FROM deliveries d JOIN groups g ON g.id = d.group_id "
                "WHERE d.status = 'posted' GROUP BY g.guild_id"
            )
            assert {r[0]: r[1] for r in posted} == {s.guild_id: 3 for s in servers if cluster.owns(s.guild_id)}

        # A command sent (as Discord never does) to a cluster that does not own the server.
        stranger = next(s for s in servers if shard_of(s.guild_id, SHARDS) == 3)
        handle = await fake.invoke_slash(stranger.guild_id, stranger.room.id, stranger.reader.id, "today", via_shard=0)
        refusal = await answer_of(fake, handle)
        assert refusal["_ephemeral"]
        assert refusal["content"].startswith("This server is served by another studybot process (shard 3 of 4")
        assert "refused interaction" in caplog.text and str(stranger.guild_id) in caplog.text
        # The same command through its own shard is answered by its own cluster.
        handle = await fake.invoke_slash(stranger.guild_id, stranger.room.id, stranger.reader.id, "today")
        assert (await answer_of(fake, handle))["embeds"][0]["title"].startswith("The Soviet Thermidor")
    finally:
        for bot in bots:
            await bot.close()
        for store in stores:
            store.close()


async def test_one_process_runs_every_shard_discord_recommends(fake, launch, store):
    fake.recommended_shards = 3
    servers = [fake.add_server(f"Server {n}", shard=(n, 3)) for n in range(3)]
    bot = await launch(identify_seconds=0)
    assert len(fake.requests_to("GET", "/gateway/bot")) == 1
    assert sorted(tuple(s.shard) for s in fake.gateway.sessions.values()) == [(n, 3) for n in range(3)]
    assert {g.id for g in bot.guilds} == {fake.world.guild_id, *(s.guild_id for s in servers)}
    for server in servers:  # each through its own shard, all answered by the one process
        await start_plan_in(fake, server)
    await step(fake, bot, WINTER_MONDAY.replace(hour=8))
    assert [len(posts_in(fake, s.room.id)) for s in servers] == [1, 1, 1]


@pytest.mark.bot_process
async def test_a_cluster_process_connects_its_shards_and_keeps_its_database(fake, corpus_db, tmp_path):
    db = tmp_path / "cluster.db"
    shutil.copy(corpus_db, db)
    process = await start_bot_process(fake, db, tmp_path / "bot.log", "--shards", "2-3", "--shard-count", "4")
    try:
        await fake.wait_for(
            lambda: sorted(tuple(s.shard) for s in fake.gateway.live_sessions) == [(2, 4), (3, 4)],
            30,
            "the cluster's two shards",
        )
    finally:
        await kill(process, signal.SIGTERM)
    code, out = await run_bot_process(fake, db, "--shards", "0-3", "--shard-count", "8")
    assert code == 1, out
    assert f"Error: The database {db} holds the servers of shards 2-3 of 4, not shards 0-3 of 8" in out
    assert "`studybot reshard`" in out and "Traceback" not in out


async def test_the_health_file_says_disconnected_while_any_shard_is_down(fake, launch, tmp_path):
    health = tmp_path / "health.json"
    fake.recommended_shards = 2
    bot = await launch(identify_seconds=0, health_file=health)
    bot.health.every = 0.05
    await fake.wait_for(lambda: health.exists() and read_health(health).connected, 10, "a connected status")
    fake.gateway.refusing = True  # shard 1 drops and cannot connect again; shard 0 stays up
    fake.apologies_expected = True  # discord.py logs each failed reconnect at ERROR
    assert await fake.drop_gateway(shard=1) == 1
    await fake.wait_for(lambda: not read_health(health).connected, 10, "a disconnected status")
    assert [s.shard for s in fake.gateway.live_sessions] == [[0, 2]]
    fake.gateway.refusing = False
    await fake.wait_for(lambda: read_health(health).connected, 30, "connected again")
    assert sorted(tuple(s.shard) for s in fake.gateway.live_sessions) == [(0, 2), (1, 2)]


async def test_the_health_file_says_disconnected_while_a_shard_has_never_connected(fake, store, clock, tmp_path):
    """Shard 0 of the cluster connects, shard 1's IDENTIFY goes unanswered (no READY, no
    disconnect either): its servers get no answers, so the process is not connected until it is."""
    health = tmp_path / "health.json"
    first = fake.add_server("On shard 0", shard=(0, 2))  # in its READY: shard 0's connect event is dispatched
    fake.gateway.stalled_shards = {1}
    bot = StudyBot(
        store,
        clock,
        tick_seconds=TICK_SECONDS,
        health_file=health,
        cluster=Cluster((0, 1), 2),
        identify_seconds=0,
        **FAST_CLIENT_OPTIONS,
    )
    assert bot.health is not None
    bot.health.every = 0.05
    with point_client_at(fake):
        running = asyncio.ensure_future(bot.start(fake.token))
        try:
            await fake.wait_for(lambda: bot.get_guild(first.guild_id) is not None, 10, "shard 0 connected")
            assert [tuple(s.shard) for s in fake.gateway.live_sessions] == [(0, 2)]
            since = datetime.now(UTC)
            await fake.wait_for(lambda: read_health(health).written_at > since, 10, "a status after shard 0 connected")
            assert not read_health(health).connected
            assert await fake.gateway.answer_stalled() == 1
            await fake.wait_for(lambda: read_health(health).connected, 30, "connected once shard 1 is")
            assert sorted(tuple(s.shard) for s in fake.gateway.live_sessions) == [(0, 2), (1, 2)]
        finally:
            await bot.close()
            await asyncio.wait({running}, timeout=5)
