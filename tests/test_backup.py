"""`studybot backup PATH`: a whole, consistent copy of the database, even while another
connection keeps writing; an existing file is not replaced without --force; a bad target or a
full disk is one sentence, with nothing left behind."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.cli.progress import size_text
from bot.errors import StudyError
from bot.service import Lease
from bot.store import LeaseBook, Store, back_up
from tests.helpers import SOIL, post_on, start_plan, studybot
from tests.test_disk_full import studybot_on_a_full_disk


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_a_backup_holds_everything_stored_in_one_file_and_no_lease(tiny_store, tmp_path):
    group = start_plan(tiny_store, text=SOIL)
    post_on(tiny_store, 4, 5)
    lease = Lease(LeaseBook(tiny_store.path))
    lease.take()  # a running bot's
    target = tmp_path / "backups" / "studybot.db"
    target.parent.mkdir()

    made = back_up(tiny_store.path, target)

    assert made.path == target and made.size == target.stat().st_size > 0 and made.schema >= 7
    assert folder_names(target.parent) == {"studybot.db"}  # no -wal, -shm or partial file beside it
    copy = Store(target, readonly=True)
    try:
        assert [t.slug for t in copy.texts()] == [t.slug for t in tiny_store.texts()]
        assert copy.get_group(group.id).next_ordinal == 3
        assert copy.query("SELECT count(*) FROM deliveries WHERE status = 'posted'")[0][0] == 2
        assert copy.query("SELECT count(*) FROM writer_lease")[0][0] == 0  # the copy belongs to no bot
        assert copy.query("PRAGMA integrity_check")[0][0] == "ok"
    finally:
        copy.close()
    assert lease.holds() and LeaseBook(tiny_store.path).holder() is not None  # the original keeps it
    lease.release()
    lease.book.close()


def test_a_backup_taken_while_another_connection_writes_is_one_moment_of_the_database(store, tmp_path):
    """A writer changes two rows in each transaction; every backup sees both or neither."""
    stop = threading.Event()
    commits = []

    def keep_writing() -> None:
        conn = sqlite3.connect(store.path, isolation_level=None, timeout=30)
        n = 0
        while not stop.is_set():
            n += 1
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('first', ?)", (str(n),))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('second', ?)", (str(n),))
            conn.execute("COMMIT")
            commits.append(n)
        conn.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    seen = []
    try:
        for k in range(8):
            target = tmp_path / f"copy-{k}.db"
            back_up(store.path, target)
            conn = sqlite3.connect(target)
            values = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('first', 'second')"))
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
            assert values.get("first") == values.get("second"), values
            seen.append(int(values.get("first", 0)))
    finally:
        stop.set()
        writer.join()
    assert len(commits) > 8 and len(set(seen)) > 1  # the copies were taken while writes went on


def test_an_existing_file_is_kept_unless_forced(tiny_store, tmp_path):
    target = tmp_path / "old-backup.db"
    target.write_bytes(b"last week's backup")
    before = digest(target)
    result = studybot("backup", str(target), folder=tmp_path, db=Path(tiny_store.path))
    assert result.exit_code == 1 and isinstance(result.exception, StudyError)
    assert "already exists" in str(result.exception) and "--force" in str(result.exception)
    assert digest(target) == before

    result = studybot("backup", str(target), "--force", folder=tmp_path, db=Path(tiny_store.path))
    assert result.exit_code == 0, result.output
    assert f"to {target}: {size_text(target.stat().st_size)} in " in result.output and "(schema " in result.output
    assert sqlite3.connect(target).execute("SELECT count(*) FROM texts").fetchone()[0] == len(tiny_store.texts())


@pytest.mark.parametrize(
    "where, says",
    [
        ("{tmp}", "is a folder"),
        ("{tmp}/missing/copy.db", "There is no folder"),
        ("{db}", "is the database itself"),
    ],
    ids=["a folder", "a missing folder", "the database itself"],
)
def test_a_target_that_cannot_be_a_backup_is_refused_in_one_sentence(tiny_store, tmp_path, where, says):
    before = digest(Path(tiny_store.path))
    target = where.format(tmp=tmp_path, db=tiny_store.path)
    result = studybot("backup", target, "--force", folder=tmp_path, db=Path(tiny_store.path))
    assert result.exit_code == 1 and says in str(result.exception)
    assert str(result.exception).count(". ") == 0
    assert digest(Path(tiny_store.path)) == before
    assert not [p for p in tmp_path.rglob("*.partial")]


def test_no_database_to_back_up_is_said(tmp_path):
    result = studybot("backup", str(tmp_path / "copy.db"), folder=tmp_path, db=tmp_path / "none.db")
    assert result.exit_code == 1 and "There is no database at" in str(result.exception)
    assert folder_names(tmp_path) == set()


def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing_behind(tiny_store, tmp_path):
    Store(tiny_store.path).close()  # checkpointed: the file alone holds the database
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    result = studybot_on_a_full_disk(Path(tiny_store.path), "backup", str(target), room=48 * 1024)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"Could not write the backup to {target}: the disk is full" in lines[0]
    assert folder_names(target.parent) == set()
