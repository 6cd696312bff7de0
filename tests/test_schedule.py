"""When posts fall due: local post times, weekdays, DST, and parsing what organisers type.

Time never passes here: every check passes `now` explicitly. The DST cases also run the real
claim path (posting.claim_due_posts on a real database) minute by minute through the day, so "the
post happens once, at the right instant" is checked end to end, not only in the arithmetic.
"""

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidSettingError
from bot.reading import posting
from bot.reading.schedule import (
    ALL_WEEKDAYS,
    Schedule,
    format_weekdays,
    matching_zones,
    parse_time,
    parse_weekdays,
    parse_zone,
)
from tests.helpers import BERLIN, SOIL, start_plan

NEW_YORK = ZoneInfo("America/New_York")
UTC = UTC
MON_WED_FRI = frozenset({0, 2, 4})


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: ZoneInfo, *args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=zone, fold=fold)


# -- when a post is due ----------------------------------------------------------------------------


def test_not_due_before_the_local_post_time_and_due_from_it_on():
    schedule = Schedule(time(9, 0), BERLIN, ALL_WEEKDAYS)
    monday = date(2024, 3, 4)  # CET, UTC+1: 09:00 local is 08:00 UTC
    assert schedule.due_date(utc(2024, 3, 4, 7, 59, 59)) is None
    assert schedule.due_date(utc(2024, 3, 4, 8, 0)) == monday
    assert schedule.due_date(utc(2024, 3, 4, 22, 59)) == monday


def test_not_due_on_days_that_are_not_post_weekdays():
    schedule = Schedule(time(9, 0), BERLIN, MON_WED_FRI)
    tuesday_noon, saturday_noon = local(BERLIN, 2024, 3, 5, 12), local(BERLIN, 2024, 3, 9, 12)
    assert schedule.due_date(tuesday_noon) is None
    assert schedule.due_date(saturday_noon) is None
    assert schedule.due_date(local(BERLIN, 2024, 3, 6, 12)) == date(2024, 3, 6)


def test_the_post_day_is_the_groups_local_day_not_the_utc_day():
    """21:00 in New York on Monday is already Tuesday in UTC; the post belongs to Monday."""
    schedule = Schedule(time(21, 0), NEW_YORK, frozenset({0}))  # Mondays only
    monday_evening_in_new_york = utc(2024, 3, 5, 2, 30)  # a Tuesday in UTC
    assert schedule.due_date(monday_evening_in_new_york) == date(2024, 3, 4)
    assert schedule.post_moment(date(2024, 3, 4)) == utc(2024, 3, 5, 2, 0)


@pytest.mark.parametrize(
    "zone, day, post_time, expected_utc",
    [
        # Spring forward: 02:30 does not exist that night; it posts at 03:30 local, an hour later.
        (BERLIN, date(2024, 3, 31), time(2, 30), utc(2024, 3, 31, 1, 30)),
        (NEW_YORK, date(2024, 3, 10), time(2, 30), utc(2024, 3, 10, 7, 30)),
    ],
    ids=["Europe/Berlin", "America/New_York"],
)
def test_spring_forward_gap_posts_an_hour_later(zone, day, post_time, expected_utc):
    schedule = Schedule(post_time, zone)
    moment = schedule.post_moment(day)
    assert moment == expected_utc
    assert moment.astimezone(zone).time() == time(3, 30)
    assert schedule.due_date(expected_utc - timedelta(seconds=1)) is None
    assert schedule.due_date(expected_utc) == day


@pytest.mark.parametrize(
    "zone, day, post_time, first_utc, second_utc",
    [
        # Fall back: the post time happens twice that night; the first occurrence is the post.
        (BERLIN, date(2024, 10, 27), time(2, 30), utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 1, 30)),
        (NEW_YORK, date(2024, 11, 3), time(1, 30), utc(2024, 11, 3, 5, 30), utc(2024, 11, 3, 6, 30)),
    ],
    ids=["Europe/Berlin", "America/New_York"],
)
def test_fall_back_ambiguous_time_is_due_at_its_first_occurrence(zone, day, post_time, first_utc, second_utc):
    schedule = Schedule(post_time, zone)
    assert schedule.post_moment(day) == first_utc
    # Both instants read as the post time on the local clock; only the first is the post.
    assert first_utc.astimezone(zone).time() == second_utc.astimezone(zone).time() == post_time
    assert schedule.due_date(first_utc - timedelta(minutes=1)) is None
    assert schedule.due_date(first_utc) == day


