"""Whose words a question gives the author: words he quotes without block or quotation marks,
views he acts out to mock them, and his remarks about his own book are never quoted as his claims.
Passages are written inline, in the typesetting of nineteenth-century e-texts."""

from __future__ import annotations

import pytest

from bot.questions.analysis.argument import find_argument
from bot.questions.analysis.sentences import stands_alone
from bot.questions.analysis.tokens import read_passage
from bot.questions.analysis.voices import announces_speech, apparatus, continues_quotation, mimics, reports_others
from bot.texts.hands import APPARATUS, AUTHOR, OTHER, hand_of, looks_like_index, passage_hands


def _quoted(body: str) -> list[bool]:
    """Per paragraph: whether all of its sentences count as someone else's words."""
    passage = read_passage(body)
    paragraphs = sorted({s.paragraph for s in passage.sentences})
    return [all(s.quoted for s in passage.sentences if s.paragraph == p) for p in paragraphs]


def _theses(body: str, author: str = "Frederic Bastiat") -> list[str]:
    passage = read_passage(body)
    weights = {t.stem: 1.0 for t in passage.tokens}
    return [c.quote for c in find_argument(passage, weights, author=author).theses]


AUTHOR_ARGUES = (
    "The legislator who plans the trades of a whole nation treats men as clay to be moulded at his will, "
    "and no nation has ever prospered under such a plan."
)
BLOCK = (
    "> No one was permitted to have two professions, nor to adopt another, and the law assigned each his employment."
)
AT_THE_MARGIN = (
    "... But there was one occupation which was obliged to be common to all, and this was the study of the laws "
    "and of wisdom taught in every district of the land."
)


def test_a_paragraph_opening_with_an_ellipsis_after_a_block_quotation_is_still_the_quoted_writer():
    assert _quoted("\n\n".join([AUTHOR_ARGUES, BLOCK, AT_THE_MARGIN])) == [False, True, True]
    assert not any(t.startswith("But there was one occupation") for t in _theses(f"{BLOCK}\n\n{AT_THE_MARGIN}"))


def test_an_elision_mark_inside_a_paragraph_after_a_block_quotation_marks_it_as_quoted_too():
    elided = (
        "For this, a strong force and a vehement impulse will be necessary.... Citizens, the austerity of a "
        "single lawgiver created the firm basis of the republic."
    )
    assert continues_quotation(elided)
    assert _quoted("\n\n".join([BLOCK, elided, AUTHOR_ARGUES])) == [True, True, False]


def test_the_authors_own_paragraph_after_a_block_quotation_stays_his():
    assert _quoted("\n\n".join([BLOCK, AUTHOR_ARGUES])) == [True, False]
    assert not continues_quotation(AUTHOR_ARGUES)


def test_a_paragraph_with_an_ellipsis_far_from_any_quotation_is_left_to_the_author():
    trailing = "Men must be free to choose their trades.... That is the whole of my case, and I rest it there."
    assert _quoted("\n\n".join([AUTHOR_ARGUES, trailing])) == [False, False]


def test_speech_the_author_announces_is_the_speakers_until_he_turns_back_with_but():
    announced = "One would think it was a professor of agriculture who was saying to his pupils"
    lesson = "The climate is the only rule for the agriculturist. His resources dictate to him his duties."
    more = "If he is on a clayey soil, he must do so and so. If he has sand, this is the way he must set about it."
    answer = "But these men of clay and sand are men, your equals, intelligent and free beings like yourselves."
    assert announces_speech(announced)
    assert _quoted("\n\n".join([announced, lesson, more, answer])) == [False, True, True, False]


def test_the_authors_own_announcement_of_his_answer_keeps_the_answer_his():
    announced = "To all of these objections I answer:"
    assert not announces_speech(announced)
    assert _quoted("\n\n".join([announced, AUTHOR_ARGUES])) == [False, False]


MIMICRY = (
    "Is a legislator to be chosen? Oh, then the people possess science by instinct: they are gifted with an "
    "admirable discernment; their will is always right. The general will cannot err. Can the people be mistaken? "
    "What! Are the people to be forever led about by the nose? Do they not know their own interest?"
)


