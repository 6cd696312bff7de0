"""Passage analysis: concepts, names, the argument (thesis, views and their holders, reasons,
evidence, causes, counterfactuals, concessions), contrasts, connections."""

from __future__ import annotations

import re

import pytest

from bot import texts
from bot.questions.analysis import analyse_passage, library_stats
from bot.questions.analysis.argument import MIN_THESIS_STRENGTH, find_argument
from bot.questions.analysis.claims import RHETORICAL, read_claim
from bot.questions.analysis.connections import MIN_SIMILARITY, cosine, passage_vector
from bot.questions.analysis.contrasts import find_contrasts
from bot.questions.analysis.everyday import word_is_key
from bot.questions.analysis.library import read_library_stats, text_words
from bot.questions.analysis.names import find_names
from bot.questions.analysis.sentences import dangles, flat_text, garbled, nest_quotes, quote_through, stands_alone
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


def test_every_key_term_is_a_concept_of_its_text_or_marked_by_its_passage(library, analyses):
    """A single word is a key term only if its text uses it far more than everyday English does,
    or the passage quotes it or calls it "so-called"; a phrase only if the text repeats it."""
    stats = library_stats(library)
    for passage, analysis in analyses:
        assert analysis.terms, (passage.text_slug, passage.ordinal)
        words = text_words(library, passage.text_id)
        plain = squash(analysis.text.plain)
        for term in analysis.terms:
            assert squash(term.text) in plain, term
            assert term.text.lower() not in STOPWORDS
            if term.marked in ("quoted", "so-called"):
                continue
            parts = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", term.text.lower())
            if len(parts) > 1:
                assert words.phrases.get(" ".join(parts).replace("’", "'"), 0) >= 2, term
            else:
                assert word_is_key(term.text, words.counts, words.total), term
                assert term.uses >= 2 and all(stats.occurrences(s) >= term.uses for s in term.stems), term


def test_everyday_words_are_never_concepts_and_the_essays_own_words_are(library):
    thermidor = text_words(library, texts.resolve_text(library, "thermidor").id)
    mandel = text_words(library, texts.resolve_text(library, "mandel").id)
    for words in (thermidor, mandel):
        for everyday in ("eyes", "direction", "length", "mouth", "lack", "expression"):
            assert not word_is_key(everyday, words.counts, words.total), everyday
    for concept in ("state", "party", "bureaucracy", "masses"):
        assert word_is_key(concept, thermidor.counts, thermidor.total), concept


def test_the_phrases_a_text_keeps_repeating_are_its_concepts(library, analyses):
    clark = [a for p, a in analyses if p.text_slug.startswith("clark")]
    with_phrase = [a for a in clark if "socialism in one country" in [t.text for t in a.terms]]
    assert len(with_phrase) >= len(clark) // 3
    for analysis in with_phrase:
        assert "socialism" not in [t.text for t in analysis.terms], "the phrase hides its word"


def test_a_word_the_passage_quotes_from_someone_else_is_theirs(library):
    text = read_passage(
        "Liebman calls the change of 1917 a “synthesis” of two strategies. But there was no synthesis "
        "at all: there was a change of analysis, and the synthesis is in Liebman’s book, not in Lenin."
    )
    argument = find_argument(text, {}, author="Ernest Mandel", is_name=lambda w: w in ("Liebman", "Lenin"))
    terms = {t.text: t for t in key_terms(text, library_stats(library), holders=argument.holders)}
    assert terms["synthesis"].holder == "Liebman"
    assert terms["synthesis"].marked in ("quoted", "called")


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


# -- the argument ---------------------------------------------------------------------------------


def argument_of(body: str, author: str = "Ernest Mandel", names=("Liebman", "Lenin", "Bettelheim", "Engels")):
    return find_argument(read_passage(body), {}, author=author, is_name=lambda w: w in names)


def test_almost_every_passage_has_a_thesis_in_the_authors_own_words(analyses):
    """A passage whose every claim leans on a sentence before it ("Clearly, only the second line
    ...") or is a report of someone else's view has none, and that is rare."""
    missing = [(p.text_slug, p.ordinal) for p, a in analyses if not a.argument.theses]
    assert len(missing) <= 0.06 * len(analyses), missing
    for _passage, analysis in analyses:
        plain = squash(analysis.text.plain)
        for claim in analysis.argument.theses:
            assert 40 <= len(claim.quote) <= 191
            # a quote is the author's words; "…" marks where a clause between them was left out
            assert all(squash(piece) in plain for piece in claim.quote.rstrip("…").split(" … "))
            assert "“" not in claim.quote and "”" not in claim.quote
            sentence = analysis.text.sentences[claim.sentence]
            assert not sentence.quoted and claim.sentence not in analysis.argument.holders


