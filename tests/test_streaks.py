"""Streaks with grace, in the core: a day counts when its post is read (or its thread written
in) that day in the member's own zone; days without a post are neutral; one miss a week is
forgiven; a public leaderboard only ranks members who have a streak."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.members import reminders, streaks
from bot.reading import posting
from tests.helpers import SOIL, at, post_on, start_plan

ANNA, BEN = 701, 702


def read_on(store, group, user_id, post, when: datetime) -> None:
    store.mark_read(group.id, user_id, group.text_id, post.first_ordinal, post.last_ordinal, when)


def days(store, group, user_id, now) -> int:
    return streaks.streak_of(store, group, user_id, now).days


def test_days_the_group_does_not_post_neither_count_nor_break(tiny_store):
    group = start_plan(tiny_store, text=SOIL, weekdays="mon-fri")
    for day in (4, 5, 6, 7, 8, 11):  # Monday to Friday, then Monday again
        [post] = post_on(tiny_store, day)
        read_on(tiny_store, group, ANNA, post, at(day, 19))
    assert days(tiny_store, group, ANNA, at(11, 20)) == 6
    assert days(tiny_store, group, ANNA, at(12, 8)) == 6  # Tuesday morning: its post is not out yet


def test_one_missed_day_a_week_is_forgiven_a_second_ends_the_streak(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    posts = post_on(tiny_store, 4, 5, 6, 7, 8, 9, 10)
    for post in posts:
        if post.local_date.day not in (6, 9):  # missed Wednesday and Saturday
            read_on(tiny_store, group, ANNA, post, at(post.local_date.day, 20))
    assert days(tiny_store, group, ANNA, at(8, 21)) == 4  # Wednesday forgiven
    assert streaks.streak_of(tiny_store, group, ANNA, at(8, 21)).forgiven == (at(6, 0).date(),)
    # On Sunday, Saturday's miss is the one forgiven, and Wednesday's, three days before, ends it.
    assert streaks.streak_of(tiny_store, group, ANNA, at(10, 21)) == streaks.Streak(3, (at(9, 0).date(),))


def test_reading_a_day_late_does_not_keep_that_day(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    monday, tuesday = post_on(tiny_store, 4, 5)
    read_on(tiny_store, group, ANNA, monday, at(5, 8))  # the next morning
    read_on(tiny_store, group, ANNA, tuesday, at(5, 20))
    assert days(tiny_store, group, ANNA, at(5, 21)) == 1


def test_days_are_the_members_own(tiny_store):
    """The group posts at 09:00 in Berlin, midnight in Los Angeles: a read at 23:30 there is the
    same day there, and the next morning in Berlin."""
    group = start_plan(tiny_store, text=SOIL)
    reminders.set_reminder(tiny_store, group, ANNA, "20:00", "America/Los_Angeles", None, at(4, 8))
    monday, tuesday = post_on(tiny_store, 4, 5)
    late_in_la = at(5, 8, 30)  # 23:30 on Monday in Los Angeles
    for user_id in (ANNA, BEN):
        read_on(tiny_store, group, user_id, monday, late_in_la)
    assert days(tiny_store, group, ANNA, at(5, 8, 45)) == 1
    assert days(tiny_store, group, BEN, at(5, 8, 45)) == 0


def test_writing_in_the_posts_thread_counts_like_reading(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    posting.complete(tiny_store, due.delivery, 9001, 9002, at(4, 9))
    assert streaks.thread_post(tiny_store, 9002, ANNA, at(4, 13)) is True
    assert streaks.thread_post(tiny_store, 9002, ANNA, at(4, 14)) is False  # the first message counts
    assert streaks.thread_post(tiny_store, 424242, ANNA, at(4, 14)) is False  # not a post's thread
    assert days(tiny_store, group, ANNA, at(4, 15)) == 1


def test_the_leaderboard_ranks_current_streaks_and_leaves_out_none(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    posts = post_on(tiny_store, 4, 5, 6)
    for post in posts:
        read_on(tiny_store, group, ANNA, post, at(post.local_date.day, 12))
    read_on(tiny_store, group, BEN, posts[2], at(6, 12))
    read_on(tiny_store, group, 703, posts[0], at(6, 12))  # read late: no streak
    assert streaks.leaderboard(tiny_store, group, at(6, 13)) == [(ANNA, 3), (BEN, 1)]


def test_a_streak_is_linear_in_the_posts(tiny_store):
    """A year of posts, every one read on its day: counted in one pass."""
    from zoneinfo import ZoneInfo

    from bot.models import Delivery, DeliveryStatus

    start = at(4, 9)
    posts = [
        Delivery(
            n,
            1,
            (start + timedelta(days=n)).date(),
            n,
            n,
            DeliveryStatus.POSTED,
            n,
            None,
            1,
            None,
            start + timedelta(days=n),
            start + timedelta(days=n),
        )
        for n in range(1, 366)
    ]
    read_at = {n: start + timedelta(days=n, hours=2) for n in range(1, 366)}
    streak = streaks.count_streak(posts, read_at, {}, ZoneInfo("Europe/Berlin"), start + timedelta(days=366))
    assert streak.days == 365
