"""A catch-up that forgives, on Discord: /catchup keeps its list and offers Catch me up; the pages
are private, one post each with Mark as read, Next and the group's thread; the member's pace
holds across a restart and the group's plan does not move."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import WINTER_MONDAY, SteppingClock, components_of, posts_in, slash, text_of
from tests.e2e.test_bot_reminders import tick
from tests.helpers import start_plan


def button(message: dict, label: str) -> dict:
    return next(c for c in components_of(message) if c.get("label", "").startswith(label))


async def press(fake, message: dict, label: str, user_id: int) -> tuple[dict, object]:
    """Click a button; returns (what the member sees after, the interaction)."""
    handle = await fake.click(message, button(message, label)["custom_id"], user_id)
    await handle.response(timeout=3)
    if handle.response_type == 7:  # the page turned in place
        return fake.message(message["id"]), handle
    return handle.original or handle.response_data, handle


async def test_catch_me_up_pages_privately_at_the_members_pace_across_a_restart(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    for day in range(4):  # Monday to Thursday: four posts the reader has not read
        await tick(fake, bot, WINTER_MONDAY.replace(hour=8) + timedelta(days=day))
    posts = posts_in(fake, room)
    threads = {t["id"] for t in fake.threads_in(room)}
    await tick(fake, bot, WINTER_MONDAY.replace(hour=12) + timedelta(days=3))

    listed = await slash(fake, room, w.reader.id, "catchup")
    assert listed["_ephemeral"] and "To catch up" in text_of(listed) and "passage 4" in text_of(listed)
    page, _ = await press(fake, listed, "Catch me up (2 a day)", w.reader.id)
    assert page["flags"] & 64  # private
    [card] = page["embeds"]
    assert card["title"].startswith("Catch-up, day 1 · 1 of 2 today")
    assert len(card["description"]) > 500  # the passage itself, to read here
    [discussion] = card["fields"]
    assert f"/{w.guild_id}/{posts[0]['id']})" in discussion["value"] and posts[0]["id"] in threads
    assert "you reach the group on Sat 20 Jan" in card["footer"]["text"]

    marked, _ = await press(fake, page, "Mark as read", w.reader.id)
    assert marked["content"].startswith("Marked as read: passage 1.")
    page, _ = await press(fake, page, "Next", w.reader.id)
    assert page["embeds"][0]["title"].startswith("Catch-up, day 1 · 1 of 1 today")  # one left today
    assert f"/{posts[1]['id']})" in page["embeds"][0]["fields"][0]["value"]
    await press(fake, page, "Mark as read", w.reader.id)
    page, _ = await press(fake, page, "Next", w.reader.id)
    assert page["embeds"][0]["title"] == "That is today's catch-up"
    assert store.group_by_id(group.id).next_ordinal == 5  # the group's plan has not moved

    # A restart, then Friday: the pace is kept; today's portion is the next two.
    await bot.close()
    friday = WINTER_MONDAY + timedelta(days=4)
    bot = await launch(store.path, SteppingClock(friday.replace(hour=7)))
    await tick(fake, bot, friday.replace(hour=12))
    again = await slash(fake, room, w.reader.id, "catchup")
    assert again["content"].startswith("Catching up at 2 passages a day (day 2): 3 passages behind")
    page, _ = await press(fake, again, "Today's catch-up", w.reader.id)
    assert page["embeds"][0]["title"].startswith("Catch-up, day 2 · 1 of 2 today")
    assert f"/{posts[2]['id']})" in page["embeds"][0]["fields"][0]["value"]


async def test_a_member_with_nothing_to_catch_up_gets_no_button(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    await launch()
    listed = await slash(fake, room, w.reader.id, "catchup")
    assert listed["embeds"][0]["title"] == "All caught up" and components_of(listed) == []
