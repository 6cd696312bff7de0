"""Where a group and its members stand, computed from the records of posts and reads.

The group reads the tiny library's ten-passage text (tests/helpers.py), so every figure here
can be worked out by hand.
"""

from datetime import date, timedelta

import pytest

from bot.reading import plans, posting, progress
from tests.helpers import SOIL, at, post_on, start_plan

ANNA, BEN = 21, 22


def start(store, *, text=SOIL, **options):
    return start_plan(store, text=text, **options)


def read(store, group, user_id: int, delivery) -> int:
    """Mark a post read at noon on its day."""
    when = at(delivery.local_date.day, 12)
    return store.mark_read(group.id, user_id, group.text_id, delivery.first_ordinal, delivery.last_ordinal, when)


# -- the group ------------------------------------------------------------------------------------


def test_percent_counts_distinct_passages_posted(tiny_store):
    group = start(tiny_store)
    post_on(tiny_store, 4, 5, 6)
    whole = progress.group_progress(tiny_store, tiny_store.get_group(group.id), at(6, 12))
    assert (whole.posted, whole.last_posted, whole.next_ordinal) == (3, 3, 4)
    assert whole.percent == 30  # 3 of 10
    assert not whole.finished and not whole.paused


def test_nothing_posted_is_zero_percent(tiny_store):
    group = start(tiny_store)
    whole = progress.group_progress(tiny_store, group, at(4, 8))
    assert (whole.posted, whole.last_posted, whole.percent) == (0, None, 0)


def test_projected_finish_counts_only_post_weekdays(tiny_store):
    group = start(tiny_store, weekdays="mon,wed,fri")  # 10 passages from Monday 4 March
    whole = progress.group_progress(tiny_store, group, at(4, 8))
    # Mon/Wed/Fri, ten posts: 4, 6, 8, 11, 13, 15, 18, 20, 22 and Monday 25 March.
    assert whole.projected_finish == date(2024, 3, 25)


def test_projected_finish_counts_the_pace(tiny_store):
    group = start(tiny_store, weekdays="mon,wed,fri", pace=2)  # 5 posts: 1-2, 3-4, ... 9-10
    assert progress.group_progress(tiny_store, group, at(4, 8)).projected_finish == date(2024, 3, 13)
    group = plans.change_settings(tiny_store, group, is_organiser=True, pace=3)  # 4 posts: ... 10
    assert progress.group_progress(tiny_store, group, at(4, 8)).projected_finish == date(2024, 3, 11)


def test_projected_finish_moves_with_skips(tiny_store):
    group = start(tiny_store)  # daily: ten posts, 4 to 13 March
    assert progress.group_progress(tiny_store, group, at(4, 8)).projected_finish == date(2024, 3, 13)
    group = plans.skip(tiny_store, group, 5, is_organiser=True)  # five left: 4 to 8 March
    assert progress.group_progress(tiny_store, group, at(4, 8)).projected_finish == date(2024, 3, 8)


def test_projected_finish_holds_steady_while_todays_post_is_sent(tiny_store):
    """Before the post, while it is being sent, and once it is out: the same finishing day."""
    group = start(tiny_store, weekdays="mon,wed,fri")
    before = progress.group_progress(tiny_store, group, at(4, 8, 59)).projected_finish
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    sending = progress.group_progress(tiny_store, tiny_store.get_group(group.id), at(4, 9, 0)).projected_finish
    posting.complete(tiny_store, due.delivery, 1, None, at(4, 9))
    after = progress.group_progress(tiny_store, tiny_store.get_group(group.id), at(4, 9, 1)).projected_finish
    assert before == sending == after == date(2024, 3, 25)


def test_a_paused_plan_has_no_projected_finish(tiny_store):
    group = plans.pause(tiny_store, start(tiny_store), is_organiser=True)
    whole = progress.group_progress(tiny_store, group, at(4, 8))
    assert whole.paused and whole.projected_finish is None and whole.pause_reason


def test_a_finished_plan_says_so(tiny_store):
    group = start(tiny_store, start_at=9, pace=2)
    post_on(tiny_store, 4)  # passages 9 and 10, the last two
    whole = progress.group_progress(tiny_store, tiny_store.get_group(group.id), at(5, 12))
    assert whole.finished and whole.projected_finish is None
    assert (whole.posted, whole.last_posted) == (2, 10)


def test_the_group_counts_its_readers(tiny_store):
    group = start(tiny_store)
    monday, tuesday = post_on(tiny_store, 4, 5)
    read(tiny_store, group, ANNA, monday)
    read(tiny_store, group, ANNA, tuesday)
    read(tiny_store, group, BEN, tuesday)
    assert progress.group_progress(tiny_store, tiny_store.get_group(group.id), at(5, 12)).readers == 2