def test_a_paragraph_acting_out_a_view_with_interjections_and_questions_is_not_the_authors_claim():
    assert mimics(MIMICRY)
    theses = _theses(f"{MIMICRY}\n\n{AUTHOR_ARGUES}")
    assert not any("general will cannot err" in t or "science by instinct" in t for t in theses)
    assert any(t.startswith("The legislator who plans") for t in theses)


def test_an_argued_paragraph_with_one_exclamation_is_not_mimicry():
    argued = (
        "What a fall is here! The law was made to protect property. It now takes it. It was made to protect "
        "persons. It now enslaves them. No people can live long under such a law."
    )
    assert not mimics(argued)
    assert _quoted(argued) == [False]


def test_a_quotation_opened_in_one_paragraph_and_closed_two_later_covers_the_paragraph_between():
    opened = "Our opponent wrote to the assembly: “The state must fix the wages of every trade."
    between = "It must decide what each man shall make, and where he shall sell it, and for what price."
    closed = "Only then will the people be happy.” So much for liberty, in his scheme of things."
    assert _quoted("\n\n".join([AUTHOR_ARGUES, opened, between, closed])) == [False, True, True, False]
    passage = read_passage(between)
    assert not any(s.quoted for s in passage.sentences)  # alone, nothing marks it: the author's


def test_a_quotation_left_open_with_no_close_does_not_swallow_the_rest_of_the_passage():
    stray = "The word “liberty is misused by all parties in these debates, and by none more than the socialists."
    assert _quoted("\n\n".join([stray, AUTHOR_ARGUES]))[1] is False


def test_a_note_on_who_wrote_the_foreword_is_no_thesis():
    note = (
        "Thomas Smith is professor of economics at Lakeside College in Maryland and a member of the "
        "senior faculty of the Institute."
    )
    assert apparatus(note)
    assert _theses(note, author="Frederic Bastiat") == []


def test_the_authors_remarks_about_his_own_book_are_no_thesis_but_his_argument_is():
    modest = (
        "Of the various fragments that might have been extracted from what I wrote, this is the most "
        "considerable, and, I think, the least unworthy of being offered to the public."
    )
    small = "This little treatise is part of a longer work which I began years ago without realising my limitations."
    assert apparatus(modest) and apparatus(small)
    assert not apparatus(AUTHOR_ARGUES)
    theses = _theses("\n\n".join([small, modest, AUTHOR_ARGUES]), author="Jean Jacques Rousseau")
    assert theses and all(t.startswith("The legislator who plans") for t in theses)


def test_a_claim_about_a_book_that_is_not_the_authors_own_stays_a_claim():
    assert not apparatus("This book of Fourier's promises the people a happiness no law can give them.")


@pytest.mark.parametrize(
    ("announcement", "point"),
    [
        (
            "We are to proceed with the demonstration, as I tell my readers, in the following order:--",
            "I. We dispute nothing, and accept as sound all the arguments alleged in favor of property.",
        ),
        (
            "To say that the commons is a check upon the king, presupposes two things:",
            "FIRST - That the king is not to be trusted without being looked after by the commons.",
        ),
    ],
)
def test_the_authors_own_plan_or_points_announced_with_a_colon_stay_his(announcement, point):
    assert not announces_speech(announcement)
    assert _quoted("\n\n".join([announcement, point])) == [False, False]


def test_a_speech_in_quotation_marks_ends_the_announced_stretch_at_its_own_marks():
    announced = "Thus a secretary of the party said in April, at a congress of the youth:"
    speech = "“Many of the sabotagers have sincerely repented and joined the ranks of the people.”"
    answer = "Not without reason did the government annul the limitations connected with social origins!"
    assert _quoted("\n\n".join([announced, speech, answer])) == [False, True, False]


def test_an_announced_speech_at_the_margin_runs_a_few_paragraphs_at_most():
    announced = "One would think it was a professor of agriculture who was saying to his pupils"
    lesson = "The climate is the only rule for the agriculturist, whatever his pupils may hope."
    quoted = _quoted("\n\n".join([announced, *[lesson] * 6]))
    assert quoted[1:4] == [True, True, True] and quoted[4:] == [False, False, False]


