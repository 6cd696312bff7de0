"""What can be wrong with a database file, found before it misleads anyone, and the one sentence
that says how to fix it: a full disk, a damaged file, a schema this studybot does not know."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from bot.errors import DamagedDatabaseError, DatabaseVersionError, DiskFullError, StoreError
from bot.store.schema import MIGRATIONS, statements

log = logging.getLogger(__name__)

LATEST_VERSION = len(MIGRATIONS)
"""The schema version (PRAGMA user_version) this studybot writes."""

DOCTOR_HINT = (
    "`studybot doctor` checks it and `studybot doctor --repair` rebuilds the search index from the stored texts"
)


def disk_full() -> DiskFullError:
    return DiskFullError(
        "The disk is full, so nothing more could be stored (what was stored before is kept); "
        "free some space and run the command again."
    )


def disk_error(path: str) -> StoreError:
    return StoreError(
        f"The database {path} could not be read or written (a disk I/O error); check that the disk has "
        "free space and works, then run the command again."
    )


def damaged(path: str, detail: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(f"The database {path} is damaged ({detail}); {DOCTOR_HINT}.")


def newer(path: str, version: int) -> DatabaseVersionError:
    return DatabaseVersionError(
        f"The database {path} was made by a newer studybot (schema {version}; this one knows up to "
        f"{LATEST_VERSION}), so it was left untouched; upgrade studybot to use it."
    )


def older(path: str, version: int) -> DatabaseVersionError:
    return DatabaseVersionError(
        f"The database {path} was made by an older studybot (schema {version}; this one uses "
        f"{LATEST_VERSION}); run `studybot doctor --repair` once to bring it up to date."
    )


def translate(error: sqlite3.Error, path: str) -> StoreError | None:
    """The user's sentence for an SQLite error a user can meet (a full disk, a damaged file), or
    None for the rest, which are bugs."""
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary code
    if code == sqlite3.SQLITE_FULL:
        return disk_full()
    if code == sqlite3.SQLITE_IOERR:  # a write past a quota or file size limit, a failing disk
        log.debug("disk I/O error on %s: %s", path, error)
        return disk_error(path)
    if code == sqlite3.SQLITE_CORRUPT:
        log.debug("the database %s is damaged: %s", path, error)
        return damaged(path, str(error))
    return None


@contextmanager
def translated(path: str) -> Iterator[None]:
    """Run SQLite work, turning the errors `translate` knows into their StoreError."""
    try:
        yield
    except sqlite3.Error as error:
        problem = translate(error, path)
        if problem is None:
            raise
        raise problem from error


@functools.cache
def reference_schema() -> dict[str, tuple[str, str]]:
    """name -> (type, SQL) of every table, index and trigger the migrations make, read from a
    database built from them in memory: whatever the migrations become, this follows."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for statement in statements(script):
                conn.execute(statement)
        return {
            name: (kind, sql)
            for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        }
    finally:
        conn.close()


def missing_objects(conn: sqlite3.Connection) -> list[str]:
    """Tables, indexes and triggers of the current schema the file lacks (someone dropped the
    search index, say), in the order the migrations make them."""
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    return [name for name in reference_schema() if name not in present]


def check_version(conn: sqlite3.Connection, path: str) -> int:
    """The file's schema version; a newer one than ours is refused before anything is written."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > LATEST_VERSION:
        raise newer(path, version)
    return version


def check_schema(conn: sqlite3.Connection, path: str) -> None:
    """Refuse a file that lacks part of the schema, naming what is missing."""
    missing = missing_objects(conn)
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise damaged(path, f"missing {shown}")
