"""`studybot reshard` on real SQLite files: two clusters' databases (4 shards) moved to 8, every
server's rows (groups, posts, reads, members' data, curated questions, its own texts and their
index) in exactly the database of its new shard, with the same counts; refused while a bot
holds a source."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest

from bot import texts
from bot.errors import DatabaseVersionError
from bot.models import CuratedQuestion
from bot.reading import posting
from bot.search import search
from bot.service import Lease, LeaseHeldError
from bot.service.reshard import ReshardError, reshard
from bot.shards import Cluster, shard_of
from bot.store import LeaseBook, Store
from bot.store.reshard import NAMES, SERVER_ROWS, TEXT_TABLES, ServerCopy, copy_servers, id_ceilings, server_row_counts
from bot.store.schema import MIGRATIONS
from tests.helpers import TINY_PACE, at, database_at_schema, start_plan, studybot, write_tiny_library

OLD, NEW = 4, 8
OLD_CLUSTERS = (Cluster((0, 1), OLD), Cluster((2, 3), OLD))
MEMBER = 501


def server_on(new_shard: int, n: int = 0) -> int:
    """A server id on shard `new_shard` of 8 (so on `new_shard % 4` of 4)."""
    return ((2_000_000 + n * NEW + new_shard) << 22) | 777


SERVERS = [server_on(s, n) for n in range(2) for s in range(NEW)]
"""Two servers on each new shard: sixteen, four on each old shard."""


def fill_server(store: Store, guild_id: int, folder: Path) -> None:
    """A server with something in every table a server has rows in."""
    own = folder / f"own-{guild_id}.md"
    own.write_text(
        f"---\ntitle: House Rules {guild_id}\nauthor: The Club\n---\n# Rules\n\n"
        + "\n\n".join(f"Rule {n} of the club at {guild_id}: members read aloud on Tuesdays." for n in range(6)),
        encoding="utf-8",
    )
    [added] = texts.ingest(store, [own], TINY_PACE, guild_id=guild_id)
    assert added.status == "added"
    channel = guild_id + 1
    group = start_plan(store, guild_id, channel, text="soil", now=at(1, 8))
    start_plan(store, guild_id, channel + 1, text=f"own-{guild_id}", now=at(1, 8))
    store.set_ping_role(group.id, 4242)
    store.set_digest_day(group.id, 6)
    store.start_catchup(group.id, MEMBER, 2, at(3, 10))
    store.save_reminder_setting(
        group.id,
        MEMBER,
        remind_at=time(20),
        timezone="Europe/Berlin",
        weekdays=frozenset(range(7)),
        snoozed_until=None,
        next_due=at(5, 20),
        now=at(3, 10),
    )
    store.record_poll(group.id, 888, [group.text_id], at(3, 9))
    store.claim_digest(group.id, date(2024, 3, 9), at(9, 12))
    store.save_server_questions(
        guild_id, group.text_id, 1, [CuratedQuestion("Why soil?", "written", 7, 7, "2024-03-01")], 7, "2024-03-01"
    )
    store.conn.execute(
        "INSERT INTO llm_questions (passage_id, model, prompt_hash, questions, created_at) "
        "SELECT id, 'model', 'p', '[]', '2024-03-01' FROM passages WHERE text_id = ?",
        (store.group_for_channel(channel + 1).text_id,),
    )


def post_and_read(store: Store, guild_ids: list[int]) -> None:
    """Posts on three days for every plan; a member reads them, writes in a thread, suggests a
    question and gets a reminder."""
    made = []
    for day in (4, 5, 6):
        for due in posting.claim_due_posts(store, at(day, 9)):
            posting.complete(store, due.delivery, 9000 + due.delivery.id, 19000 + due.delivery.id, at(day, 9))
            made.append(store.get_delivery(due.delivery.id))
    for delivery in made:
        group = store.get_group(delivery.group_id)
        store.mark_read(group.id, MEMBER, group.text_id, delivery.first_ordinal, delivery.last_ordinal, at(6, 10))
        store.record_thread_post(delivery.thread_id or 0, MEMBER, at(6, 11))
        store.add_suggestion(
            group.guild_id, group.id, delivery.id, group.text_id, delivery.first_ordinal, "And?", MEMBER, "2024-03-06"
        )
        store.claim_reminder(group.id, MEMBER, date(2024, 3, 6), "reminder", delivery.id, at(7, 20), at(6, 20))
    assert {store.get_group(d.group_id).guild_id for d in made} == set(guild_ids)


@pytest.fixture
def old_layout(tmp_path) -> list[Path]:
    """The two databases of clusters 0-1 and 2-3 of 4, each with its own servers."""
    library = write_tiny_library(tmp_path / "tiny")
    paths = []
    for n, cluster in enumerate(OLD_CLUSTERS):
        path = tmp_path / f"old-{n}.db"
        store = Store(path)
        texts.ingest(store, [library], TINY_PACE)
        store.claim_cluster(cluster)
        mine = [g for g in SERVERS if cluster.owns(g)]
        for guild_id in mine:
            fill_server(store, guild_id, tmp_path)
        post_and_read(store, mine)
        store.close()
        paths.append(path)
    return paths


def counts_by_server(path: Path) -> dict[int, dict[str, int]]:
    store = Store(path, readonly=True)
    try:
        counts = server_row_counts(store.conn)
    finally:
        store.close()
    return {g: {table: counts[table][g] for table in SERVER_ROWS} for g in SERVERS}


def test_resharding_to_eight_puts_every_servers_rows_in_its_new_database(old_layout, tmp_path):
    before = {}
    for path in old_layout:
        for guild_id, counts in counts_by_server(path).items():
            if counts["groups"]:
                before[guild_id] = counts
    assert set(before) == set(SERVERS)
    assert all(all(n > 0 for n in counts.values()) for counts in before.values()), "every table has rows"

    made = reshard(old_layout, tmp_path / "new", NEW)

    assert [m.path.name for m in made] == [f"shards-{s}-of-8.db" for s in range(NEW)]
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(m.path.name for m in made)  # no WAL left
    assert sum(m.servers for m in made) == len(SERVERS) and sum(m.renumbered for m in made) == 0
    for new in made:
        after = counts_by_server(new.path)
        for guild_id in SERVERS:
            if shard_of(guild_id, NEW) == new.cluster.shard_ids[0]:
                assert after[guild_id] == before[guild_id]
            else:
                assert set(after[guild_id].values()) == {0}, f"server {guild_id} leaked into {new.path.name}"
        store = Store(new.path)
        try:
            assert store.cluster() == new.cluster
            assert sorted(t.slug for t in texts.list_texts(store) if t.guild_id is None) == [
                "baker-bread",
                "gardener-seeds",
                "gardener-soil",
            ]
        finally:
            store.close()
    # The sources are as they were (but for the lease, given back).
    assert {g: c for p in old_layout for g, c in counts_by_server(p).items() if c["groups"]} == before


def test_a_moved_server_reads_on_where_it_was(old_layout, tmp_path):
    """The same posts (by the ids their buttons name), reads, next passage, and its own text
    searchable, in the new database."""
    guild_id = SERVERS[5]
    old = Store(old_layout[0 if OLD_CLUSTERS[0].owns(guild_id) else 1], readonly=True)
    made = reshard(old_layout, tmp_path / "new", NEW, per_cluster=2)
    [home] = [m for m in made if m.cluster.owns(guild_id)]
    assert home.path.name == "shards-4-5-of-8.db" and home.cluster == Cluster((4, 5), NEW)
    new = Store(home.path, readonly=True)
    try:
        for channel in (guild_id + 1, guild_id + 2):
            was, now = old.group_for_channel(channel), new.group_for_channel(channel)
            assert (now.id, now.guild_id, now.next_ordinal) == (was.id, was.guild_id, was.next_ordinal)
            assert new.get_text(now.text_id).content_hash == old.get_text(was.text_id).content_hash
            assert [(d.id, d.local_date, d.message_id) for d in new.deliveries_of(now.id)] == [
                (d.id, d.local_date, d.message_id) for d in old.deliveries_of(was.id)
            ]
            assert new.read_ordinals(now.id, MEMBER) == old.read_ordinals(was.id, MEMBER) != set()
        hits = search(new.view(guild_id), "aloud Tuesdays").hits
        assert hits and all(f"the club at {guild_id}" in h.paragraph for h in hits)
        neighbour = SERVERS[13]  # same new cluster, its own house rules
        theirs = search(new.view(neighbour), "aloud Tuesdays").hits
        assert theirs and all(f"the club at {neighbour}" in h.paragraph for h in theirs)
    finally:
        new.close()
        old.close()


def test_every_table_keyed_by_a_server_or_group_is_moved():
    """A table added later with a guild, group, post or passage column must be in SERVER_ROWS."""
    store = Store(":memory:")
    try:
        tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        keyed = {
            t
            for t in tables
            if {"guild_id", "group_id", "delivery_id", "passage_id", "text_id"}
            & {c[1] for c in store.conn.execute(f"PRAGMA table_info({t})")}
        }
    finally:
        store.close()
    assert keyed - set(SERVER_ROWS) == set()
    assert set(SERVER_ROWS) == set(TEXT_TABLES) | set(NAMES)  # and each is copied, with a text or by the ids it names


def test_resharding_is_refused_while_a_bot_holds_a_source(old_layout, tmp_path):
    running = Lease(LeaseBook(old_layout[1]))
    running.take()
    try:
        with pytest.raises(LeaseHeldError, match=f"Another studybot is already running on {old_layout[1]}"):
            reshard(old_layout, tmp_path / "new", NEW)
    finally:
        running.release()
    assert not list((tmp_path / "new").glob("*.db")) if (tmp_path / "new").exists() else True


def test_nothing_is_overwritten_and_a_server_in_two_sources_is_refused(old_layout, tmp_path):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "shards-3-of-8.db").write_bytes(b"precious")
    with pytest.raises(ReshardError, match="shards-3-of-8.db exists already"):
        reshard(old_layout, tmp_path / "new", NEW)
    assert (tmp_path / "new" / "shards-3-of-8.db").read_bytes() == b"precious"
    copy = tmp_path / "copy.db"
    with sqlite3.connect(old_layout[0]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with pytest.raises(ReshardError, match="has rows in both"):
        reshard([old_layout[0], copy], tmp_path / "other", NEW)
    assert not (tmp_path / "other").exists() or not list((tmp_path / "other").iterdir())


def test_the_command_prints_how_to_start_each_cluster(old_layout, tmp_path):
    result = studybot(
        "reshard",
        "--from",
        str(old_layout[0]),
        "--from",
        str(old_layout[1]),
        "--to-dir",
        str(tmp_path / "new"),
        "--shard-count",
        "8",
        "--shards-per-cluster",
        "4",
        folder=tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert "Moved 16 servers into 2 databases" in result.output
    assert f"studybot --db {tmp_path / 'new' / 'shards-0-3-of-8.db'} run --shards 0-3 --shard-count 8" in result.output
    # The new database refuses to run as the old layout.
    refused = studybot(
        "run", "--shards", "0-1", "--shard-count", "4", folder=tmp_path, db=tmp_path / "new" / "shards-0-3-of-8.db"
    )
    assert "shards 0-3 of 8, not shards 0-1 of 4" in str(refused.exception)
    assert "studybot reshard" in str(refused.exception)


def test_merging_two_databases_into_fewer_shards_loses_nothing(old_layout, tmp_path):
    """Two shards from four: each new database takes servers from both old ones, whose posts
    and groups are numbered alike; clashing ids are numbered anew and every row still hangs off
    its own server's."""
    before = {g: c for p in old_layout for g, c in counts_by_server(p).items() if c["groups"]}
    made = reshard(old_layout, tmp_path / "merged", 2)
    assert sum(m.renumbered for m in made) > 0
    for new in made:
        after = counts_by_server(new.path)
        for guild_id in SERVERS:
            expected = before[guild_id] if new.cluster.owns(guild_id) else dict.fromkeys(before[guild_id], 0)
            assert after[guild_id] == expected
        store = Store(new.path, readonly=True)
        sources = [Store(p, readonly=True) for p in old_layout]
        try:
            for guild_id in (g for g in SERVERS if new.cluster.owns(g)):
                [source] = [s for s, c in zip(sources, OLD_CLUSTERS, strict=True) if c.owns(guild_id)]
                for channel in (guild_id + 1, guild_id + 2):
                    was, now = source.group_for_channel(channel), store.group_for_channel(channel)
                    posts = store.deliveries_of(now.id)
                    assert [(d.local_date, d.message_id, d.thread_id, d.questions) for d in posts] == [
                        (d.local_date, d.message_id, d.thread_id, d.questions) for d in source.deliveries_of(was.id)
                    ]
                    assert store.read_ordinals(now.id, MEMBER) == {d.first_ordinal for d in posts}
        finally:
            store.close()
            for source in sources:
                source.close()