def test_the_thesis_is_never_a_quotation_or_someone_elses_view(library):
    analysis = analyse_passage(library, passage_of(library, "mandel", 5))
    quoted_by_mandel = "They have had to follow the leadership either of the proletariat"
    assert all(quoted_by_mandel not in c.quote for c in analysis.argument.theses)
    reported = analyse_passage(library, passage_of(library, "mandel", 4))
    assert all(not c.quote.startswith(("Liebman correctly", "He is wrong")) for c in reported.argument.theses)


def test_a_view_belongs_to_its_holder_and_the_author_may_endorse_or_dispute_it():
    argument = argument_of(
        "Liebman correctly states that the strategy of 1905 aimed at a bourgeois state. He is wrong, "
        "however, in supposing that this idea was somehow surprising from the Marxist standpoint."
    )
    assert [(v.holder, v.stance) for v in argument.views] == [("Liebman", "endorsed"), ("Liebman", "disputed")]
    assert argument.views[1].quote.startswith("[Liebman] is wrong, however, in supposing")
    assert set(argument.holders) == {1}, "the disputed view is Liebman's, not a claim of the author's"


def test_what_a_holder_rejects_is_not_the_authors_rejection_of_them():
    argument = argument_of(
        "Bettelheim explains how Lenin's description of the new economic policy as a retreat was incorrect."
    )
    assert [(v.holder, v.stance) for v in argument.views] == [("Bettelheim", "reported")]


def test_a_narrated_act_is_not_a_reported_view():
    argument = argument_of("Lenin wrote his article on co-operation in the last months of his active life.")
    assert argument.views == ()


def test_the_author_is_never_the_holder_of_someone_elses_view():
    argument = argument_of("Mandel argues that the party was the decisive link between theory and practice.")
    assert argument.views == ()


def test_concessions_and_what_is_held_despite_them():
    argument = argument_of(
        "Although most heretical opinions are false, the suppression of any opinion robs the human race of "
        "something. Of course, no serious historian now denies that Berlin gave Vienna a free hand after "
        "Sarajevo. But a free hand is not a plan for a general war."
    )
    pairs = [(t.granted, t.held) for t in argument.tensions]
    assert (
        "most heretical opinions are false",
        "the suppression of any opinion robs the human race of something",
    ) in pairs
    assert any(
        g.startswith("no serious historian now denies") and h == "a free hand is not a plan for a general war"
        for g, h in pairs
    )


def test_counterfactuals_causes_evidence_and_reasons_are_found_by_their_markers():
    argument = argument_of(
        "If the Kaiser had truly wanted a general war, he would not have spent July urging Vienna to halt. "
        "It would have been better if he had grasped the turn made by Lenin in 1917 at once. "
        "The swift growth of the ruling party inevitably gave rise to deep inner disagreements. "
        "Between 1910 and 1914 German army expenditure rose by almost 60 per cent every single year. "
        "The general staff saw the war as winnable because the Russian programme was not yet complete."
    )
    assert [c.sentence for c in argument.counterfactuals] == [0], "a regret is not a counterfactual"
    assert 2 in [c.sentence for c in argument.causes]
    assert 3 in [c.sentence for c in argument.evidence]
    assert 4 in [c.sentence for c in argument.reasons]


def test_a_sentence_with_an_ocr_slip_is_never_quoted():
    text = read_passage(
        "The bureaucracy won a Iasting victory over the party and the masses of the working class. "
        "The bureaucracy won because the masses were exhausted by the long years of civil war."
    )
    argument = find_argument(text, {}, is_known=lambda token: token.text != "Iasting")
    assert all(c.sentence != 0 for c in argument.theses)
    assert argument.theses


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
        ("The state did not wither away; on the contrary, it grew stronger every single year.", None),
        ("Instead of the expected prosperity of the country an ominous destitution reigned.", None),
        ("These people could not have made the revolution, but they were suited to exploit it.", None),
        ("The party chose to negotiate with the peasants rather than to requisition their grain.", "rather than"),
    ],
)
def test_contrasts_are_found_by_the_words_that_draw_them(sentence, marker):
    found = find_contrasts(read_passage(sentence))
    if marker is None:
        assert found == [], "adding, narrating or joining two clauses is not setting one view against another"
    else:
        assert [c.marker for c in found] == [marker]
        assert found[0].quote == sentence


