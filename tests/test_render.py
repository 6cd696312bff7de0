"""Cards: every post of every bundled text fits Discord, and each card says what it should."""

from datetime import date, datetime

import pytest

from bot import render, texts
from bot.models import MARK_END, MARK_START, SearchHit, SearchResult
from bot.reading import plans, posting, progress
from bot.render import Card
from tests.conftest import CORPUS_SLUGS
from tests.helpers import BERLIN, SOIL, at, message_problems, post_on, start_plan

MONDAY = at(4, 8)


# -- posts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", CORPUS_SLUGS)
def test_every_passage_of_every_text_posts_within_discord_limits(store, slug):
    group = start_plan(store, text=slug)
    text = store.text_by_id(group.text_id)
    assert text.passage_count > 0
    for number in range(1, text.passage_count + 1):
        post = posting.build_post(store, group, number, number, date(2024, 3, 4))
        messages = render.post_messages(post)
        assert len(messages) == 1
        assert message_problems(messages[0]) == [], f"{slug} passage {number}"


@pytest.mark.parametrize("slug", CORPUS_SLUGS)
def test_every_post_carries_its_whole_passage_and_where_it_stands(store, slug):
    """Clipping a passage to fit would silently drop the end of the day's reading."""
    group = start_plan(store, text=slug)
    text = store.text_by_id(group.text_id)
    for passage in store.passages_of(text.id):
        post = posting.build_post(store, group, passage.ordinal, passage.ordinal, date(2024, 3, 4))
        card = render.post_messages(post)[0][0]
        assert card.description.endswith(passage.body), f"{slug} passage {passage.ordinal} was cut"
        if passage.section:
            assert card.description.startswith(f"**{passage.section}**")
        assert f"passage {passage.ordinal} of {text.passage_count}" in card.footer
        assert card.title == text.meta.title[:256]


@pytest.mark.parametrize("slug", CORPUS_SLUGS)
def test_at_pace_three_each_message_of_every_post_fits(store, slug):
    group = start_plan(store, text=slug, pace=3)
    count = store.text_by_id(group.text_id).passage_count
    for first in range(1, count + 1, 3):
        last = min(first + 2, count)
        messages = render.post_messages(posting.build_post(store, group, first, last, date(2024, 3, 4)))
        assert len(messages) == last - first + 1  # the first in the channel, the rest in the thread
        for number, cards in enumerate(messages, start=first):
            assert message_problems(cards) == [], f"{slug} passages {first}-{last}, message for {number}"
            assert f"passage {number} of {count}" in cards[0].footer


