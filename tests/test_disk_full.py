"""A full disk: an ingest that runs out of space says so in one sentence and keeps what it had
stored; commands that only read never write, so they still work while the disk is full.

Two ways to fill a disk without root or a special filesystem: SQLite's `max_page_count` caps
the file for one connection (the ingest's), and RLIMIT_FSIZE caps every file a process writes
(a `studybot` command run as a subprocess), which SQLite meets as a failed write.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot import search, texts
from bot.errors import DiskFullError
from bot.search import candidates as candidates_module
from bot.store import Store
from bot.store import index as index_module
from tests.conftest import ROOT

COMMON = [f"common{n:02d}word" for n in range(40)]
"""Words in every paragraph of the test texts: once ingested, each is a term with a list."""


def notes(folder: Path, name: str, paragraphs: int = 300) -> Path:
    """A text of many short paragraphs sharing the COMMON words, plus words of its own."""
    body = "\n\n".join(f"Paragraph {k} of {name}: {' '.join(COMMON)} unique{name}{k}." for k in range(paragraphs))
    path = folder / f"{name}-notes.txt"
    path.write_text(f"# Notes {name}\n\n{body}\n")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_disk(store: Store, free_pages: int) -> None:
    """Leave the store's connection `free_pages` pages to grow by: then SQLITE_FULL, as on a
    full disk."""
    used = store.query("PRAGMA page_count")[0][0]
    for conn in {store.conn, store.writer_connection()}:  # texts are written on the second
        conn.execute(f"PRAGMA max_page_count = {used + free_pages}")


def pages_to_store(corpus_db: Path, tmp_path: Path, path: Path) -> int:
    """How many pages ingesting `path` adds to a copy of the corpus database."""
    trial = tmp_path / "trial.db"
    shutil.copy(corpus_db, trial)
    store = Store(trial)
    before = store.query("PRAGMA page_count")[0][0]
    texts.ingest(store, [path])
    grown = store.query("PRAGMA page_count")[0][0] - before
    store.close()
    return grown


@pytest.fixture
def after_a_disk_full_ingest(corpus_db, tmp_path) -> Path:
    """A database where an ingest of three texts ran out of space after storing the first."""
    folder = tmp_path / "new"
    folder.mkdir()
    first = notes(folder, "a")
    notes(folder, "b")
    notes(folder, "c")
    room = pages_to_store(corpus_db, tmp_path, first) * 3 // 2  # the first fits, not the second
    db = tmp_path / "full.db"
    shutil.copy(corpus_db, db)
    store = Store(db)
    fill_disk(store, room)
    with pytest.raises(DiskFullError) as raised:
        texts.ingest(store, [folder])
    store.close()
    return db, str(raised.value)


def test_a_disk_full_ingest_says_so_in_one_sentence_and_keeps_what_was_stored(after_a_disk_full_ingest):
    db, message = after_a_disk_full_ingest
    assert "The disk is full" in message and message.count(". ") == 0 and message.endswith(".")
    store = Store(db, readonly=True)
    slugs = {t.slug for t in store.texts()}
    assert "a-notes" in slugs and not {"b-notes", "c-notes"} & slugs
    assert len(slugs) == 6  # the corpus's five and the first new text
    assert store.query("PRAGMA integrity_check")[0][0] == "ok"
    assert store.passages_of(next(t.id for t in store.texts() if t.slug == "a-notes"))
    store.close()


def full_disk(room: int):
    """For the child: no file may grow past `room` bytes, and a write beyond fails with an error
    instead of killing the process. 32 KB leaves room for SQLite's shared-memory index (-shm),
    none for anything else; 0 is a disk with no room at all."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    return limit


def studybot_on_a_full_disk(db: Path, *args: str, room: int = 32 * 1024) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        preexec_fn=full_disk(room),
    )


@pytest.mark.parametrize("room", [32 * 1024, 0], ids=["room for -shm", "no room at all"])
def test_texts_search_and_doctor_work_while_the_disk_is_still_full(after_a_disk_full_ingest, room):
    db, _ = after_a_disk_full_ingest
    before = digest(db)
    listed = studybot_on_a_full_disk(db, "texts", room=room)
    assert listed.returncode == 0, listed.stderr
    assert "a-notes" in listed.stdout and "trotsky-soviet-thermidor-1936" in listed.stdout
    found = studybot_on_a_full_disk(db, "search", "uniquea7", room=room)
    assert found.returncode == 0, found.stderr
    assert "Notes a" in found.stdout
    checked = studybot_on_a_full_disk(db, "doctor", room=room)
    assert "The database is sound." in checked.stdout, checked.stdout + checked.stderr
    assert digest(db) == before  # nothing was written


def test_a_writer_on_a_full_disk_says_what_is_wrong(after_a_disk_full_ingest, tmp_path):
    db, _ = after_a_disk_full_ingest
    folder = tmp_path / "more"
    folder.mkdir()
    result = studybot_on_a_full_disk(db, "ingest", str(notes(folder, "d")))
    assert result.returncode == 1
    assert "free space" in result.stderr and "check the path" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_opening_to_read_writes_nothing_even_when_derived_tables_are_out_of_date(store, tmp_path):
    store.query("DELETE FROM meta WHERE key IN ('term_lists', 'spelling_rules')")  # as after a failed refresh
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(Path(store.path))
    reader = Store(store.path, readonly=True)
    assert search.search(reader, "Kronstadt").hits
    reader.close()
    assert digest(Path(store.path)) == before
    assert not store.query("SELECT 1 FROM meta WHERE key = 'term_lists'")


def test_term_lists_older_than_the_library_are_not_served(tmp_path, monkeypatch):
    """A new text is found by a reader through words the old lists hold, before any writer
    has refreshed the lists."""
    monkeypatch.setattr(index_module, "TERM_LIST_MIN_DF", 3)
    monkeypatch.setattr(candidates_module, "LIST_WORK", 0)  # lists answer every query they can
    folder = tmp_path / "texts"
    folder.mkdir()
    db = tmp_path / "lists.db"
    store = Store(db)
    texts.ingest(store, [notes(folder, "old", paragraphs=10)])
    assert "common00word" in store.term_list_dfs()
    original = store.refresh_term_lists
    monkeypatch.setattr(store, "refresh_term_lists", lambda *a, **k: None)  # the disk filled up
    (folder / "new-notes.txt").write_text(
        "# Notes new\n\n" + "\n\n".join(f"common00word common00word common00word {k}." for k in range(10))
    )
    texts.ingest(store, [folder])
    monkeypatch.setattr(store, "refresh_term_lists", original)
    store.close()
    reader = Store(db, readonly=True)
    hits = search.search(reader, "common00word", limit=5).hits
    assert hits and hits[0].passage.text_slug == "new-notes"  # it holds the word most densely
    reader.close()
