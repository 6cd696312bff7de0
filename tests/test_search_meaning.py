"""Search finds what a reader means: variants, misspellings, questions, duplicates, context."""

import re

import pytest

from bot import search
from bot.errors import NotFoundError
from bot.models import MARK_END, MARK_START
from bot.terms import index_term


def texts_of(result):
    return [h.passage.text_slug for h in result.hits]


def marked(excerpt: str) -> list[str]:
    words, rest = [], excerpt
    while MARK_START in rest:
        start = rest.index(MARK_START) + 1
        end = rest.index(MARK_END, start)
        words.append(rest[start:end])
        rest = rest[end + 1 :]
    return words


@pytest.mark.parametrize(
    "typed, written, text",
    [
        ("industrialise", "industrialisation", None),
        ("industrialization", "industrialisation", None),
        ("Kerensky", "Kerenskii", "thermidor"),
        ("Krupskaya", "Krupskaia", "thermidor"),
        ("Krupskaia", "Krupskaya", "selections"),
        ("organize", "organis", None),
        ("labor", "labour", None),
    ],
)
def test_a_variant_spelling_finds_the_texts_spelling(store, typed, written, text):
    result = search.search(store, typed, text=text)
    assert result.hits, typed
    assert any(written.lower() in h.paragraph.lower() for h in result.hits[:5])
    assert result.notice is None or "Showing results" not in result.notice


def test_the_form_closest_to_the_typed_word_ranks_first(store):
    """The index files "industry" and "industrialisation" under one stem; the reader who typed
    "industrialisation" means the second."""
    top = search.search(store, "industrialisation", limit=3).hits
    assert all(re.search(r"industriali[sz]", h.paragraph, re.I) for h in top)


def test_a_misspelling_the_stemmer_absorbs_still_finds_the_word(store):
    result = search.search(store, "Thermidore")
    assert result.hits and all("thermidor" in h.paragraph.lower() for h in result.hits)


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("burocracy", "bureaucracy"),
        ("Bonapartizm", "bonapartism"),
        ("Kronshtadt", "kronstadt"),
        ("Stallin", "stalin"),
    ],
)
def test_a_misspelled_word_is_corrected_and_the_user_told(store, typed, meant):
    result = search.search(store, typed)
    assert result.hits
    assert f"Showing results for *{meant}*" in result.notice
    assert any(meant in w.lower() for h in result.hits for w in marked(h.excerpt))


@pytest.mark.parametrize("word", ["quite", "armed", "power", "process", "during", "having", "masses"])
def test_a_word_the_texts_use_often_stands_only_for_itself(store, word):
    """Rare words one or two letters away ("quote", "aimed", "lowering", "profess", "daring",
    "saving", "mosses") are real words or slips, but not what the reader typed."""
    hits = search.search(store, word, limit=20).hits
    assert hits
    for hit in hits:
        assert index_term(word) in {index_term(w) for w in re.findall(r"[^\W_]+", hit.paragraph)}, hit.excerpt
        assert hit.found_as == ()


def test_a_rare_word_also_finds_its_near_spellings_and_each_such_hit_says_so(store):
    """ "plebeian" is in one paragraph; Trotsky's other translation spells it "plebian"."""
    hits = search.search(store, "plebeian", limit=10).hits
    exact = [h for h in hits if "plebeian" in h.paragraph]
    near = [h for h in hits if "plebeian" not in h.paragraph]
    assert exact and near
    assert hits.index(exact[0]) < hits.index(near[0])
    assert all(h.found_as == () for h in exact)
    assert all(h.found_as == ("plebian",) and "plebian" in h.paragraph for h in near)


@pytest.mark.parametrize(
    "typed, written",
    [("Hammurabi", "Hanurabi"), ("Babeuf", "Babuef"), ("Ilyich", "Ilych"), ("Khrushchev", "Krushchov")],
)
def test_a_name_a_text_misspells_is_found_from_its_right_spelling(store, typed, written):
    result = search.search(store, typed)
    assert any(written in h.paragraph for h in result.hits[:5])
    assert result.notice.startswith("Showing results for") and f"{typed} is not in the texts" in result.notice
    assert all(h.found_as for h in result.hits)


def test_a_name_missing_a_suffix_finds_the_longer_words_it_begins(store):
    assert any("Khrushchevite" in h.paragraph for h in search.search(store, "Khrushchev").hits)


def test_a_possessive_finds_the_name(store):
    hits = search.search(store, "Bettelheim's").hits
    assert hits and all("Bettelheim" in h.paragraph for h in hits)


@pytest.mark.parametrize("query", ["the Yalta conference", "the Berlin Wall", "the battle of Stalingrad"])
def test_an_event_no_text_mentions_gets_nothing_though_an_ordinary_word_of_it_is_there(store, query):
    result = search.search(store, query)
    assert result.hits == ()
    assert result.notice.startswith("No text mentions") and "Try" in result.notice


def test_a_short_word_no_text_has_is_not_swapped_for_one_of_many_neighbours(store):
    """ "bake" is one letter from make, take, base and sake: no telling, so no stand-in."""
    result = search.search(store, "bake")
    assert result.hits == () and result.notice.startswith("No text mentions bake")


