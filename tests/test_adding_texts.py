"""Adding a text costs one text: the term lists take in its paragraphs (scored as FTS5 scores
them) and give up a deleted text's, the figures kept in memory follow the change instead of
being read again, searches go on while the text's transaction is open, and a failure inside it
leaves nothing of the text behind."""

from __future__ import annotations

import shutil
import threading
from array import array

import pytest

from bot import search, texts
from bot.models import Paragraph, Passage, TextMeta
from bot.questions.analysis.library import library_stats, read_library_stats
from bot.search import spelling
from bot.store import Store
from bot.store import index as index_module
from bot.store import term_lists as term_lists_module
from bot.store.additions import prepare_text
from bot.texts import files
from bot.texts.segment import Pace, segment
from tests.conftest import CORPUS

SMALL = {"TERM_LIST_MIN_DF": 40, "TERM_LIST_SIZE": 30}
"""Lists that leave paragraphs out even in the bundled library, so that merging matters."""


@pytest.fixture
def small_lists(corpus_db, tmp_path, monkeypatch) -> Store:
    for name, value in SMALL.items():
        monkeypatch.setattr(index_module, name, value)
    path = tmp_path / "lists.db"
    shutil.copy(corpus_db, path)
    store = Store(path)
    store.refresh_term_lists()
    yield store
    store.close()


def a_book(tmp_path, name="book.txt", words="zorblax") -> list:
    """A text of its own, sharing the bundled texts' common words."""
    bundled = sorted(CORPUS.glob("*.txt"))[1].read_text()
    path = tmp_path / name
    path.write_text(bundled.replace(" the ", f" the {words} "))
    return path


def lists(store: Store) -> dict[str, tuple[int, list[int], list[float]]]:
    found = {}
    for term, df, ids_blob, scores_blob in store.query("SELECT term, df, ids, scores FROM term_lists"):
        ids, scores = array("i"), array("f")
        ids.frombytes(ids_blob)
        scores.frombytes(scores_blob)
        found[term] = (df, ids.tolist(), scores.tolist())
    return found


def fts_scores(store: Store, term: str, ids: list[int]) -> dict[int, float]:
    marks = ",".join("?" * len(ids))
    word = store._words_for_terms({term})[term]
    rows = store.query(
        f"SELECT rowid, -rank FROM paragraphs_fts WHERE paragraphs_fts MATCH ? AND rowid IN ({marks})",
        ['"' + word + '"', *ids],
    )
    return {r[0]: r[1] for r in rows}


def test_a_new_texts_paragraphs_join_the_lists_scored_as_fts5_scores_them(small_lists, tmp_path):
    store = small_lists
    texts.ingest(store, [a_book(tmp_path)])
    [book] = [t for t in store.texts() if t.slug == "book"]
    mine = {r[0] for r in store.query("SELECT id FROM paragraphs WHERE text_id = ?", (book.id,))}
    docs = {r["term"]: r["doc"] for r in store.vocabulary()}
    joined = 0
    for term, (df, ids, scores) in lists(store).items():
        assert df == docs[term], term
        assert scores == sorted(scores, reverse=True) and len(ids) == len(set(ids)) <= SMALL["TERM_LIST_SIZE"]
        new = [i for i in ids if i in mine]
        if new:
            fresh = fts_scores(store, term, new)
            for rowid in new:
                assert scores[ids.index(rowid)] == pytest.approx(fresh[rowid], rel=1e-5)
            joined += len(new)
    assert joined > 50  # the book's paragraphs are among the best for many terms
    assert store.term_list_dfs(), "the lists are the library's: search uses them"


def test_the_lists_after_an_addition_hold_what_a_rebuild_would(small_lists, tmp_path):
    store = small_lists
    texts.ingest(store, [a_book(tmp_path)])
    kept = lists(store)
    store.refresh_term_lists()
    rebuilt = lists(store)
    assert set(kept) <= set(rebuilt)
    for term, (df, ids, _) in kept.items():
        assert df == rebuilt[term][0]
        # Scores kept from before drift a little with the library; the lists differ at most at
        # their ends, where scores are closest.
        assert len(set(ids) & set(rebuilt[term][1])) >= 0.9 * len(ids), term


def test_a_term_the_addition_makes_common_gets_its_list(small_lists, tmp_path):
    store = small_lists
    assert "zorblax" not in store.term_list_dfs()
    texts.ingest(store, [a_book(tmp_path)])
    df = store.term_list_dfs()["zorblax"]
    assert df == store.term_doc_counts(["zorblax"])["zorblax"] > SMALL["TERM_LIST_MIN_DF"]


def test_a_deleted_texts_paragraphs_leave_the_lists(small_lists, tmp_path):
    store = small_lists
    path = a_book(tmp_path)
    texts.ingest(store, [path])
    [book] = [t for t in store.texts() if t.slug == "book"]
    old = {r[0] for r in store.query("SELECT id FROM paragraphs WHERE text_id = ?", (book.id,))}
    path.write_text(path.read_text().replace("zorblax", "vrenkolt"))  # a new version: the old one goes
    texts.ingest(store, [path])
    docs = {r["term"]: r["doc"] for r in store.vocabulary()}
    remaining = {r[0] for r in store.query("SELECT id FROM paragraphs")}
    for term, (df, ids, _) in lists(store).items():
        assert df == docs[term] and set(ids) <= remaining, term
    assert "zorblax" not in store.term_list_dfs() and "vrenkolt" in store.term_list_dfs()
    assert not old & remaining or all(i in remaining for i in old)  # ids given again belong to the new version