DST_DAYS = [
    ("Europe/Berlin", "02:30", date(2024, 3, 31), utc(2024, 3, 31, 1, 30)),
    ("Europe/Berlin", "02:30", date(2024, 10, 27), utc(2024, 10, 27, 0, 30)),
    ("America/New_York", "02:30", date(2024, 3, 10), utc(2024, 3, 10, 7, 30)),
    ("America/New_York", "01:30", date(2024, 11, 3), utc(2024, 11, 3, 5, 30)),
]


@pytest.mark.parametrize("zone, post_time, day, expected", DST_DAYS, ids=[f"{z}-{d}" for z, _, d, _ in DST_DAYS])
def test_on_a_dst_night_the_post_is_claimed_once_at_the_right_utc_instant(tiny_store, zone, post_time, day, expected):
    """Tick every minute through the local day, as the scheduler does, making each post it hands
    out: exactly one post, claimed at the expected instant, even when the post time happens twice."""
    store = tiny_store
    group = start_plan(store, text=SOIL, time=post_time, zone=zone, weekdays="daily", now=utc(2024, 1, 1))
    claims = []
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert (end - start) != timedelta(hours=24)  # a 23- or 25-hour day
    for minute in range(int((end - start).total_seconds()) // 60):
        now = start + timedelta(minutes=minute)
        for due in posting.claim_due_posts(store, now):
            claims.append((now, due.delivery.local_date))
            posting.complete(store, due.delivery, message_id=minute, thread_id=None, now=now)
    assert claims == [(expected, day)]
    assert store.group_by_id(group.id).next_ordinal == 2


# -- the next seven posts -------------------------------------------------------------------------


def test_next_seven_posts_skip_non_post_weekdays():
    schedule = Schedule(time(9, 0), BERLIN, MON_WED_FRI)
    monday_early = local(BERLIN, 2024, 3, 4, 7)
    moments = schedule.next_posts(monday_early, 7)
    assert [m.date() for m in moments] == [
        date(2024, 3, 4),
        date(2024, 3, 6),
        date(2024, 3, 8),
        date(2024, 3, 11),
        date(2024, 3, 13),
        date(2024, 3, 15),
        date(2024, 3, 18),
    ]
    assert all(m.time() == time(9, 0) and m.tzinfo == BERLIN for m in moments)


def test_next_posts_keep_the_local_time_across_a_dst_change():
    schedule = Schedule(time(9, 0), BERLIN, ALL_WEEKDAYS)
    moments = schedule.next_posts(local(BERLIN, 2024, 3, 29, 12), 4)
    assert [m.astimezone(UTC).hour for m in moments] == [8, 8, 7, 7]  # CET, then CEST from Mar 31
    assert {m.time() for m in moments} == {time(9, 0)}


def test_next_posts_start_tomorrow_once_todays_post_is_made():
    schedule = Schedule(time(9, 0), BERLIN, MON_WED_FRI)
    monday_after_post = local(BERLIN, 2024, 3, 4, 10)
    assert schedule.next_posts(monday_after_post, 1, posted_today=True)[0].date() == date(2024, 3, 6)
    # Not made yet (the bot was down at 09:00): today's is still to come, due at once.
    assert schedule.next_posts(monday_after_post, 1, posted_today=False)[0].date() == date(2024, 3, 4)


def test_next_posts_on_an_off_day_start_on_the_next_post_day():
    schedule = Schedule(time(9, 0), BERLIN, MON_WED_FRI)
    tuesday = local(BERLIN, 2024, 3, 5, 7)
    assert schedule.next_posts(tuesday, 1)[0].date() == date(2024, 3, 6)
    assert schedule.next_posts(tuesday, 1, posted_today=True)[0].date() == date(2024, 3, 6)


# -- parsing what organisers type -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("9", time(9, 0)),
        ("09:00", time(9, 0)),
        ("09:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("18:30", time(18, 30)),
        ("19h00", time(19, 0)),
        ("7pm", time(19, 0)),
        ("7:45 PM", time(19, 45)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("  6:05  ", time(6, 5)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_time_accepts_the_documented_forms(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "24:00",
        "25:00",
        "9:60",
        "9:5",
        "13pm",
        "0am",
        "noon",
        "nine",
        "-1",
        "9:00:00",
        "12:30 tomorrow",
        "9 30 45",
    ],
)
def test_parse_time_rejects_anything_else_and_says_how_to_write_it(typed):
    with pytest.raises(InvalidSettingError) as raised:
        parse_time(typed)
    message = str(raised.value)
    assert "HH:MM" in message and "09:00" in message and "\n" not in message


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_time_never_raises_anything_but_invalid_setting_error(typed):
    try:
        parsed = parse_time(typed)
    except InvalidSettingError as error:
        assert "HH:MM" in str(error)
    else:
        assert isinstance(parsed, time) and parsed.tzinfo is None


@pytest.mark.parametrize(
    "typed, key",
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  America/New York ", "America/New_York"),
        ("america/new_york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_parse_zone_accepts_iana_names_forgiving_case_and_spaces(typed, key):
    assert parse_zone(typed).key == key


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "Berlin",
        "Mars/Olympus_Mons",
        "Europe/Berlinn",
        "../etc/passwd",
        "/etc/localtime",
        # Folders of the zone database, not zones: once answered with a crash instead of a sentence.
        "America/Argentina",
        "America/Indiana",
        "America/Kentucky",
        "America/",
    ],
)
def test_parse_zone_rejects_what_is_not_a_zone_and_names_an_example(typed):
    with pytest.raises(InvalidSettingError) as raised:
        parse_zone(typed)
    assert "Europe/London" in str(raised.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCZ/_-+0123456789 .")))
def test_parse_zone_never_raises_anything_but_invalid_setting_error(typed):
    try:
        parse_zone(typed)
    except InvalidSettingError:
        pass


@pytest.mark.parametrize(
    "typed, days",
    [
        (None, ALL_WEEKDAYS),
        ("daily", ALL_WEEKDAYS),
        ("every day", ALL_WEEKDAYS),
        ("weekdays", frozenset(range(5))),
        ("weekends", frozenset({5, 6})),
        ("mon-fri", frozenset(range(5))),
        ("Mon-Fri", frozenset(range(5))),
        ("mon,wed,fri", MON_WED_FRI),
        ("Mon, Wed, Fri", MON_WED_FRI),
        ("mon wed fri", MON_WED_FRI),
        ("monday,wednesday,friday", MON_WED_FRI),
        ("tues-thurs", frozenset({1, 2, 3})),
        ("sat-mon", frozenset({5, 6, 0})),
        ("sun", frozenset({6})),
        # A dash typed by a phone's autocorrect is still a range, not "Monday" alone.
        ("mon–fri", frozenset(range(5))),
        ("mon — wed", frozenset({0, 1, 2})),
    ],
)
def test_parse_weekdays_accepts_the_documented_forms(typed, days):
    assert parse_weekdays(typed) == days


@pytest.mark.parametrize("typed", ["funday", "monkey", "sunshine", "mo", "mon-tue-wed", "mon-", ",", "weekly", "1,2,3"])
def test_parse_weekdays_rejects_bad_input_and_says_what_to_write(typed):
    with pytest.raises(InvalidSettingError) as raised:
        parse_weekdays(typed)
    assert "mon-fri" in str(raised.value)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_weekdays_never_raises_anything_but_invalid_setting_error(typed):
    try:
        days = parse_weekdays(typed)
    except InvalidSettingError:
        return
    assert days and days <= ALL_WEEKDAYS


def test_every_set_of_weekdays_reads_back_from_how_it_is_shown():
    for size in range(1, 8):
        for days in combinations(range(7), size):
            assert parse_weekdays(format_weekdays(frozenset(days))) == frozenset(days)


# -- time zone autocomplete -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "a", "America", "/", "e", "zzzz"])
def test_matching_zones_offers_at_most_25_names_each_a_valid_zone(typed):
    found = matching_zones(typed)
    assert len(found) <= 25
    assert all(typed.lower() in name.lower() for name in found)
    assert all(parse_zone(name).key == name for name in found)


def test_matching_zones_puts_the_closest_name_first():
    assert matching_zones("berlin")[0] == "Europe/Berlin"
    assert "America/New_York" in matching_zones("new york")
    assert matching_zones("America/")[0].startswith("America/")
    assert matching_zones("no such zone anywhere") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_matching_zones_never_offers_more_than_discord_allows(typed):
    assert len(matching_zones(typed)) <= 25
