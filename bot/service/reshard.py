"""`studybot reshard`: move servers between databases when the shard count changes.

Each source database (one process's, or a cluster's) is held under its writer's lease while it
is read, so no `studybot run` posts from it meanwhile (and one that runs refuses the reshard).
Each new cluster gets a new database: every version of every source's shared library (the newest
ingested current: clusters re-ingest the bundled library at start, so versions drift), then every
row of the servers whose shard it owns under the new count, each group on the version it reads
(bot/store/reshard.py). Each source table is read once, its rows routed to their databases:
linear in the rows, whatever the number of new databases (plus the shared library into each).
The sources are opened for reading (one older than this studybot is refused, never migrated):
nothing is written to them but the lease. After copying, each server's rows are counted in its
source and in every target: equal in its own, none elsewhere. A failure leaves no target behind.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import StudyError
from bot.service.lease import Lease
from bot.shards import Cluster, ranges, shard_of
from bot.store import LeaseBook, Store, check_database
from bot.store.clusters import server_ids
from bot.store.reshard import (
    SERVER_ROWS,
    ServerCopy,
    copy_servers,
    id_ceilings,
    make_newest_current,
    server_row_counts,
    settle,
    shared_texts,
)


class ReshardError(StudyError):
    """A reshard that cannot be done as asked (nothing was changed)."""


@dataclass(frozen=True)
class NewCluster:
    """A database made for one cluster of the new layout."""

    cluster: Cluster
    path: Path
    servers: int
    rows: int
    """The servers' rows copied (every table of SERVER_ROWS)."""
    shared_texts: int
    renumbered: int


def layout(shard_count: int, per_cluster: int) -> list[Cluster]:
    """The new clusters: `per_cluster` consecutive shards each (the last may have fewer)."""
    return [
        Cluster(tuple(range(first, min(first + per_cluster, shard_count))), shard_count)
        for first in range(0, shard_count, per_cluster)
    ]


def database_name(cluster: Cluster) -> str:
    return f"shards-{ranges(cluster.shard_ids or ()).replace(',', '_')}-of-{cluster.shard_count}.db"


def reshard(
    sources: list[Path],
    to_dir: Path,
    shard_count: int,
    per_cluster: int = 1,
    progress: Callable[[str], None] = lambda line: None,
) -> list[NewCluster]:
    """Copy every server of `sources` into the database of its cluster under `shard_count`."""
    if len({p.resolve() for p in sources}) != len(sources):
        raise ReshardError("A database is given twice with --from; give each once.")
    for path in sources:
        if not path.is_file():
            raise ReshardError(f"There is no database at {path}; check the paths given with --from.")
    clusters = layout(shard_count, per_cluster)
    targets = [to_dir / database_name(c) for c in clusters]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise ReshardError(f"{existing[0]} exists already; give --to-dir an empty folder (nothing is overwritten).")
    with held(sources) as stores:
        servers = {store.path: server_ids(store.conn) for store in stores}
        _refuse_duplicates(servers)
        counts = {store.path: server_row_counts(store.conn) for store in stores}
        to_dir.mkdir(parents=True, exist_ok=True)
        route = router(clusters)
        expected = _expected_counts(counts, route, len(clusters))
        try:
            made = _make(clusters, targets, stores, servers, expected, route)
            for new in made:
                progress(f"{new.path}: {new.servers} servers, {new.rows} rows, {new.shared_texts} shared texts")
            _verify(stores, expected, made)
            for new in made:
                settle(new.path)
        except BaseException:
            for target in targets:
                for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                    leftover.unlink(missing_ok=True)
            raise
    return made


@contextlib.contextmanager
def held(sources: list[Path]) -> Iterator[list[Store]]:
    """The sources open for reading only, each under its writer's lease (refused, naming the
    holder, while a `studybot run` holds one). A reader never migrates: a source older than this
    studybot is refused with a sentence (run `studybot doctor --repair` on it once), so nothing
    but the lease is ever written to a source."""
    stores: list[Store] = []
    leases: list[Lease] = []
    try:
        for path in sources:
            stores.append(Store(path, readonly=True))
            lease = Lease(LeaseBook(path))
            lease.take()
            lease.start()
            leases.append(lease)
        yield stores
    finally:
        for lease in leases:
            lease.release()
        for store in stores:
            store.close()