def test_a_renumbered_post_never_takes_an_id_an_old_button_names(old_layout, tmp_path):
    """One source has posted for longer (more posts, so higher ids): merged into one database,
    every old button's id names its own post or another server's, never another post of its
    channel (which Mark as read would count)."""
    longer = Store(old_layout[1])
    try:
        for day in range(7, 20):
            for due in posting.claim_due_posts(longer, at(day, 9)):
                posting.complete(longer, due.delivery, 9000 + due.delivery.id, 19000 + due.delivery.id, at(day, 9))
    finally:
        longer.close()
    old_posts = []
    for path in old_layout:
        source = Store(path, readonly=True)
        try:
            for guild_id in SERVERS:
                for channel in (guild_id + 1, guild_id + 2):
                    group = source.group_for_channel(channel)
                    if group is not None:
                        old_posts += [(d.id, d.message_id, channel) for d in source.deliveries_of(group.id)]
        finally:
            source.close()

    [merged] = reshard(old_layout, tmp_path / "merged", 1)

    assert merged.renumbered > 0
    store = Store(merged.path, readonly=True)
    try:
        wrong = []
        for delivery_id, message_id, channel in old_posts:
            named = store.delivery_by_id(delivery_id)
            if named is not None and named.message_id != message_id:
                if store.group_by_id(named.group_id).channel_id == channel:
                    wrong.append(delivery_id)
        assert wrong == [], f"{len(wrong)} old buttons name another post of their own channel"
    finally:
        store.close()


