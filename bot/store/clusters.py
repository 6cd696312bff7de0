"""Which cluster a database belongs to (one row of `meta`), and the servers it holds.

A database is claimed by the first `studybot run` on it: every shard (one process), or a
cluster's shards and their count. A database that already holds servers but no claim was made
before clusters existed: it holds every server. One process's claim binds only once it holds a
server, so a file tried out without a token can still become a cluster's.
"""

from __future__ import annotations

import sqlite3

from bot.shards import EVERY_SHARD, Cluster, check_cluster
from bot.store.base import StoreBase

CLUSTER_KEY = "cluster"

SERVER_KEYS = (
    "SELECT guild_id FROM groups",
    "SELECT guild_id FROM texts WHERE guild_id IS NOT NULL",
    "SELECT guild_id FROM server_question_sets",
    "SELECT guild_id FROM question_suggestions",
)
"""Every table whose rows name their server; the rest hang off these (a group's posts, reads,
members' data; a text's passages)."""


def server_ids(conn: sqlite3.Connection, schema: str = "main") -> list[int]:
    """The servers a database holds anything of, in order."""
    union = " UNION ".join(q.replace(" FROM ", f" FROM {schema}.", 1) for q in SERVER_KEYS)
    return [r[0] for r in conn.execute(f"SELECT guild_id FROM ({union}) ORDER BY guild_id")]


def recorded_cluster(conn: sqlite3.Connection) -> Cluster | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (CLUSTER_KEY,)).fetchone()
    return None if row is None else Cluster.from_json(row[0])


def record_cluster(conn: sqlite3.Connection, cluster: Cluster) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (CLUSTER_KEY, cluster.to_json()))


class ClusterStore(StoreBase):
    """Mixed into Store."""

    def cluster(self) -> Cluster | None:
        """The cluster this database belongs to; None: not claimed yet, and it holds no server."""
        with self._lock:
            recorded = recorded_cluster(self.conn)
            if recorded is None and server_ids(self.conn):
                return EVERY_SHARD
            return recorded

    def claim_cluster(self, wanted: Cluster) -> None:
        """Claim the database for `wanted`, or refuse (WrongClusterError) if another cluster's
        servers are in it: a restart with another --shards or --shard-count must reshard first."""
        with self.transaction() as conn:
            recorded = recorded_cluster(conn)
            holds_servers = bool(server_ids(conn))
            if recorded is None and holds_servers:
                recorded = EVERY_SHARD
            if recorded is not None and (holds_servers or not recorded.everything):
                # One process that has no server yet (tried without a token, say) binds nothing.
                check_cluster(self.path, recorded, wanted)
            if recorded != wanted:
                record_cluster(conn, wanted)
