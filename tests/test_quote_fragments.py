"""A question never carries a broken quote or a wrong name: a quote that leans on a word elided
from the sentence before, a quote cut before the verb of its claim, a concession paired with a
clause that is no claim of its own, an office taken for a person. Passages are written inline."""

from __future__ import annotations

import pytest

from bot.questions.analysis.argument import find_argument
from bot.questions.analysis.names import find_names
from bot.questions.analysis.sentences import cut_before_claim, stands_alone
from bot.questions.analysis.tokens import read_passage


def _argument(body: str, author: str = "Oscar Wilde"):
    passage = read_passage(body)
    return find_argument(passage, {t.stem: 1.0 for t in passage.tokens}, author=author)


@pytest.mark.parametrize(
    "quote",
    [
        "Many Popes have been; the bad Popes have been.",
        "Some rulers of great states have been; the wise ones have not been.",
    ],
)
def test_a_quote_whose_predicate_was_elided_does_not_stand_alone(quote):
    assert not stands_alone(quote)


def test_a_comparison_ending_on_an_auxiliary_still_stands_alone():
    assert stands_alone("The state is far stronger today than it has ever been.")
    assert stands_alone("Labour is a pain, and this is why men plunder whenever they can.")


@pytest.mark.parametrize(
    "quote",
    [
        "But there are other journalists, I feel certain, men of education and cultivation…",
        "Nevertheless, when there is not a certainty, but only a danger of mischief…",
        "I can quite understand that were the play produced for the first time before a modern audience…",
        "The magistrate may act freely, if the danger is great and the harm is certain, unless…",
    ],
)
def test_a_quote_cut_before_the_verb_of_its_claim_is_not_quoted(quote):
    assert cut_before_claim(quote)
    assert not stands_alone(quote)


@pytest.mark.parametrize(
    "quote",
    [
        "To a certain extent it is admitted, that our understanding should be our own…",
        "The law of England is lighter, though opinion is heavier, than in most other countries of Europe…",
        "Justice is a name for certain classes of moral rules…",
    ],
)
def test_a_quote_cut_after_its_claim_is_kept(quote):
    assert not cut_before_claim(quote)


def test_a_pronoun_in_an_opening_clause_of_place_or_time_points_back():
    assert not stands_alone("Wherever it has really diminished it, the results have always been extremely good.")
    assert not stands_alone("Whenever they meet, the council grows weaker.")


def test_a_sentence_announcing_kinds_it_does_not_give_is_not_quoted():
    assert not stands_alone("The objections which may be made to the interference of government may be of three kinds.")
    assert stands_alone("There are three kinds of government: monarchy, aristocracy and democracy.")


def test_an_office_is_not_a_person_who_holds_views():
    body = (
        "The Pope may be cultivated. Many Popes have been; the bad Popes have been. "
        "It was a Pope who said of Cellini that common laws and common authority were not made for men such as he. "
        "Cardinal Bembo argued that the artist must obey the laws of the city like any other man."
    )
    holders = {v.holder for v in _argument(body).views}
    assert not any("Pope" in h for h in holders), holders


def test_a_capitalised_common_noun_is_not_a_name(library):
    from bot.questions.analysis import library_stats

    text = read_passage(
        "The Prince may be cultivated. Many Princes have been. It was a Pope who imprisoned Cellini, "
        "and the Pope was praised for it. Cellini wrote of it to Vasari, and Vasari told the story to Cosimo."
    )
    names = {n.text.removeprefix("the ") for n in find_names(text, library_stats(library))}
    assert "Prince" not in names and "Pope" not in names
    assert "Cellini" in names


def test_a_concession_is_not_paired_with_a_subordinate_clause():
    body = (
        "Of course, all crimes are not crimes against property, and the law punishes those with great severity. "
        "But though a crime may not be against property, it may spring from the misery produced by our system."
    )
    for tension in _argument(body).tensions:
        assert not tension.held.startswith(("though", "then", "if")), tension


def test_a_concession_answered_by_but_then_is_held_from_its_subject():
    body = (
        "Of course, the attacks on the artist are very gross, very impertinent, and very contemptible. "
        "But then no artist expects grace from the vulgar mind, or style from the suburban intellect."
    )
    tensions = _argument(body).tensions
    assert all(not t.held.startswith("then") for t in tensions), tensions


def test_a_sentence_ending_on_this_points_back():
    assert not stands_alone(
        "There is a curiously humble estimate of his own powers, which reads at first sight as if it contradicted this."
    )
    assert stands_alone("There is a curiously humble estimate of his own powers in the letters he wrote to Bain.")