def test_the_figures_in_memory_follow_an_addition_as_a_rebuild_would(small_lists, tmp_path):
    store = small_lists
    before_lexicon, before_stats = spelling.lexicon(store), library_stats(store)
    texts.ingest(store, [a_book(tmp_path)])
    assert store.changes_since(store._derived["search.lexicon"][0]) is not None  # this store's change
    updated, fresh = spelling.lexicon(store), spelling.read_lexicon(store)
    assert updated is not before_lexicon and updated.counts == fresh.counts and updated.words == fresh.words
    assert {k: sorted(v) for k, v in updated.by_length.items() if v} == {
        k: sorted(v) for k, v in fresh.by_length.items()
    }
    assert "zorblax" in updated.near_spellings("zorblaxx")
    stats, read = library_stats(store), read_library_stats(store)
    assert stats is not before_stats
    assert (dict(stats.doc_freq), dict(stats.count)) == (dict(read.doc_freq), dict(read.count))
    assert (stats.paragraphs, stats.tokens, stats.current_texts) == (read.paragraphs, read.tokens, read.current_texts)


def test_an_ingest_by_another_process_makes_the_figures_read_again(small_lists, tmp_path):
    store = small_lists
    spelling.lexicon(store)
    other = Store(store.path)  # another process's ingest: this store did not see it happen
    texts.ingest(other, [a_book(tmp_path)])
    other.close()
    assert store.changes_since(store._derived["search.lexicon"][0]) is None
    assert (
        spelling.lexicon(store).count("zorblax")
        == store.query("SELECT count FROM words WHERE word = 'zorblax'")[0][0]
        > 200
    )


def test_searches_go_on_while_a_text_is_being_stored(small_lists, tmp_path, monkeypatch):
    """The text's transaction runs on the store's writing connection: the store's own one,
    which searches use, is not held meanwhile."""
    store = small_lists
    inside, release = threading.Event(), threading.Event()
    original = term_lists_module.add_to_lists

    def slow(*args, **kwargs):
        inside.set()
        assert release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr("bot.store.additions.add_to_lists", slow)
    adding = threading.Thread(target=texts.ingest, args=(store, [a_book(tmp_path)]))
    adding.start()
    try:
        assert inside.wait(10), "the addition reached its transaction"
        found = search.search(store, "bureaucracy")  # answered while the transaction is open
        assert found.hits and not search.search(store, "zorblax").hits  # the text is not in yet
    finally:
        release.set()
        adding.join(10)
    assert search.search(store, "zorblax").hits


def test_a_failure_inside_the_transaction_leaves_nothing_of_the_text(small_lists, tmp_path, monkeypatch):
    store = small_lists
    before = (lists(store), store.word_counts(), store.library_fingerprint(), store.paragraph_count())

    def broken(*args, **kwargs):
        raise RuntimeError("the power went out")

    monkeypatch.setattr("bot.store.additions.add_to_lists", broken)
    [outcome] = texts.ingest(store, [a_book(tmp_path)])
    assert outcome.status == "failed" and "(RuntimeError)" in outcome.message
    after = (lists(store), store.word_counts(), store.library_fingerprint(), store.paragraph_count())
    assert after == before and not search.search(store, "zorblax").hits


def test_a_prepared_text_holds_its_words_and_index_terms(tmp_path):
    source = files.read_text(a_book(tmp_path))
    passages = segment(source.blocks, Pace())
    prepared = prepare_text("book", "book.txt", source.meta, source.content_hash, passages)
    paragraphs = [p.plain for passage in passages for p in passage.paragraphs]
    assert prepared.words["zorblax"] == sum(p.count("zorblax") for p in paragraphs) > 500
    assert prepared.stats.docs["zorblax"] == sum("zorblax" in p for p in paragraphs)
    assert len(prepared.searches) == len(prepared.stats.lengths)


def test_the_lists_are_built_again_once_the_library_has_doubled(small_lists, tmp_path):
    store = small_lists
    rows = store.paragraph_count()
    store.conn.execute("UPDATE meta SET value = ? WHERE key = 'term_lists_rows'", (str(rows // 2 - 1),))
    assert store.lists_outgrown()
    store.close()
    reopened = Store(store.path)
    assert not reopened.lists_outgrown()
    reopened.close()


def test_a_servers_text_and_its_private_counts_are_stored_in_the_same_transaction(small_lists):
    store = small_lists
    body = "Zorblax granite splits along its grain."
    text_id = store.replace_text("ledger", "x", TextMeta("Ledger"), "h", [Passage(1, "", (Paragraph(body, body),))], 7)
    assert store.query("SELECT count(*) FROM text_words WHERE text_id = ?", (text_id,))[0][0] == 6
    assert store.view(8).hidden_word_counts(["zorblax"]) == {"zorblax": 1}


def test_a_servers_view_writes_on_the_stores_one_writing_connection(small_lists):
    store = small_lists
    writer = store.writer_connection()
    assert store.view(5).writer_connection() is writer and writer is not store.conn
    body = "Vrenkolt granite."
    store.view(5).replace_text("mill", "x", TextMeta("Mill"), "m", [Passage(1, "", (Paragraph(body, body),))], 5)
    assert store.writer_connection() is writer and store._writers == {"writer": writer}
