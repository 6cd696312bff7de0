"""The event loop's own connection (Store.impatient): it reads and writes like any store, but
when another writer holds the database it gives up at once, having written nothing, instead of
waiting (which would hold the event loop)."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

import pytest

from bot.store import Store, busy
from tests.helpers import start_plan

MONDAY = datetime(2024, 1, 15, 9, tzinfo=UTC)


def test_an_impatient_store_writes_what_the_patient_one_reads(store):
    group = start_plan(store)
    impatient = store.impatient()
    assert impatient is not None
    try:
        assert impatient.mark_read(group.id, 7, group.text_id, 1, 1, MONDAY) == 1
    finally:
        impatient.close()
    assert store.readers(group.id) == {7: 1}


def test_an_impatient_write_gives_up_at_once_when_another_writer_holds_the_database(store):
    group = start_plan(store)
    impatient = store.impatient()
    assert impatient is not None
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with pytest.raises(sqlite3.OperationalError) as refused:
            impatient.mark_read(group.id, 7, group.text_id, 1, 1, MONDAY)
        assert busy(refused.value)
        assert time.monotonic() - began < 1.0  # not the store's usual wait (a minute)
        assert impatient.readers(group.id) == {}  # reads do not wait for the writer either
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.readers(group.id) == {}  # nothing was half-written
    assert impatient.mark_read(group.id, 7, group.text_id, 1, 1, MONDAY) == 1
    impatient.close()


def test_other_errors_are_not_taken_for_a_busy_database():
    assert not busy(sqlite3.OperationalError("no such table: reads"))
    assert not busy(ValueError("database is locked"))


def test_a_database_in_memory_or_a_reader_has_no_impatient_twin(tmp_path):
    assert Store(":memory:").impatient() is None
    Store(tmp_path / "file.db").close()
    assert Store(tmp_path / "file.db", readonly=True).impatient() is None
