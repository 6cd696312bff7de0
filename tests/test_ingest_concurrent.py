"""Ingests at once: they take turns (and say so), none fails with 'database is locked', and a
text is stored whole or not at all, even when an ingest is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot import texts
from bot.store import Store, index, ingest_turn
from bot.texts.library import MERGED_AT_MOST
from tests.conftest import CORPUS, ROOT

DEADLINE = 120


def start_ingest(db: Path, *paths: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(db), "ingest", *map(str, paths)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def copies(folder: Path, count: int, tag: str) -> Path:
    """`count` texts made from the bundled ones, each a little different (so none is unchanged)."""
    folder.mkdir(parents=True)
    sources = sorted(CORPUS.glob("*.txt"))
    for number in range(count):
        source = sources[number % len(sources)]
        (folder / f"{tag}{number:02d}-{source.name}").write_text(
            f"Copy {tag} {number}.\n\n{source.read_text(encoding='utf-8')}", encoding="utf-8"
        )
    return folder


def assert_every_text_is_whole(db: Path) -> int:
    store = Store(db)
    try:
        for text in store.texts():
            passages = store.passages_of(text.id)
            assert len(passages) == text.passage_count and all(p.body for p in passages)
            assert sum(p.word_count for p in passages) == text.word_count
        return len(store.texts())
    finally:
        store.close()


@pytest.fixture
def slow_term_lists(monkeypatch):
    """Building the term lists takes a while, as it does for a large library (seconds at 30 MB,
    more than another writer waits for SQLite's lock): the first ranking query pauses until the
    test lets it go. `started` is set when it pauses."""
    started, go = threading.Event(), threading.Event()

    def pause() -> int:
        if not started.is_set():
            started.set()
            go.wait(timeout=DEADLINE)
        return 1

    monkeypatch.setattr(index, "TERM_LIST_MIN_DF", 3)  # the bundled texts then have lists to build
    monkeypatch.setattr(
        index.IndexStore, "_RANKED_IDS_SQL", index.IndexStore._RANKED_IDS_SQL.replace("WHERE", "WHERE pause() AND")
    )
    return started, go, pause


def impatient_store(path: Path, pause) -> Store:
    """A second connection, as another process would have, that waits only half a second for
    SQLite's write lock (the store's own wait is five: the lists took longer than that)."""
    store = Store(path)
    store.conn.create_function("pause", 0, pause)
    store.conn.execute("PRAGMA busy_timeout = 500")
    return store


def test_an_ingest_waits_for_another_to_finish_instead_of_failing_locked(tmp_path, slow_term_lists):
    """The second of two ingests used to fail with 'database is locked' (from the first's term
    lists) after storing part of its files."""
    started, go, pause = slow_term_lists
    first, second = Store(tmp_path / "db.sqlite"), impatient_store(tmp_path / "db.sqlite", pause)
    first.conn.create_function("pause", 0, pause)
    # More files than are merged one by one: the lists are built once at the end.
    thread = threading.Thread(target=texts.ingest, args=(first, [copies(tmp_path / "a", MERGED_AT_MOST + 1, "a")]))
    thread.start()
    assert started.wait(timeout=DEADLINE)  # the first is building its term lists
    waited = []
    threading.Timer(1.0, go.set).start()

    class Told(texts.IngestProgress):
        def waiting(self) -> None:
            waited.append(True)

    outcomes = texts.ingest(second, [copies(tmp_path / "b", 2, "b")], progress=Told())
    thread.join(timeout=DEADLINE)
    assert waited == [True] and [o.status for o in outcomes] == ["added", "added"]
    assert len(second.texts()) == MERGED_AT_MOST + 1 + 2
    first.close()
    second.close()


def test_building_term_lists_does_not_hold_other_writers_up(tmp_path, slow_term_lists):
    """The bot posts while an ingest runs: its writes wait for short transactions only."""
    started, go, pause = slow_term_lists
    ingesting, posting = Store(tmp_path / "db.sqlite"), impatient_store(tmp_path / "db.sqlite", pause)
    ingesting.conn.create_function("pause", 0, pause)
    thread = threading.Thread(target=texts.ingest, args=(ingesting, [copies(tmp_path / "a", MERGED_AT_MOST + 1, "a")]))
    thread.start()
    assert started.wait(timeout=DEADLINE)
    try:
        with posting.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('a write', 'meanwhile')")
    finally:
        go.set()
        thread.join(timeout=DEADLINE)
    assert posting.query("SELECT value FROM meta WHERE key = 'a write'")[0][0] == "meanwhile"
    ingesting.close()
    posting.close()


def test_a_second_ingest_waits_its_turn_and_says_so(tmp_path):
    db = tmp_path / "db.sqlite"
    Store(db).close()
    with ingest_turn(str(db)):
        waiting = start_ingest(db, copies(tmp_path / "texts", 2, "w"))
        line = waiting.stderr.readline()
        assert line.startswith(f"Another ingest is running on {db}; waiting for it to finish.")
        assert assert_every_text_is_whole(db) == 0  # it waits: nothing stored yet
    out, err = waiting.communicate(timeout=DEADLINE)
    assert waiting.returncode == 0, err
    assert out.count("added") == 2 and assert_every_text_is_whole(db) == 2


def test_ingests_started_together_on_a_new_database_all_succeed(tmp_path):
    db = tmp_path / "db.sqlite"
    folders = [copies(tmp_path / tag, 6, tag) for tag in ("x", "y", "z")]
    runs = [start_ingest(db, folder) for folder in folders]
    results = [run.communicate(timeout=DEADLINE) for run in runs]
    for run, (out, err) in zip(runs, results):
        assert run.returncode == 0 and "locked" not in err and "Traceback" not in err, err
        assert out.count("added") == 6
    assert assert_every_text_is_whole(db) == 18
    store = Store(db)
    assert store._term_lists_stamp() == store._stored_term_lists_stamp()  # the last ingest saw all 18
    store.close()


def test_a_killed_ingest_leaves_whole_texts_and_does_not_block_the_next(tmp_path):
    db = tmp_path / "db.sqlite"
    folder = copies(tmp_path / "texts", 30, "k")
    run = start_ingest(db, folder)
    deadline = time.monotonic() + DEADLINE
    added = 0
    while added < 3 and time.monotonic() < deadline:
        added += run.stdout.readline().startswith("added")
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=DEADLINE)
    stored = assert_every_text_is_whole(db)
    assert 3 <= stored < 30
    again = start_ingest(db, folder)
    out, err = again.communicate(timeout=DEADLINE)
    assert again.returncode == 0 and "waiting" not in err, err
    assert out.count("unchanged") == stored and out.count("added") == 30 - stored
    assert assert_every_text_is_whole(db) == 30
