"""The weekly digest, in the core: its day, when it is due (after the day's post), what it counts."""

from __future__ import annotations

import pytest

from bot.errors import InvalidSettingError
from bot.members import digest
from tests.helpers import SOIL, at, post_on, start_plan

ANNA, BEN = 801, 802


def test_the_day_is_one_weekday_or_off():
    assert digest.parse_digest_day("sunday") == 6 and digest.parse_digest_day("Off") is None
    with pytest.raises(InvalidSettingError, match="one day"):
        digest.parse_digest_day("mon-fri")


def test_it_is_due_on_its_day_after_the_days_post_and_claimed_once(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    tiny_store.set_digest_day(group.id, 2)  # Wednesday
    post_on(tiny_store, 4, 5)
    assert digest.claim_due(tiny_store, at(5, 12)) == []  # Tuesday
    assert digest.claim_due(tiny_store, at(6, 9)) == []  # Wednesday, its post not out yet
    post_on(tiny_store, 6)
    [(claimed, day)] = digest.claim_due(tiny_store, at(6, 9, 1))
    assert claimed.id == group.id and str(day) == "2024-03-06"
    assert digest.claim_due(tiny_store, at(6, 20)) == []


def test_it_counts_members_up_to_date_and_lists_the_weeks_posts(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    posts = post_on(tiny_store, 4, 5, 6, 7, 8, 9, 10, 11)
    for post in posts[:-1]:
        tiny_store.mark_read(group.id, ANNA, group.text_id, post.first_ordinal, post.last_ordinal, at(11, 8))
    tiny_store.mark_read(group.id, BEN, group.text_id, 1, 1, at(11, 8))
    week = digest.weekly_digest(tiny_store, tiny_store.get_group(group.id), at(11, 12))
    assert [p.local_date.day for p in week.posts] == [5, 6, 7, 8, 9, 10, 11]
    assert (week.up_to_date, week.members) == (1, 2)  # Anna; Monday's post may still be read today
    assert [m.day for m in week.next_week] == [12, 13]  # the text ends with passage 10