def test_a_long_contrasting_sentence_is_quoted_from_its_start_through_the_contrast():
    sentence = (
        "The new regime rested not on the initiative of the masses but on the apparatus of officials, "
        "and this, as we shall see later in some detail when we come to the years that followed the "
        "civil war and the victorious commanders, decided a great deal about the shape of the state."
    )
    [contrast] = find_contrasts(read_passage(sentence))
    assert contrast.quote == (
        "The new regime rested not on the initiative of the masses but on the apparatus of officials…"
    )


def test_a_contrast_in_the_middle_of_a_long_sentence_is_not_quoted_from_its_middle():
    sentence = (
        "In the years that followed the civil war, when the victorious commanders took up leading "
        "posts everywhere, the new regime rested not on the initiative of the masses but on the "
        "apparatus of officials, and this, as we shall see later in some detail, decided a great deal."
    )
    assert find_contrasts(read_passage(sentence)) == [], "a quote never starts with “…”"


def test_a_contrast_inside_someone_elses_words_is_not_the_authors(library):
    text = read_passage(
        "He wrote: “It is not a question of words but of deeds, whereas they talk.” We disagree with this."
    )
    assert find_contrasts(text) == []


# -- connections ----------------------------------------------------------------------------------


def test_a_connection_points_to_a_similar_passage_by_another_author(library, analyses):
    stats = library_stats(library)
    connected = [(p, a.connection) for p, a in analyses if a.connection]
    assert len(connected) >= 20
    for passage, connection in connected:
        shared = connection.shared
        assert len(shared) >= 2 or any(" " in t and not t.istitle() for t in shared), (
            "one word or one name is too little"
        )
        assert connection.passage.author != passage.author
        similarity = cosine(
            passage_vector(read_passage(passage.body), stats),
            passage_vector(read_passage(connection.passage.body), stats),
        )
        assert similarity >= MIN_SIMILARITY and abs(similarity - connection.similarity) < 1e-9
        assert connection.shared
        for word in connection.shared:
            assert squash(word) in squash(read_passage(passage.body).plain)
            assert squash(word)[:5] in squash(read_passage(connection.passage.body).plain)


def test_library_figures_read_from_the_index_match_the_cached_ones(library):
    assert read_library_stats(library).count == library_stats(library).count


def test_a_passage_is_read_without_its_markup_paragraph_by_paragraph():
    text = read_passage("One *emphasised* word.\n\nA second paragraph here.")
    assert text.plain == "One emphasised word.\n\nA second paragraph here."
    assert [s.paragraph for s in text.sentences] == [0, 1]
    assert [t.text for t in text.tokens][:3] == ["One", "emphasised", "word"]


# -- what counts as a claim -----------------------------------------------------------------------


def quoted_sentences(argument) -> list[str]:
    """Every quote the argument offers a question, of every kind."""
    pieces = [c.quote for c in (*argument.theses, *argument.reasons, *argument.evidence, *argument.causes)]
    pieces += [c.quote for c in argument.counterfactuals] + [v.quote for v in argument.views]
    pieces += [f"{t.granted} {t.held}" for t in argument.tensions]
    return pieces


NOT_CLAIMS = (
    "OF KINGS AND COUNCILS The power of a council grows with the silence of those it governs. "
    "I offer them the following extracts from a wise observer of assemblies. "
    "In a former page I mentioned the danger of very small assemblies. "
    "I have dwelt on this point at some length, as it concerns every reader. "
    "The Romans, elated by their victory, offered their general a crown in the forum. "
    "Which is the better plan, a council or a king; With some occasional remarks. "
    "First Published: The Weekly Observer, March 1791. "
    "A council that meets in secret will soon forget the people who chose it."
)


