"""Discussion questions: what every post of every bundled text gets, and the promises behind it."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import statistics
import time
from collections import Counter
from pathlib import Path

import pytest

from bot import texts
from bot.errors import ConfigError
from bot.questions.analysis import analyse_passage, library_stats
from bot.questions.analysis.connections import MIN_SIMILARITY, cosine, passage_vector
from bot.questions.analysis.tokens import read_passage
from bot.questions.analysis.wording import MAX_QUESTION_CHARS
from bot.questions.generate import (
    COMMON_SLOTS,
    KIND_SLOTS,
    KINDS,
    LAST_RESORT,
    Question,
    _general_cause,
    curated_questions,
    generate_questions,
    load_templates,
    question_problems,
    short_title,
    surname,
    template_questions,
)
from bot.store import Store
from bot.texts.segment import Pace
from bot.textutil import squash, strip_markup

QUOTING_SLOTS = (
    "thesis",
    "view",
    "reported",
    "granted",
    "held",
    "counterfactual",
    "cause",
    "evidence",
    "reason",
    "contrast",
    "claim",
    "lesson",
    "deed",
)
NAMING_SLOTS = ("concept", "quoted", "holder")


@pytest.fixture(scope="module")
def every_post(library) -> dict[str, list[tuple[object, list[Question]]]]:
    """Each bundled text's passages, in order, with the questions each would get."""
    return {
        text.slug: [(p, generate_questions(library, p)) for p in texts.passages(library, text)]
        for text in texts.list_texts(library)
    }


def all_posts(every_post):
    return [(p, qs) for posts in every_post.values() for p, qs in posts]


def all_questions(every_post):
    return [q for _, qs in all_posts(every_post) for q in qs]


def in_passage(quoted: str, passage) -> bool:
    """A quotation is the passage's own words: each piece between cuts ("…") and insertions
    ("[Liebman]" for "He") is in the passage, with inner quotation marks made single."""
    body = squash(strip_markup(passage.body))
    pieces = re.split(r"…|\[[^\]]*\]", quoted)
    return all(squash(piece) in body for piece in pieces if squash(piece))


def test_the_five_bundled_texts_are_all_covered(every_post):
    assert len(every_post) == 5
    assert sum(len(posts) for posts in every_post.values()) == 95


def test_every_passage_gets_two_to_four_questions_of_different_kinds(every_post):
    """Only a passage that offers nothing to quote (all someone else's words, or questions) gets
    the two reflections, which quote nothing."""
    for passage, questions in all_posts(every_post):
        kinds = [q.kind for q in questions]
        assert 2 <= len(questions) <= 4, (passage.text_slug, passage.ordinal)
        if kinds != [LAST_RESORT, LAST_RESORT]:
            assert len(set(kinds)) == len(kinds), (passage.text_slug, passage.ordinal, kinds)
        assert set(kinds) <= set(KINDS) | {LAST_RESORT}
    reflections = [p for p, qs in all_posts(every_post) if any(q.kind == LAST_RESORT for q in qs)]
    # A post whose only other candidates quote what makes no sense alone ("this is not the least of the
    # merits of his book") takes a reflection on its concept instead: a few more than before, still few.
    assert len(reflections) <= 9, "the reflective questions are a last resort"
    fits_any = [
        p
        for p, qs in all_posts(every_post)
        if any(q.kind == LAST_RESORT and not set(q.slots) - COMMON_SLOTS for q in qs)
    ]
    assert len(fits_any) <= 2, "a reflection names the passage's concept or central sentence wherever it has one"


def test_every_question_quotes_or_names_something_real_in_its_passage(every_post):
    for passage, questions in all_posts(every_post):
        body = squash(strip_markup(passage.body))
        for question in questions:
            if question.kind == LAST_RESORT:
                continue
            quoted = [question.slots[s] for s in QUOTING_SLOTS if s in question.slots]
            named = [question.slots[s] for s in NAMING_SLOTS if s in question.slots]
            linked = question.kind == "connection"
            assert quoted or named or linked, question
            for quote in quoted:
                assert quote in question.text and in_passage(quote, passage), (
                    passage.text_slug,
                    passage.ordinal,
                    quote,
                )
            for name in named:
                if re.fullmatch(r"the objector|those who \w+ so", name):
                    continue  # an unnamed holder, described; the view itself is quoted and checked above
                assert name in question.text and squash(name) in body, (passage.text_slug, passage.ordinal, name)