def test_the_first_message_of_a_post_carries_the_questions(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    post = posting.build_post(tiny_store, group, 1, 1, date(2024, 3, 4))
    [[passage, questions]] = render.post_messages(post)
    assert questions.title == "For discussion"
    assert questions.description.splitlines() == [f"{i}. {q}" for i, q in enumerate(post.questions, start=1)]


def test_the_footer_says_how_far_the_plan_is_and_which_day(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    post = posting.build_post(tiny_store, group, 3, 3, date(2024, 3, 6))
    footer = render.post_messages(post)[0][0].footer
    assert footer == "Ada Gardener · passage 3 of 10 · 10% of the plan · Wed 06 Mar 2024"


def test_a_dry_run_is_labelled_and_shows_no_day(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    cards = render.post_cards(posting.preview_next(tiny_store, group), dry_run=True)
    assert cards[0].title.startswith("Dry run: ") and "2024" not in cards[0].footer


def test_fit_message_keeps_the_leading_cards_that_fit_one_message():
    big = Card(title="t", description="x" * 3999)
    small = Card(title="s", description="y" * 100)
    assert render.fit_message((big, small)) == (big, small)
    assert render.fit_message((big, big, small)) == (big,)
    assert render.fit_message((small,) * 12) == (small,) * 10


# -- search ---------------------------------------------------------------------------------------


def hit_at(store, slug: str, ordinal: int, excerpt: str) -> SearchHit:
    passage = store.passage(texts.resolve_text(store, slug).id, ordinal)
    return SearchHit(passage=passage, paragraph_id=0, paragraph_ordinal=1, excerpt=excerpt, paragraph="", score=1.0)


def test_search_card_bolds_matches_cites_and_hides_what_is_ahead(tiny_store):
    group = plans.jump(tiny_store, start_plan(tiny_store, text=SOIL), 5, is_organiser=True)
    hits = (
        hit_at(tiny_store, SOIL, 4, f"the {MARK_START}soil{MARK_END} feeds"),
        hit_at(tiny_store, SOIL, 5, f"a ||bare|| {MARK_START}soil{MARK_END}"),
        hit_at(tiny_store, "bread", 2, f"{MARK_START}soil{MARK_END} again"),
    )
    card = render.search_card(SearchResult("soil", hits), 1, 5, render.ahead_rule(group))
    (name1, value1), (name2, value2), (name3, value3) = card.fields
    assert name1.startswith("1. Notes on Soil") and name1.endswith("passage 4 of 10")
    assert value1 == "the **soil** feeds"
    # Ahead: one spoiler around the whole excerpt; bars inside the text cannot close it early.
    assert value2 == "Ahead of the group (spoiler): ||a bare **soil**||"
    assert value3 == "**soil** again"
    assert card.footer == "3 passages"


def test_search_card_for_a_huge_query_stays_within_the_title_limit():
    card = render.search_card(SearchResult("word " * 200, ()), 1, 5, lambda p: False)
    assert len(card.title) <= 256 and card.description == "Nothing found."


# -- settings, status, progress -------------------------------------------------------------------


def test_settings_card_shows_the_plan_as_the_group_reads_it(tiny_store):
    group = start_plan(tiny_store, text="bread", pace=2)
    group = plans.change_settings(tiny_store, group, is_organiser=True, weekdays="mon,wed,fri", zone="America/New_York")
    fields = dict(render.settings_card(plans.plan_overview(tiny_store, group, MONDAY)).fields)
    assert fields == {
        "Text": "Bread Every Day (Ben Baker)",
        "Schedule": "09:00 America/New_York, mon,wed,fri",
        "Pace": "2 passages per post",
        "Next passage": "1 of 4",
        "Next post": "Mon 04 Mar 09:00 America/New_York",
        "State": "running",
    }


def test_status_card_before_any_post(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    fields = dict(render.status_card(plans.plan_overview(tiny_store, group, MONDAY)).fields)
    assert fields["Last post"] == "No post yet."
    assert fields["Next seven posts"].splitlines()[0] == "Mon 04 Mar 09:00 Europe/Berlin"
    assert fields["Next seven posts"].splitlines()[-1] == "Sun 10 Mar 09:00 Europe/Berlin"


def test_status_card_while_a_post_is_being_retried(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    [due] = posting.claim_due_posts(tiny_store, MONDAY.replace(hour=9))
    tiny_store.start_attempt(due.delivery.id)
    posting.fail(tiny_store, due.delivery, "Discord answered 503: unavailable", permanent=False)
    fields = dict(render.status_card(plans.plan_overview(tiny_store, group, MONDAY.replace(hour=10))).fields)
    assert fields["Last post"] == "Being posted (2024-03-04, attempt 1): Discord answered 503: unavailable"


def test_progress_card_for_a_finished_and_for_a_paused_plan(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    paused = plans.pause(tiny_store, group, is_organiser=True)
    whole = progress.group_progress(tiny_store, paused, MONDAY)
    mine = progress.member_progress(tiny_store, paused, 21, MONDAY)
    card = render.progress_card(whole, mine, "you")
    assert "Paused: Paused by an organiser." in card.description and "finished on" not in card.description
    running = plans.jump(tiny_store, plans.resume(tiny_store, paused, is_organiser=True), 9, is_organiser=True)
    post_on(tiny_store, 4, 5)  # 9 and 10, the last two
    done = tiny_store.get_group(running.id)
    card = render.progress_card(progress.group_progress(tiny_store, done, MONDAY.replace(day=5, hour=12)), mine, "you")
    assert card.description == "Finished: 2 of 10 passages posted; the rest were skipped."


def test_progress_card_for_a_plan_read_to_the_end(tiny_store):
    group = start_plan(tiny_store, text=SOIL, pace=3)
    post_on(tiny_store, 4, 5, 6, 7)  # 1-3, 4-6, 7-9, 10
    done = tiny_store.get_group(group.id)
    now = MONDAY.replace(day=7, hour=12)
    card = render.progress_card(
        progress.group_progress(tiny_store, done, now), progress.member_progress(tiny_store, done, 21, now), "you"
    )
    assert card.description == "Finished: all 10 passages posted."


def test_moment_names_the_zone():
    assert render.moment(datetime(2024, 3, 31, 3, 30, tzinfo=BERLIN)) == "Sun 31 Mar 03:30 Europe/Berlin"


def test_card_text_prints_every_part():
    text = render.card_text(Card(title="Plan", description="body", fields=(("A", "one\ntwo"),), footer="end"))
    assert text == "PLAN\n\nbody\n\nA\n  one\n  two\n\n— end"
