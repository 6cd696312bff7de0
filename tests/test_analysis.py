"""Passage analysis: key terms, names, the central sentence, contrasts, connections."""

from __future__ import annotations

import re

import pytest

from bot import texts
from bot.questions.analysis import analyse_passage, library_stats
from bot.questions.analysis.contrasts import find_contrasts
from bot.questions.analysis.library import read_library_stats
from bot.questions.analysis.names import find_names
from bot.questions.analysis.sentences import nest_quotes
from bot.questions.analysis.terms import key_terms, keyness
from bot.questions.analysis.tokens import STOPWORDS, read_passage, stem
from bot.textutil import squash


@pytest.fixture(scope="module")
def analyses(library):
    return [
        (p, analyse_passage(library, p)) for text in texts.list_texts(library) for p in texts.passages(library, text)
    ]


def passage_of(library, text: str, ordinal: int):
    return texts.passage(library, texts.resolve_text(library, text), ordinal)


# -- stems and library figures --------------------------------------------------------------------


def test_passage_words_get_the_stems_the_keyword_index_gives_them(library):
    stats = library_stats(library)
    words = {w for (plain,) in library.query("SELECT plain FROM paragraphs") for w in re.findall(r"[^\W_]+", plain)}
    ours = {stem(w) for w in words if w.isalpha()}
    index_terms = {t for t in stats.doc_freq if t.isalpha()}
    agreement = len(ours & index_terms) / len(index_terms)
    assert agreement > 0.99
    assert stem("revolutions") == stem("revolution") == "revolut"


def test_library_figures_follow_the_library_when_a_text_is_added(store, tmp_path):
    before = library_stats(store)
    assert library_stats(store) is before, "computed once, then kept"
    path = tmp_path / "new.txt"
    path.write_text("Zyxtopia and its zyxtopian planners. " * 60)
    texts.ingest(store, [path])
    after = library_stats(store)
    assert after.paragraphs > before.paragraphs
    assert after.occurrences(stem("zyxtopia")) == 60 and before.occurrences(stem("zyxtopia")) == 0


def test_keyness_rewards_what_a_passage_uses_more_than_the_library_does():
    assert keyness(8, 400, 10, 40_000) > keyness(2, 400, 10, 40_000) > 0
    assert keyness(8, 400, 10, 40_000) > keyness(8, 400, 4000, 40_000)
    assert keyness(1, 400, 1000, 40_000) < 0


# -- key terms ------------------------------------------------------------------------------------


def test_every_key_term_is_a_supported_content_word_of_its_passage(library, analyses):
    stats = library_stats(library)
    for passage, analysis in analyses:
        assert len(analysis.terms) >= 2, (passage.text_slug, passage.ordinal)
        text = squash(analysis.text.plain)
        for term in analysis.terms:
            assert squash(term.text) in text
            assert term.uses >= 2, term
            assert all(stats.occurrences(s) >= term.uses for s in term.stems)
            assert term.text.lower() not in STOPWORDS


def test_an_ocr_slip_is_never_a_key_term(library, analyses):
    """Hart's review has "mosses" once for "masses": rare, so keyness alone would favour it."""
    hart = [(p, a) for p, a in analyses if p.text_slug == "hart-on-bettelheim-1976"]
    with_slip = [a for p, a in hart if re.search(r"\bmosses\b", p.body)]
    assert with_slip, "the corpus still has its slip"
    for analysis in with_slip:
        assert "mosses" not in [t.text for t in analysis.terms]
    stats = library_stats(library)
    for _, analysis in analyses:
        for term in analysis.terms:
            assert min(stats.occurrences(s) for s in term.stems) >= 2


def test_key_terms_are_distinctive_for_the_passage():
    """A word the passage repeats but the whole library uses everywhere loses to one it doesn't."""
    from bot.questions.analysis.library import LibraryStats

    stats = LibraryStats(
        paragraphs=100, tokens=50_000, doc_freq={}, count={stem("party"): 900, stem("thermidor"): 6, stem("the"): 3000}
    )
    text = read_passage(
        "The party and the Thermidor. The party met; the thermidor of the party came. "
        "The thermidor was the party's end."
    )
    terms = [t.text for t in key_terms(text, stats)]
    assert terms and terms[0] == "thermidor"


def test_recurring_two_word_phrases_stand_for_their_words(library):
    analysis = analyse_passage(library, passage_of(library, "mandel", 9))
    texts = [t.text for t in analysis.terms]
    assert "vanguard party" in texts
    assert "vanguard" not in texts


def test_verbs_and_adjectives_do_not_pass_for_key_terms():
    """Keyness alone would take a repeated verb ("felt") as a term: only noun heads qualify."""
    from bot.questions.analysis.library import LibraryStats

    stats = LibraryStats(
        paragraphs=100,
        tokens=50_000,
        doc_freq={},
        count={stem(w): 5 for w in ("felt", "remarkable", "bureaucracy", "unemployed")},
    )
    text = read_passage(
        "The workers felt it. They felt the bureaucracy grow. It was remarkable, truly remarkable. "
        "The bureaucracy ruled the unemployed, and the unemployed waited."
    )
    terms = {t.text for t in key_terms(text, stats)}
    assert {"bureaucracy", "unemployed"} <= terms
    assert not terms & {"felt", "remarkable"}


# -- names ----------------------------------------------------------------------------------------


def test_names_are_people_places_and_events_the_passage_brings_in(library):
    analysis = analyse_passage(library, passage_of(library, "thermidor", 3))
    names = [n.text for n in analysis.names]
    assert "Pilsudski" in names and "England" in names
    assert "Soviet" not in names and "the Soviet" not in names


