"""The writer's lease in the database: one row naming the `studybot run` that may post from this
file, until when. Every change is one BEGIN IMMEDIATE transaction, so two processes deciding at
once see each other: one takes the lease, the other reads who has it.

`LeaseBook` keeps a connection of its own, so that renewing never waits behind the store's
lock (an ingest can hold that for seconds) and works on a thread of its own.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.store.base import stamp
from bot.store.database import reading_uri
from bot.store.health import translated


@dataclass(frozen=True)
class Claimant:
    """A process asking for the lease."""

    token: str
    """Unique to one process's run: what renewing and releasing are checked against."""
    host: str
    pid: int
    process: str
    """Where the pid can be checked ('' when it cannot): see bot/service/lease.py."""


@dataclass(frozen=True)
class Holder(Claimant):
    """Who holds (or held) the lease, since when, and until when others must wait."""

    since: datetime
    renewed_at: datetime
    expires_at: datetime


class LeaseBook:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self._lock = threading.Lock()
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout = 5000")

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def holder(self) -> Holder | None:
        with self._lock, translated(self.path):
            return lease_holder(self.conn)

    def take(
        self, me: Claimant, now: datetime, expiry: timedelta, may_replace: Callable[[Holder, datetime], bool]
    ) -> Holder | None:
        """Take the lease for `me` if it is free, ours already, or `may_replace(holder, now)` says
        its holder is gone. Returns None when taken, else the holder who keeps it."""
        with self._lock, translated(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                current = lease_holder(self.conn)
                if current is not None and current.token != me.token and not may_replace(current, now):
                    self.conn.execute("ROLLBACK")
                    return current
                since = current.since if current is not None and current.token == me.token else now
                self.conn.execute(
                    """INSERT OR REPLACE INTO writer_lease
                       (id, token, host, pid, process, started_at, renewed_at, expires_at)
                       VALUES (1, ?, ?, ?, ?, ?, ?, ?)""",
                    (me.token, me.host, me.pid, me.process, stamp(since), stamp(now), stamp(now + expiry)),
                )
                self.conn.execute("COMMIT")
                return None
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def renew(self, token: str, now: datetime, expiry: timedelta) -> bool:
        """Push our lease's expiry on; False when the lease is no longer ours (taken over)."""
        with self._lock, translated(self.path):
            cursor = self.conn.execute(
                "UPDATE writer_lease SET renewed_at = ?, expires_at = ? WHERE id = 1 AND token = ?",
                (stamp(now), stamp(now + expiry), token),
            )
            return cursor.rowcount == 1

    def release(self, token: str) -> None:
        """Give the lease up (a clean stop), so a standby need not wait for it to expire."""
        with self._lock, translated(self.path):
            self.conn.execute("DELETE FROM writer_lease WHERE id = 1 AND token = ?", (token,))


def read_lease_holder(path: str | Path) -> Holder | None:
    """The lease as it stands in the file at `path`, read without writing (for `studybot doctor`);
    None when it is free or the file predates the lease."""
    conn = sqlite3.connect(reading_uri(str(path)), uri=True)
    try:
        with translated(str(path)):
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'writer_lease'").fetchone():
                return None
            return lease_holder(conn)
    finally:
        conn.close()


def lease_holder(conn: sqlite3.Connection) -> Holder | None:
    """The row as it stands (an expired lease included: the caller judges it). Any connection
    will do (doctor's has no row factory)."""
    row = conn.execute(
        "SELECT token, host, pid, process, started_at, renewed_at, expires_at FROM writer_lease WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    token, host, pid, process, since, renewed, expires = tuple(row)
    return Holder(
        token=token,
        host=host,
        pid=pid,
        process=process,
        since=datetime.fromisoformat(since),
        renewed_at=datetime.fromisoformat(renewed),
        expires_at=datetime.fromisoformat(expires),
    )
