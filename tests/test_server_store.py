"""The store under each server's library: the migration that made it, what a server's view shows
and hides, the private word and term counts, and the library's fingerprint."""

from __future__ import annotations

import sqlite3

from bot import texts
from bot.models import Paragraph, Passage, TextMeta
from bot.store import Store, repair_database
from bot.store.schema import MIGRATIONS, statements
from bot.store.statistics import text_statistics
from bot.terms.variants import canonical_text
from tests.helpers import TINY_PACE, write_tiny_library

HOME, AWAY = 101, 202


def passages_of(*paragraphs: str) -> list[Passage]:
    return [Passage(n, "", (Paragraph(p, p),)) for n, p in enumerate(paragraphs, start=1)]


def add(store: Store, slug: str, guild: int | None, *paragraphs: str) -> int:
    return store.replace_text(slug, slug, TextMeta(title=slug.title()), slug + "#", passages_of(*paragraphs), guild)


def test_texts_stored_before_become_the_shared_library(tmp_path):
    db = tmp_path / "old.db"
    old = Store(tmp_path / "new.db")  # a library, then wound back to the schema before migration 7
    texts.ingest(old, [write_tiny_library(tmp_path / "tiny")], TINY_PACE)
    old.close()
    conn = sqlite3.connect(db)
    for number, script in enumerate(MIGRATIONS[:6], start=1):
        for statement in statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("ATTACH ? AS new", (str(tmp_path / "new.db"),))
    for table in ("texts", "passages", "paragraphs"):
        columns = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
        conn.execute(f"INSERT INTO main.{table} SELECT {', '.join(columns)} FROM new.{table}")
    conn.commit()
    conn.close()
    store = Store(db)
    try:
        shared = store.view(None).texts()
        assert len(shared) == 3 and all(t.guild_id is None for t in shared)
        body = store.query("SELECT sum(length(CAST(body AS BLOB))) FROM paragraphs")[0][0]
        assert sum(t.size_bytes for t in shared) == body
        assert store.view(HOME).texts() == shared
    finally:
        store.close()


def test_a_slug_is_unique_per_server_not_across_servers(empty_store):
    add(empty_store, "notes", None, "Shared notes on soil.")
    add(empty_store, "notes", HOME, "Home notes on soil.")
    add(empty_store, "notes", AWAY, "Away notes on soil.")
    assert [t.guild_id for t in empty_store.view(HOME).texts()] == [None, HOME]
    add(empty_store, "notes", HOME, "Home notes on soil, revised.")  # a new version of the home text only
    assert len(empty_store.texts()) == 3 and empty_store.free_slug("notes", HOME) == "notes-2"


def test_the_private_counts_are_the_indexs_own(empty_store):
    paragraphs = ["Rivers run; running rivers ran.", "The Rhône's deltas and the Ebro.", "Ran, ran, ran!"]
    text_id = add(empty_store, "rivers", HOME, *paragraphs)
    vocabulary = {r["term"]: r["doc"] for r in empty_store.vocabulary()}
    stored = dict(empty_store.query("SELECT term, doc FROM text_terms WHERE text_id = ?", (text_id,)))
    assert stored == vocabulary
    stats = text_statistics([canonical_text(p) for p in paragraphs])
    assert stats.docs == vocabulary and stats.counts["ran"] == 4 and stats.lengths[2] == 3
    assert stats.holders["ran"] == [(0, 1), (2, 3)]


def test_a_view_subtracts_only_other_servers_words(empty_store):
    add(empty_store, "shared", None, "Granite and marble.")
    add(empty_store, "home", HOME, "Zorblax granite.")
    add(empty_store, "away", AWAY, "Vrenkolt granite granite.")
    home, away, nobody = empty_store.view(HOME), empty_store.view(AWAY), empty_store.view(None)
    assert home.hidden_word_counts(["zorblax", "vrenkolt", "granite"]) == {"vrenkolt": 1, "granite": 2}
    assert away.hidden_term_docs(["zorblax", "granit"]) == {"zorblax": 1, "granit": 1}
    assert nobody.hidden_word_counts(["granite"]) == {"granite": 3}
    assert not empty_store.hides_texts() and empty_store.hidden_word_counts(["granite"]) == {}


def test_doctor_counts_the_private_words_again(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, "home", HOME, "Zorblax granite.", "More zorblax.")
    before = store.query("SELECT * FROM text_words ORDER BY word")
    store.conn.execute("DELETE FROM text_words")
    store.close()
    repair_database(tmp_path / "s.db")
    store = Store(tmp_path / "s.db")
    assert store.query("SELECT * FROM text_words ORDER BY word") == before
    store.close()


def test_the_fingerprint_changes_when_a_removed_texts_id_is_given_again(empty_store):
    from datetime import UTC, datetime

    add(empty_store, "shared", None, "Granite.")
    first = add(empty_store, "home", HOME, "Zorblax.")
    before = empty_store.library_fingerprint()
    empty_store.remove_text(first, datetime(2024, 1, 1, tzinfo=UTC))
    again = add(empty_store, "other", HOME, "Vrenkolt.")
    assert again == first and empty_store.library_fingerprint() != before