def test_every_question_reads_as_a_finished_english_question(every_post):
    for question in all_questions(every_post):
        text = question.text
        assert question_problems(text) == [], text
        assert len(text) <= MAX_QUESTION_CHARS
        assert text.endswith("?") and text[0].isupper() or text[0] == "“"
        assert "{" not in text and "}" not in text and "  " not in text
        assert text.count("“") == text.count("”")
        assert all(value.strip() and value not in ("None", "[]") for value in question.slots.values())


def test_most_posts_quote_the_thesis_of_their_passage(every_post):
    posts = all_posts(every_post)
    with_thesis = [p for p, qs in posts if any(q.kind == "thesis" for q in qs)]
    assert len(with_thesis) >= 0.9 * len(posts)


def test_the_strongest_question_comes_first(every_post):
    """An opponent answered, an objection taken up or a concession come before the thesis; the
    thesis comes before causes, counterfactuals, contrasts, connections, other claims and word
    meanings (a case or comparison the passage builds on may lead when the thesis is a plain
    statement); the last resorts come last."""
    early = ("answered", "objection", "tension")
    late = ("cause", "counterfactual", "contrast", "connection", "assumption", "meaning", "today", LAST_RESORT)
    for passage, questions in all_posts(every_post):
        kinds = [
            "answered" if "view" in q.slots else "objection" if "objection" in q.slots else q.kind for q in questions
        ]
        if "thesis" in kinds:
            at = kinds.index("thesis")
            assert not set(kinds[:at]) & set(late), (passage.text_slug, passage.ordinal, kinds)
            assert not set(kinds[at:]) & set(early), (passage.text_slug, passage.ordinal, kinds)
        for last in ("today", LAST_RESORT):
            if last in kinds:
                assert all(k in ("today", LAST_RESORT) for k in kinds[kinds.index(last) :]), kinds


def test_no_two_questions_of_a_post_quote_the_same_words(every_post):
    for _, questions in all_posts(every_post):
        quotes = [q.slots[s] for q in questions for s in QUOTING_SLOTS if s in q.slots]
        assert len(quotes) == len(set(quotes))


def test_no_question_tacks_a_second_term_onto_the_first(every_post):
    for slots in KIND_SLOTS.values():
        assert "term2" not in slots
    for question in all_questions(every_post):
        assert len([s for s in question.slots if s in ("concept", "quoted")]) <= 1


def test_at_most_one_question_in_ten_asks_what_a_word_means(every_post):
    questions = all_questions(every_post)
    meaning = [q for q in questions if q.kind == "meaning"]
    assert len(meaning) <= len(questions) / 10


def test_a_meaning_question_gives_a_quoted_word_to_whoever_uses_it(every_post):
    for passage, questions in all_posts(every_post):
        for question in questions:
            if question.kind == "meaning" and "holder" in question.slots:
                assert question.slots["holder"] != surname(passage.author)
                assert (
                    f"What does {question.slots['holder']} mean" in question.text
                    or question.slots["holder"] in question.text
                )


def test_an_opponent_is_answered_in_their_own_name(library):
    """Mandel agrees with Liebman's first statement and disputes his second: the question puts the
    disputed view to Liebman, and never presents it as Mandel's claim."""
    passage = texts.passage(library, texts.resolve_text(library, "mandel"), 4)
    questions = generate_questions(library, passage)
    [opponent] = [q for q in questions if q.kind == "opponent"]
    assert opponent.slots["holder"] == "Liebman"
    assert opponent.slots["view"].startswith("[Liebman] is wrong, however, in supposing")
    assert questions[0] is opponent
    thesis = [q for q in questions if q.kind == "thesis"]
    assert all("Liebman" not in q.slots["thesis"] for q in thesis)


def test_no_question_text_repeats_within_a_text(every_post):
    for posts in every_post.values():
        texts = Counter(q.text for _, qs in posts for q in qs)
        assert [t for t, n in texts.items() if n > 1] == []


def test_questions_repeat_across_texts_only_between_translations_of_one_work(every_post):
    """trotsky-selections and trotsky-soviet-thermidor-1936 hold two translations of one chapter;
    where their wording coincides, so may a question. No other two texts share one (but for the
    reflective last resorts, which ask nothing of the passage)."""
    seen: dict[str, str] = {}
    for slug, posts in every_post.items():
        for _, questions in posts:
            for question in questions:
                if question.kind == LAST_RESORT:
                    continue  # the same few questions for any passage, by design
                if question.text in seen and seen[question.text] != slug:
                    assert {slug, seen[question.text]} == {"trotsky-selections", "trotsky-soviet-thermidor-1936"}
                seen.setdefault(question.text, slug)


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


