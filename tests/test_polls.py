"""Polls for the next text, in the core: only in a plan's last week, only organisers, the
library's other texts as answers within Discord's limits, the winner by votes (a tie to the
first listed) started on the same schedule."""

from __future__ import annotations

import pytest

from bot.errors import NotFoundError, PermissionDeniedError
from bot.members import polls
from tests.helpers import SOIL, at, post_on, start_plan


def test_a_poll_opens_in_the_last_week_for_organisers_with_the_other_texts(tiny_store):
    group = start_plan(tiny_store, text=SOIL)
    with pytest.raises(PermissionDeniedError, match="10 posts to go"):
        polls.draft(tiny_store, group, True)
    post_on(tiny_store, 4, 5, 6)
    group = tiny_store.get_group(group.id)
    with pytest.raises(PermissionDeniedError, match="Only organisers"):
        polls.draft(tiny_store, group, False)
    draft = polls.draft(tiny_store, group, True)
    assert [label for _, label in draft.answers] == ["Bread Every Day (Ben Baker)", "Notes on Seeds (Ada Gardener)"]


def test_the_most_voted_text_starts_on_the_same_schedule_and_a_tie_goes_to_the_first(tiny_store):
    group = start_plan(tiny_store, text=SOIL, time="07:30", weekdays="mon-fri", pace=2)
    post_on(tiny_store, 4, 5, 6)
    group = tiny_store.get_group(group.id)
    draft = polls.draft(tiny_store, group, True)
    polls.opened(tiny_store, group, 777, draft, at(6, 12))
    started, winner = polls.start_winner(
        tiny_store, group, 777, {1: 2, 2: 2}, is_organiser=True, user_id=7, now=at(6, 13)
    )
    assert winner.slug == "baker-bread" and started.text_id == winner.id
    assert (started.post_time, started.weekdays, started.pace) == (group.post_time, group.weekdays, 2)
    assert tiny_store.group_by_id(group.id).next_ordinal == group.next_ordinal  # the old plan is kept, stopped
    with pytest.raises(NotFoundError, match="not this channel's current one"):
        polls.start_winner(tiny_store, started, 777, {}, is_organiser=True, user_id=7, now=at(6, 14))
