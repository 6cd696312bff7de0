"""Ranking on a small library made for the purpose: which of two paragraphs comes first."""

from __future__ import annotations

import pytest

from bot import search, texts
from bot.store import Store

FILLER = " ".join(f"Sentence {n} of the filler says nothing in particular about anything." for n in range(30))


@pytest.fixture
def made(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "harbours.txt").write_text(
        "Harbours\n\n"
        + FILLER
        + "\n\nThe clerks quoted the quiet harbour method in every letter, and again the quiet harbour method.\n\n"
        + FILLER
        + "\n\nThe theory of the quiet harbour method holds that ships wait for calm water before they sail.\n\n"
        + FILLER
        + "\n"
    )
    store = Store(tmp_path / "made.db")
    texts.ingest(store, [folder])
    yield store
    store.close()


def test_a_paragraph_that_names_a_phrase_as_a_theory_comes_before_one_that_repeats_it(made):
    hits = search.search(made, '"quiet harbour method"').hits
    assert len(hits) == 2
    assert hits[0].paragraph.startswith("The theory of")