def test_sources_holding_different_versions_of_a_shared_text_are_merged(old_layout, tmp_path):
    """A cluster re-ingests the bundled library at start: one source has a newer soil. Every
    version is copied, the newest is current, and each server's groups still read the version
    they started."""
    newer = write_tiny_library(tmp_path / "newer") / "gardener-soil.md"
    newer.write_text(newer.read_text(encoding="utf-8").replace("soil", "loam", 3), encoding="utf-8")
    mover = next(g for g in SERVERS if OLD_CLUSTERS[1].owns(g))
    source = Store(old_layout[1])
    try:
        [updated] = texts.ingest(source, [newer], TINY_PACE, replace=True)
        assert updated.status == "updated"
        latest = source.query("SELECT content_hash FROM texts WHERE slug = 'gardener-soil' AND is_current = 1")[0][0]
        start_plan(source, mover, 77, text="soil", now=at(8, 8))  # a group on the newer version
    finally:
        source.close()
    before = {g: c for p in old_layout for g, c in counts_by_server(p).items() if c["groups"]}

    made = reshard(old_layout, tmp_path / "new", 2)

    for new in made:
        store = Store(new.path, readonly=True)
        try:
            versions = store.query("SELECT content_hash, is_current FROM texts WHERE slug = 'gardener-soil'")
            assert len(versions) == 2 and dict(versions)[latest] == 1
            after = counts_by_server(new.path)
            for guild_id in (g for g in SERVERS if new.cluster.owns(g)):
                assert after[guild_id] == before[guild_id]
            if new.cluster.owns(mover):
                assert store.get_text(store.group_for_channel(77).text_id).content_hash == latest
                assert store.get_text(store.group_for_channel(mover + 1).text_id).content_hash != latest
        finally:
            store.close()


