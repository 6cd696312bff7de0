"""Databases studybot cannot use as they are: made by a newer studybot, by an older one, or
damaged (the search index dropped, garbage in it, a page of the file overwritten). Each command
says so in one sentence naming the fix, writes nothing it should not, and `studybot doctor
--repair` rebuilds what the stored paragraphs can give again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.errors import DatabaseVersionError
from bot.store import Store, check_database
from bot.store.health import LATEST_VERSION
from tests.helpers import database_at_schema
from tests.helpers import studybot_process as studybot


@pytest.fixture
def db(corpus_db, tmp_path) -> Path:
    path = tmp_path / "studybot.db"
    shutil.copy(corpus_db, path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def overwrite_page(path: Path, table: str) -> None:
    """Garbage over the first page of a table's b-tree, as a failing disk might leave it."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(os.urandom(page_size))


def one_sentence_error(result) -> str:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def hits(db: Path, query: str) -> list[tuple]:
    result = studybot("search", query, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return [(h["citation"], h["paragraph"]) for h in json.loads(result.stdout)["hits"]]


# -- a newer studybot's database -------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["texts"], ["search", "Kronstadt"], ["ingest"], ["doctor", "--repair"]], ids=" ".join
)
def test_a_database_from_a_newer_studybot_is_refused_and_left_untouched(db, command):
    sql(db, f"PRAGMA user_version = {LATEST_VERSION + 1}")
    before = digest(db)
    error = one_sentence_error(studybot(*command, db=db))
    assert "made by a newer studybot" in error and "upgrade studybot" in error
    assert digest(db) == before


def test_opening_a_newer_database_in_process_writes_nothing(db):
    sql(db, f"PRAGMA user_version = {LATEST_VERSION + 1}", "PRAGMA journal_mode = DELETE")
    before = digest(db)
    for readonly in (False, True):
        with pytest.raises(DatabaseVersionError, match="made by a newer studybot"):
            Store(db, readonly=readonly)
    assert digest(db) == before
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL


def test_doctor_names_a_newer_schema(db):
    sql(db, f"PRAGMA user_version = {LATEST_VERSION + 1}")
    result = studybot("doctor", db=db)
    assert result.returncode == 1 and "made by a newer studybot" in result.stdout


# -- an older studybot's database ------------------------------------------------------------------


def test_an_older_database_is_refused_by_readers_and_upgraded_by_doctor(tmp_path):
    db = tmp_path / "old.db"
    database_at_schema(db)  # a file as the previous studybot left it: every migration but the last
    before = digest(db)
    error = one_sentence_error(studybot("texts", db=db))
    assert "made by an older studybot" in error and "studybot doctor --repair" in error
    assert digest(db) == before
    repaired = studybot("doctor", "--repair", db=db)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "sound again" in repaired.stdout
    assert studybot("texts", db=db).returncode == 0


# -- damaged databases -----------------------------------------------------------------------------

DAMAGE = {
    "search index dropped": lambda db: sql(db, "DROP TABLE paragraphs_fts"),
    "garbage in the index": lambda db: sql(
        db, "UPDATE paragraphs_fts_data SET block = randomblob(length(block)) WHERE id > 10"
    ),
    "index page overwritten": lambda db: overwrite_page(db, "paragraphs_fts_data"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=str)
def test_a_damaged_index_is_named_in_one_sentence_and_doctor_rebuilds_it(db, damage):
    expected = hits(db, "Kronstadt")
    DAMAGE[damage](db)

    error = one_sentence_error(studybot("search", "Kronstadt", db=db))
    assert "is damaged" in error and "studybot doctor --repair" in error

    checked = studybot("doctor", db=db)
    assert checked.returncode == 1 and "PROBLEM" in checked.stdout
    assert "studybot doctor --repair" in checked.stdout.splitlines()[-1]

    repaired = studybot("doctor", "--repair", db=db)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "PROBLEM" not in repaired.stdout and "sound again" in repaired.stdout
    assert hits(db, "Kronstadt") == expected
    assert check_database(db).healthy


def test_a_writer_refuses_a_damaged_index_instead_of_failing_later(db, tmp_path):
    DAMAGE["search index dropped"](db)
    error = one_sentence_error(studybot("ingest", str(tmp_path), db=db))
    assert "missing paragraphs_fts" in error and "studybot doctor" in error


def test_damage_to_the_stored_texts_is_reported_not_papered_over(db):
    overwrite_page(db, "texts")
    error = one_sentence_error(studybot("texts", db=db))
    assert "is damaged" in error
    repaired = studybot("doctor", "--repair", db=db)
    assert repaired.returncode == 1
    assert "restore a backup" in repaired.stdout.splitlines()[-1]


def test_doctor_on_a_sound_database(db):
    result = studybot("doctor", db=db)
    assert result.returncode == 0, result.stdout
    assert "PROBLEM" not in result.stdout and result.stdout.strip().endswith("The database is sound.")


def test_doctor_on_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "notes.db").write_text("not sqlite " * 200)
    result = studybot("doctor", db=tmp_path / "notes.db")
    assert result.returncode == 1 and "PROBLEM  file" in result.stdout
    error = one_sentence_error(studybot("doctor", "--repair", db=tmp_path / "notes.db"))
    assert "nothing to repair" in error
