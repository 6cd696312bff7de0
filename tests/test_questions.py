"""Discussion questions: what every post of every bundled text gets, and the promises behind it."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest

from bot import texts
from bot.errors import ConfigError
from bot.questions.analysis.wording import MAX_QUESTION_CHARS
from bot.questions.generate import (
    KINDS,
    Question,
    curated_questions,
    generate_questions,
    kind_order,
    load_templates,
    question_problems,
    short_title,
    surname,
)
from bot.store import Store
from bot.texts.segment import Pace
from bot.textutil import squash, strip_markup
from tests.conftest import CORPUS_SLUGS
from tests.helpers import studybot

GROUNDING_SLOTS = ("term", "term2", "name", "quote", "topic")


@pytest.fixture(scope="module")
def every_post(library) -> dict[str, list[tuple[object, list[Question]]]]:
    """Each bundled text's passages, in order, with the questions each would get."""
    return {
        text.slug: [(p, generate_questions(library, p)) for p in texts.passages(library, text)]
        for text in texts.list_texts(library)
    }


def all_posts(every_post):
    return [(p, qs) for posts in every_post.values() for p, qs in posts]


def test_every_passage_of_every_bundled_text_is_covered(library, every_post):
    assert sorted(every_post) == sorted(CORPUS_SLUGS)
    for text in texts.list_texts(library):
        assert [p.ordinal for p, _ in every_post[text.slug]] == list(range(1, text.passage_count + 1))


def test_every_passage_gets_two_to_four_questions_of_different_kinds(every_post):
    for passage, questions in all_posts(every_post):
        kinds = [q.kind for q in questions]
        assert 2 <= len(questions) <= 4, (passage.text_slug, passage.ordinal)
        assert len(set(kinds)) == len(kinds), (passage.text_slug, passage.ordinal, kinds)
        assert set(kinds) <= set(KINDS), "no bundled passage should need the reflective last resort"


def test_every_question_takes_a_term_name_or_quotation_from_its_passage(every_post):
    for passage, questions in all_posts(every_post):
        text = squash(strip_markup(passage.body))
        for question in questions:
            anchors = [question.slots[s] for s in GROUNDING_SLOTS if s in question.slots]
            assert anchors, question
            for anchor in anchors:
                assert squash(anchor) in squash(question.text)
            assert any(
                all(squash(piece) in text for piece in anchor.split("…") if squash(piece)) for anchor in anchors
            ), (passage.text_slug, passage.ordinal, question.text)


def test_every_question_reads_as_a_finished_english_question(every_post):
    for _, questions in all_posts(every_post):
        for question in questions:
            text = question.text
            assert question_problems(text) == [], text
            assert len(text) <= MAX_QUESTION_CHARS
            assert text.endswith("?") and text[0].isupper() or text[0] == "“"
            assert "{" not in text and "}" not in text and "  " not in text
            assert text.count("“") == text.count("”")
            assert all(value.strip() and value not in ("None", "[]") for value in question.slots.values())


def test_questions_of_one_post_fill_their_slots_with_different_material(every_post):
    for _, questions in all_posts(every_post):
        quotes = [q.slots["quote"] for q in questions if "quote" in q.slots]
        assert len(quotes) == len(set(quotes))
        for question in questions:
            if "term2" in question.slots:
                assert question.slots["term"] != question.slots["term2"]


def test_no_question_text_repeats_within_a_text(every_post):
    for posts in every_post.values():
        texts = Counter(q.text for _, qs in posts for q in qs)
        assert [t for t, n in texts.items() if n > 1] == []


def test_questions_repeat_across_texts_only_between_translations_of_one_work(every_post):
    """trotsky-selections and trotsky-soviet-thermidor-1936 hold two translations of one chapter;
    where their wording coincides, so may a question. No other two texts share one."""
    seen: dict[str, str] = {}
    for slug, posts in every_post.items():
        for _, questions in posts:
            for question in questions:
                if question.text in seen and seen[question.text] != slug:
                    assert {slug, seen[question.text]} == {"trotsky-selections", "trotsky-soviet-thermidor-1936"}
                seen.setdefault(question.text, slug)


def test_the_same_kind_never_leads_three_posts_in_a_row(every_post):
    for slug, posts in every_post.items():
        leads = [qs[0].kind for _, qs in posts]
        for a, b, c in zip(leads, leads[1:], leads[2:]):
            assert not a == b == c, (slug, leads)


def test_thirty_consecutive_posts_rarely_repeat_the_same_kinds_in_the_same_order(every_post):
    posts = every_post["trotsky-selections"][:30]
    assert len(posts) == 30, "the longest bundled text has thirty passages or more"
    shapes = Counter(tuple(q.kind for q in qs) for _, qs in posts)
    repeats = sum(n - 1 for n in shapes.values())
    assert repeats <= 4, shapes


