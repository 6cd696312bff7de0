"""Ranking on a small library made for the purpose: which of two paragraphs comes first."""

from __future__ import annotations

import pytest

from bot import search, texts
from bot.search import candidates, rank, spelling
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
def scattered(tmp_path):
    """Each word of "the quarrel between Norway and Denmark" in a paragraph of its own."""
    store = library_of(
        tmp_path,
        "Kingdoms",
        FILLER
        + "\n\nThe quarrel over the fishing grounds lasted a generation.\n\n"
        + FILLER
        + "\n\nNorway sent its fleet north in the spring.\n\n"
        + FILLER
        + "\n\nDenmark kept its ships at home that year.\n\n"
        + FILLER
        + "\n",
    )
    yield store
    store.close()


def test_words_the_texts_hold_only_apart_are_not_an_answer(scattered):
    """Every word of the query is in some paragraph, but none holds half of it: that is how a
    question about something the library never discusses looks ("Hyde Park" in a library that
    has "hyde" and "park" apart), so nothing is shown. Showing the closest instead answered one
    more judged query but left a no-answer query with hits."""
    result = search.search(scattered, "the quarrel between Norway and Denmark")
    assert result.hits == ()
    assert "Nothing matches" in (result.notice or "")


def test_a_query_whose_weighty_word_no_text_has_still_shows_nothing_when_none_holds_enough(scattered):
    """A word no text has ("Sweden") keeps the rule: too little of the query held, nothing shown."""
    assert search.search(scattered, "Norway Denmark Sweden quarrel fleet").hits == ()


@pytest.fixture
def tariffs(tmp_path):
    """A short paragraph that names the tariff once, and a long one that argues about it."""
    argument = " ".join(f"Point {n} of the argument weighs what the grain merchants stood to lose." for n in range(20))
    store = library_of(
        tmp_path,
        "Tariffs",
        FILLER
        + "\n\nThe tariff came up once at dinner.\n\n"
        + FILLER
        + f"\n\nThe tariff was argued for a decade. {argument} The tariff fell in the end, and with the tariff"
        + " fell the government.\n\n"
        + FILLER
        + "\n",
    )
    yield store
    store.close()


def test_a_long_paragraph_that_argues_about_a_word_comes_before_a_short_one_that_names_it_once(tariffs, monkeypatch):
    """Length weighs little against repetition: the paragraph that keeps returning to the word
    is about it, however long. With BM25's usual k1 1.2 and b 0.75 the short mention won."""
    first = search.search(tariffs, "tariff").hits[0].paragraph
    assert first.startswith("The tariff was argued")
    monkeypatch.setattr(rank, "K1", 1.2)
    monkeypatch.setattr(rank, "B", 0.75)
    assert search.search(tariffs, "tariff").hits[0].paragraph == "The tariff came up once at dinner."


MANY = "\n\n".join(f"Paragraph {n} of the filler says nothing in particular." for n in range(30))
"""Short paragraphs enough that a word in two of them is not a common word of the library."""


@pytest.fixture
def ports(tmp_path):
    store = library_of(
        tmp_path,
        "Ports",
        "\n\n".join(
            [
                MANY,
                "Centralism was the word on every poster.",
                "The centralisation of the ports was the minister's whole plan.",
                "The central square of the town was quiet.",
                "An organism lives in the harbour mud.",
                "The dockers built an organisation of their own.",
                MANY,
            ]
        )
        + "\n",
    )
    yield store
    store.close()


def test_a_word_finds_the_words_derived_from_the_same_word_by_another_suffix(ports):
    """ "Centralism" and "centralisation" are both made from "central", a word of the library:
    a reader asking for one also finds the other, after the word itself."""
    found = [h.paragraph for h in search.search(ports, "centralism").hits]
    assert found[0] == "Centralism was the word on every poster."
    assert "The centralisation of the ports was the minister's whole plan." in found


def test_words_whose_shared_part_is_too_short_are_not_one_family(ports):
    """ "Organism" and "organisation" both begin with "organ", a word too, but five letters say
    too little: they are two words."""
    found = [h.paragraph for h in search.search(ports, "organism").hits]
    assert found == ["An organism lives in the harbour mud."]


@pytest.mark.parametrize(
    "word, base",
    [("centralisation", "central"), ("centralism", "central"), ("capitalists", "capital"), ("organism", "organism")],
)
def test_the_derivational_suffix_is_cut_when_enough_of_the_word_remains(word, base):
    assert spelling.derivation_base(word) == base


@pytest.fixture
def two_texts(tmp_path):
    """A book about the lighthouse and its tax, and a diary that mentions the tax once, in
    almost the words of one of the book's paragraphs."""
    folder = tmp_path / "texts"
    folder.mkdir()
    book = [
        "The lighthouse keepers were paid by every ship that entered the harbour.",
        "Owners of small boats called the lighthouse a theft.",
        "In the end the lighthouse was sold.",
        "Nobody remembered who first thought of the lighthouse tax, or when.",
    ]
    diary = ["Nobody remembered who first thought of the lighthouse tax."]
    (folder / "book.txt").write_text("Book\n\n" + "\n\n".join([MANY, *book, MANY]) + "\n")
    (folder / "diary.txt").write_text("Diary\n\n" + "\n\n".join([MANY, *diary, MANY]) + "\n")
    store = Store(tmp_path / "made.db")
    texts.ingest(store, [folder])
    yield store
    store.close()


def test_of_two_paragraphs_alike_the_one_in_a_text_about_the_query_is_the_one_shown(two_texts, monkeypatch):
    """The book keeps returning to the lighthouse, the diary names its tax once in almost the
    book's words: the hit shown is the book's (the diary's is listed beside it), though the
    diary's is the shorter and so wins on its own words."""

    def shown_from():
        hits = search.search(two_texts, "lighthouse tax", limit=10).hits
        return [h.passage.text_slug for h in hits if h.paragraph.startswith("Nobody remembered")]

    assert shown_from() == ["book"]
    monkeypatch.setattr(rank, "TEXT_EVIDENCE", 0.0)
    assert shown_from() == ["diary"]


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
