"""`studybot reshard`: move servers between databases when the shard count changes.

Each source database (one process's, or a cluster's) is held under its writer's lease while it
is read, so no `studybot run` posts from it meanwhile (and one that runs refuses the reshard).
Each new cluster gets a new database: every version of every source's shared library (the newest
ingested current: clusters re-ingest the bundled library at start, so versions drift), then every
row of the servers whose shard it owns under the new count, each group on the version it reads
(bot/store/reshard.py). Nothing is written to
the sources but the lease; after copying, each server's rows are counted in its source and in
every target: equal in its own, none elsewhere. A failure leaves no target behind.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import StudyError
from bot.service.lease import Lease
from bot.shards import Cluster, ranges
from bot.store import LeaseBook, Store, check_database
from bot.store.clusters import server_ids
from bot.store.reshard import (
    ServerCopy,
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
        made: list[NewCluster] = []
        try:
            for cluster, target in zip(clusters, targets, strict=True):
                made.append(_make(cluster, target, stores, servers, counts))
                progress(
                    f"{target}: {made[-1].servers} servers, {made[-1].rows} rows, {made[-1].shared_texts} shared texts"
                )
            _verify(stores, servers, counts, made)
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
    """The sources open, each under its writer's lease (refused, naming the holder, while a
    `studybot run` holds one)."""
    stores: list[Store] = []
    leases: list[Lease] = []
    try:
        for path in sources:
            stores.append(Store(path))
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


def _make(
    cluster: Cluster,
    target: Path,
    stores: list[Store],
    servers: dict[str, list[int]],
    counts: dict[str, dict[str, Counter]],
) -> NewCluster:
    new = Store(target)
    try:
        new.claim_cluster(cluster)
        copied_servers = rows = shared = renumbered = 0
        next_ids = {table: top + 1 for table, top in id_ceilings(s.conn for s in stores).items()}
        with new.transaction() as conn:
            for store in stores:
                copy = ServerCopy(store.conn, conn, next_ids)
                shared += copy.shared_library()
                copy.servers(cluster.owns)
                mine = {g for g in servers[store.path] if cluster.owns(g)}
                copied_servers += len(mine)
                rows += sum(n for table in counts[store.path].values() for g, n in table.items() if g in mine)
                renumbered += copy.renumbered
            make_newest_current(conn, (store.conn for store in stores))
        new.refresh_term_lists()
        new.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        new.close()
    return NewCluster(cluster, target, copied_servers, rows, shared, renumbered)


def _verify(
    stores: list[Store],
    servers: dict[str, list[int]],
    counts: dict[str, dict[str, Counter]],
    made: list[NewCluster],
) -> None:
    """Every server's rows, counted table by table: as many in its new database as in its old
    one, none in the others; every version of every shared text in every new database; each file sound."""
    opened = [Store(m.path, readonly=True) for m in made]
    try:
        moved = [(new, server_row_counts(target.conn)) for new, target in zip(made, opened, strict=True)]
        for store in stores:
            library = set(shared_texts(store.conn))
            for new, target in zip(made, opened, strict=True):
                missing = library - set(shared_texts(target.conn))
                if missing:
                    raise ReshardError(
                        f"Checking {new.path}: a version of the shared text {sorted(missing)[0][0]} was not copied."
                    )
            for guild_id in servers[store.path]:
                for new, after in moved:
                    for table, before in counts[store.path].items():
                        expected = before[guild_id] if new.cluster.owns(guild_id) else 0
                        if after[table][guild_id] != expected:
                            raise ReshardError(
                                f"Checking {new.path}: server {guild_id} has {after[table][guild_id]} rows of "
                                f"{table}, not {expected}; nothing was kept, and the sources are unchanged."
                            )
    finally:
        for target in opened:
            target.close()
    for new in made:
        checkup = check_database(new.path)
        if not all(f.ok for f in checkup.findings):
            problem = next(f for f in checkup.findings if not f.ok)
            raise ReshardError(f"Checking {new.path}: {problem.subject} {problem.detail}; nothing was kept.")
