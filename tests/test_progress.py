"""Where a group and its members stand, computed from the records of posts and reads."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reading import plans, posting, progress

BERLIN = ZoneInfo("Europe/Berlin")
ORGANISER, ANNA, BEN = 7, 21, 22


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Berlin in March 2024; the 4th is a Monday."""
    return datetime(2024, 3, day, hour, minute, tzinfo=BERLIN)


def start(store, *, weekdays=None, pace=None, start_at=None, text="thermidor"):
    return plans.start_plan(
        store,
        guild_id=1,
        channel_id=10,
        user_id=ORGANISER,
        is_organiser=True,
        text=text,
        time="09:00",
        zone="Europe/Berlin",
        weekdays=weekdays,
        pace=pace,
        start_at=start_at,
        now=at(4, 8),
    )


def post_on(store, *days: int) -> list:
    """Make the posts of these March days at 09:00, as the scheduler would."""
    made = []
    for day in days:
        [due] = posting.claim_due_posts(store, at(day, 9))
        posting.complete(store, due.delivery, 100 + day, None, at(day, 9))
        made.append(store.delivery_by_id(due.delivery.id))
    return made


def read(store, group, user_id: int, delivery) -> int:
    return store.mark_read(group.id, user_id, group.text_id, delivery.first_ordinal, delivery.last_ordinal, at(4, 12))


def fresh(store, group):
    return store.group_by_id(group.id)


# -- the group ------------------------------------------------------------------------------------


def test_percent_counts_distinct_passages_posted(store):
    group = start(store)
    post_on(store, 4, 5, 6)
    whole = progress.group_progress(store, fresh(store, group), at(6, 12))
    assert (whole.posted, whole.last_posted, whole.next_ordinal) == (3, 3, 4)
    assert whole.percent == 20  # 3 of 15
    assert not whole.finished and not whole.paused


def test_nothing_posted_is_zero_percent(store):
    group = start(store)
    whole = progress.group_progress(store, group, at(4, 8))
    assert (whole.posted, whole.last_posted, whole.percent) == (0, None, 0)


def test_projected_finish_counts_only_post_weekdays(store):
    group = start(store, weekdays="mon,wed,fri")  # 15 passages from Monday 4 March
    whole = progress.group_progress(store, group, at(4, 8))
    # Mon/Wed/Fri, fifteen posts: the 15th falls on Friday 5 April.
    assert whole.projected_finish == date(2024, 4, 5)


def test_projected_finish_counts_the_pace(store):
    group = start(store, weekdays="mon,wed,fri", pace=2)  # 8 posts: 1-2, 3-4, ... 15
    assert progress.group_progress(store, group, at(4, 8)).projected_finish == date(2024, 3, 20)
    group = plans.change_settings(store, group, is_organiser=True, pace=3)  # 5 posts
    assert progress.group_progress(store, group, at(4, 8)).projected_finish == date(2024, 3, 13)


def test_projected_finish_moves_with_skips(store):
    group = start(store)  # daily
    assert progress.group_progress(store, group, at(4, 8)).projected_finish == date(2024, 3, 18)
    group = plans.skip(store, group, 5, is_organiser=True)
    assert progress.group_progress(store, group, at(4, 8)).projected_finish == date(2024, 3, 13)


def test_projected_finish_holds_steady_while_todays_post_is_sent(store):
    """Before the post, while it is being sent, and once it is out: the same finishing day."""
    group = start(store, weekdays="mon,wed,fri")
    before = progress.group_progress(store, group, at(4, 8, 59)).projected_finish
    [due] = posting.claim_due_posts(store, at(4, 9))
    sending = progress.group_progress(store, fresh(store, group), at(4, 9, 0)).projected_finish
    posting.complete(store, due.delivery, 1, None, at(4, 9))
    after = progress.group_progress(store, fresh(store, group), at(4, 9, 1)).projected_finish
    assert before == sending == after == date(2024, 4, 5)


def test_a_paused_plan_has_no_projected_finish(store):
    group = plans.pause(store, start(store), is_organiser=True)
    whole = progress.group_progress(store, group, at(4, 8))
    assert whole.paused and whole.projected_finish is None and whole.pause_reason


def test_a_finished_plan_says_so(store):
    group = start(store, start_at=14, pace=2)
    post_on(store, 4)
    whole = progress.group_progress(store, fresh(store, group), at(5, 12))
    assert whole.finished and whole.projected_finish is None
    assert (whole.posted, whole.last_posted) == (2, 15)