def _refuse_duplicates(servers: dict[str, list[int]]) -> None:
    seen: dict[int, str] = {}
    for path, ids in servers.items():
        for guild_id in ids:
            if guild_id in seen:
                raise ReshardError(
                    f"Server {guild_id} has rows in both {seen[guild_id]} and {path}; a server belongs to one "
                    "database, so give the databases of one layout (each cluster's once)."
                )
            seen[guild_id] = path


def router(clusters: list[Cluster]) -> Callable[[int], int]:
    """A server's new database: the index of the cluster owning its shard."""
    count = clusters[0].shard_count or 1
    by_shard = {shard: n for n, cluster in enumerate(clusters) for shard in cluster.shard_ids or ()}
    return lambda guild_id: by_shard[shard_of(guild_id, count)]


def _expected_counts(
    counts: dict[str, dict[str, Counter]], route: Callable[[int], int], databases: int
) -> list[dict[str, Counter]]:
    """Each new database's rows of each server, table by table: one pass over the sources' counts."""
    expected: list[dict[str, Counter]] = [{table: Counter() for table in SERVER_ROWS} for _ in range(databases)]
    for tables in counts.values():
        for table, by_server in tables.items():
            for guild_id, n in by_server.items():
                expected[route(guild_id)][table][guild_id] += n
    return expected


def _make(
    clusters: list[Cluster],
    targets: list[Path],
    stores: list[Store],
    servers: dict[str, list[int]],
    expected: list[dict[str, Counter]],
    route: Callable[[int], int],
) -> list[NewCluster]:
    """Every new database at once, each in its own transaction: each source table is read once,
    its rows routed to their servers' databases (linear in the rows, whatever the number of
    databases; the shared library is copied into each)."""
    news: list[Store] = []
    shared = [0] * len(clusters)
    renumbered = [0] * len(clusters)
    ceilings = id_ceilings(store.conn for store in stores)
    next_ids = [{table: top + 1 for table, top in ceilings.items()} for _ in clusters]
    try:
        for cluster, target in zip(clusters, targets, strict=True):
            news.append(Store(target))
            news[-1].claim_cluster(cluster)
        with contextlib.ExitStack() as transactions:
            conns = [transactions.enter_context(new.transaction()) for new in news]
            for store in stores:
                copies = [ServerCopy(store.conn, conn, ids) for conn, ids in zip(conns, next_ids, strict=True)]
                for n, copy in enumerate(copies):
                    shared[n] += copy.shared_library()
                copy_servers(store.conn, copies, route)
                for n, copy in enumerate(copies):
                    renumbered[n] += copy.renumbered
            for conn in conns:
                make_newest_current(conn, (store.conn for store in stores))
        for new in news:
            new.refresh_term_lists()
            new.checkpoint()
    finally:
        for new in news:
            new.close()
    moved = [0] * len(clusters)
    for ids in servers.values():
        for guild_id in ids:
            moved[route(guild_id)] += 1
    return [
        NewCluster(
            cluster,
            target,
            moved[n],
            sum(rows for by_server in expected[n].values() for rows in by_server.values()),
            shared[n],
            renumbered[n],
        )
        for n, (cluster, target) in enumerate(zip(clusters, targets, strict=True))
    ]


def _verify(stores: list[Store], expected: list[dict[str, Counter]], made: list[NewCluster]) -> None:
    """Every server's rows, counted table by table in one pass over each new database: as many
    in its new database as in its old one, none in the others (`expected`); every version of
    every shared text in every new database; each file sound. Linear in the rows (and in the
    shared library times the databases)."""
    for new, wanted in zip(made, expected, strict=True):
        target = Store(new.path, readonly=True)
        try:
            after = server_row_counts(target.conn)
            library = set(shared_texts(target.conn))
        finally:
            target.close()
        for store in stores:
            missing = set(shared_texts(store.conn)) - library
            if missing:
                raise ReshardError(
                    f"Checking {new.path}: a version of the shared text {sorted(missing)[0][0]} was not copied."
                )
        for table, by_server in wanted.items():
            if after[table] != by_server:
                guild_id = next(g for g in after[table].keys() | by_server.keys() if after[table][g] != by_server[g])
                raise ReshardError(
                    f"Checking {new.path}: server {guild_id} has {after[table][guild_id]} rows of "
                    f"{table}, not {by_server[guild_id]}; nothing was kept, and the sources are unchanged."
                )
    for new in made:
        checkup = check_database(new.path)
        if not all(f.ok for f in checkup.findings):
            problem = next(f for f in checkup.findings if not f.ok)
            raise ReshardError(f"Checking {new.path}: {problem.subject} {problem.detail}; nothing was kept.")
