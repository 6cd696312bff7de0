"""Keyword search over the real corpus: citations, excerpts, syntax, filters, no-hit cases."""

import re

from bot import search
from bot.models import MARK_END, MARK_START
from bot.search.results import EXCERPT_CHARS


def visible(excerpt: str) -> str:
    return excerpt.replace(MARK_START, "").replace(MARK_END, "")


def test_kronstadt_finds_cited_excerpts_with_the_word_highlighted(store):
    result = search.search(store, "Kronstadt")
    assert len(result.hits) >= 3
    for hit in result.hits:
        assert f"{MARK_START}Kronstadt{MARK_END}" in hit.excerpt
        assert hit.passage.text_title and hit.passage.author
        assert 1 <= hit.passage.ordinal <= hit.passage.passage_count
        assert "Kronstadt" in hit.paragraph
        assert hit.paragraph in hit.passage.body.replace("*", "")


def test_excerpts_are_at_most_about_three_hundred_characters(store):
    for query in ["revolution", "bureaucracy", "party state", "Lenin"]:
        for hit in search.search(store, query, limit=20).hits:
            assert len(visible(hit.excerpt)) <= EXCERPT_CHARS + 2


def test_each_paragraph_is_one_hit_at_most(store):
    hits = search.search(store, "Stalin", limit=30).hits
    assert len(hits) == 30
    assert len({h.paragraph_id for h in hits}) == len(hits)


def test_stemming_finds_inflected_forms(store):
    hits = search.search(store, "industrialised").hits
    assert any("industrialisation" in h.paragraph.lower() for h in hits)


def test_phrase_search(store):
    hits = search.search(store, '"socialism in one country"').hits
    assert hits and all("socialism in one country" in h.paragraph.lower() for h in hits)


def test_excluded_word_removes_paragraphs(store):
    hits = search.search(store, "Stalin -Trotsky", limit=30).hits
    assert hits and not any(re.search(r"\btrotsky\b", h.paragraph, re.I) for h in hits)


def test_or_finds_either(store):
    kronstadt = {h.paragraph_id for h in search.search(store, "Kronstadt", limit=50).hits}
    thermidor = {h.passage.id for h in search.search(store, "Thermidor", limit=50).hits}
    both = search.search(store, "Kronstadt OR Thermidor", limit=50).hits
    assert {h.passage.id for h in both} >= thermidor
    assert len(both) > len(thermidor) or kronstadt <= {h.paragraph_id for h in both}


def test_prefix_search_finds_the_words_it_begins(store):
    hits = search.search(store, "bureaucrati*", limit=30).hits
    found = {
        w.lower() for h in hits for w in re.findall(r"\w+", visible(h.excerpt)) if w.lower().startswith("bureaucrat")
    }
    assert {"bureaucratic", "bureaucratism"} <= found
    assert all("bureaucrat" in h.paragraph.lower() for h in hits)


def test_prefix_that_begins_no_word_says_so(store):
    result = search.search(store, "zzyq*")
    assert result.hits == () and "No text mentions zzyq*" in result.notice


def test_filter_by_partial_text_name(store):
    hits = search.search(store, "Stalin", text="thermidor", limit=30).hits
    assert hits and {h.passage.text_slug for h in hits} == {"trotsky-soviet-thermidor-1936"}


def test_filter_by_author(store):
    hits = search.search(store, "Lenin", text="mandel", limit=30).hits
    assert hits and {h.passage.author for h in hits} == {"Ernest Mandel"}


def test_unknown_text_filter_says_which_texts_exist(store):
    import pytest

    from bot.errors import NotFoundError

    with pytest.raises(NotFoundError, match="clark-open-letter"):
        search.search(store, "Stalin", text="kautsky")


def test_no_hits_says_so_and_suggests(store):
    result = search.search(store, "xylophone")
    assert result.hits == () and "No text mentions xylophone" in result.notice and "Try" in result.notice


def test_a_word_no_text_has_is_named_when_nothing_matches(store):
    result = search.search(store, "Kronstadt xylophone")
    assert result.hits == () and "No text mentions xylophone" in result.notice
    assert "Kronstadt alone" in result.notice


def test_words_that_never_meet_show_the_closest_paragraphs(store):
    result = search.search(store, "Kronstadt Bonapartism")
    assert result.hits and "No paragraph has all of these words" in result.notice


def test_hostile_inputs_return_results_or_a_notice(store):
    for query in ['"', "((", "NEAR(", "🙂🙂", "\x00\x07", "a" * 5000, '"Kronstadt', "-", "*", "col:Kronstadt"]:
        result = search.search(store, query)
        assert result.hits or result.notice


def test_unclosed_quote_is_treated_as_a_phrase(store):
    assert search.search(store, '"Kronstadt revolt').hits