# -- a member -------------------------------------------------------------------------------------


def test_member_read_count_streak_and_missed_come_from_reads_and_posts(tiny_store):
    group = start(tiny_store)
    mon, tue, wed, thu = post_on(tiny_store, 4, 5, 6, 7)
    for delivery in (mon, wed, thu):
        read(tiny_store, group, ANNA, delivery)
    mine = progress.member_progress(tiny_store, tiny_store.get_group(group.id), ANNA, at(7, 20))
    assert (mine.read, mine.posted, mine.streak) == (3, 4, 3)  # Tuesday's miss is forgiven
    assert [d.local_date for d in mine.missed] == [date(2024, 3, 5)]


def test_todays_unread_post_does_not_break_a_streak_until_the_day_is_over(tiny_store):
    group = start(tiny_store)
    mon, tue, wed, thu = post_on(tiny_store, 4, 5, 6, 7)
    for delivery in (mon, tue, wed):
        read(tiny_store, group, BEN, delivery)
    thursday_evening = progress.member_progress(tiny_store, tiny_store.get_group(group.id), BEN, at(7, 23, 59))
    assert thursday_evening.streak == 3
    assert [d.local_date for d in thursday_evening.missed] == [date(2024, 3, 7)]  # still to read
    friday_morning = progress.member_progress(tiny_store, tiny_store.get_group(group.id), BEN, at(8, 8))
    assert friday_morning.streak == 3  # Thursday's miss: the week's one forgiven
    post_on(tiny_store, 8)
    saturday = progress.member_progress(tiny_store, tiny_store.get_group(group.id), BEN, at(9, 8))
    assert saturday.streak == 0  # a second miss in the week ends it


def test_a_member_who_read_nothing_has_missed_every_post_oldest_first(tiny_store):
    group = start(tiny_store)
    post_on(tiny_store, 4, 5, 6)
    mine = progress.member_progress(tiny_store, tiny_store.get_group(group.id), BEN, at(6, 12))
    assert (mine.read, mine.posted, mine.streak) == (0, 3, 0)
    assert [d.local_date for d in mine.missed] == [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)]


def test_at_pace_two_a_post_counts_as_read_only_when_both_passages_are(tiny_store):
    group = start(tiny_store, pace=2)
    [monday] = post_on(tiny_store, 4)
    tiny_store.mark_read(group.id, ANNA, group.text_id, 1, 1, at(4, 12))
    half = progress.member_progress(tiny_store, tiny_store.get_group(group.id), ANNA, at(5, 8))
    assert (half.read, half.posted, half.streak, len(half.missed)) == (1, 2, 0, 1)
    read(tiny_store, group, ANNA, monday)
    whole = progress.member_progress(tiny_store, tiny_store.get_group(group.id), ANNA, at(5, 8))
    assert (whole.read, whole.posted, whole.streak, whole.missed) == (2, 2, 1, ())


def test_mark_read_is_idempotent(tiny_store):
    group = start(tiny_store, pace=2)
    [monday] = post_on(tiny_store, 4)
    assert read(tiny_store, group, ANNA, monday) == 2
    assert read(tiny_store, group, ANNA, monday) == 0
    assert tiny_store.read_ordinals(group.id, ANNA) == {1, 2}
    assert tiny_store.readers(group.id) == {ANNA: 2}
    assert progress.member_progress(tiny_store, tiny_store.get_group(group.id), ANNA, at(4, 12)).read == 2


def test_reads_belong_to_their_group(tiny_store):
    group = start(tiny_store)
    [monday] = post_on(tiny_store, 4)
    read(tiny_store, group, ANNA, monday)
    other = start(tiny_store, channel_id=11)
    assert tiny_store.read_ordinals(other.id, ANNA) == set()
    assert progress.group_progress(tiny_store, other, at(4, 12)).readers == 0


@pytest.mark.parametrize("hours_later", [0, 6, 14])
def test_progress_is_the_same_whenever_it_is_asked_on_the_same_day(tiny_store, hours_later):
    group = start(tiny_store)
    mon, tue = post_on(tiny_store, 4, 5)
    read(tiny_store, group, ANNA, tue)
    now = at(5, 9) + timedelta(hours=hours_later)
    mine = progress.member_progress(tiny_store, tiny_store.get_group(group.id), ANNA, now)
    assert (mine.read, mine.streak, [d.local_date for d in mine.missed]) == (1, 1, [date(2024, 3, 4)])