@pytest.mark.parametrize("query", ["photosynthesis", "how to bake sourdough bread", "quantum chromodynamics"])
def test_a_question_nothing_answers_gets_nothing_and_a_suggestion(store, query):
    result = search.search(store, query)
    assert result.hits == ()
    assert "No text mentions" in result.notice and "Try" in result.notice


def test_a_plain_english_question_ranks_the_answering_paragraph_first(store):
    result = search.search(store, "what happens if the capitalists close the factories")
    top = result.hits[0].paragraph
    assert "lockout" in top or "close" in top.lower()
    assert "capitalists" in top


def test_question_words_do_not_drown_the_content_words(store):
    asked = search.search(store, "why did Stalin win against the opposition", limit=5).hits
    assert len(asked) == 5
    for hit in asked:
        text = hit.paragraph.lower()
        assert "stalin" in text and "opposition" in text


def test_the_same_paragraph_in_two_translations_is_one_hit_also_in_the_other(store):
    result = search.search(store, "Kronstadt", limit=10)
    trotsky = [h for h in result.hits if h.passage.text_slug.startswith("trotsky")]
    assert len(trotsky) == 1
    assert trotsky[0].also_in and trotsky[0].also_in[0].text_slug != trotsky[0].passage.text_slug
    assert {trotsky[0].passage.text_slug, trotsky[0].also_in[0].text_slug} == {
        "trotsky-selections",
        "trotsky-soviet-thermidor-1936",
    }


def test_different_paragraphs_of_one_text_are_not_collapsed(store):
    hits = search.search(store, "socialism in one country", text="clark", limit=10).hits
    assert len(hits) == 10 and all(not h.also_in for h in hits)


def test_context_gives_the_paragraphs_around_a_hit_and_cites_it(store):
    hit = search.search(store, "Kronstadt", limit=1).hits[0]
    found = search.context(store, hit.paragraph_id, around=1)
    assert [is_hit for _, _, is_hit in found.paragraphs].count(True) == 1
    assert 2 <= len(found.paragraphs) <= 3
    numbers = [n for n, _, _ in found.paragraphs]
    assert numbers == sorted(numbers) and numbers[-1] - numbers[0] == len(numbers) - 1
    assert found.passage.id == hit.passage.id


def test_context_of_a_vanished_paragraph_says_search_again(store):
    with pytest.raises(NotFoundError, match="search again"):
        search.context(store, 10**9)


def test_text_filters_accept_parts_of_names(store):
    assert set(texts_of(search.search(store, "bureaucracy", text="thermidor", limit=20))) == {
        "trotsky-soviet-thermidor-1936"
    }
    assert set(texts_of(search.search(store, "bureaucracy", text="trotsky", limit=30))) <= {
        "trotsky-soviet-thermidor-1936",
        "trotsky-selections",
        "clark-open-letter-to-trotskyists-2004",
    }


def test_syntax_still_works_with_variants(store):
    phrase = search.search(store, '"permanent revolution" -Stalin', limit=20).hits
    assert phrase and all("permanent revolution" in h.paragraph.lower() for h in phrase)
    assert all("stalin" not in h.paragraph.lower().replace("stalinis", "") for h in phrase)
    either = search.search(store, "Kerensky OR Krupskaya", limit=20).hits
    assert any("Kerenskii" in h.paragraph for h in either) and any("Krupskaia" in h.paragraph for h in either)


def test_words_typed_apart_find_the_word_a_text_runs_together(store):
    hits = search.search(store, "land ownership").hits
    assert any("landownership" in h.paragraph for h in hits)


def test_initials_of_a_name_typed_in_full_find_its_acronym(store):
    hits = search.search(store, "Communist Party of the Soviet Union", limit=5).hits
    assert any("CPSU" in h.paragraph and "Communist Party of the Soviet Union" not in h.paragraph for h in hits)


def test_a_shorter_form_of_the_stem_counts_less_than_the_word_typed(store):
    """The index files "Stalinism" under the stem of "Stalin": a reader asking for Stalinism
    should see it, not every paragraph naming Stalin."""
    hits = search.search(store, "Stalinism", limit=5).hits
    assert all(re.search(r"stalinis", h.paragraph, re.I) for h in hits)


def test_a_related_form_of_another_stem_is_found_after_the_word_itself(store):
    hits = search.search(store, "peasantry", limit=50).hits
    holding = ["peasantry" in h.paragraph.lower() for h in hits]
    assert all(holding[:10]) and False in holding
    assert all("peasant" in h.paragraph.lower() for h in hits)


def test_one_missing_word_does_not_sink_paragraphs_holding_the_rest(store):
    """A rare name beside a common word: the paragraph holding both comes first, and those
    holding only the common word follow it instead of being dropped."""
    hits = search.search(store, "Hilferding capitalism", limit=10).hits
    assert "Hilferding" in hits[0].paragraph
    assert len(hits) == 10
    assert all("capitalis" in h.paragraph.lower() for h in hits[1:])


def test_a_question_keeps_paragraphs_that_answer_in_other_words(store):
    """Only part of a question's words are in its answer: a paragraph holding a third of its
    weight is enough to answer."""
    question = search.search(store, "could the peasantry act as a political force on its own?", limit=50).hits
    assert "peasant" in question[0].paragraph.lower()
