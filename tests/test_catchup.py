"""A catch-up that forgives, in the core: the oldest unread posts at the member's own pace, days
in their own zone, a date they reach the group, and the group's plan left where it is."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import InvalidSettingError
from bot.members import catchup, reminders
from tests.helpers import SOIL, at, post_on, start_plan

MEMBER = 601


@pytest.fixture
def behind(tiny_store):
    """Five posts out (Mon 4 to Fri 8 March), none read by the member."""
    group = start_plan(tiny_store, text=SOIL)
    return group, post_on(tiny_store, 4, 5, 6, 7, 8)


def read(store, group, post, when) -> None:
    store.mark_read(group.id, MEMBER, group.text_id, post.first_ordinal, post.last_ordinal, when)


def test_today_is_the_oldest_unread_at_the_members_pace_and_the_plan_does_not_move(tiny_store, behind):
    group, posts = behind
    catchup.start(tiny_store, group, MEMBER, 2, at(8, 10))
    day = catchup.today(tiny_store, group, MEMBER, at(8, 10))
    assert [p.id for p in day.portion] == [posts[0].id, posts[1].id]
    assert (day.pace, day.day, day.behind, day.caught_up_today) == (2, 1, 5, 0)
    # Two a day while the group posts one: 5 behind today, 3 tonight, then one fewer a day.
    assert day.reach_on == date(2024, 3, 11)
    assert tiny_store.group_by_id(group.id).next_ordinal == 6  # the group's plan is where it was


def test_reading_todays_portion_ends_the_day_and_tomorrow_brings_the_next(tiny_store, behind):
    group, posts = behind
    catchup.start(tiny_store, group, MEMBER, 2, at(8, 10))
    read(tiny_store, group, posts[0], at(8, 11))
    assert [p.id for p in catchup.today(tiny_store, group, MEMBER, at(8, 11)).portion] == [posts[1].id]
    read(tiny_store, group, posts[1], at(8, 12))
    done = catchup.today(tiny_store, group, MEMBER, at(8, 12))
    assert done.portion == () and done.caught_up_today == 2 and done.behind == 3
    [saturday] = post_on(tiny_store, 9)
    day = catchup.today(tiny_store, group, MEMBER, at(9, 10))
    assert [p.id for p in day.portion] == [posts[2].id, posts[3].id] and day.day == 2


def test_the_members_days_are_in_their_own_zone(tiny_store, behind):
    group, posts = behind
    reminders.set_reminder(tiny_store, group, MEMBER, "20:00", "America/New_York", None, at(8, 10))
    catchup.start(tiny_store, group, MEMBER, 1, at(8, 10))
    read(tiny_store, group, posts[0], at(9, 5))  # 23:00 on Friday in New York
    assert catchup.today(tiny_store, group, MEMBER, at(9, 5, 30)).caught_up_today == 1  # still Friday there
    assert catchup.today(tiny_store, group, MEMBER, at(9, 7)).caught_up_today == 0  # Saturday there


def test_reaching_the_group_ends_the_catchup(tiny_store, behind):
    group, posts = behind
    catchup.start(tiny_store, group, MEMBER, 3, at(8, 10))
    for post in posts:
        read(tiny_store, group, post, at(8, 11))
    assert catchup.today(tiny_store, group, MEMBER, at(8, 12)) is None
    assert tiny_store.catchup_plan(group.id, MEMBER) is None


def test_the_reach_date_counts_the_group_posting_to_the_end_of_its_text(tiny_store, behind):
    """At one a day the member only keeps pace while the group posts; once the text ends (passage
    10, on Wed 13 March) they gain a passage a day."""
    group, _ = behind
    catchup.start(tiny_store, group, MEMBER, 1, at(8, 10))
    assert catchup.today(tiny_store, group, MEMBER, at(8, 10)).reach_on == date(2024, 3, 17)


def test_a_pace_out_of_range_is_refused(tiny_store, behind):
    group, _ = behind
    with pytest.raises(InvalidSettingError, match="1 to 10 passages"):
        catchup.start(tiny_store, group, MEMBER, 11, at(8, 10))
    assert tiny_store.catchup_plan(group.id, MEMBER) is None
