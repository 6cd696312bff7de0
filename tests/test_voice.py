"""Whose words: front matter by other hands is never the author's, a note on the e-text is no
reading matter, and a view or a marked word is given to whoever holds it (never to someone the
sentence only mentions). Passages are written inline."""

from __future__ import annotations

import pytest

from bot import search, texts
from bot.models import Block
from bot.questions import generate_questions
from bot.questions.analysis import analyse_passage, library_stats
from bot.questions.analysis.argument import find_argument
from bot.questions.analysis.connections import cosine, passage_vector
from bot.questions.analysis.terms import _marked_terms
from bot.questions.analysis.tokens import read_passage
from bot.texts.hands import (
    APPARATUS,
    AUTHOR,
    FRONT_MATTER_SECTION,
    OTHER,
    names_author,
    passage_hands,
    set_apart_front_matter,
)
from bot.texts.heal import heal
from tests.helpers import start_plan

SMALL = texts.Pace(min_words=10, max_words=60, max_chars=900)

# -- front matter ---------------------------------------------------------------------------------

E_TEXT_NOTE = (
    "Digitized by A. Volunteer. John Mill's essay was first published in 1861. This e-text follows "
    "the edition of 1863; the editor's notes are not included."
)
TITLE_PAGE = "ON LIBERTY AND OTHER ESSAYS. LONDON PRINTED MDCCCLXIII"
OPENING = (
    "The subject of this essay is not the so-called liberty of the will, but civil or social liberty, "
    "the nature and limits of the power which can be legitimately exercised by society over the individual."
)


def test_a_note_on_the_e_text_and_the_title_page_after_it_become_a_section_of_their_own():
    blocks = [Block("paragraph", E_TEXT_NOTE), Block("paragraph", TITLE_PAGE), Block("paragraph", OPENING)]
    apart = set_apart_front_matter(blocks)
    assert apart == [
        Block("heading", FRONT_MATTER_SECTION),
        Block("paragraph", E_TEXT_NOTE),
        Block("paragraph", TITLE_PAGE),
        Block("heading", ""),
        Block("paragraph", OPENING),
    ]


def test_a_text_that_opens_on_its_own_words_is_left_as_it_is():
    blocks = [Block("heading", "CHAPTER I"), Block("paragraph", OPENING), Block("paragraph", E_TEXT_NOTE)]
    assert set_apart_front_matter(blocks) == blocks


def test_a_plan_starts_past_the_note_on_the_e_text_and_search_still_finds_it(empty_store, tmp_path):
    source = tmp_path / "mill-liberty.txt"
    body = "\n\n".join([E_TEXT_NOTE, TITLE_PAGE, *[OPENING] * 4])
    source.write_text(f"---\ntitle: On Liberty\nauthor: John Stuart Mill\n---\n\n{body}\n", encoding="utf-8")
    texts.ingest(empty_store, [source], SMALL)
    text = texts.resolve_text(empty_store, "liberty")
    first, second = texts.passage(empty_store, text, 1), texts.passage(empty_store, text, 2)
    assert (
        first.section == FRONT_MATTER_SECTION
        and "Digitized" in first.body
        and "subject of this essay" not in first.body
    )
    assert texts.passage_hand(empty_store, first).kind == APPARATUS
    assert texts.passage_hand(empty_store, second).kind == AUTHOR
    assert start_plan(empty_store, text="liberty").next_ordinal == 2
    assert start_plan(empty_store, channel_id=11, text="liberty", start_at=1).next_ordinal == 1  # when asked for
    assert any(h.passage.ordinal == 1 for h in search.search(empty_store, "digitized").hits)


def test_an_editors_preface_that_speaks_of_the_author_is_the_prefaces_not_the_authors():
    hands = passage_hands(
        "Mikhail Bakunin",
        [
            (
                "Preface to the First French Edition",
                "One of us is soon to tell in all its details the story of the life of Bakunin.",
            ),
            (
                "Preface to the First French Edition",
                "These letters more than anything else explain the prodigious work of Bakunin in the century.",
            ),
            (
                "",
                "Who are right, the idealists or the materialists? The question once stated, hesitation is impossible.",
            ),
            ("", "As Bakunin I sign this letter, for the idealists have had their say and this is my reply to them."),
        ],
    )
    assert [(h.kind, h.writer) for h in hands[:3]] == [(OTHER, "the preface"), (OTHER, "the preface"), (AUTHOR, "")]
    assert hands[3].kind == OTHER and hands[3].writer == ""  # mid-text: named neutrally, not as the preface