def test_headings_quotation_intros_talk_about_the_text_and_narrative_are_never_claims():
    argument = find_argument(read_passage(NOT_CLAIMS), {}, author="Ann Writer", is_name=lambda w: w == "Romans")
    quotes = quoted_sentences(argument)
    for opening in ("OF KINGS", "I offer", "In a former page", "I have dwelt", "The Romans", "Which is", "First Pub"):
        assert not any(q.startswith(opening) for q in quotes), opening
    assert argument.thesis is not None and argument.thesis.quote.startswith("A council that meets in secret")


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("CHAPTER IV. OF THE ORIGIN OF GOVERNMENT.", "heading"),
        ("Of Monarchy and Succession As the exalting of one man is unjust, so is his line.", "heading"),
        ("Should any body of men meet for this purpose, I offer them the following extracts.", "quotation"),
        ("We shall examine presently of what nature these considerations are.", "self-reference"),
        ("The reader will pardon this digression from the main argument.", "self-reference"),
        ("But it is not so much the absurdity as the evil of the rule which concerns us.", "self-reference"),
        ("Give us proof of your sincerity by publishing it to the king.", "imperative"),
    ],
)
def test_a_sentence_that_only_frames_the_argument_is_no_claim(sentence, reason):
    assert read_claim(sentence).not_a_claim == reason


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("A people ought never to trust the whole of its power to a single body of men.", "normative"),
        ("Justice is a name for the rules that protect each person from the others.", "definition"),
        ("Idleness, and not poverty, is what produces most of the vice in a town.", "causal"),
        ("Expedience and right are different things.", "comparative"),
        ("Every government rests in the end on the opinion of the governed.", "general"),
        ("The plan of the committee was a folly from the first day.", "evaluative"),
        ("The committee meets on the first day of spring in the town hall.", "statement"),
    ],
)
def test_a_claim_is_read_by_the_words_that_make_it_one(sentence, kind):
    reading = read_claim(sentence)
    assert reading.kind == kind and reading.strength >= MIN_THESIS_STRENGTH


def test_a_short_general_sentence_is_the_thesis_before_a_longer_central_one():
    argument = find_argument(
        read_passage(
            "The assembly of the province was chosen by a few counties, and the assembly of the province then "
            "spoke for the whole province in every question of the province. "
            "Expedience and right are different things. "
            "The assembly of the province passed its instructions for the delegates of the province in one sitting."
        ),
        {},
    )
    assert argument.thesis is not None and argument.thesis.quote == "Expedience and right are different things."
    assert argument.thesis.aphorism and argument.thesis.kind == "comparative"


def test_a_word_explained_is_no_claim():
    assert read_claim("Recht, from which came right and righteous, is synonymous with law.").not_a_claim == "word"
    assert read_claim("La justice, in French, is the established term for judicature.").not_a_claim == "word"
    assert read_claim("Justice is a name for certain classes of moral rules.").kind == "definition"


# -- whose point it is ----------------------------------------------------------------------------


def test_a_point_conceded_or_given_to_others_is_not_the_authors_thesis():
    argument = argument_of(
        "The first meaning of the word, indeed, was a straight line and not a rule of conduct. "
        "But however this may be, the word came to mean the law of the land in every tongue. "
        "From this it is argued that the law made the word and not the word the law. "
        "The notion of a rule that binds every citizen is the heart of the idea of justice."
    )
    quotes = [c.quote for c in argument.theses]
    assert not any(q.startswith(("The first meaning", "From this")) for q in quotes)
    assert {0, 2} <= argument.conceded


def test_an_objection_the_author_raises_is_asked_about_as_an_objection():
    argument = argument_of(
        "Against this doctrine arises another class of objectors, who say that no rule can bind a free people. "
        "It will be said that a free people needs no rule at all. "
        "People talk as if the rules of a free people had never been tried in practice."
    )
    assert [(v.holder, v.stance) for v in argument.views] == [
        ("the objectors", "raised"),
        ("the objector", "raised"),
        ("those who talk so", "raised"),
    ]
    assert not argument.theses


# -- concessions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "passage",
    [
        "The ship stood the hottest engagement of the war, yet had not twenty sailors on board, though her crew "
        "was upwards of two hundred men.",
        "He has not a right to the income of another man, though he may happen to be earning it every year.",
        "Of course the army was small in numbers, but it was the best trained army of its day in Europe.",
        "Although there is no reason to go into it here, we can briefly point out that the army was small.",
    ],
)
def test_a_sentence_cut_at_but_or_though_is_no_tension(passage):
    assert argument_of(passage).tensions == ()