def test_a_connection_names_a_similar_passage_of_another_author(library, every_post):
    stats = library_stats(library)
    by_title = {short_title(t.meta.title): t for t in texts.list_texts(library)}
    connections = [(p, q) for p, qs in all_posts(every_post) for q in qs if q.kind == "connection"]
    assert len(connections) >= 20
    for passage, question in connections:
        assert f"passage {question.slots['other_passage']}" in question.text
        assert question.slots["other_title"] in question.text
        other_text = by_title[question.slots["other_title"]]
        assert other_text.meta.author != passage.author
        other = texts.passage(library, other_text, int(question.slots["other_passage"]))
        similarity = cosine(
            passage_vector(read_passage(passage.body), stats), passage_vector(read_passage(other.body), stats)
        )
        assert similarity >= MIN_SIMILARITY


def test_questions_come_quickly_once_warm(library, every_post):
    passages = [p for p, _ in all_posts(every_post)]
    timings = []
    for passage in passages:
        started = time.perf_counter()
        generate_questions(library, passage)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.1
    assert max(timings) < 0.5


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
    assert all(len(templates[k]) >= 2 for k in templates if k != "today")
    names = [t.name for ts in templates.values() for t in ts]
    assert len(names) == len(set(names))


def test_a_template_with_an_unknown_slot_is_refused_with_its_name(tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text('[[thesis]]\nname = "typo"\ntext = "What does {autor} mean by “{thesis}”?"\n')
    with pytest.raises(ConfigError, match="typo.*autor"):
        load_templates(path)


ONE_TEMPLATE_PER_KIND = """
[[opponent]]
name = "o"
text = "Edited: {holder} against {author}: “{view}”?"
[[opponent]]
name = "p"
text = "Edited: {holder} reported: “{reported}”?"
[[opponent]]
name = "j"
text = "Edited: {holder} objects: “{objection}”?"
[[tension]]
name = "t"
text = "Edited: “{granted}” and “{held}”?"
[[counterfactual]]
name = "f"
text = "Edited: “{counterfactual}”?"
[[thesis]]
name = "h"
text = "Edited: “{thesis}” Why?"
[[cause]]
name = "c"
text = "Edited: “{cause}” Why?"
[[evidence]]
name = "e"
text = "Edited: “{evidence}” Enough?"
[[evidence]]
name = "r"
text = "Edited: “{reason}” Enough?"
[[contrast]]
name = "x"
text = "Edited: “{contrast}” Which side?"
[[connection]]
name = "k"
text = "Edited: does {other_author} (passage {other_passage} of “{other_title}”) agree on {shared}?"
[[assumption]]
name = "a"
text = "Edited: also “{claim}”?"
[[meaning]]
name = "m"
text = "Edited: “{quoted}”?"
"""


def test_an_organisers_edit_to_the_templates_is_used(library, tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text(ONE_TEMPLATE_PER_KIND)
    passage = texts.passage(library, texts.resolve_text(library, "mandel"), 4)
    edited = generate_questions(library, passage, templates=load_templates(path))
    assert len(edited) == len(generate_questions(library, passage)) >= 2
    assert all(q.text.startswith("Edited: ") for q in edited)
    assert {q.template for q in edited} <= set("opjtfhcerxakm")
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


def run_cli(db: Path, *args: str):
    import click
    from click.testing import CliRunner

    from bot.cli import Context
    from bot.cli.questions import questions
    from bot.config import Settings

    @click.group()
    @click.pass_context
    def group(ctx):
        ctx.obj = Context(Settings(db_path=str(db)))

    group.add_command(questions)
    return CliRunner().invoke(group, ["questions", *args], env={"STUDYBOT_LLM_URL": "", "STUDYBOT_LLM_MODEL": ""})


@pytest.fixture
def cli_db(corpus_db, tmp_path) -> Path:
    path = tmp_path / "cli.db"
    shutil.copy(corpus_db, path)
    return path


def test_the_command_shows_each_question_with_its_template_and_slots(cli_db):
    result = run_cli(cli_db, "thermidor", "--passage", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("The Soviet Thermidor") and "passage 3 of 15" in lines[0]
    numbered = [line for line in lines if re.match(r"\s+\d\. ", line)]
    assert 2 <= len(numbered) <= 4
    origins = [line.strip() for line in lines if line.startswith("     ")]
    assert len(origins) == len(numbered)
    for origin in origins:
        assert re.match(r"template · [a-z]+ · [a-z]+(-[a-z]+)+ · .*[aA]uthor='Trotsky'", origin), origin


def test_the_command_covers_every_passage_when_none_is_named(cli_db):
    result = run_cli(cli_db, "thermidor", "--json")
    data = json.loads(result.output)
    assert [p["passage"] for p in data] == list(range(1, 16))
    assert all(2 <= len(p["questions"]) <= 4 for p in data)
    first = data[0]["questions"][0]
    assert set(first) == {"text", "kind", "template", "source", "slots"}


def test_the_command_gives_the_same_questions_as_the_daily_post(cli_db):
    result = run_cli(cli_db, "thermidor", "--passage", "5", "--json")
    store = Store(cli_db)
    try:
        expected = generate_questions(store, texts.passage(store, texts.resolve_text(store, "thermidor"), 5))
    finally:
        store.close()
    assert [q["text"] for q in json.loads(result.output)[0]["questions"]] == [q.text for q in expected]


def test_the_command_reports_a_passage_out_of_range(cli_db):
    result = run_cli(cli_db, "thermidor", "--passage", "99")
    assert result.exit_code != 0
    assert "passages 1 to 15" in str(result.exception)


# -- questions on passages written for the purpose ------------------------------------------------

ESSAY = """---
title: On Councils
author: Ann Wetherby
---
{body}
"""


def one_passage_post(tmp_path: Path, body: str) -> list[Question]:
    """The questions of a one-passage text by "Ann Wetherby" in a library of its own."""
    store = Store(tmp_path / "essay.db")
    try:
        path = tmp_path / "essay.md"
        path.write_text(ESSAY.format(body=body))
        assert texts.ingest(store, [path], pace=Pace(20, 2000))[0].status == "added"
        [text] = texts.list_texts(store)
        return generate_questions(store, texts.passage(store, text, 1))
    finally:
        store.close()


COUNCILS = (
    "OF COUNCILS AND KINGS\n\n"
    "In a former page I mentioned the danger of small assemblies, and I have dwelt on it since. "
    "The Romans, elated by their victory, offered their general a crown in the forum. "
    "Immediate necessity makes many things convenient, which if continued would grow into oppressions. "
    "Expedience and right are different things. "
    "It is true that the new council was chosen by a small number of electors. "
    "But a small council chosen well may still speak for the whole of the province. "
    "A council of twenty members met in the spring, and forty of the fifty towns had sent nobody to it. "
    "I offer them the following extracts from a wise observer of assemblies."
)


def test_a_post_quotes_claims_and_asks_of_each_what_its_kind_calls_for(tmp_path):
    questions = one_passage_post(tmp_path, COUNCILS)
    templates = load_templates()
    written_for = {t.name: t.fits for ts in templates.values() for t in ts}
    quotes = [q.slots.get(s, "") for q in questions for s in QUOTING_SLOTS]
    for never in ("OF COUNCILS", "In a former page", "The Romans", "I offer them"):
        assert not any(q.startswith(never) for q in quotes), never
    kinds = [q.kind for q in questions]
    assert kinds[0] == "tension", "the concession and what is held despite it lead"
    [thesis] = [q for q in questions if q.kind == "thesis"]
    assert thesis.slots["thesis"] in (
        "Expedience and right are different things.",
        "Immediate necessity makes many things convenient, which if continued would grow into oppressions.",
    )
    assert written_for[thesis.template] & {"comparative", "general"}, "a stem written for the claim's kind"
    assert all(not q.slots.get(s, "x").startswith("…") for q in questions for s in QUOTING_SLOTS)


def test_a_case_the_passage_builds_on_is_asked_about_as_a_case(tmp_path):
    questions = one_passage_post(
        tmp_path,
        "The motive has nothing to do with the morality of the action, though much with the worth of the agent. "
        "He who saves a fellow creature from drowning does what is morally right, whether his motive be duty "
        "or the hope of being paid for his trouble.",
    )
    [case] = [q for q in questions if q.kind == "evidence"]
    assert case.slots["evidence"].startswith("He who saves a fellow creature")
    assert "example" in {t.name: t.fits for t in load_templates()["evidence"]}[case.template]


def test_a_passage_with_no_claim_to_quote_falls_back_on_questions_that_quote_nothing(tmp_path):
    questions = one_passage_post(
        tmp_path,
        "CHAPTER THE FIRST\n\n"
        "I have dwelt on this point at some length in a former page. "
        "The Romans offered their general a crown in the forum, and he refused it three times.",
    )
    assert [q.kind for q in questions] == [LAST_RESORT, LAST_RESORT]
    assert all("passage 1" in q.text or q.template == "reflection-story" for q in questions)
    assert not any("dwelt" in q.text for q in questions)  # talk about the text is never quoted


def test_a_template_for_an_unknown_kind_of_claim_is_refused(tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text('[[thesis]]\nname = "odd"\nfor = ["poetic"]\ntext = "“{thesis}” Why?"\n')
    with pytest.raises(ConfigError, match="odd.*poetic"):
        load_templates(path)


def test_a_passage_naming_the_author_is_quoted_as_someone_elses(tmp_path):
    questions = one_passage_post(
        tmp_path,
        "Wetherby has painted the old king as a man who did great things under the cloak of religion. "
        "A ruler who keeps his word when it harms him is a fool, and every prudent ruler knows it. "
        "Fear of punishment never fails, whereas love is a bond which men break whenever it suits them.",
    )
    assert questions and all("Wetherby writes" not in q.text and "Wetherby holds" not in q.text for q in questions)
    assert not any(q.text.startswith("Wetherby ") for q in questions), "an introduction is not Wetherby's own voice"


def test_an_author_signing_the_passage_still_speaks_in_it(tmp_path):
    questions = one_passage_post(
        tmp_path,
        "A ruler who keeps his word when it harms him is a fool, and every prudent ruler knows it. "
        "Fear of punishment never fails, whereas love is a bond which men break whenever it suits them.\n\n"
        "Ann Wetherby, March 23, 2004",
    )
    assert any(q.text.startswith("Wetherby ") or "Wetherby’s" in q.text or " Wetherby " in q.text for q in questions)


def test_a_story_in_the_passage_is_never_asked_about_as_a_thesis(tmp_path):
    """A fact or a story is not a thesis (no counterexample to a scene); what the author makes of it is."""
    questions = one_passage_post(
        tmp_path,
        "A rich man once stood at a street corner with a bag of coins, offering each passer-by a share. "
        "Three or four passers-by asked for their coins, which he paid out with a thin smile. "
        "What the poor want is not a redistribution of coats but a new way of producing them for everyone. "
        "Redistribution alone can never feed a hungry city for more than a single week.",
    )
    quotes = [q.slots.get(s, "") for q in questions for s in QUOTING_SLOTS]
    assert not any(q.startswith(("Three or four", "A rich man")) for q in quotes), quotes
    assert any(q.startswith(("What the poor want", "Redistribution alone")) for q in quotes), quotes


def test_a_cause_in_a_story_is_not_asked_whether_it_could_run_the_other_way(tmp_path):
    questions = one_passage_post(
        tmp_path,
        "Every autumn the bailiff came to the village and took the widow's last cow, owing to the arrears she "
        "had run up with the lord. The land of the village belongs by right to those who work it.",
    )
    assert not any(q.template in ("cause-order", "cause-test") for q in questions)
    assert _general_cause("Poverty leads to crime in every town where work is scarce and wages are low.")
    assert not _general_cause("The war in Flanders led to the ruin of the wool trade.")


def test_a_last_resort_names_what_the_passage_is_about(tmp_path):
    """When the passage gives too few questions, the last resort still names the passage's concept
    or quotes its central sentence, rather than asking which sentence one would argue with."""
    store = Store(tmp_path / "essay.db")
    try:
        path = tmp_path / "essay.md"
        path.write_text(ESSAY.format(body=STORY_AND_CONCEPT))
        texts.ingest(store, [path], pace=Pace(20, 2000))
        [text] = texts.list_texts(store)
        passage = texts.passage(store, text, 1)
        analysis = analyse_passage(store, passage, text)
    finally:
        store.close()
    nothing_argued = dataclasses.replace(
        analysis, argument=dataclasses.replace(analysis.argument, theses=(), told=frozenset())
    )
    questions = template_questions(passage, nothing_argued, load_templates())
    assert [q.kind for q in questions] == [LAST_RESORT, LAST_RESORT]
    assert set(questions[0].slots) - COMMON_SLOTS, questions[0].text
    assert "collective ownership" in questions[0].text


STORY_AND_CONCEPT = (
    "The village kept its meadows under collective ownership for three hundred years. "
    "Each spring the elders divided the meadows by lot, and each autumn collective ownership was renewed "
    "by the whole village at the harvest feast. Collective ownership was defended by the elders in every quarrel."
)


def test_a_passage_that_tells_a_story_is_asked_what_lesson_the_author_draws(tmp_path):
    questions = one_passage_post(
        tmp_path,
        "CHAPTER THE FIRST\n\n"
        "I have dwelt on this point at some length in a former page. "
        "The duke came to the city in the spring of that year with all his troops. "
        "Then he marched on the citadel with his whole army, and the gentlemen of the city opened the gates to him.",
    )
    [story] = [q for q in questions if q.template == "reflection-story"]
    assert story.slots["story"].startswith(("Then he marched on the citadel", "The duke came to the city"))
    assert "learn from this episode" in story.text
