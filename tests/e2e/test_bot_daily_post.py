"""The daily post, driven by the ManualClock: it appears at the group's local time and not
before, as an embed with its questions, a Mark-as-read button and a public thread; time zones
and daylight saving are honoured; the button records reads."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.e2e.conftest import (
    READ_PREFIX,
    SUMMER_MONDAY,
    WINTER_MONDAY,
    components_of,
    posts_in,
    read_button,
    slash,
    step,
    text_of,
)
from tests.helpers import delivery_rows, start_plan

THERMIDOR = "The Soviet Thermidor (The Revolution Betrayed, chapter 5)"


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


async def test_post_appears_at_the_local_time_with_questions_button_and_thread(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    bot = await launch()
    started = await slash(
        fake, room, w.organiser.id, "study", "start", text="thermidor", time="09:00", timezone="Europe/Berlin"
    )
    assert started["content"] == "The reading plan is set."
    group = store.group_for_channel(room)

    await step(fake, bot, at(WINTER_MONDAY, 7, 59))  # 08:59 in Berlin
    assert posts_in(fake, room) == [] and delivery_rows(store, group.id) == []
    assert fake.requests_to("POST", f"/channels/{room}/messages") == []

    await step(fake, bot, at(WINTER_MONDAY, 8, 0))  # 09:00 in Berlin
    [post] = posts_in(fake, room)
    [passage, questions] = post["embeds"]
    assert passage["title"] == THERMIDOR
    assert passage["footer"]["text"] == ("Leon Trotsky · passage 1 of 15 · 7% of the plan · Mon 15 Jan 2024")
    assert len(passage["description"]) > 500
    assert questions["title"] == "For discussion"
    numbered = questions["description"].splitlines()
    assert 2 <= len(numbered) <= 4 and all(re.match(rf"{i}\. \S", q) for i, q in enumerate(numbered, 1))

    [button, suggest] = components_of(post)
    [delivery] = store.deliveries_of(group.id)
    assert (button["label"], button["custom_id"], button["style"]) == ("Mark as read", f"{READ_PREFIX}{delivery.id}", 3)
    assert (suggest["label"], suggest["custom_id"]) == ("Suggest a question", f"studybot:suggest:{delivery.id}")
    assert list(delivery.questions) == [q.split(". ", 1)[1] for q in numbered]  # kept as posted
    [thread] = fake.threads_in(room)
    assert thread["id"] == post["id"] and thread["type"] == 11  # a public thread on the post
    assert thread["name"] == f"15 Jan: passage 1 · {THERMIDOR}"[:100]
    assert (delivery.status, delivery.message_id, delivery.thread_id, delivery.attempts) == (
        "posted",
        int(post["id"]),
        int(thread["id"]),
        1,
    )
    assert store.group_by_id(group.id).next_ordinal == 2

    # The rest of the day: no second post. /today shows it.
    for _ in range(3):
        await step(fake, bot, minutes=90)
    assert len(posts_in(fake, room)) == 1
    today = await slash(fake, room, w.reader.id, "today")
    assert today["embeds"][0]["footer"]["text"] == passage["footer"]["text"]

    # The next morning: passage 2, in a new thread.
    await step(fake, bot, at(WINTER_MONDAY + timedelta(days=1), 7, 59))
    assert len(posts_in(fake, room)) == 1
    await step(fake, bot, at(WINTER_MONDAY + timedelta(days=1), 8, 0))
    first, second = posts_in(fake, room)
    assert "passage 2 of 15" in second["embeds"][0]["footer"]["text"]
    assert len(fake.threads_in(room)) == 2
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted"), ("2024-01-16", 2, 2, "posted")]


async def test_berlin_nine_oclock_is_eight_utc_in_winter_and_seven_in_summer(fake, launch, store, clock):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room, time="09:00", zone="Europe/Berlin")
    bot = await launch()

    await step(fake, bot, at(WINTER_MONDAY, 7, 59))
    assert posts_in(fake, room) == []
    await step(fake, bot, at(WINTER_MONDAY, 8, 0))
    assert len(posts_in(fake, room)) == 1

    clock.set(at(SUMMER_MONDAY, 5, 0))  # months later; the bot was idle (missed days are not back-filled)
    await step(fake, bot, at(SUMMER_MONDAY, 6, 59))
    assert len(posts_in(fake, room)) == 1
    await step(fake, bot, at(SUMMER_MONDAY, 7, 0))
    posts = posts_in(fake, room)
    assert len(posts) == 2
    assert posts[1]["embeds"][0]["footer"]["text"].endswith("Mon 15 Jul 2024")
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted"), ("2024-07-15", 2, 2, "posted")]
    posted_at = [d.posted_at.isoformat() for d in store.deliveries_of(group.id) if d.posted_at]
    assert posted_at == ["2024-01-15T08:00:00+00:00", "2024-07-15T07:00:00+00:00"]


async def test_groups_in_other_zones_weekdays_and_paces(fake, launch, store):
    """Three groups: New York at 07:30 (12:30 UTC in January), weekends only, and Tokyo at 10:00
    (01:00 UTC) with two passages a post (the second goes in the thread)."""
    w = fake.world
    new_york, weekends, double = (fake.add_text_channel(n).id for n in ("ny", "weekends", "double"))
    start_plan(store, w.guild_id, new_york, time="07:30", zone="America/New_York")
    start_plan(store, w.guild_id, weekends, time="06:00", zone="UTC", weekdays="sat,sun")
    start_plan(store, w.guild_id, double, time="10:00", zone="Asia/Tokyo", pace=2, text="mandel")  # 01:00 UTC
    bot = await launch()  # Monday 07:00 UTC: 16:00 in Tokyo, past its 10:00, so that post is made now
    assert [len(posts_in(fake, c)) for c in (new_york, weekends, double)] == [0, 0, 1]
    [post] = posts_in(fake, double)
    assert "passage 1 of 18" in post["embeds"][0]["footer"]["text"]
    [thread] = fake.threads_in(double)
    assert thread["name"].startswith("15 Jan: passages 1-2 · ")
    [more] = fake.messages(int(thread["id"]))  # a pace of two: the second passage is in the thread
    assert "passage 2 of 18" in more["embeds"][0]["footer"]["text"] and read_button(more) is None
    assert store.group_for_channel(double).next_ordinal == 3

    await step(fake, bot, at(WINTER_MONDAY, 12, 29))
    assert [len(posts_in(fake, c)) for c in (new_york, weekends, double)] == [0, 0, 1]
    await step(fake, bot, at(WINTER_MONDAY, 12, 30))
    assert [len(posts_in(fake, c)) for c in (new_york, weekends, double)] == [1, 0, 1]

    await step(fake, bot, at(WINTER_MONDAY + timedelta(days=1), 0, 59))  # 09:59 Tuesday in Tokyo
    assert len(posts_in(fake, double)) == 1
    await step(fake, bot, at(WINTER_MONDAY + timedelta(days=1), 1, 0))
    assert "passage 3 of 18" in posts_in(fake, double)[1]["embeds"][0]["footer"]["text"]
    assert store.group_for_channel(double).next_ordinal == 5

    saturday = WINTER_MONDAY + timedelta(days=5)
    await step(fake, bot, at(saturday, 5, 59))
    assert posts_in(fake, weekends) == []
    await step(fake, bot, at(saturday, 6, 0))
    assert len(posts_in(fake, weekends)) == 1


async def test_mark_as_read_records_the_read(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    await step(fake, bot, at(WINTER_MONDAY, 8, 0))
    [post] = posts_in(fake, room)
    custom_id = read_button(post)["custom_id"]

    click = await fake.click(post, custom_id, w.reader.id)
    answer = (await click.response(timeout=3))["data"]
    assert answer["flags"] & 64 and answer["content"] == "Marked as read: passage 1. Your streak: 1 day."
    assert store.read_ordinals(group.id, w.reader.id) == {1}
    again = await fake.click(post, custom_id, w.reader.id)
    assert (await again.response(timeout=3))["data"]["content"].startswith("Already marked as read: passage 1.")
    assert store.readers(group.id) == {w.reader.id: 1}

    progress = await slash(fake, room, w.reader.id, "progress")
    assert "Read 1 of 1 posted passages; streak 1 day." in text_of(progress)
    catchup = await slash(fake, room, w.organiser.id, "catchup")
    link = f"https://discord.com/channels/{w.guild_id}/{room}/{post['id']}"
    assert link in catchup["embeds"][0]["description"]  # the organiser has not read it yet
