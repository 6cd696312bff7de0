"""`studybot backup PATH`: a copy of the database by SQLite's online backup API, consistent
while the bot runs.

The copy is made in one step, which is one read transaction: in WAL mode a reader sees the
file as it was when it began, whatever the bot writes meanwhile, and the bot is never held up.
(A backup made in several steps restarts whenever another connection writes.) It reads the file
read-only, whatever its schema version, so a database a newer or older studybot made can be
saved before anything is done to it. Work and room: one pass over the file, written straight
to the target, no more memory than SQLite's page cache.

Nothing half-written is left: the copy is written beside the target under a temporary name,
checked (`PRAGMA quick_check`), flushed to disk and only then renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.errors import NotFoundError, StoreError, StudyError
from bot.store.database import reading_uri


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size: int
    """Bytes."""
    schema: int
    seconds: float


def back_up(source: str | Path, target: str | Path, *, force: bool = False) -> BackupMade:
    """Copy the database at `source` to `target`, refusing to replace a file unless `force`."""
    source, target = Path(source), Path(target)
    began = time.monotonic()
    _check_paths(source, target, force)
    handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        schema = _copy(source, partial)
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        partial.chmod(source.stat().st_mode & 0o777)  # readable by whoever may read the database
        os.replace(partial, target)
    except sqlite3.DatabaseError as error:
        code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
            raise StoreError(
                f"Could not write the backup to {target}: the disk is full or failing; free some space there and "
                "run the command again."
            ) from error
        raise StoreError(f"Could not back up {source} ({error}); check it with `studybot doctor`.") from error
    except OSError as error:
        raise StoreError(f"Could not write the backup to {target} ({error.strerror or error}).") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupMade(target, target.stat().st_size, schema, time.monotonic() - began)


def _check_paths(source: Path, target: Path, force: bool) -> None:
    if not source.is_file():
        raise NotFoundError(f"There is no database at {source}; check --db or STUDYBOT_DB.")
    if target.is_dir():
        raise StudyError(f"{target} is a folder; give the backup a file name, such as {target / 'studybot.db'}.")
    if not target.parent.is_dir():
        raise StudyError(f"There is no folder {target.parent}; create it, or give another path.")
    if target.exists():
        if target.resolve() == source.resolve():
            raise StudyError(f"{target} is the database itself; give the backup another path.")
        if not force:
            raise StudyError(f"{target} already exists; give another path, or add --force to replace it.")


def _copy(source: Path, partial: Path) -> int:
    """The backup itself; returns the schema version copied."""
    reader = sqlite3.connect(reading_uri(str(source)), uri=True)
    copy = sqlite3.connect(partial, isolation_level=None)
    try:
        reader.execute("PRAGMA busy_timeout = 5000")
        reader.backup(copy)  # pages=-1: every page in one step, one consistent snapshot
        schema = copy.execute("PRAGMA user_version").fetchone()[0]
        if copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'writer_lease'").fetchone():
            copy.execute("DELETE FROM writer_lease")  # the copy belongs to no running bot
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise StoreError(
                f"The copy of {source} failed SQLite's check ({verdict}); run `studybot doctor` on the database."
            )
        return schema
    finally:
        copy.close()
        reader.close()
