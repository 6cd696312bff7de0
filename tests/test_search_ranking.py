"""Ranking on a small library made for the purpose: which of two paragraphs comes first."""

from __future__ import annotations

import pytest

from bot import search, texts
from bot.search import candidates, rank
from bot.search.plan import plan
from bot.search.query import parse_query
from bot.store import Store

FILLER = " ".join(f"Sentence {n} of the filler says nothing in particular about anything." for n in range(30))


def library_of(tmp_path, name: str, body: str):
    """A library of one text, `body` after its title."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / f"{name.lower()}.txt").write_text(f"{name}\n\n{body}")
    store = Store(tmp_path / "made.db")
    texts.ingest(store, [folder])
    return store


@pytest.fixture
def made(tmp_path):
    store = library_of(
        tmp_path,
        "Harbours",
        FILLER
        + "\n\nThe clerks quoted the quiet harbour method in every letter, and again the quiet harbour method.\n\n"
        + FILLER
        + "\n\nThe theory of the quiet harbour method holds that ships wait for calm water before they sail.\n\n"
        + FILLER
        + "\n",
    )
    yield store
    store.close()


def test_a_paragraph_that_names_a_phrase_as_a_theory_comes_before_one_that_repeats_it(made):
    hits = search.search(made, '"quiet harbour method"').hits
    assert len(hits) == 2
    assert hits[0].paragraph.startswith("The theory of")


@pytest.fixture
def keepers(tmp_path):
    store = library_of(
        tmp_path,
        "Keepers",
        FILLER
        + "\n\nThe lighthouse keepers of the northern coast kept a careful log of every night.\n\n"
        + "Nobody sent a supply ship to them that winter, and the log says why.\n\n"
        + FILLER
        + "\n\nThe lighthouse keepers kept a careful log.\n\n"
        + FILLER
        + "\n",
    )
    yield store
    store.close()


def test_a_paragraph_whose_neighbour_holds_the_rest_of_the_query_comes_first(keepers, monkeypatch):
    """The answer runs over two paragraphs: the one followed by the rest of the query beats a
    shorter one holding the same words alone, which wins when neighbours are not read."""
    query = "lighthouse keepers supply ship"
    ranked = [h.paragraph for h in search.search(keepers, query).hits if "keepers" in h.paragraph]
    assert ranked[0].startswith("The lighthouse keepers of the northern coast")
    monkeypatch.setattr(rank, "CONTEXT", 0.0)
    alone = [h.paragraph for h in search.search(keepers, query).hits if "keepers" in h.paragraph]
    assert alone[0] == "The lighthouse keepers kept a careful log."


@pytest.fixture
def hyphenated(tmp_path):
    store = library_of(
        tmp_path,
        "Hours",
        FILLER
        + "\n\nThe unions fought for the eight-hour day, and General Chiang Kai-shek broke them in the port.\n\n"
        + FILLER
        + "\n\nEight ships sailed at the first hour of the morning, and the day was long for the crews.\n\n"
        + FILLER
        + "\n",
    )
    yield store
    store.close()


@pytest.mark.parametrize("typed", ["eighthour day", "Kaishek", "Chiang Kaishek", "EightHour"])
def test_a_word_typed_run_together_finds_the_two_words_the_text_writes_apart(hyphenated, typed):
    result = search.search(hyphenated, typed)
    assert result.hits, result.notice
    assert result.hits[0].paragraph.startswith("The unions fought")


def test_a_run_together_word_whose_halves_never_stand_together_is_not_split(hyphenated):
    """ "morning" and "day" are both words of the text, but never side by side."""
    asked = plan(hyphenated, parse_query("morningday"), candidates.library(hyphenated))
    assert ("morning", "day") not in {alt for part in asked.parts for alt in part.clause.alternatives}
    split = plan(hyphenated, parse_query("eighthour"), candidates.library(hyphenated))
    assert [part.clause.alternatives for part in split.parts] == [(("eight", "hour"),)]