def test_a_heading_names_the_other_hand_and_the_author_own_preface_stays_theirs():
    hands = passage_hands(
        "Niccolò Machiavelli",
        [
            (
                "Translated by W. K. Marriott",
                "Nicolo Machiavelli, born at Florence on 3rd May 1469, held an office there.",
            ),
            (
                "YOUTH",
                "Although there is little recorded of the youth of Machiavelli, the Florence of those days is known.",
            ),
            (
                "CHAPTER I",
                "All states, all powers, that have held and hold rule over men have been republics or principalities.",
            ),
        ],
    )
    assert [(h.kind, h.writer) for h in hands] == [(OTHER, "Marriott"), (OTHER, "Marriott"), (AUTHOR, "")]
    assert [
        h.kind for h in passage_hands("Friedrich Engels", [("Preface by Friedrich Engels", "Engels wrote it.")])
    ] == [AUTHOR]
    assert (
        passage_hands("Karl Marx", [("PUBLISHER'S NOTE", "This book needs no preface.")])[0].writer == "the publisher"
    )
    assert passage_hands("Karl Marx", [("Transcriber's Note", "Spelling is as printed.")])[0].kind == APPARATUS


def test_questions_on_a_publishers_note_name_the_publisher_never_the_author(empty_store, tmp_path):
    source = tmp_path / "marx-capital.txt"
    note = (
        "Karl Marx is second only to no one among socialist writers, and his influence is only beginning. "
        "Every worker who reads this book will understand the modern socialist movement better than before."
    )
    chapter = "The wealth of those societies in which the capitalist mode of production prevails presents itself as an immense accumulation of commodities."
    source.write_text(
        f"---\ntitle: Capital\nauthor: Karl Marx\n---\n\nPUBLISHER'S NOTE\n\n{note}\n\nCHAPTER I\n\n{chapter}\n",
        encoding="utf-8",
    )
    texts.ingest(empty_store, [source], SMALL)
    text = texts.resolve_text(empty_store, "capital")
    questions = generate_questions(empty_store, texts.passage(empty_store, text, 1))
    assert questions and not any("Marx" in q.slots.get("author", "") for q in questions)
    assert any("the publisher" in q.text.lower() for q in questions)


# -- who holds a view -----------------------------------------------------------------------------


def holders(passage: str, author: str = "Peter Kropotkin") -> dict[str, str]:
    """Each view the passage reports: holder -> quote."""
    argument = find_argument(read_passage(passage), {}, author=author, is_name=lambda w: w[:1].isupper())
    return {v.holder: v.quote for v in argument.views}


def test_people_a_sentence_only_mentions_hold_no_view():
    assert not holders(
        "As to the wealth held by the Rothschilds or the Vanderbilts, it will serve us to organise production."
    )
    assert not holders("Florence has been described as a city with two opposite currents of life, one of them austere.")
    assert not holders(
        "And the partition she made with the Venetians in Lombardy was justified by the excuse of a foothold."
    )
    assert not holders(
        "Alexander never did what he said, and Cesare never said what he did, which served them both well."
    )
    assert not holders(
        "Every writer, from Epicurus to Bentham, who maintained the theory of utility, meant by it pleasure itself."
    )
    assert not holders(
        "Those who hold and those who are without property have ever formed distinct interests in society."
    )
    assert not holders(
        'We are compelled to say that "Rome maintained friendly relations with the Aetolians" and no more.'
    )


def test_a_sentence_that_reports_a_view_gives_it_to_its_holder():
    assert "Liebman" in holders("Liebman argues that the party of 1917 was a synthesis of two opposed traditions.")
    assert "the Mensheviks" in holders(
        "The view held by the Mensheviks was that the revolution could only be bourgeois."
    )
    assert "those who hold so" in holders(
        "Those who hold that property is theft have never owned a field or a workshop."
    )
    assert "Stalin" in holders(
        "For Stalin, the defeat of the opposition was imperative; he saw it as a question of life."
    )
    assert "the objectors" in holders(
        "Against this doctrine arises another class of objectors, who say that happiness cannot be the purpose of life."
    )