def test_an_introductions_part_that_does_not_name_the_author_is_still_the_introductions():
    intro = [
        ("INTRODUCTION", "Rousseau's Emile has already been issued in this series; here are his political works."),
        ("INTRODUCTION", "The theory of the contract clearly admits of opposite interpretations among lawyers."),
        ("INTRODUCTION", "The point in Rousseau's theory that offers most difficulty is the Legislator."),
        ("BOOK I", "Man is born free; and everywhere he is in chains. How did this change come about?"),
    ]
    hands = passage_hands("Jean Jacques Rousseau", intro)
    assert [h.kind for h in hands] == [OTHER, OTHER, OTHER, AUTHOR]
    assert hands[1].writer == "the introduction"
    by_ordinal = dict(enumerate(intro, 1))
    assert hand_of("Jean Jacques Rousseau", 2, by_ordinal.get).kind == OTHER  # one passage looked up alone


def test_the_authors_own_chapter_under_one_heading_is_not_taken_for_an_introduction():
    chapter = [
        ("CHAPTER I", "Man is born free; and everywhere he is in chains. How did this change come about?"),
        ("CHAPTER I", "The strongest is never strong enough to be always the master, unless he transforms force."),
    ]
    assert [h.kind for h in passage_hands("Jean Jacques Rousseau", chapter)] == [AUTHOR, AUTHOR]


STATE_VIRTUE = "the state alone can make men virtuous by the force of its laws and of its schools."


def test_a_view_given_to_unnamed_others_or_a_camp_is_not_the_authors_thesis():
    for lead in (
        "Some hold that",
        "Many believe that",
        "The common opinion is that",
        "It is commonly believed that",
        "We are told that",
        "According to these gentlemen,",
        "The socialists tell us that",
        "In the eyes of these writers,",
    ):
        theses = _theses(f"{lead} {STATE_VIRTUE} {AUTHOR_ARGUES}")
        assert theses and all(t.startswith("The legislator who plans") for t in theses), lead


def test_the_author_stating_the_same_in_his_own_voice_is_his_thesis():
    theses = _theses(f"Experience shows that {STATE_VIRTUE}")
    assert theses == [f"Experience shows that {STATE_VIRTUE}"]


def test_a_view_reported_later_in_a_sentence_does_not_make_its_opening_pronoun_the_holder():
    body = (
        "Men, therefore, are nothing but raw material in the hands of the lawgiver. They are not capable of "
        "willing their own improvement; according to Saint-Just, it is only the legislator who is."
    )
    passage = read_passage(body)
    weights = {t.stem: 1.0 for t in passage.tokens}
    views = find_argument(passage, weights, author="Frederic Bastiat", names=["Saint-Just"]).views
    assert not any(v.quote.startswith("[Saint-Just]") for v in views)
    earlier = "Saint-Just argues that a people restored to liberty must be formed anew by its lawgiver."
    holder = read_passage(f"{earlier} He holds that only the legislator can will the improvement of men.")
    assert any(
        v.quote.startswith("[Saint-Just] holds")
        for v in find_argument(holder, weights, author="Frederic Bastiat", names=["Saint-Just"]).views
    )  # a pronoun that is the holder is still named


def test_the_author_announcing_his_plan_is_no_thesis():
    plan = (
        "I mean to inquire if, in the civil order, there can be any sure and legitimate rule of administration, "
        "men being taken as they are and laws as they might be."
    )
    assert apparatus(plan)
    assert _theses(f"{plan}\n\n{AUTHOR_ARGUES}", author="Jean Jacques Rousseau")[0].startswith("The legislator")
    assert not apparatus("I mean that the law must be just to every citizen alike, rich and poor.")


def test_a_rejection_opening_a_paragraph_turns_down_the_view_acted_out_before_it():
    acted = (
        "Thus the principle of occupation is abandoned by the jurists of our day. "
        "But henceforth, thanks to the age and its spirit, it is to be admitted that the earth is not a prize to "
        "be won in a race by the first comer. Each one may harness his goat to the plough and bake his bread "
        "by his own fireside."
    )
    rebuttal = "But, no; each one cannot do these things, for the land is held by a few and the many are shut out."
    theses = _theses(f"{acted}\n\n{rebuttal}", author="Pierre Proudhon")
    assert not any(t.startswith(("But henceforth", "Each one may")) for t in theses)


