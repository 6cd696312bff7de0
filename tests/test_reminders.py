"""Reminders, in the core: opt-in, at the member's own hour and zone, only about an unread post,
never twice a day, paused after three unread, not made up after an outage, stopped by closed DMs.
The bot's loop is `due_messages` then `sent`, as here (tests/e2e/test_bot_reminders.py runs it on
Discord)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.errors import InvalidSettingError, NotFoundError
from bot.members import reminders
from bot.reading import plans
from tests.helpers import GUILD, SOIL, at, post_on, start_plan

READER, OTHER = 501, 502


@pytest.fixture
def group(tiny_store):
    return start_plan(tiny_store, text=SOIL)  # daily at 09:00 Berlin, from Monday 4 March


def send_due(store, now: datetime) -> list[reminders.Outgoing]:
    """One pass of the bot's loop at `now`: claim what is due, 'send' it, record it."""
    out: list[reminders.Outgoing] = []
    while batch := reminders.due_messages(store, now):
        store.start_sending([m.reminder.id for m in batch])
        reminders.sent(store, [(m.reminder.id, True) for m in batch], now)
        out += batch
    return out


def read(store, group, user_id: int, post, when: datetime) -> None:
    store.mark_read(group.id, user_id, group.text_id, post.first_ordinal, post.last_ordinal, when)


def test_a_member_who_never_opts_in_gets_nothing(tiny_store, group):
    post_on(tiny_store, 4, 5)
    for hour in range(0, 24):
        assert send_due(tiny_store, at(5, hour)) == []


