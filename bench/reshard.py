"""How long `studybot reshard` takes: one process's database (the bundled library, N servers each
with a plan, its posts and its members' reads) moved into the databases of a new shard count.

    python bench/reshard.py                          # 1,000 servers, 15 posts, 20 readers each, to 4 shards
    python bench/reshard.py --servers 5000 --shard-count 16 --shards-per-cluster 4

Prints the rows moved, the time (copying, then checking every server's counts and each file),
rows a second, and the sizes of the old and new files. The rows are made by the store's own
calls (plans, claims, posts) and, for reads, by one bulk insert: making them is not timed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.service.reshard import reshard  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.helpers import start_plan  # noqa: E402

DAY0 = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def make_source(path: Path, servers: int, posts: int, readers: int) -> int:
    """The database of one process with `servers` servers; returns the rows of servers made."""
    store = Store(path)
    try:
        texts.ingest(store, [ROOT / "corpus"])
        groups = []
        for n in range(servers):
            guild_id = ((1_500_000 + n) << 22) | 99
            groups.append(start_plan(store, guild_id, guild_id + 1, text="thermidor", zone="UTC", now=DAY0))
        ids = {g.id for g in groups}
        for day in range(posts):
            now = DAY0 + timedelta(days=day, hours=1)
            for group in groups:
                delivery = store.claim_delivery(group.id, now.date(), now)
                if delivery is not None:
                    store.complete_delivery(delivery.id, 10_000_000 + delivery.id, 20_000_000 + delivery.id, now, None)
        passages = {g.id: g.text_id for g in groups}
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO reads (group_id, user_id, passage_id, read_at) "
                "SELECT ?, ?, p.id, '2024-01-02T00:00:00+00:00' FROM passages p WHERE p.text_id = ? AND p.ordinal <= ?",
                [(gid, 700 + r, passages[gid], posts) for gid in ids for r in range(readers)],
            )
        rows = store.query(
            "SELECT (SELECT count(*) FROM groups) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM reads)"
        )[0][0]
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument(
        "--posts", type=int, default=15, help="posts made in each server's plan (thermidor has 15 passages)"
    )
    parser.add_argument("--readers", type=int, default=20, help="members reading every post, per server")
    parser.add_argument("--shard-count", type=int, default=4)
    parser.add_argument("--shards-per-cluster", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "studybot.db"
        began = time.perf_counter()
        rows = make_source(source, args.servers, args.posts, args.readers)
        print(
            f"made {args.servers} servers, {rows} rows of theirs in {time.perf_counter() - began:.1f} s "
            f"({source.stat().st_size / 2**20:.1f} MB)"
        )
        began = time.perf_counter()
        made = reshard([source], Path(folder) / "new", args.shard_count, args.shards_per_cluster)
        seconds = time.perf_counter() - began
        moved = sum(m.rows for m in made)
        sizes = ", ".join(f"{m.path.stat().st_size / 2**20:.1f}" for m in made)
        print(
            f"resharded to {args.shard_count} shards ({len(made)} databases): {moved} rows of "
            f"{sum(m.servers for m in made)} servers in {seconds:.1f} s, copied and checked "
            f"({moved / seconds:,.0f} rows/s); new files {sizes} MB"
        )


if __name__ == "__main__":
    main()