def test_a_tension_is_a_concession_and_a_separate_claim_held_despite_it():
    argument = argument_of(
        "It is true that the new council was chosen by a small number of electors. "
        "But a small council chosen well may still speak for the whole of the province."
    )
    assert [(t.granted, t.held) for t in argument.tensions] == [
        (
            "the new council was chosen by a small number of electors",
            "a small council chosen well may still speak for the whole of the province",
        )
    ]


# -- quotes that stand alone ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote, alone",
    [
        ("It is the business of ethics to tell us what our duties are.", True),
        ("But it is by no means an indispensable condition of the standard…", False),
        ("To do that, it would seem necessary to show much more.", False),
        ("This feeling, when disinterested, is the essence of conscience.", False),
        ("Some convenient tree will afford them a house in which to meet.", False),
        ("Men who look upon themselves as born to rule soon grow insolent.", True),
        ("Originally, indeed, it meant only the manner of doing things.", False),
        ("But the bare statement of such an absurdity as this last refutes it.", False),
        ("He who saves a drowning man does what is right, whatever his motive.", True),
        ("There is no difficulty in proving any standard to work ill.", True),
        ("…not a kingdom only, but an hereditary one…", False),
    ],
)
def test_a_quote_must_not_lean_on_the_sentence_before(quote, alone):
    assert stands_alone(quote) is alone


def test_a_slip_made_of_real_words_is_never_quoted():
    text = read_passage(
        "In manning a fleet, people in general run into great errors; it is not necessary that one fourth part "
        "should he sailors. A few able sailors will soon instruct a sufficient number of active landsmen."
    )
    assert garbled(text.sentences[0].text)
    assert all(c.sentence != 0 for c in find_argument(text, {}).theses)


def test_a_footnote_mark_after_the_full_stop_is_left_out_of_the_quote():
    argument = find_argument(read_passage("Every rule of conduct rests in the end on the feelings of mankind.[B]"), {})
    assert argument.thesis is not None and argument.thesis.quote.endswith("feelings of mankind.")


# -- cases, figures and comparisons ---------------------------------------------------------------


def test_the_cases_figures_and_comparisons_an_argument_rests_on_are_its_evidence():
    argument = argument_of(
        "Hereditary rule does not preserve a nation from civil war. "
        "Thirty kings and two minors have reigned in that kingdom, in which time there have been no less than "
        "eight civil wars and nineteen rebellions. "
        "He who saves a drowning man does what is right, whether his motive be duty or the hope of a reward. "
        "The only proof that a sound is audible is that people hear it. "
        "In like manner, the only proof that a thing is desirable is that people desire it."
    )
    kinds = {c.sentence: c.kind for c in argument.evidence}
    assert kinds == {1: "figures", 2: "example", 4: "analogy"}
    [analogy] = [c for c in argument.evidence if c.kind == "analogy"]
    assert analogy.quote.startswith("The only proof that a sound is audible") and "In like manner" in analogy.quote


def test_a_cause_is_a_claim_kind_only_when_the_sentence_says_what_causes_what():
    assert read_claim("Luxury causes the ruin of states, and idleness leads to poverty.").kind == "causal"
    assert read_claim("The cause of war among free peoples is the love of gain.").kind == "causal"
    assert (
        read_claim("The decay of the guilds became both cause and consequence of the growth of trade.").kind == "causal"
    )
    named_not_linked = read_claim("The causes of faction cannot be removed, and relief lies in controlling effects.")
    assert named_not_linked.kind != "causal", "a sentence about causes, not one saying what causes what"
    assert read_claim("To cause the city to rise it was enough for a duke to stir up the borders.").kind != "causal"


def test_a_comparison_needs_two_things_compared_not_a_count():
    assert read_claim("Men are more easily led by hope than driven by fear.").kind == "comparative"
    assert read_claim("The republic has made treaties with no less than six nations, all of them maritime.").kind != (
        "comparative"
    )
    assert read_claim("He killed as many of the old lords as he could find, and won over the rest.").kind != (
        "comparative"
    )


def test_the_authors_plans_figures_and_introductions_to_letters_are_not_claims():
    for plan in (
        "Wishing, therefore, to answer these objections, I will recall the lives of some of the kings of old.",
        "I am now going to prove that the new order must fall as the old one did.",
        "It is impossible to follow here the fortunes of the cities, which changed masters every year.",
    ):
        assert read_claim(plan).not_a_claim == "self-reference", plan
    assert read_claim("Taking the mean, the distance will be eight hundred and sixty miles.").not_a_claim == "figure"
    assert read_claim("The mean width of the valley does not probably exceed forty miles.").not_a_claim == "figure"
    letter = "The old queen, in her letter of the 1st July to the council, makes some remarks on the union."
    assert read_claim(letter).not_a_claim == "quotation"