def test_a_reminder_comes_at_the_members_time_with_the_passage_title_and_a_link(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    [post] = post_on(tiny_store, 4)
    assert send_due(tiny_store, at(4, 19, 59)) == []
    [message] = send_due(tiny_store, at(4, 20))
    assert message.reminder.user_id == READER and message.reminder.delivery_id == post.id
    assert "**What soil is**" in message.text and "passage 1 of 10" in message.text
    assert f"https://discord.com/channels/{GUILD}/{group.channel_id}/{post.message_id}" in message.text
    # Never a second one that day, whatever the loop does.
    assert send_due(tiny_store, at(4, 20, 1)) == [] and send_due(tiny_store, at(4, 23, 59)) == []
    reminders.set_reminder(tiny_store, group, READER, "22:00", None, None, at(4, 21))  # a later time today
    assert send_due(tiny_store, at(4, 22)) == []
    assert [r.local_date for r in tiny_store.reminders_of(group.id, READER)] == [at(4, 0).date()]


def test_no_reminder_when_the_days_passage_is_read_or_nothing_was_posted(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    [post] = post_on(tiny_store, 4)
    read(tiny_store, group, READER, post, at(4, 12))
    assert send_due(tiny_store, at(4, 20)) == []
    # Tuesday: the group posts nothing (paused): nothing to remind of.
    plans.pause(tiny_store, group, is_organiser=True)
    assert send_due(tiny_store, at(5, 20)) == []
    assert tiny_store.reminders_of(group.id, READER) == []


def test_each_member_is_reminded_in_their_own_zone(tiny_store, group):
    """The group posts at 09:00 in Berlin: at 08:00 UTC, 03:00 in New York, 17:00 in Tokyo."""
    reminders.set_reminder(tiny_store, group, READER, "20:00", "America/New_York", None, at(4, 8))
    reminders.set_reminder(tiny_store, group, OTHER, "18:00", "Asia/Tokyo", None, at(4, 8))
    post_on(tiny_store, 4)
    assert send_due(tiny_store, at(4, 9, 59)) == []  # 17:59 in Tokyo
    [tokyo] = send_due(tiny_store, at(4, 10))  # 18:00 in Tokyo
    assert tokyo.reminder.user_id == OTHER and str(tokyo.reminder.local_date) == "2024-03-04"
    assert send_due(tiny_store, at(5, 1, 59)) == []  # 19:59 on Monday in New York
    [new_york] = send_due(tiny_store, at(5, 2))  # 20:00 on Monday in New York
    assert new_york.reminder.user_id == READER and str(new_york.reminder.local_date) == "2024-03-04"


def test_days_and_snooze_are_the_members(store):
    group = start_plan(store, text="trotsky-selections")  # 30 passages: three weeks of posts
    reminders.set_reminder(store, group, READER, "20:00", None, "mon,wed", at(4, 8))

    def reminded_on(days: range) -> list[int]:
        sent_on = []
        for day in days:
            [post] = post_on(store, day)
            if send_due(store, at(day, 20)):
                sent_on.append(day)
            read(store, group, READER, post, at(day, 21))  # read late, so no pause
        return sent_on

    assert reminded_on(range(4, 12)) == [4, 6, 11]
    setting = reminders.snooze(store, group, READER, 3, at(11, 21))  # skips Wed 13 and Mon 18
    assert str(setting.snoozed_until) == "2024-03-16"
    assert reminded_on(range(12, 21)) == [18, 20]


def test_three_unread_reminders_then_one_pause_note_then_nothing_until_the_member_reads(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    kinds = []
    for day in range(4, 9):
        post_on(tiny_store, day)
        kinds.append([m.reminder.kind for m in send_due(tiny_store, at(day, 20))])
    assert kinds == [["reminder"], ["reminder"], ["reminder"], ["paused"], []]
    [note] = [m for m in tiny_store.reminders_of(group.id, READER) if m.kind == "paused"]
    assert str(note.local_date) == "2024-03-07"
    # The member reads Friday's passage on Saturday morning: reminders run again from Saturday.
    friday = tiny_store.recent_posts(group.id, 1)[0]
    read(tiny_store, group, READER, friday, at(9, 8))
    post_on(tiny_store, 9)
    assert [m.reminder.kind for m in send_due(tiny_store, at(9, 20))] == ["reminder"]


def test_a_reminder_read_in_time_breaks_the_run(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    for day in range(4, 10):
        [post] = post_on(tiny_store, day)
        assert [m.reminder.kind for m in send_due(tiny_store, at(day, 20))] == ["reminder"]
        if day == 6:
            read(tiny_store, group, READER, post, at(day, 21))  # read after its reminder


def test_a_day_the_bot_was_down_is_not_made_up(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    post_on(tiny_store, 4, 5)
    [late] = send_due(tiny_store, at(5, 23))  # down from Monday 19:00 to Tuesday 23:00
    assert str(late.reminder.local_date) == "2024-03-05"  # Tuesday's, about Tuesday's post
    assert late.reminder.delivery_id == tiny_store.recent_posts(group.id, 1)[0].id
    assert len(tiny_store.reminders_of(group.id, READER)) == 1


def test_closed_dms_stop_reminders_and_the_member_hears_it_once(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    post_on(tiny_store, 4, 5)
    [message] = reminders.due_messages(tiny_store, at(4, 20))
    tiny_store.start_sending([message.reminder.id])
    reminders.dms_closed(tiny_store, GUILD, READER, at(4, 20))
    reminders.sent(tiny_store, [(message.reminder.id, False)], at(4, 20))
    assert send_due(tiny_store, at(5, 20)) == []
    assert reminders.pending_note(tiny_store, GUILD + 1, READER) is None  # another server
    assert "direct messages are closed" in (reminders.pending_note(tiny_store, GUILD, READER) or "")
    assert reminders.pending_note(tiny_store, GUILD, READER) is None  # said once
    # Turning reminders on again tries again.
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(6, 8))
    post_on(tiny_store, 6)
    assert len(send_due(tiny_store, at(6, 20))) == 1


def test_a_claim_a_restart_left_untried_is_sent_but_one_being_sent_never_twice(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    reminders.set_reminder(tiny_store, group, OTHER, "20:00", None, None, at(4, 8))
    post_on(tiny_store, 4)
    first = reminders.due_messages(tiny_store, at(4, 20))
    assert {m.reminder.user_id for m in first} == {READER, OTHER}
    tiny_store.start_sending([first[0].reminder.id])  # then the process dies
    [again] = reminders.due_messages(tiny_store, at(4, 20, 5))
    assert again.reminder.id == first[1].reminder.id
    tiny_store.start_sending([again.reminder.id])
    reminders.sent(tiny_store, [(again.reminder.id, True)], at(4, 20, 5))
    assert [r.status for r in tiny_store.reminders_of(group.id, READER)] == ["sending"]  # never tried again
    # A claim left from an earlier day is dropped, not sent late.
    reminders.set_reminder(tiny_store, group, 503, "20:00", None, None, at(4, 8))
    [left] = [m for m in reminders.due_messages(tiny_store, at(4, 20, 6)) if m.reminder.user_id == 503]
    assert reminders.due_messages(tiny_store, at(5, 8)) == []
    assert [r.status for r in tiny_store.reminders_of(group.id, 503)] == ["failed"]
    assert left.reminder.user_id == 503


def test_bad_settings_are_refused_in_one_sentence(tiny_store, group):
    with pytest.raises(InvalidSettingError, match="HH:MM"):
        reminders.set_reminder(tiny_store, group, READER, "25:00", None, None, at(4, 8))
    with pytest.raises(InvalidSettingError, match="time zone"):
        reminders.set_reminder(tiny_store, group, READER, "20:00", "Mars/Olympus", None, at(4, 8))
    with pytest.raises(InvalidSettingError, match="weekdays"):
        reminders.set_reminder(tiny_store, group, READER, "20:00", None, "someday", at(4, 8))
    with pytest.raises(NotFoundError, match="no reminders"):
        reminders.snooze(tiny_store, group, READER, 1, at(4, 8))
    reminders.set_reminder(tiny_store, group, READER, "20:00", None, None, at(4, 8))
    with pytest.raises(InvalidSettingError, match="1 to 30"):
        reminders.snooze(tiny_store, group, READER, 31, at(4, 8))
    assert tiny_store.reminder_setting(group.id, READER).snoozed_until is None
    assert reminders.turn_off(tiny_store, group, READER, at(4, 9)) is True
    assert reminders.turn_off(tiny_store, group, READER, at(4, 9)) is False
    post_on(tiny_store, 4)
    assert send_due(tiny_store, at(4, 20) + timedelta(hours=1)) == []


def test_a_reminder_at_the_groups_own_post_time_waits_for_the_post(tiny_store, group):
    reminders.set_reminder(tiny_store, group, READER, "09:00", None, None, at(4, 8))
    assert send_due(tiny_store, at(4, 9)) == []  # the post is due but not out yet
    post_on(tiny_store, 4)
    [message] = send_due(tiny_store, at(4, 9, 1))
    assert message.reminder.delivery_id == tiny_store.recent_posts(group.id, 1)[0].id