def test_each_kind_leads_some_post_of_the_longest_text(every_post):
    leads = Counter(qs[0].kind for _, qs in every_post["trotsky-selections"])
    assert set(leads) == set(KINDS)


def test_the_same_passage_always_gets_the_same_questions(library, corpus_db, tmp_path):
    text = texts.resolve_text(library, "thermidor")
    passage = texts.passage(library, text, 4)
    first = generate_questions(library, passage)
    path = tmp_path / "again.db"
    shutil.copy(corpus_db, path)
    fresh = Store(path)  # no warm caches: everything computed anew
    try:
        again = generate_questions(fresh, texts.passage(fresh, texts.resolve_text(fresh, "thermidor"), 4))
    finally:
        fresh.close()
    assert [q.text for q in again] == [q.text for q in first]


def test_kind_order_walks_every_ordered_choice_before_repeating():
    firsts = [tuple(kind_order("some-text", n)[:3]) for n in range(1, 211)]
    assert len(set(firsts)) == 210
    assert all(sorted(kind_order("some-text", n)) == sorted(KINDS) for n in range(1, 211))


def test_a_connection_names_another_text_and_its_passage(every_post):
    connections = [q for _, qs in all_posts(every_post) for q in qs if q.kind == "connection"]
    assert connections
    for question in connections:
        assert f"passage {question.slots['other_passage']}" in question.text
        assert question.slots["other_title"] in question.text


# -- the checks themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "What does Trotsky mean by “” here?",
        "What does {author} mean?",
        "what does it mean?",
        "What does Trotsky mean by “party here?",
        "What does Trotsky mean by the the party?",
        "Trotsky writes: “It is.”.",
        "Why does  Trotsky say so?",
        "Why does Trotsky say so ?",
        "Why " + "very " * 80 + "so?",
        "Why does None matter?",
    ],
)
def test_question_checks_catch_what_reads_badly(bad):
    assert question_problems(bad)


@pytest.mark.parametrize(
    "good",
    [
        "What does Trotsky mean by “party” here?",
        "“…not a chronological, but a causal connection.” What is contrasted?",
        "Trotsky writes: “It is ‘so’.” Why?",
    ],
)
def test_question_checks_let_good_questions_through(good):
    assert question_problems(good) == []


def test_author_and_title_as_a_question_names_them():
    assert surname("Leon Trotsky") == "Trotsky"
    assert surname("Unknown") == "the author" and surname("") == "the author"
    assert short_title("The Soviet Thermidor (The Revolution Betrayed, chapter 5)") == "The Soviet Thermidor"
    assert short_title("Liebman and Leninism") == "Liebman and Leninism"


# -- templates ------------------------------------------------------------------------------------


def test_the_bundled_templates_cover_every_kind_with_known_slots():
    templates = load_templates()
    assert set(templates) == set(KINDS) | {"reflection"}
    assert all(len(templates[k]) >= 2 for k in templates)
    names = [t.name for ts in templates.values() for t in ts]
    assert len(names) == len(set(names))