def test_names_keep_their_article_and_leave_out_the_author(library):
    analysis = analyse_passage(library, passage_of(library, "clark", 11))
    names = [n.text for n in analysis.names]
    assert "the Red Army" in names
    assert not any("Clark" in n for n in names)


def test_a_one_off_misspelt_name_is_not_taken_for_a_name(library, analyses):
    """Mandel's text has "Leibman" once for "Liebman"; Trotsky's "Iasting" for "lasting"."""
    names = {n.text for _, a in analyses for n in a.names}
    assert "Leibman" not in names and "Iasting" not in names
    assert "Rosa Luxemburg" in names and "Kerensky" in names


def test_adjectives_of_nationality_and_doctrines_are_not_names(analyses):
    names = {n.text.removeprefix("the ") for _, a in analyses for n in a.names}
    assert not names & {"Russian", "Chinese", "Stalinist", "Trotskyist", "Leninism", "Marxist", "Soviet", "Bolshevik"}


def test_names_without_library_figures_still_need_a_capital_mid_sentence(library):
    text = read_passage("Thus the party met. The council asked Zinoviev and Kamenev to speak. Zinoviev refused.")
    names = [n.text for n in find_names(text, library_stats(library))]
    assert "Zinoviev" in names and "Kamenev" in names
    assert "Thus" not in names and "The" not in names


# -- the central sentence -------------------------------------------------------------------------


def test_every_passage_has_a_central_sentence_short_enough_to_quote(analyses):
    missing = [(p.text_slug, p.ordinal) for p, a in analyses if not a.quotes]
    assert len(missing) <= 3, missing
    for _passage, analysis in analyses:
        for quote in analysis.quotes:
            assert 40 <= len(quote.text) <= 190
            assert squash(quote.text) in squash(analysis.text.plain)
            assert quote.text[0].isupper() and quote.text[-1] in ".!"
            assert "“" not in quote.text and "”" not in quote.text


def test_the_central_sentence_is_the_authors_own_not_a_quotation(library):
    analysis = analyse_passage(library, passage_of(library, "mandel", 5))
    quoted_by_mandel = "They have had to follow the leadership either of the proletariat"
    assert all(quoted_by_mandel not in q.text for q in analysis.quotes)


def test_the_central_sentence_says_what_the_passage_says(library):
    analysis = analyse_passage(library, passage_of(library, "thermidor", 3))
    assert "bureaucracy" in analysis.quotes[0].text


def test_inner_quotation_marks_become_single_and_unpaired_ones_are_refused():
    assert nest_quotes("He called it “new democracy” twice.") == "He called it ‘new democracy’ twice."
    assert nest_quotes('He called it "new democracy" twice.') == "He called it ‘new democracy’ twice."
    assert nest_quotes("He called it “new democracy twice.") is None


# -- contrasts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, marker",
    [
        ("Between these two facts there was not only a chronological, but a causal connection.", None),
        ("The crisis was not a chronological accident but a causal connection of the two.", "not … but"),
        ("The workers wanted bread, whereas the bureaucracy wanted order above everything.", "whereas"),
        ("The state did not wither away; on the contrary, it grew stronger every single year.", "on the contrary"),
        ("The party chose to negotiate with the peasants rather than to requisition their grain.", "rather than"),
    ],
)
def test_contrasts_are_found_by_the_words_that_draw_them(sentence, marker):
    found = find_contrasts(read_passage(sentence))
    if marker is None:
        assert found == [], "'not only ... but' adds, it does not contrast"
    else:
        assert [c.marker for c in found] == [marker]
        assert found[0].quote == sentence


def test_a_long_contrasting_sentence_is_quoted_by_its_clause():
    sentence = (
        "In the years that followed the civil war, when the victorious commanders took up leading "
        "posts everywhere, the new regime rested not on the initiative of the masses but on the "
        "apparatus of officials, and this, as we shall see later in some detail, decided a great deal."
    )
    [contrast] = find_contrasts(read_passage(sentence))
    assert contrast.quote.startswith("…") and contrast.quote.endswith("…")
    assert "not on the initiative of the masses but on the apparatus of officials" in contrast.quote
    assert len(contrast.quote) <= 190


def test_a_contrast_inside_someone_elses_words_is_not_the_authors(library):
    text = read_passage(
        "He wrote: “It is not a question of words but of deeds, whereas they talk.” We disagree with this."
    )
    assert find_contrasts(text) == []


# -- connections ----------------------------------------------------------------------------------


def test_a_connection_points_to_another_text_by_another_author(library, analyses):
    connected = [(p, a.connection) for p, a in analyses if a.connection]
    assert len(connected) >= 90
    for passage, connection in connected:
        assert connection.passage.text_id != passage.text_id
        topic = connection.topic.removeprefix("the ")
        assert squash(topic) in squash(read_passage(passage.body).plain)
        other = squash(read_passage(connection.passage.body).plain)
        assert squash(topic.split()[-1][:5]) in other
    other_author = [c for p, c in connected if c.passage.author != p.author]
    assert len(other_author) >= len(connected) - 2


def test_library_figures_read_from_the_index_match_the_cached_ones(library):
    assert read_library_stats(library).count == library_stats(library).count


def test_a_passage_is_read_without_its_markup_paragraph_by_paragraph():
    text = read_passage("One *emphasised* word.\n\nA second paragraph here.")
    assert text.plain == "One emphasised word.\n\nA second paragraph here."
    assert [s.paragraph for s in text.sentences] == [0, 1]
    assert [t.text for t in text.tokens][:3] == ["One", "emphasised", "word"]
