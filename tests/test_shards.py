"""Shards and clusters: Discord's formula, the operator's --shards, the daily loop's filter, and
a database kept by one cluster refusing another."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.reading.posting import claim_due_posts
from bot.shards import EVERY_SHARD, Cluster, ShardError, WrongClusterError, parse_cluster, ranges, shard_of
from bot.store import Store
from tests.helpers import start_plan, studybot

MONDAY_9_BERLIN = datetime(2024, 1, 15, 8, 0, tzinfo=UTC)


def on_shard(shard: int, count: int, n: int = 0) -> int:
    """A server id on that shard (Discord's ids carry a timestamp above bit 22)."""
    return ((1_000_000 + n * count + shard) << 22) | 12345


def test_a_server_belongs_to_the_shard_discord_sends_it_through():
    assert shard_of(81384788765712384, 1) == 0
    assert shard_of(81384788765712384, 16) == 81384788765712384 // 2**22 % 16 == 2
    assert [shard_of(on_shard(s, 4), 4) for s in range(4)] == [0, 1, 2, 3]


def test_shards_are_parsed_from_ranges_and_lists():
    assert parse_cluster("0-7", 32) == Cluster(tuple(range(8)), 32)
    assert parse_cluster("0,2, 4-5", 8) == Cluster((0, 2, 4, 5), 8)
    assert parse_cluster(None, None) == EVERY_SHARD
    assert ranges((0, 1, 2, 5, 7, 8)) == "0-2,5,7-8"
    assert str(parse_cluster("0-1", 4)) == "shards 0-1 of 4"


@pytest.mark.parametrize(
    ("spec", "count", "words"),
    [
        ("0-7", None, "together"),
        (None, 4, "together"),
        ("0-4", 4, "outside 0-3"),
        ("3-1", 4, "outside"),
        ("first", 4, "like 0-7"),
        ("0-1", 0, "between 1 and"),
        ("9" * 5000, 8, "as ranges"),
        ("0-" + "9" * 4000, 8, "outside 0-7"),
        ("0," * 5000 + "1", 8, "as ranges"),
    ],
)
def test_impossible_shards_are_refused_with_a_sentence(spec, count, words):
    with pytest.raises(ShardError, match=words):
        parse_cluster(spec, count)


def test_a_cluster_owns_only_its_shards_servers():
    cluster = Cluster((0, 1), 4)
    assert [cluster.owns(on_shard(s, 4)) for s in range(4)] == [True, True, False, False]
    assert all(EVERY_SHARD.owns(on_shard(s, 4)) for s in range(4))


def test_the_daily_loop_claims_posts_of_its_own_servers_only(store):
    groups = [start_plan(store, on_shard(s, 4), 100 + s) for s in range(4)]
    due = claim_due_posts(store, MONDAY_9_BERLIN, Cluster((2, 3), 4))
    assert sorted(d.group.id for d in due) == [g.id for g in groups[2:]]
    assert store.deliveries_of(groups[0].id) == [] and store.deliveries_of(groups[1].id) == []
    # The other cluster (had it the same rows) would claim the rest, and nothing twice.
    rest = claim_due_posts(store, MONDAY_9_BERLIN, Cluster((0, 1), 4))
    assert sorted(d.group.id for d in rest) == [g.id for g in groups[:2]]


def test_a_database_remembers_its_cluster_and_refuses_another(tmp_path):
    path = tmp_path / "cluster.db"
    store = Store(path)
    assert store.cluster() is None  # new: any cluster may take it
    store.claim_cluster(Cluster((0, 1), 4))
    store.claim_cluster(Cluster((0, 1), 4))  # a restart as the same cluster
    store.close()
    store = Store(path)
    try:
        assert store.cluster() == Cluster((0, 1), 4)
        with pytest.raises(WrongClusterError) as refused:
            store.claim_cluster(Cluster((0, 1, 2, 3), 8))
        assert str(refused.value) == (
            f"The database {path} holds the servers of shards 0-1 of 4, not shards 0-3 of 8: run it with "
            "--shards 0-1 --shard-count 4, or move its servers to the new layout first with `studybot reshard` "
            "(see the README's runbook)."
        )
        with pytest.raises(WrongClusterError, match="run it with --shards 0-1 --shard-count 4"):
            store.claim_cluster(EVERY_SHARD)
        assert store.cluster() == Cluster((0, 1), 4)
    finally:
        store.close()


def test_a_database_from_before_clusters_holds_every_server(store):
    start_plan(store, on_shard(3, 4), 100)
    assert store.cluster() == EVERY_SHARD
    with pytest.raises(WrongClusterError, match="run it without --shards"):
        store.claim_cluster(Cluster((0, 1), 4))
    store.claim_cluster(EVERY_SHARD)


def test_a_database_tried_by_one_process_without_servers_can_become_a_clusters(tmp_path):
    store = Store(tmp_path / "tried.db")
    try:
        store.claim_cluster(EVERY_SHARD)  # `studybot run` without a token, say
        store.claim_cluster(Cluster((0, 1), 4))
        assert store.cluster() == Cluster((0, 1), 4)
    finally:
        store.close()


def test_a_clusters_database_takes_texts_only_for_its_own_servers(tmp_path):
    path = tmp_path / "cluster.db"
    store = Store(path)
    store.claim_cluster(Cluster((0, 1), 4))
    store.close()
    book = tmp_path / "rules.md"
    book.write_text("# Rules\n\n" + "Members read aloud on Tuesdays and bring the book. " * 40, encoding="utf-8")
    refused = studybot("ingest", "--server", str(on_shard(3, 4)), str(book), folder=tmp_path, db=path)
    assert str(refused.exception) == (
        f"Server {on_shard(3, 4)} is not one of this database's (shards 0-1 of 4); "
        "add its texts to its cluster's database."
    )
    added = studybot("ingest", "--server", str(on_shard(1, 4)), str(book), folder=tmp_path, db=path)
    assert added.exit_code == 0, added.output


def test_doctor_says_which_cluster_a_database_belongs_to(tmp_path):
    path = tmp_path / "cluster.db"
    store = Store(path)
    store.claim_cluster(Cluster((4, 5, 6, 7), 8))
    store.close()
    result = studybot("doctor", folder=tmp_path, db=path)
    assert (
        "ok       cluster: the servers of shards 4-7 of 8 (studybot run --shards 4-7 --shard-count 8)" in result.output
    )