def test_a_template_with_an_unknown_slot_is_refused_with_its_name(tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text('[[term]]\nname = "typo"\ntext = "What does {autor} mean by “{term}”?"\n')
    with pytest.raises(ConfigError, match="typo.*autor"):
        load_templates(path)


ONE_TEMPLATE_PER_KIND = """
[[term]]
name = "t"
text = "Edited: what is “{term}” next to “{term2}”?"
[[claim]]
name = "c"
text = "Edited: “{quote}” Why?"
[[name]]
name = "n"
text = "Edited: why {name}, for “{term}”?"
[[contrast]]
name = "x"
text = "Edited: “{quote}” Which side?"
[[connection]]
name = "k"
text = "Edited: does {other_author} (passage {other_passage} of “{other_title}”) agree on {topic} and “{term}”?"
[[relation]]
name = "r"
text = "Edited: “{term}” with “{term2}”?"
[[application]]
name = "a"
text = "Edited: “{term}” and “{term2}” today?"
"""


def test_an_organisers_edit_to_the_templates_is_used(library, tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text(ONE_TEMPLATE_PER_KIND)
    passage = texts.passage(library, texts.resolve_text(library, "thermidor"), 3)
    edited = generate_questions(library, passage, templates=load_templates(path))
    assert len(edited) == 3
    assert all(q.text.startswith("Edited: ") for q in edited)
    assert {q.template for q in edited} <= set("tcnxkra")
    path.write_text(ONE_TEMPLATE_PER_KIND.replace("Edited:", "Changed again:"))
    assert all(
        q.text.startswith("Changed again: ")
        for q in generate_questions(library, passage, templates=load_templates(path))
    )


# -- curated questions ----------------------------------------------------------------------------

CURATED_TEXT = """---
title: A Curated Text
author: Ada Organiser
questions:
  "2":
    - Which of the two plans would you have backed in 1921?
  Second Part:
    - What changes between the first and the second part?
    - Who gains from the change?
    - Who loses?
---
# First Part

{body}

# Second Part

{body2}
"""


@pytest.fixture
def curated_store(store, tmp_path):
    sentence = (
        "The planners argued that the harvest depended on the tractor stations and not on the "
        "market, whereas the peasants trusted the market more than any tractor station. "
    )
    body = "\n\n".join(sentence * 6 for _ in range(3))
    path = tmp_path / "curated.md"
    path.write_text(CURATED_TEXT.format(body=body, body2=body.replace("planners", "critics")))
    outcomes = texts.ingest(store, [path], pace=Pace(80, 200))
    assert outcomes[0].status == "added", outcomes
    return store


def test_curated_questions_come_first_and_templates_fill_up(curated_store):
    text = texts.resolve_text(curated_store, "curated")
    passage = texts.passage(curated_store, text, 2)
    assert passage.section == "First Part"
    questions = generate_questions(curated_store, passage)
    assert questions[0].text == "Which of the two plans would you have backed in 1921?"
    assert questions[0].source == "curated" and questions[0].kind == "curated"
    assert 2 <= len(questions) <= 4
    assert [q.source for q in questions[1:]] == ["template"] * (len(questions) - 1)


def test_a_sections_curated_questions_are_used_alone_when_there_are_enough(curated_store):
    text = texts.resolve_text(curated_store, "curated")
    later = [p for p in texts.passages(curated_store, text) if p.section == "Second Part"]
    assert later
    for passage in later:
        questions = generate_questions(curated_store, passage)
        assert [q.text for q in questions] == [
            "What changes between the first and the second part?",
            "Who gains from the change?",
            "Who loses?",
        ]
        assert {q.source for q in questions} == {"curated"}


def test_curated_questions_match_a_section_title_whatever_its_case(curated_store):
    text = texts.resolve_text(curated_store, "curated")
    passage = next(p for p in texts.passages(curated_store, text) if p.section == "Second Part")
    shouted = type(text)(
        **{
            **text.__dict__,
            "meta": type(text.meta)(**{**text.meta.__dict__, "questions": {"SECOND PART": ["Who loses?"]}}),
        }
    )
    assert [q.text for q in curated_questions(shouted, passage)] == ["Who loses?"]


# -- the command ----------------------------------------------------------------------------------


def test_the_command_shows_each_question_with_its_template_and_slots(store, tmp_path):
    result = studybot("questions", "thermidor", "--passage", "3", db=store.path, folder=tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    count = texts.resolve_text(store, "thermidor").passage_count
    assert lines[0].startswith("The Soviet Thermidor") and f"passage 3 of {count}" in lines[0]
    numbered = [line for line in lines if line.lstrip().startswith(("1.", "2.", "3."))]
    assert len(numbered) == 3
    origins = [line.strip() for line in lines if line.startswith("     ")]
    assert len(origins) == 3
    for origin in origins:
        assert re.match(r"template · [a-z]+ · [a-z]+(-[a-z]+)+ · .*[aA]uthor='Trotsky'", origin), origin


def test_the_command_covers_every_passage_when_none_is_named(tiny_store, tmp_path):
    result = studybot("questions", "soil", "--json", db=tiny_store.path, folder=tmp_path)
    data = json.loads(result.stdout)
    assert [p["passage"] for p in data] == list(range(1, 11))
    assert all(2 <= len(p["questions"]) <= 4 for p in data)
    first = data[0]["questions"][0]
    assert set(first) == {"text", "kind", "template", "source", "slots"}


def test_the_command_gives_the_same_questions_as_the_daily_post(store, tmp_path):
    result = studybot("questions", "thermidor", "--passage", "5", "--json", db=store.path, folder=tmp_path)
    expected = generate_questions(store, texts.passage(store, texts.resolve_text(store, "thermidor"), 5))
    assert [q["text"] for q in json.loads(result.stdout)[0]["questions"]] == [q.text for q in expected]


def test_the_command_reports_a_passage_out_of_range(tiny_store, tmp_path):
    result = studybot("questions", "soil", "--passage", "11", db=tiny_store.path, folder=tmp_path)
    assert result.exit_code != 0
    assert "passages 1 to 10" in str(result.exception)