# -- marked words ---------------------------------------------------------------------------------


def marked(passage: str) -> dict[str, str]:
    return {spelling: how for spelling, how, _ in _marked_terms(read_passage(passage), {})}


def test_so_called_marks_the_words_it_qualifies_up_to_a_dash_or_a_preposition():
    found = marked(
        "The millions spent on prisons and all the paraphernalia of so-called justice--spent to no purpose. "
        "Such are the so-called anarchists for the abolition of every authority."
    )
    assert found == {"justice": "so-called", "anarchists": "so-called"}


def test_words_in_a_footnote_are_not_the_authors_marked_words():
    found = marked(
        "Men must keep faith when it serves them and no longer.\n\n"
        '(*) The word "fede" meant the creed, and not as rendered here "fidelity".'
    )
    assert "fidelity" not in found and "fede" not in found


def test_a_title_after_its_writers_name_is_not_a_word_of_theirs():
    found = _marked_terms(read_passage("Marx’s “Capital” and Liebman’s “synthesis” are cited at length here."), {})
    assert [(spelling, holder) for spelling, _, holder in found] == [("synthesis", "Liebman")]


# -- footnote marks -------------------------------------------------------------------------------


def test_footnote_marks_against_a_word_are_healed_away_and_a_note_keeps_its_own():
    blocks = heal(
        "He persuaded the Duke Lodovico(*) to raise the league,(2) and kept his obligations.[B]\n\n"
        "(*) Catherine Sforza, daughter of the Duke.\n\n"
        "(1) You do not need a mark here; nor does Article 1(1) of the treaty.\n"
    )
    bodies = [b.text for b in blocks if b.kind == "paragraph"]
    assert bodies == [
        "He persuaded the Duke Lodovico to raise the league, and kept his obligations.",
        "(*) Catherine Sforza, daughter of the Duke.",
        "(1) You do not need a mark here; nor does Article 1(1) of the treaty.",
    ]


def test_a_text_by_several_authors_names_the_one_its_heading_names():
    hands = passage_hands(
        "Alexander Hamilton, John Jay, and James Madison",
        [("MADISON", "Liberty is to faction what air is to fire."), ("THE UNION", "The union is a safeguard.")],
    )
    assert [(h.kind, h.writer) for h in hands] == [(AUTHOR, "Madison"), (AUTHOR, "")]


def test_a_quoted_word_followed_by_its_owner_is_theirs():
    found = _marked_terms(
        read_passage("It will be seen that this “dialectics” of Liebman’s obscures more than it clarifies."), {}
    )
    assert [(spelling, holder) for spelling, _, holder in found] == [("dialectics", "Liebman")]


def test_headings_that_only_look_like_apparatus_or_another_hand_are_the_authors():
    author = "John Stuart Mill"
    for section in (
        "Preface to the Second Edition, by the Author",
        "Index of the Prohibited Books",
        "Contents of the Mind",
    ):
        assert passage_hands(author, [(section, "The mind holds what it has learned.")])[0].kind == AUTHOR, section
    assert passage_hands(author, [("CONTENTS", "Chapter I. Introductory.")])[0].kind == APPARATUS
    for notes in ("FOOTNOTES", "Footnote", "Endnotes", "Notes to Chapter II.", "NOTES TO THE TEXT"):
        assert passage_hands(author, [(notes, "[1] See the second chapter.")])[0].kind == APPARATUS, notes
    for own in (
        "Notes",
        "Notes on Nationalism",
        "A Note on Liberty",
        "Notebooks of a Recluse",
        "Footnotes to History",
        "Notes on the Book of Job",
        "Notes on Volume and Value",
    ):
        assert passage_hands(author, [(own, "The nation is an idea.")])[0].kind == AUTHOR, own
    assert passage_hands(author, [("Introduction by Harold Laski", "Mill wrote this essay.")])[0].writer == "Laski"


# -- links to other texts -------------------------------------------------------------------------