def test_a_perspective_given_to_a_camp_is_theirs_not_the_authors():
    body = (
        "To the moralist prostitution does not consist so much in the fact that the woman sells her body, but "
        "rather that she sells it out of wedlock. " + AUTHOR_ARGUES
    )
    assert not any(t.startswith("To the moralist") for t in _theses(body, author="Emma Goldman"))


def test_a_saying_given_to_others_after_a_colon_is_theirs_wherever_it_is_repeated():
    saying = "Man can have all the glories of the earth, but he must not become conscious of himself."
    body = (
        f"Thus the old powers would only endure man on condition of complete surrender. {saying} "
        f"The State, society, and moral laws all sing the same refrain: {saying}"
    )
    assert not any(t == saying for t in _theses(body, author="Emma Goldman"))


def test_the_new_tone_the_author_says_someone_takes_is_theirs_until_the_author_speaks_again():
    body = (
        "But when once the legislator is duly elected, then indeed the style of his speech alters. The nation is "
        "sent back into passiveness, and the legislator takes possession of omnipotence. Mankind has nothing to "
        "do but to submit; the hour of despotism has struck. And we must observe that this is decisive, for the "
        "people were just before so enlightened and so perfect in his eyes."
    )
    passage = read_passage(body)
    assert [s.quoted for s in passage.sentences] == [False, True, True, False]


def test_a_report_that_opens_on_its_holder_is_theirs_even_when_it_cannot_be_quoted_as_a_view():
    report = (
        "According to Robespierre, who copies Rousseau literally, the legislator is to begin by assigning the "
        "aim of the institutions of the nation."
    )
    passage = read_passage(f"{report} {AUTHOR_ARGUES}")
    argument = find_argument(
        passage, {t.stem: 1.0 for t in passage.tokens}, author="Frederic Bastiat", names=["Robespierre", "Rousseau"]
    )
    assert argument.theses and not any(t.quote.startswith("According to") for t in argument.theses)


def test_what_someone_would_teach_us_is_their_view():
    body = (
        "All this time the nation itself is to remain perfectly passive; and Billaud Varennes would teach us that "
        "it ought to have no wants but such as are authorized by the legislator."
    )
    passage = read_passage(body)
    views = find_argument(passage, {t.stem: 1.0 for t in passage.tokens}, names=["Billaud Varennes"]).views
    assert [v.holder for v in views] == ["Billaud Varennes"]


def test_an_introductions_he_asserts_is_its_reading_of_the_author_not_its_own_claim():
    body = (
        "It is more profitable to attack Rousseau for his facile identification of the interests of each with "
        "those of all. What he asserts is, first, that the Sovereign, as such, cannot have any interest contrary "
        "to the interest of the citizens as a whole."
    )
    passage = read_passage(body)
    weights = {t.stem: 1.0 for t in passage.tokens}
    introduction = find_argument(passage, weights, subject="Jean Jacques Rousseau")
    assert [v.holder for v in introduction.views] == ["Rousseau"]
    assert not any(t.quote.startswith("What he asserts") for t in introduction.theses)
    own_text = find_argument(passage, weights, author="Jean Jacques Rousseau")  # no one to stand for: no view
    assert own_text.views == ()


def test_a_programme_spelled_out_in_a_paragraph_that_reports_it_is_the_holders():
    body = (
        "According to Robespierre, who copies Rousseau literally, the legislator is to begin by assigning the "
        "aim of the institutions of the nation. Men are merely to be what the legislator wills that they "
        "should be, and the nation is to remain perfectly passive under his hand. " + AUTHOR_ARGUES
    )
    theses = _theses(body)
    assert theses and all(t.startswith("The legislator who plans") for t in theses)


def test_the_authors_own_is_to_with_no_one_reported_stays_his():
    body = "The law is to protect persons, liberties and properties, and nothing else, whatever the planners wish."
    assert _theses(body) == [body]


def test_a_remark_on_the_room_the_essay_leaves_is_no_thesis():
    assert apparatus(
        "Much as I should like to, my space will not admit speaking of prostitution in Egypt, Greece, and Rome."
    )


