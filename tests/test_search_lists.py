"""Candidates from the per-term lists of best paragraphs (Store.refresh_term_lists), the path a
large library takes for common words, checked on the bundled corpus with a low list threshold."""

from __future__ import annotations

import re
import shutil

import pytest

from bot import search, texts
from bot import store as store_module
from bot.search import candidates as search_module
from bot.store import index as index_module
from tests.conftest import CORPUS

WORD_QUERIES = [
    "revolution",
    "party state",
    "Lenin OR Trotsky",
    "bureaucra*",
    "Stalin -Trotsky",
    "why did Stalin win against the opposition",
    "peasant kulak grain",
]
PHRASE_QUERIES = ['"working class"', '"socialism in one country"']


def hit_ids(store, query: str, **kwargs) -> list[int]:
    return [h.paragraph_id for h in search.search(store, query, **kwargs).hits]


@pytest.fixture
def via_lists(monkeypatch):
    """Every query whose words have lists is answered from them (no FTS5 ranking of words)."""
    monkeypatch.setattr(search_module, "LIST_WORK", 0)


def test_only_terms_in_many_paragraphs_have_lists(store):
    listed = store.term_list_dfs()
    assert listed and all(df > index_module.TERM_LIST_MIN_DF for df in listed.values())
    assert "revolut" not in listed


def test_lists_hold_each_common_term_best_paragraphs_first(store):
    store.refresh_term_lists(min_df=3, size=5)
    listed = store.term_list_dfs()
    assert "revolut" in listed and listed["revolut"] > 5
    ids, scores = store.term_list("revolut")
    assert len(ids) == len(scores) == 5
    assert list(scores) == sorted(scores, reverse=True)
    best = [r[0] for r in store.match_ids('"revolution"', 5)]
    assert list(ids) == best


def test_a_term_stemmed_again_differently_is_listed_by_a_word_of_it(store):
    # FTS5 stores "unemploy" for "unemployment", but asked for "unemploy" it would stem that again.
    store.refresh_term_lists(min_df=1, size=1000)
    ids, _ = store.term_list("unemploy")
    assert set(ids) == set(store.all_match_ids('"unemployment"'))
    assert len(ids) == store.term_list_dfs()["unemploy"]


@pytest.mark.parametrize("query", WORD_QUERIES)
def test_lists_give_the_same_top_hits_as_fts5(store, monkeypatch, query):
    monkeypatch.setattr(search_module, "LIST_WORK", 10**9)
    expected = hit_ids(store, query)
    store.refresh_term_lists(min_df=3, size=100_000)
    monkeypatch.setattr(search_module, "LIST_WORK", 0)
    assert search_module.library(store).listed  # the lists are seen at once (cache invalidated)
    assert hit_ids(store, query)[:5] == expected[:5]


@pytest.mark.parametrize("query", PHRASE_QUERIES)
def test_phrases_of_listed_words_find_the_phrase(store, via_lists, query):
    store.refresh_term_lists(min_df=3, size=100_000)
    phrase = re.compile(r"\W+".join(query.strip('"').split()), re.I)
    hits = search.search(store, query).hits
    assert hits and all(phrase.search(h.paragraph) for h in hits)


def test_lists_are_used_only_when_fts5_would_score_many_paragraphs(store, monkeypatch):
    store.refresh_term_lists(min_df=3, size=100_000)
    asked = []
    original = store.match_paragraphs
    monkeypatch.setattr(store, "match_paragraphs", lambda *a: asked.append(a) or original(*a))
    search.search(store, "Kronstadt")  # a rare word: FTS5 ranks its few paragraphs itself
    assert len(asked) == 1
    monkeypatch.setattr(search_module, "LIST_WORK", 0)
    search.search(store, "revolution")
    search.search(store, "revolution", text="thermidor")  # one text's paragraphs: FTS5 again
    assert len(asked) == 2


def test_stale_lists_never_return_excluded_words_nor_old_versions(tmp_path, via_lists):
    folder = tmp_path / "texts"
    shutil.copytree(CORPUS, folder)
    store = store_module.Store(tmp_path / "db.sqlite")
    texts.ingest(store, [folder])
    store.refresh_term_lists(min_df=3, size=100_000)
    old = {r[0] for r in store.query("SELECT id FROM paragraphs")}
    path = folder / "trotsky-soviet-thermidor-1936.txt"
    path.write_text(path.read_text() + "\n\nStalin and Trotsky met the bureaucracy.\n")
    original = store.refresh_term_lists
    store.refresh_term_lists = lambda *a, **k: None  # the lists stay as they were
    try:
        texts.ingest(store, [folder])
    finally:
        store.refresh_term_lists = original
    hits = search.search(store, "Stalin -Trotsky", limit=30).hits
    assert hits and not any(re.search(r"\btrotsky\b", h.paragraph, re.I) for h in hits)
    replaced = {
        r[0]
        for r in store.query("SELECT p.id FROM paragraphs p JOIN texts t ON t.id = p.text_id WHERE t.is_current = 0")
    }
    assert replaced <= old and not {h.paragraph_id for h in hits} & replaced
    store.close()


def test_lists_are_rebuilt_after_ingesting_a_changed_text(tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "TERM_LIST_MIN_DF", 3)
    folder = tmp_path / "texts"
    folder.mkdir()
    path = folder / "notes.txt"
    path.write_text("# Notes\n\nThe first paragraph is about bread.\n")
    store = store_module.Store(tmp_path / "db.sqlite")
    texts.ingest(store, [folder])
    assert "zyzzogeton" not in store.term_list_dfs()
    path.write_text("# Notes\n\n" + "\n\n".join(f"Zyzzogeton number {n} is here." for n in range(5)) + "\n")
    texts.ingest(store, [folder])
    assert store.term_list_dfs().get("zyzzogeton") == 5
    ids, _ = store.term_list("zyzzogeton")
    current = {
        r[0]
        for r in store.query("SELECT p.id FROM paragraphs p JOIN texts t ON t.id = p.text_id WHERE t.is_current = 1")
    }
    assert set(ids) == current
    store.close()


def test_opening_a_database_builds_lists_it_lacks(tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "TERM_LIST_MIN_DF", 3)
    store = store_module.Store(tmp_path / "db.sqlite")
    texts.ingest(store, [CORPUS])
    store.query("DELETE FROM term_lists")
    store.query("DELETE FROM meta WHERE key = 'term_lists'")
    store.close()
    reopened = store_module.Store(tmp_path / "db.sqlite")
    assert "revolut" in reopened.term_list_dfs()
    reopened.close()


def test_a_new_text_is_searchable_at_once(tmp_path):
    """Counts of words (cached per library version) see a text ingested after a search."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("# A\n\nThe first paragraph is about bread.\n")
    store = store_module.Store(tmp_path / "db.sqlite")
    texts.ingest(store, [folder])
    assert not search.search(store, "Zyzzogeton").hits
    (folder / "b.txt").write_text("# B\n\nA paragraph about the Zyzzogeton.\n")
    texts.ingest(store, [folder])
    assert [h.passage.text_slug for h in search.search(store, "Zyzzogeton").hits] == ["b"]
    store.close()