def test_people_described_in_a_sentence_are_not_anonymous_objectors():
    argument = argument_of(
        "Among the many objects to which a wise and free people find it necessary to direct their attention, "
        "that of providing for their safety seems to be the first. Safety is the first duty of every government."
    )
    assert not argument.views, "the author's own premise, not a view reported of 'those who say so'"


def test_an_answer_the_author_gives_is_not_an_objection_raised():
    argument = argument_of(
        "It may be answered that one should wish to be both loved and feared, but this is hard to unite in one man."
    )
    assert not [v for v in argument.views if v.holder == "the objector"]


def test_footnote_marks_are_not_quoted_and_quotes_do_not_stop_at_a_bare_because():
    [sentence] = read_passage("It was enough for the Duke Lodovico(*) to raise insurrections on the borders.").sentences
    assert "(*)" not in flat_text(sentence)
    [motto] = read_passage("Divide et impera(1) must be the motto of every nation that fears us.(2)").sentences
    assert flat_text(motto) == "Divide et impera must be the motto of every nation that fears us."
    assert dangles("a man cannot change, both because nature inclines him, and also because")


def test_a_name_the_author_gives_is_a_definition_and_a_passive_produced_is_no_cause():
    naming = "We call barter that economic phase where articles are produced only for exchange between neighbours."
    assert read_claim(naming).kind == "definition"
    assert read_claim("Articles are produced for the use of the producers in every society.").kind != "causal"
    assert read_claim("Competition produced the crisis, and the crisis ruined the small masters.").kind == "causal"


def test_an_item_of_a_list_without_its_own_verb_is_a_fragment():
    item = "Fourthly, by acquiring so much power before the king should die that he could resist the first shock."
    assert read_claim(item).not_a_claim == "fragment"
    assert read_claim("Firstly, the prince must keep his word only when it serves him.").not_a_claim == ""


def test_an_example_that_only_names_its_cases_is_not_evidence():
    argument = argument_of(
        "Cities used to liberty are hard to hold. There are, for example, the Spartans and the Romans. "
        "The Romans, for example, destroyed Carthage in order to hold it, and they kept it."
    )
    assert [e.quote[:10] for e in argument.evidence] == ["The Romans"]


def test_a_sentence_naming_causes_is_not_told_as_cause_and_effect():
    argument = argument_of(
        "The inference to which we are brought is, that the causes of faction cannot be removed, and that relief "
        "is only to be sought in controlling its effects. Competition produced the crisis of the guilds."
    )
    assert [c.quote[:11] for c in argument.causes] == ["Competition"]


# -- what kind of sentence it is, so that each frame fits what it asks about -----------------------


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("Three or four passers-by asked for their coins, which he paid out with a thin smile.", "figure"),
        ("Hundreds of mills stand idle every winter in the northern towns of the kingdom.", "figure"),
        ("For he had burnt as many of the rebel farms as he could reach, and few had escaped.", "narrative"),
        ("The wealth of the merchants increased much faster than that of the old landowners.", "narrative"),
        ("And the prophet was so sure of it that he cries out, Whoso sheddeth blood shall lose his own.", "citation"),
    ],
)
def test_a_story_a_figure_or_a_proof_text_is_no_claim(sentence, reason):
    """A fact or a story is not a thesis; what the author makes of it is."""
    assert read_claim(sentence, lambda word: word == "Whoso").not_a_claim == reason


def test_a_number_word_opening_a_general_claim_is_no_reported_figure():
    assert read_claim("One cannot serve two masters with the same devotion and the same zeal.").kind == "general"
    assert not read_claim("Two things are needed before a people can govern itself well.").not_a_claim


def test_a_sentence_told_in_the_past_is_not_read_as_a_rule_or_a_comparison():
    story = read_claim("Whatever victories the party won later on, it had to share them with a new rival.")
    assert story.kind not in ("general", "comparative", "normative")
    assert read_claim("Whatever a man wins by his own work is his to keep against every claimant.").kind == "general"