def test_a_definition_in_is_to_form_stays_the_authors_beside_a_report():
    body = (
        "According to Grotius, a people can alienate its liberty as a man can. To alienate is to give or to "
        "sell, and a man who becomes the slave of another does not give himself, he sells himself."
    )
    assert any(t.startswith("To alienate is to give") for t in _theses(body, author="Jean Jacques Rousseau"))


def test_a_paragraph_digesting_several_writers_views_gives_none_of_them_to_the_author():
    digest = (
        "Men, therefore, are nothing but raw material in the hands of the lawgiver. They are not capable of "
        "willing their own improvement; according to Saint-Just, it is only the legislator who is. According "
        "to Robespierre, the government has only to direct all the forces of the nation towards its end."
    )
    theses = _theses(f"{digest}\n\n{AUTHOR_ARGUES}")
    assert theses and all(t.startswith("The legislator who plans") for t in theses)


def test_what_a_writer_recommends_is_his_view_not_the_authors_judgement():
    body = (
        "We have seen that, in cases where the evil is so great that the magistrates cannot remedy it, Mably "
        "recommends a dictatorship, to promote virtue."
    )
    passage = read_passage(body)
    argument = find_argument(passage, {t.stem: 1.0 for t in passage.tokens}, author="Frederic Bastiat", names=["Mably"])
    assert [v.holder for v in argument.views] == ["Mably"] and not argument.theses


def test_a_quote_whose_claim_after_we_must_observe_that_points_back_does_not_stand_alone():
    assert not stands_alone("And we must observe that this is decisive…")
    assert stands_alone("We must observe that the law is decisive in every such matter.")


def test_a_life_date_in_a_foreword_is_no_thesis_to_find_convincing():
    died = (
        "Frédéric Bastiat died on Christmas Eve, 1850, and did not live to observe the convulsions that the "
        "America he admired so much would go through."
    )
    assert apparatus(died)
    assert not apparatus("Liberty died in France the day the law became an instrument of plunder, and not before.")


INDEX = (
    "Agriculture analogy to society, 35 Persian, 26 Antiquity. See Greece; Rome Authority. See Government "
    "Beggars, 11 Billaud-Varennes, Jean Nicolas, 38 Blanc, Louis competition, 45 doctrine, 42, 43 force of "
    "society, 47, 48 labor, 42 law, 50, 52 Bonaparte, Napoleon, 41 Bossuet, Jacques, 25, 26 Cabetists, 46, 47"
)


def test_an_index_run_into_paragraphs_is_apparatus_and_no_reading_matter():
    chapters = [
        ("", "Law is justice. The law is the collective organisation of the individual right of lawful defence."),
        ("", "It is the substitution of a common force for individual forces, to do what each may lawfully do."),
        ("Mankind", INDEX),
    ]
    assert looks_like_index(INDEX)
    assert [h.kind for h in passage_hands("Frederic Bastiat", chapters)] == [AUTHOR, AUTHOR, APPARATUS]
    by_ordinal = dict(enumerate(chapters, 1))
    assert hand_of("Frederic Bastiat", 3, by_ordinal.get).kind == APPARATUS


def test_a_passage_of_figures_in_prose_is_still_reading_matter():
    figures = (
        "In 1890 the wages of a sewing girl in New York amounted to two and a half dollars a week, and by 1905 "
        "they had risen to four dollars, while rents had doubled; of 2,000 girls questioned, 600 had no other "
        "work, and the rest were in the mills twelve hours a day, six days in 7, for 52 weeks of the year."
    )
    assert not looks_like_index(figures)


def test_a_footnotes_three_dots_after_a_block_quotation_do_not_take_the_authors_paragraph():
    own = (
        "Nevertheless he ought to be slow to believe and to act, and proceed in a temperate manner with prudence "
        "and humanity. (*) . . . against my will, my fate, a throne unsettled."
    )
    assert _quoted("\n\n".join([BLOCK, own])) == [True, False]


def test_the_authors_own_concepts_and_conditions_are_not_reports():
    assert not reports_others("The general idea is always an abstraction and in some sort a negation of real life.")
    assert not reports_others("And if we are told that its end is not happiness, the answer is still the same.")
    assert not apparatus("We neither mean to set up nor to pull down, but to have nothing to do with them.")