def test_the_group_counts_its_readers(store):
    group = start(store)
    monday, tuesday = post_on(store, 4, 5)
    read(store, group, ANNA, monday)
    read(store, group, ANNA, tuesday)
    read(store, group, BEN, tuesday)
    assert progress.group_progress(store, fresh(store, group), at(5, 12)).readers == 2


# -- a member -------------------------------------------------------------------------------------


def test_member_read_count_streak_and_missed_come_from_reads_and_posts(store):
    group = start(store)
    mon, tue, wed, thu = post_on(store, 4, 5, 6, 7)
    for delivery in (mon, wed, thu):
        read(store, group, ANNA, delivery)
    mine = progress.member_progress(store, fresh(store, group), ANNA, at(7, 20))
    assert (mine.read, mine.posted, mine.streak) == (3, 4, 2)
    assert [d.local_date for d in mine.missed] == [date(2024, 3, 5)]


def test_todays_unread_post_does_not_break_a_streak_until_the_day_is_over(store):
    group = start(store)
    mon, tue, wed, thu = post_on(store, 4, 5, 6, 7)
    for delivery in (mon, tue, wed):
        read(store, group, BEN, delivery)
    thursday_evening = progress.member_progress(store, fresh(store, group), BEN, at(7, 23, 59))
    assert thursday_evening.streak == 3
    assert [d.local_date for d in thursday_evening.missed] == [date(2024, 3, 7)]  # still to read
    friday_morning = progress.member_progress(store, fresh(store, group), BEN, at(8, 8))
    assert friday_morning.streak == 0


def test_a_member_who_read_nothing_has_missed_every_post_oldest_first(store):
    group = start(store)
    post_on(store, 4, 5, 6)
    mine = progress.member_progress(store, fresh(store, group), BEN, at(6, 12))
    assert (mine.read, mine.posted, mine.streak) == (0, 3, 0)
    assert [d.local_date for d in mine.missed] == [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)]


def test_at_pace_two_a_post_counts_as_read_only_when_both_passages_are(store):
    group = start(store, pace=2)
    [monday] = post_on(store, 4)
    store.mark_read(group.id, ANNA, group.text_id, 1, 1, at(4, 12))
    half = progress.member_progress(store, fresh(store, group), ANNA, at(5, 8))
    assert (half.read, half.posted, half.streak, len(half.missed)) == (1, 2, 0, 1)
    read(store, group, ANNA, monday)
    whole = progress.member_progress(store, fresh(store, group), ANNA, at(5, 8))
    assert (whole.read, whole.posted, whole.streak, whole.missed) == (2, 2, 1, ())


def test_mark_read_is_idempotent(store):
    group = start(store, pace=2)
    [monday] = post_on(store, 4)
    assert read(store, group, ANNA, monday) == 2
    assert read(store, group, ANNA, monday) == 0
    assert store.read_ordinals(group.id, ANNA) == {1, 2}
    assert store.readers(group.id) == {ANNA: 2}
    assert progress.member_progress(store, fresh(store, group), ANNA, at(4, 12)).read == 2


def test_reads_belong_to_their_group(store):
    group = start(store)
    [monday] = post_on(store, 4)
    read(store, group, ANNA, monday)
    other = plans.start_plan(
        store,
        guild_id=1,
        channel_id=11,
        user_id=ORGANISER,
        is_organiser=True,
        text="thermidor",
        time="09:00",
        zone="Europe/Berlin",
        weekdays=None,
        pace=None,
        start_at=None,
        now=at(4, 8),
    )
    assert store.read_ordinals(other.id, ANNA) == set()
    assert progress.group_progress(store, other, at(4, 12)).readers == 0


@pytest.mark.parametrize("hours_later", [0, 6, 14])
def test_progress_is_the_same_whenever_it_is_asked_on_the_same_day(store, hours_later):
    group = start(store)
    mon, tue = post_on(store, 4, 5)
    read(store, group, ANNA, tue)
    now = at(5, 9) + timedelta(hours=hours_later)
    mine = progress.member_progress(store, fresh(store, group), ANNA, now)
    assert (mine.read, mine.streak, [d.local_date for d in mine.missed]) == (1, 1, [date(2024, 3, 4)])