def test_one_being_named_or_no_more_is_no_generalisation():
    god = read_claim(
        "God, who hath given the earth to men in common, hath given them reason too.", lambda w: w == "God"
    )
    assert god.kind != "general"
    assert read_claim("No more could the school stand the rough contact of the crowd.").kind != "general"
    assert read_claim("No government can last long without the consent of the governed.").kind == "general"


def test_a_rule_of_ownership_is_a_norm_not_a_comparison():
    rule = read_claim("As much land as a man tills and can use the fruit of, so much is his property.")
    assert rule.kind == "normative"


def test_a_point_made_as_a_question_is_a_claim_of_its_own_kind():
    assert read_claim("By what right does any man say of the common store that this is his and not ours?").kind == (
        RHETORICAL
    )
    assert read_claim("Have we ever known the crowd demand the impossible of its neighbours?").kind == RHETORICAL
    assert read_claim("Which train does the delegation take to the congress?").kind != RHETORICAL
    argument = argument_of(
        "The house was built by a thousand hands over three generations of labour. "
        "By what right, then, does one heir say of it that this is his and not ours?"
    )
    assert any(c.kind == RHETORICAL and c.quote.startswith("By what right") for c in argument.theses)


# -- quotes that keep the point ---------------------------------------------------------------------


def test_a_long_sentence_keeps_its_subject_and_the_verb_that_carries_the_claim():
    argument = argument_of(
        "But workers, who would be glad to become hardy pioneers in so many branches of useful work on the "
        "land and in the workshops, must remain idle because the owners of the soil prefer to invest their money "
        "in foreign bonds and distant mines."
    )
    quotes = [c.quote for c in (*argument.theses, *argument.reasons, *argument.causes)]
    assert any(q.startswith("But workers … must remain idle because") for q in quotes), quotes


def test_a_reason_quote_runs_past_a_list_to_its_verb():
    sentence = (
        "Men must stand idle because the owners of the soil, the mines and the factories prefer to lend their "
        "capital abroad--taken from the community--in foreign bonds and distant gold mines, and so make the "
        "peasants of other lands their servants and the workers of this one their beggars."
    )
    start = sentence.index("because")
    quote = quote_through(sentence, start, start + len("because"))
    assert len(sentence) > 190  # too long to quote whole
    assert quote is not None and "prefer to lend their capital" in quote


def test_a_subject_clause_is_never_cut_before_its_verb():
    argument = argument_of(
        "Whatsoever then a man removes out of the state that nature hath provided and left it in, he hath mixed "
        "his labour with, and joined to it something that is his own, and thereby makes it his property, since "
        "it is removed from the common state nature hath placed it in."
    )
    assert not any(c.quote.endswith("provided and left it in…") for c in argument.theses)
    assert all("mixed" in c.quote or not c.quote.startswith("Whatsoever") for c in argument.theses)


def test_an_analogy_that_comes_late_in_a_sentence_is_quoted_with_its_head():
    argument = argument_of(
        "Nobody could think himself injured by the drinking of another man, though he took a good draught, who "
        "had a whole river of the same water left him to quench his thirst: and the case of land and water, where "
        "there is enough of both, is perfectly the same."
    )
    [analogy] = [c for c in argument.evidence if c.kind == "analogy"]
    assert analogy.quote.startswith("Nobody could think himself injured by the drinking of another man … ")
    assert analogy.quote.endswith("the case of land and water, where there is enough of both, is perfectly the same.")


def test_a_point_added_with_to_which_let_me_add_stands_alone():
    assert stands_alone("To which let me add, that he who works the land increases the common stock…")
    assert stands_alone("He that encloses land gives ninety acres to mankind.")


def test_the_content_of_a_past_resolution_is_reported_not_argued():
    assert read_claim(
        "It was that the unions themselves would have to take hold of the means of production."
    ).not_a_claim
    assert read_claim("The principle of the congress was that every trade should elect its own delegates.").not_a_claim


def test_a_concession_opening_after_and_is_not_quoted_as_the_claim():
    argument = argument_of(
        "And tho' all the fruits the earth naturally produces, and the beasts it feeds, belong to mankind in "
        "common, as they are produced by the spontaneous hand of nature; yet being given for the use of men, "
        "there must of necessity be a means to appropriate them some way or other before they can be of any use."
    )
    assert not any(c.quote.lower().startswith("and tho") for c in (*argument.theses, *argument.causes))
