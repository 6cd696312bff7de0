"""The frame fits the sentence: each question template says which types of sentence it fits, a
sentence is read for its type (a conclusion, a thing classed, a generalisation ...), and a question
whose quote makes no sense on its own, or is no claim at all, is not made."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.questions.analysis.claims import read_claim
from bot.questions.analysis.sentences import cuts_off_a_condition, names_its_people, quote_through, stands_alone
from bot.questions.generate import (
    _CONDITION,
    _PREDICTION,
    COMMON_SLOTS,
    KINDS,
    LAST_RESORT,
    Question,
    Template,
    _first_item_of_a_list,
    _quotes_stand_alone,
    _written_for,
    load_templates,
    reference_matter,
)
from tests.test_questions import one_passage_post


def post(tmp_path: Path, body: str) -> list[Question]:
    """The questions of a one-passage text by "Ann Wetherby" in a library of its own."""
    return one_passage_post(tmp_path, body)


def kind_of(sentence: str) -> str:
    reading = read_claim(sentence)
    return reading.kind or reading.not_a_claim


# -- what a sentence is ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Conventions and laws are therefore needed to join rights to duties.",
        "So, from whatever side we look at it, the right of conquest is null, because it is absurd.",
        "It follows that the market is a school of prudence for every merchant.",
        "I hold then that sovereignty can never be given away by the people.",
        "As a result, mediocre work is what fills the bookshops of every town.",
    ],
)
def test_a_sentence_drawn_as_a_conclusion_reads_as_a_conclusion(sentence):
    assert kind_of(sentence) == "conclusion"


def test_but_then_is_a_turn_and_so_much_a_degree_not_a_conclusion():
    assert kind_of("But, then, the police are not concerned with logic or justice.") != "conclusion"
    assert kind_of("And so uncertain is the fate of war that the king was taken in triumph to a palace.") != (
        "conclusion"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Slavery is a violation, sanctioned by law, of the rights of the person.",
        "Protection is a form of theft practised by the law upon the consumer.",
        "Workers are nothing but raw material in the hands of the planner.",
        "Theory is not a note which you can present at any moment to reality for payment.",
    ],
)
def test_a_thing_set_in_a_class_or_reduced_to_another_reads_as_classed_not_defined(sentence):
    assert kind_of(sentence) == "classification"


def test_a_thing_said_to_be_that_which_is_defined():
    sentence = "The right of occupation is that which results from the actual, physical possession of a thing."
    assert kind_of(sentence) == "definition"


def test_a_received_opinion_or_a_saying_reported_is_no_claim_of_the_authors():
    assert kind_of("Experience has come to be considered the best school of life.") == "reported"
    assert kind_of("Property is commonly held to be a natural right of man.") == "reported"
    assert kind_of("The minister said that we must make war on plunder.") == "reported"


def test_it_is_a_fact_classes_nothing():
    assert kind_of("It is a conceded fact that the poor are kept in ignorance of the law.") != "classification"


def test_a_sentence_true_by_its_words_is_no_claim():
    assert kind_of("But the whole minus a part cannot be the whole.") == "analytic"
    assert kind_of("Law is law.") == "analytic"
    assert kind_of("The law of the strongest is no law at all.") != "analytic"


def test_nothing_less_than_is_an_identity_not_a_comparison():
    assert kind_of("Sovereignty, being nothing less than the exercise of the general will, is inalienable.") != (
        "comparative"
    )
    assert kind_of("The right of use and abuse belongs no more to nations than to men.") == "comparative"


def test_all_that_can_be_said_is_no_generalisation():
    assert kind_of("All that can be said is, that plunder is more visible in one system than the other.") != "general"
    assert kind_of("All men are born free and equal in their rights.") == "general"


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        (
            "Thomas Smith is professor of economics at Loyola College and a member of the senior faculty.",
            "biography",
        ),
        ("Frederick Bastiat died on Christmas Eve, 1850, and did not live to see the war.", "narrative"),
        ("One recent example I cannot pass over in silence.", "self-reference"),
        ("It seems to be found first, rather vaguely, in Richard Hooker's Polity, from which Locke borrowed.", ""),
        ("An excellent account is, by the way, now available in Han Suyin's book.", "attribution"),
        ("This little treatise is part of a longer work which I began years ago.", "self-reference"),
        ("Of all I wrote, this is the least unworthy of being offered to the public.", "self-reference"),
        ("It is never my intention to surprise my reader.", "self-reference"),
        ("Before I proceed, I think I ought to explain myself upon the word plunder.", "self-reference"),
        ("I mean to inquire if there can be any sure and legitimate rule of administration.", "self-reference"),
        ("Much as I should like to, my space will not admit speaking of the Middle Ages.", "self-reference"),
        ("Greece appears to me sufficient for an example.", "self-reference"),
        ("Phidias was supposed to have stolen some public gold for the statue of Minerva.", "narrative"),
    ],
)
def test_front_matter_lives_sources_and_remarks_on_the_book_are_no_claims(sentence, why):
    reading = read_claim(sentence)
    assert reading.kind == "" and reading.not_a_claim, sentence
    if why:
        assert reading.not_a_claim == why


# -- a quote that means nothing alone ------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "And we must observe that this is decisive…",
        "This is the origin of property.",
        "Only those who do not look beneath the surface might be led to entertain this view.",
        "It is easy to conceive that, according to the power of the legislator, it destroys for its own profit…",
        "Thus the greater it is in the geometrical sense, the less relation there is in the ordinary sense.",
        "It is due to this ignorance that the entire life of the girl is thwarted and crippled.",
        "But before Rousseau's time it had been used to support views as diverse as those of the first form.",
        "Thus thought the two girls as they travelled, in the year 1886, from New York to Rochester.",
        "I praise this system because it has been made use of formerly.",
        "Well, upon this excess of revolutionary activity there necessarily followed the inevitable reaction.",
    ],
)
def test_a_quote_whose_pointer_has_its_antecedent_elsewhere_does_not_stand_alone(quote):
    assert not stands_alone(quote)


@pytest.mark.parametrize(
    "quote",
    [
        "Man can only derive life and enjoyment from the application of his faculties.",
        "A man who works hard keeps what he earns.",
        "He who works shall eat.",
        "By what right, then, does one heir say of the house that this is his and not ours?",
        "It is easy to conceive that laws are made by the strong.",
        "The more men own, the more they fear for what they own.",
        "In the long run it is the workers who pay for every war.",
        "Society is thus bound to remain divided into two hostile camps, and in such conditions freedom is a vain word.",
        "Labour is a pain, and this is why men plunder whenever they can.",
    ],
)
def test_a_quote_that_names_what_its_pronouns_mean_stands_alone(quote):
    assert stands_alone(quote) and names_its_people(quote)


def test_a_claim_whose_he_is_someone_of_the_sentence_before_is_not_quoted_but_a_story_may_be():
    assert not names_its_people("Men are merely to be what he wills that they should be.")
    assert not names_its_people("Before the war he had been a friend of the workers in every strike.")
    assert stands_alone("At last a person with whom she could converse, one who could help her bridge the dullness.")


@pytest.mark.parametrize(
    ("sentence", "turn"),
    [
        (
            "Any person must write under the influence of party spirit or of fear, who would call into question "
            "the sincerity of the protectionists and of the socialists, which are one and the same plant in three "
            "different periods of its growth.",
            ", who would",
        ),
        (
            "A tariff must ruin the poorest consumer in the country within a single generation of its passing, "
            "if the harvest fails in two years running and the ports are closed to foreign grain by a war abroad.",
            ", if",
        ),
    ],
)
def test_a_quote_is_never_cut_before_the_clause_its_claim_holds_under(sentence, turn):
    quoted = quote_through(sentence, 0, 10)
    assert quoted is None or turn.lstrip(", ") in quoted
    piece, rest = sentence.split(turn, 1)
    assert cuts_off_a_condition(piece, turn.lstrip(", ") + rest)


def test_a_cut_before_a_coordinate_clause_drops_no_condition():
    assert not cuts_off_a_condition("Protection is a violation of property", "and it ruins the poor.")


# -- templates bind to the types they are written for ---------------------------------------------


def test_a_type_no_template_is_written_for_gets_no_question_of_that_kind():
    general = Template(
        "rule", "assumption", "“{claim}” Can you think of a counterexample?", frozenset({"claim"}), {"general"}
    )
    anything = Template("any", "assumption", "“{claim}” Good grounds?", frozenset({"claim"}))
    assert _written_for((general, anything), "general") == (general,)
    assert _written_for((general, anything), "definition") == ()
    assert _written_for((anything,), "definition") == (anything,), "an organiser's plain list takes any quote"


def test_every_bundled_template_that_quotes_a_claim_says_what_it_fits():
    templates = load_templates()
    for kind in ("thesis", "assumption", "cause", "counterfactual"):
        assert all(t.fits for t in templates[kind]), kind
    assert all(t.fits for t in templates["evidence"])
    assert {"conclusion", "classification"} <= {f for t in templates["thesis"] for f in t.fits}
    assert not any("counterexample" in t.text for t in templates["assumption"] if "classification" in t.fits)


# -- whole posts ---------------------------------------------------------------------------------


def test_a_classification_is_not_asked_for_a_counterexample(tmp_path):
    questions = post(
        tmp_path,
        "Slavery is a violation, sanctioned by law, of the rights of the person. "
        "Protection is a violation perpetrated by the law upon the rights of property. "
        "Both are plunder organised by the law itself, and the people pay for both.",
    )
    classed = [q for q in questions if "Slavery is a violation" in q.text or "Protection is a violation" in q.text]
    assert classed
    for q in classed:
        assert "counterexample" not in q.text and "the real cause" not in q.text, q.text
        assert "fair account of the thing described" not in q.text, q.text


def test_a_conclusion_is_asked_whether_it_follows_not_for_its_cause(tmp_path):
    questions = post(
        tmp_path,
        "Every man seeks to live with the least pain. Labour is a pain, and plunder is often less painful than labour. "
        "So, from whatever side we regard the matter, the law must oppose plunder, because plunder is easier than work.",
    )
    [conclusion] = [q for q in questions if "from whatever side" in q.text]
    assert "real cause" not in conclusion.text and "order of causes" not in conclusion.text
    assert conclusion.kind != "cause"
    assert "follow" in conclusion.text


def test_a_distinction_is_weighed_as_a_distinction_not_as_a_reason(tmp_path):
    questions = post(
        tmp_path,
        "The minister said that we must make war on plunder. But what plunder did he mean? "
        "For there are two sorts of plunder: the plunder outside the law and the plunder the law itself commits. "
        "The second is the greater danger to a free people, since it wears the robe of justice.",
    )
    [distinction] = [q for q in questions if "two sorts" in q.text]
    assert "reason" not in distinction.text and distinction.kind == "contrast", distinction.text
    assert not any(q.text.startswith("“The minister said") for q in questions), "what he said is no rule of hers"


def test_a_denial_is_not_asked_about_as_what_might_have_been(tmp_path):
    questions = post(
        tmp_path,
        "The police said that I had conspired with the young man. I did not know him; in fact, had never heard his "
        "name, and the only way I could have conspired with him was in my dreams. The police want a target, not "
        "the truth, and every arrest of this kind proves it to the workers of the city.",
    )
    assert not any(q.kind == "counterfactual" for q in questions)
    # what the frame needs: a condition, which a denial lacks
    assert not _CONDITION.search("the only way I could have conspired with him was in my dreams")
    for condition in (
        "Had he lived, the party would have split",
        "If the tariff had gone, bread would have been cheap",
    ):
        assert _CONDITION.search(condition), condition


def test_an_index_gets_no_questions(tmp_path):
    index = (
        "Agriculture, 35 Persian, 26 Antiquity. See Greece; Rome Authority. See Government\n\n"
        "Beggars, 11 Blanc, Louis competition, 45 doctrine, 42, 43 force of society, 47, 48 labor, 42 law, 50, 52 "
        "Bossuet, 25, 26 Cabetists, 46, 47 Capital displacement, 2 Carthage, 32 Charity, 5, 17 Classical studies, "
        "25, 26, 36, 37, 38 Collectivism, 2, 3 Communism, 18 Competition meaning, 45 results, 45 Crete, 28"
    )
    assert reference_matter(index)
    assert not reference_matter("Labour is a pain, and in 1850 plunder was less painful than labour for 300 lords.")
    assert post(tmp_path, index) == []


def test_a_post_with_one_question_on_its_passage_takes_one_filler_at_most(tmp_path):
    """Two questions a post, as the issue asks: the second may be one any passage could take, but
    only when nothing in the passage gives a second of its own."""
    questions = post(
        tmp_path,
        "The plunder the law commits is the worst of all, for it wears the robe of justice and calls itself "
        "fraternity. Nobody who is robbed by the law can complain to the law.",
    )
    assert 2 <= len(questions) <= 4
    assert set(questions[0].slots) - COMMON_SLOTS, questions[0].text
    assert sum(1 for q in questions if not set(q.slots) - COMMON_SLOTS) <= 1, [q.text for q in questions]
    assert {q.kind for q in questions} <= set(KINDS) | {LAST_RESORT}


def test_a_word_that_stands_in_the_letters_a_passage_quotes_is_not_asked_about_as_the_authors_concept(tmp_path):
    questions = post(
        tmp_path,
        "The Academy replied to my memoir with the following note, which I give in full.\n\n"
        "> A member observes that the pamphlet attacks property, calls property robbery, and would abolish "
        "property by decree. He demands that the Academy disavow the author of this attack on property, and "
        "that the pensioner omit his dedication to the Academy in any later edition of the pamphlet.\n\n"
        "After this ludicrous decree I can only beg the reader not to measure my compatriots by our Academy. "
        "A learned man, a defender of property, took up my defence before the ministry.",
    )
    assert not any("take “property” to be" in q.text for q in questions), [q.text for q in questions]


def test_a_quote_whose_they_became_one_persons_name_is_not_asked():
    assert not _quotes_stand_alone(
        {"reported": "[Saint-Just] are not capable of it; it is only the legislator who is."}
    )
    assert _quotes_stand_alone({"reported": "[The Jacobins] are not capable of governing a free people by decree."})
    assert _quotes_stand_alone(
        {"reported": "[Saint-Just] is the legislator of the new people in every one of his speeches."}
    )


def test_the_first_item_of_a_list_is_not_quoted_as_a_claim():
    sentence = (
        "Thus the grass my horse has bit; the turfs my servant has cut; and the ore I have digged in any place, "
        "where I have a right to them in common with others, become my property, without the consent of anybody."
    )
    assert _first_item_of_a_list("Thus the grass my horse has bit…", sentence)
    assert _first_item_of_a_list("Thus the grass my horse has bit; the turfs my servant has cut…", sentence)
    clauses = "The law is made by one man; the force is placed in his hands; and the people obey him in everything."
    assert not _first_item_of_a_list("The law is made by one man…", clauses)


def test_a_passage_of_mostly_quoted_sentences_is_not_asked_what_its_author_takes_a_concept_to_be(tmp_path):
    questions = post(
        tmp_path,
        "The Academy of my province, which calls itself the defender of property and of every ancient right of "
        "property in the soil and in the workshop, replied to my memoir on property with a note which I give here "
        "without a word of my own added to it.\n\n"
        '"Property is attacked." "Property is called robbery." "The author is disavowed." '
        '"The dedication is omitted." "The vote is unanimous."\n\n'
        "After this ludicrous decree, which its authors thought to make powerful by the form of a contradiction, I "
        "can only beg the reader not to measure the intelligence of my compatriots by that of the Academy.",
    )
    assert questions
    assert not any("take “property” to be" in q.text for q in questions), [q.text for q in questions]


def test_a_reason_named_but_not_given_is_not_asked_whether_it_holds(tmp_path):
    questions = post(
        tmp_path,
        "In military numbers, the ancients far exceeded the moderns: and the reason is evident. "
        "Commerce diminishes the spirit, both of patriotism and of military defence, because every merchant "
        "fears for his goods more than for his country.",
    )
    assert not any("the reason is evident" in q.text for q in questions if q.kind == "evidence"), [
        q.text for q in questions
    ]


# -- rules that must not misfire on ordinary sentences (review of the frames round) ---------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A right that cannot be enforced is not a right.",
        "A man who is free only to starve is not free.",
        "Labour is not available in sufficient quantity where wages are low.",
        "Rome died of its own greatness.",
    ],
)
def test_a_claim_that_only_looks_like_a_tautology_a_source_or_a_life_is_still_a_claim(sentence):
    assert read_claim(sentence).not_a_claim == "", sentence


@pytest.mark.parametrize("sentence", ["Thus property is theft.", "Hence liberty is impossible without equality."])
def test_a_conclusion_with_a_one_word_subject_is_a_conclusion(sentence):
    assert kind_of(sentence) == "conclusion"


def test_a_degree_is_no_conclusion():
    assert kind_of("So many men have died for liberty that its price can no longer be counted.") != "conclusion"


@pytest.mark.parametrize(
    "sentence",
    [
        "It is certain that he who controls the bread controls the man.",
        "It is plain that, if men were angels, they would need no government.",
        "Of all the errors of the economists, this is the gravest: that they take the wage for the worker's due.",
        "Men are free only in those conditions in which the law protects them.",
    ],
)
def test_a_quote_that_names_what_its_pronoun_stands_for_stands_alone(sentence):
    assert stands_alone(sentence), sentence


def test_a_his_that_points_ahead_to_the_man_named_later_is_resolved():
    assert names_its_people("It is by his own labour alone that a man acquires property.")
    assert not names_its_people("Men are merely to be what he wills that they should be.")


def test_a_sentence_of_many_clauses_is_no_tautology():
    """A sentence of 24,000 clauses is read to its end and is no tautology (its speed is bench work)."""
    from bot.questions.analysis.claims import analytic

    sentence = " ".join(f"word{n} is other{n}," for n in range(24_000))
    assert analytic(sentence) is False
    assert analytic("But the whole minus a part cannot be the whole.")


# -- what will be, and what a passage's last sentence announces ----------------------------------


def test_a_cause_said_of_what_will_be_is_asked_as_a_prediction_not_as_an_outcome_to_explain(tmp_path):
    questions = post(
        tmp_path,
        "Socialism will be of value simply because it will lead to the freedom of each worker to choose his work. "
        "The factories will pass to the workers, and the workers will govern them through their own councils.",
    )
    texts = " ".join(q.text for q in questions)
    assert "explain the same" not in texts and "real cause" not in texts, texts
    assert any(q.template in ("thesis-prediction", "thesis-prediction-grounds", "cause-test") for q in questions), texts


@pytest.mark.parametrize(
    "sentence", ["The general will cannot err.", "He acted of his own free will and paid for it.", "Rents rise."]
)
def test_the_will_of_a_people_is_no_prediction(sentence):
    assert not _PREDICTION.search(sentence)


def test_a_last_sentence_that_announces_what_follows_is_not_asked_about(tmp_path):
    questions = post(
        tmp_path,
        "The law may forbid marriage to those who cannot support a family, and such laws do not violate liberty. "
        "The state that permits a child to be born without the means of support commits a wrong against the child. "
        "The objections which are urged against interference of the state may be of three kinds.",
    )
    assert questions
    assert not any("three kinds" in q.text for q in questions), [q.text for q in questions]


# -- the passage's centre, not its asides; a case, a count and a depiction told apart ----------


def test_a_maxim_opened_by_he_who_is_a_rule_not_a_case_it_rests_on():
    from bot.questions.analysis.argument import find_argument
    from bot.questions.analysis.tokens import read_passage

    argument = find_argument(
        read_passage(
            "Every opinion must be tested against its strongest rival. "
            "He who knows only his own side of the question, knows little of that. "
            "He who saves a fellow creature from drowning does what is right, whatever his motive."
        ),
        {},
    )
    kinds = {c.sentence: c.kind for c in argument.evidence}
    assert kinds.get(1) != "example" and kinds.get(2) == "example", kinds


def test_a_thing_counted_is_no_rule_to_find_a_counterexample_to():
    assert read_claim("Vulgarity and stupidity are two very vivid facts in modern life.").kind != "general"
    assert read_claim("Strong impulses are but another name for energy.").kind == "general"


def test_a_person_described_in_a_story_is_no_conclusion_though_the_sentence_opens_with_and_so():
    described = read_claim(
        "And so the rich farmer who comes to the prophet is represented as a thoroughly good citizen, "
        "who has broken none of the laws of his state."
    )
    assert described.kind != "conclusion"
    assert read_claim("And so the law is nothing but organised force.").kind in ("conclusion", "classification")


def test_an_aside_hedged_by_i_feel_certain_is_weaker_than_the_same_claim_stated():
    hedged = read_claim("But there are other writers, I feel certain, men of learning, who dislike these scandals.")
    plain = read_claim("But there are other writers, men of learning, who dislike these scandals.")
    assert hedged.strength < plain.strength


def test_a_point_the_author_grants_is_weaker_than_the_point_made():
    granted = read_claim("To a certain extent it is admitted, that our understanding should be our own.")
    made = read_claim("Our understanding should be our own.")
    assert granted.strength < made.strength


def test_the_passage_is_asked_about_its_claim_not_its_hedged_aside(tmp_path):
    questions = post(
        tmp_path,
        "The public has no right to know the private lives of those who serve it. "
        "A statesman should be judged by his public acts alone, and his private life should be his own. "
        "There are some editors, I feel certain, men of taste, who dislike printing such things.",
    )
    assert questions and "I feel certain" not in questions[0].text, [q.text for q in questions]


def test_a_verdict_with_its_ground_is_judged_not_asked_for_its_real_cause():
    verdict = "It is unjust to use the profits of a trade to relieve the evils that result from that trade."
    assert read_claim(verdict).kind == "evaluative"
    assert read_claim("The old order was admirable because it gave every man a place.").kind == "evaluative"
    assert read_claim("The land lies idle because the owners invest abroad.").kind == "causal"


def test_a_sentence_opened_by_for_is_the_authors_ground_not_an_explanation_to_doubt(tmp_path):
    questions = post(
        tmp_path,
        "The coming order will be built on pleasure and not on pain. "
        "For it is through joy that each person will find out what he is able to become. "
        "Pain is a protest against wrong surroundings, and it will pass when the surroundings change.",
    )
    texts = [q.text for q in questions]
    assert not any("For it is through joy" in t and "real one" in t for t in texts), texts


def test_a_duty_put_in_the_passive_is_a_norm_not_a_story_told():
    assert read_claim("The private lives of men and women should not be told to the public.").kind == "normative"
    assert read_claim("He told the council that the war was lost.").not_a_claim  # a story told, no claim


def test_some_few_granted_with_possibly_are_an_aside():
    hedged = read_claim("There are possibly some editors who take a real pleasure in printing scandals.")
    plain = read_claim("There are some editors who take a real pleasure in printing scandals.")
    assert hedged.strength < plain.strength


def test_the_point_the_author_turns_to_after_a_concession_is_the_thesis():
    from bot.questions.analysis.argument import find_argument
    from bot.questions.analysis.tokens import read_passage

    argument = find_argument(
        read_passage(
            "Whatever people believe, they ought to be able to defend against the common objections. "
            "Undoubtedly: and such teaching suffices on a subject like arithmetic. "
            "There are no objections there, and no answers to objections. "
            "But on every subject on which difference of opinion is possible, the truth depends on a balance "
            "to be struck between two sets of conflicting reasons."
        ),
        {},
    )
    assert argument.thesis is not None and argument.thesis.sentence == 3, argument.thesis


def test_what_a_thing_depends_on_is_a_condition_not_a_cause_to_explain_away():
    reading = read_claim("The truth depends on a balance to be struck between two sets of conflicting reasons.")
    assert reading.kind == "general"


def test_what_someone_left_on_record_is_reported_not_claimed():
    reading = read_claim(
        "The greatest orator, save one, of antiquity, has left it on record that he always studied "
        "his adversary's case with as great intensity as his own."
    )
    assert reading.not_a_claim


def test_a_concession_that_turns_in_its_own_sentence_lends_no_weight_to_the_next_but():
    from bot.questions.analysis.argument import _turns_from_a_concession
    from bot.questions.analysis.tokens import read_passage

    turned = read_passage(
        "The question must of course be seen whole, but the motor of history is not the machine. "
        "But a simple view of it forgets that the machine itself is shaped by another factor."
    )
    granted = read_passage(
        "It is true that the machine changes how men work. But the motor of history is not the machine."
    )
    assert not _turns_from_a_concession(turned, 1)
    assert _turns_from_a_concession(granted, 1)


def test_what_happens_at_times_is_no_rule_to_find_a_counterexample_to():
    assert (
        read_claim("Shallow speakers often talk about the worship of pleasure, and whine against it.").kind != "general"
    )
    assert read_claim("Shallow speakers talk about the worship of pleasure, and whine against it.").kind == "general"


@pytest.mark.parametrize(
    "close",
    [
        "Very truly and gratefully yours, FREDERICK DOUGLASS Cedar Hill, Anacostia, D.C., Oct.",
        "Yours faithfully, John Smith.",
        "Sincerely yours, the Committee.",
    ],
)
def test_a_letters_close_is_no_claim(close):
    assert read_claim(close).not_a_claim == "address", close