@pytest.mark.parametrize("databases", [2, 8])
def test_each_source_table_is_read_once_whatever_the_number_of_new_databases(old_layout, tmp_path, databases):
    """Copying costs the rows, not rows times databases: every row is routed from one read."""
    source = sqlite3.connect(old_layout[0])
    source.row_factory = sqlite3.Row
    statements: list[str] = []
    targets = [Store(tmp_path / f"new-{n}.db") for n in range(databases)]
    try:
        ceilings = id_ceilings([source])
        copies = [ServerCopy(source, t.conn, {k: v + 1 for k, v in ceilings.items()}) for t in targets]
        source.set_trace_callback(statements.append)
        copy_servers(source, copies, lambda guild_id: shard_of(guild_id, databases))
        source.set_trace_callback(None)
        reads = {table: statements.count(SERVER_ROWS[table]) for table in NAMES}
        assert reads == dict.fromkeys(NAMES, 1) | {"text_polls": 2}  # once more for the texts its answers name
        moved = [server_row_counts(t.conn)["deliveries"] for t in targets]
        assert sum(sum(c.values()) for c in moved) == sum(server_row_counts(source)["deliveries"].values()) > 0
        assert all(shard_of(g, databases) == n for n, c in enumerate(moved) for g in c)
    finally:
        source.close()
        for t in targets:
            t.close()


def test_a_source_older_than_this_studybot_is_refused_and_left_unmigrated(old_layout, tmp_path):
    """Nothing but the lease is written to a source: one at an older schema is not migrated,
    the operator is told how to bring it up to date."""
    older = tmp_path / "older.db"
    database_at_schema(older)
    with pytest.raises(DatabaseVersionError, match="older studybot.*studybot doctor --repair"):
        reshard([old_layout[0], older], tmp_path / "new", NEW)
    with sqlite3.connect(older) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) - 1
    assert not (tmp_path / "new").exists() or not list((tmp_path / "new").iterdir())