SURPLUS_NOTE = (
    "Marx shows in this book that surplus value comes from labour power bought below the value it creates. "
    "The bourgeoisie owns the means of production, and the proletariat sells its labour power to live; "
    "surplus value is the unpaid labour of the proletariat."
)
SURPLUS_OWN = (
    "The bourgeoisie buys labour power as a commodity. Surplus value is the difference between the value labour "
    "power creates and the wage the proletariat receives; the means of production belong to the bourgeoisie alone."
)
SURPLUS_OTHER = (
    "Surplus value is the secret of capitalist production: the proletariat creates more value with its labour power "
    "than the bourgeoisie pays. Labour power is bought and sold; the means of production are owned by the "
    "bourgeoisie, and surplus value is unpaid labour."
)
FILLER = (
    "Gardens need water in the dry months, and roses want sun for most of the day before they bloom.",
    "The river floods each spring; the farmers move their sheep to the hills and wait for the water to fall.",
    "A ship sails best with the wind behind it, and sailors read the clouds to know when a storm will come.",
    "Bread rises when the yeast is warm; the baker kneads the dough at dawn and bakes it before the market opens.",
    "Mountains are cold at the top even in summer, and climbers carry ropes, food and warm clothes for the night.",
    "Bees carry pollen from flower to flower, and the honey they store feeds the hive through the winter months.",
)


def test_a_link_to_another_text_is_to_its_authors_own_words_not_its_publishers_note(empty_store, tmp_path):
    def write(name: str, title: str, author: str, body: str) -> None:
        (tmp_path / name).write_text(f"---\ntitle: {title}\nauthor: {author}\n---\n\n{body}\n", encoding="utf-8")

    write("marx.txt", "Wage Labour", "Karl Marx", f"PUBLISHER'S NOTE\n\n{SURPLUS_NOTE}\n\nCHAPTER I\n\n{SURPLUS_OWN}")
    write("engels.txt", "Principles", "Friedrich Engels", f"CHAPTER I\n\n{SURPLUS_OTHER}\n\n{SURPLUS_OTHER}")
    for i, line in enumerate(FILLER):  # a library wide enough for the passages' words to be distinctive
        write(f"filler{i}.txt", f"Filler {i}", f"Writer {chr(65 + i)}", f"{line}\n\n{line}")
    texts.ingest(empty_store, sorted(tmp_path.glob("*.txt")), SMALL)
    engels, marx = texts.resolve_text(empty_store, "principles"), texts.resolve_text(empty_store, "wage")
    note, own = texts.passage(empty_store, marx, 1), texts.passage(empty_store, marx, 2)
    stats = library_stats(empty_store)
    here = passage_vector(read_passage(texts.passage(empty_store, engels, 1).body), stats)
    assert cosine(here, passage_vector(read_passage(note.body), stats)) > cosine(
        here, passage_vector(read_passage(own.body), stats)
    )  # the note is the closer passage ...
    connection = analyse_passage(empty_store, texts.passage(empty_store, engels, 1)).connection
    assert connection is not None and connection.passage.id == own.id  # ... but only Marx's own words answer


@pytest.mark.parametrize(
    ("author", "body"),
    [
        (
            "Jack London",
            "The under-world of London was a hard place to live, and the men in it worked until they dropped.",
        ),
        (
            "Thomas More",
            "More than once the travellers asked how the island was governed, and were told it was by all.",
        ),
    ],
)
def test_an_authors_surname_that_is_an_everyday_word_does_not_make_their_own_words_another_hands(author, body):
    assert not names_author(author, body)


def test_a_heading_that_gives_a_piece_to_someone_by_name_makes_it_theirs():
    author = "Ida B. Wells-Barnett"
    [letter] = passage_hands(author, [("HON. FRED. DOUGLASS'S LETTER", "Dear Miss Wells: Let me give you thanks.")])
    assert (letter.kind, letter.writer) == (OTHER, "Douglass")
    for own in ("Ida B. Wells's Letter", "The Author's Preface", "CAESAR'S LETTER TO THE SENATE"):
        assert passage_hands(author, [(own, "The facts speak for themselves.")])[0].kind == AUTHOR, own
