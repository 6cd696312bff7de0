"""Reminders on Discord, end to end: /remind, the DM at each member's own hour in their own zone
(two zones at once), once a day across a restart, nothing for a member who never opted in, closed
DMs said once and never tried again, and the organisers' ping role as the only ping there is."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.e2e.conftest import WINTER_MONDAY, SteppingClock, answer_of, posts_in, read_button, slash
from tests.helpers import start_plan

NINE_IN_BERLIN = WINTER_MONDAY.replace(hour=8)


async def tick(fake, bot, to: datetime) -> None:
    """Move the clock once both loops (daily posts, reminders) are asleep, and wait until each
    has run a full tick at the new time."""
    clock = bot.clock
    await fake.wait_for(lambda: clock.sleepers >= 2, 15, "both loops to be asleep")
    posts, reminders = bot.poster.ticks, bot.reminders.ticks
    clock.set(to)
    await fake.wait_for(
        lambda: bot.poster.ticks > posts and bot.reminders.ticks > reminders and clock.sleepers >= 2,
        15,
        f"both loops to tick at {to:%Y-%m-%d %H:%M} UTC",
    )


def dm_texts(fake, user_id: int) -> list[str]:
    return [m["content"] for m in fake.dms_to(user_id)]


async def test_each_member_is_reminded_at_their_hour_once_a_day_and_only_if_they_asked(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)  # 09:00 in Berlin (08:00 UTC)
    tokyo = fake.add_member("tokyo-reader")
    bot = await launch()

    said = await slash(fake, room, w.reader.id, "remind", "at", time="20:00")
    assert said["_ephemeral"] and said["content"].startswith("Reminders at 20:00 Europe/Berlin, daily; the next on Mon")
    said = await slash(fake, room, tokyo, "remind", "at", time="18:00", timezone="Asia/Tokyo")
    assert said["content"].startswith("Reminders at 18:00 Asia/Tokyo, daily")
    # The DM channels are opened when asked, so that a reminder is one request.
    await fake.wait_for(lambda: len(fake.requests_to("POST", "/users/@me/channels")) == 2, 5, "two DM channels")
    opened = {int(r.json["recipient_id"]) for r in fake.requests_to("POST", "/users/@me/channels")}
    assert opened == {w.reader.id, tokyo}

    await tick(fake, bot, NINE_IN_BERLIN)
    [post] = posts_in(fake, room)
    await tick(fake, bot, WINTER_MONDAY.replace(hour=8, minute=59))  # 17:59 in Tokyo
    assert dm_texts(fake, tokyo) == []
    await tick(fake, bot, WINTER_MONDAY.replace(hour=9))  # 18:00 in Tokyo
    [reminder] = dm_texts(fake, tokyo)
    assert "The Soviet Thermidor" in reminder and "passage 1 of 15" in reminder
    assert f"https://discord.com/channels/{w.guild_id}/{room}/{post['id']}" in reminder
    assert dm_texts(fake, w.reader.id) == []
    await tick(fake, bot, WINTER_MONDAY.replace(hour=18, minute=59))
    assert dm_texts(fake, w.reader.id) == []
    await tick(fake, bot, WINTER_MONDAY.replace(hour=19))  # 20:00 in Berlin
    assert len(dm_texts(fake, w.reader.id)) == 1

    # A restart at 19:30: nobody gets a second reminder that day.
    await bot.close()
    bot = await launch(store.path, SteppingClock(WINTER_MONDAY.replace(hour=19, minute=30)))
    await tick(fake, bot, WINTER_MONDAY.replace(hour=22))
    assert (len(dm_texts(fake, w.reader.id)), len(dm_texts(fake, tokyo))) == (1, 1)

    # Tuesday: the reader reads the post at once; only the Tokyo member is reminded.
    tuesday = WINTER_MONDAY + timedelta(days=1)
    await tick(fake, bot, tuesday.replace(hour=8))
    second = posts_in(fake, room)[-1]
    click = await fake.click(second, read_button(second)["custom_id"], w.reader.id)
    await click.response(timeout=3)
    await tick(fake, bot, tuesday.replace(hour=9))
    await tick(fake, bot, tuesday.replace(hour=19))
    assert (len(dm_texts(fake, w.reader.id)), len(dm_texts(fake, tokyo))) == (1, 2)
    assert "passage 2 of 15" in dm_texts(fake, tokyo)[1]

    # Nobody else heard anything: no DM channel, no message.
    for member in (w.organiser.id, w.owner.id):
        assert dm_texts(fake, member) == []
    assert [r.user_id for r in store.reminders_of(group.id, w.organiser.id)] == []


async def test_closed_dms_are_said_once_and_not_tried_again(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    bot = await launch()
    await slash(fake, room, w.reader.id, "remind", "at", time="20:00")
    fake.close_dms(w.reader.id)
    await tick(fake, bot, NINE_IN_BERLIN)
    await tick(fake, bot, WINTER_MONDAY.replace(hour=19))
    refused = [r for r in fake.requests if r.route == "/channels/{channel_id}/messages" and r.status == 403]
    assert len(refused) == 1 and dm_texts(fake, w.reader.id) == []

    today = await slash(fake, room, w.reader.id, "today")
    assert today["embeds"]  # the answer, then the note
    note = await today["_handle"].followup(0)
    assert note["content"].startswith("I could not send you your reading reminder: your direct messages are closed")
    assert note["flags"] & 64  # only they see it
    again = await slash(fake, room, w.reader.id, "progress")
    assert again["_handle"].followup_ids == []  # said once

    await tick(fake, bot, WINTER_MONDAY.replace(hour=19) + timedelta(days=1))
    refused_after = [r for r in fake.requests if r.route == "/channels/{channel_id}/messages" and r.status == 403]
    assert len(refused_after) == 1  # not tried again


async def test_the_daily_post_mentions_the_organisers_role_and_nobody_else(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    readers = fake.add_role("Readers", 0)
    bot = await launch()
    refused = await slash(fake, room, w.organiser.id, "study", "settings", ping_role=w.everyone)
    assert "will not ping @everyone" in refused["content"]
    handle = await fake.invoke_slash(  # an admin override shows /study to a member: the bot still refuses
        w.guild_id, room, w.reader.id, "study", {"ping_role": readers}, "settings", bypass_permissions=True
    )
    member = await answer_of(fake, handle)
    assert member["_ephemeral"] and member["content"].startswith("Only organisers")

    changed = await slash(fake, room, w.organiser.id, "study", "settings", ping_role=readers)
    assert not changed["_ephemeral"] and changed["content"] == "Settings changed."
    assert f"<@&{readers.id}>" in str(changed["embeds"]) and changed["mention_roles"] == []  # said, not pinged

    await tick(fake, bot, NINE_IN_BERLIN)
    [post] = posts_in(fake, room)
    assert post["content"] == f"<@&{readers.id}>"
    assert (post["mention_roles"], post["mentions"], post["mention_everyone"]) == ([str(readers.id)], [], False)
    [request] = [r for r in fake.requests_to("POST", f"/channels/{room}/messages") if r.json.get("content")]
    assert request.json["allowed_mentions"] == {"parse": [], "roles": [readers.id]}

    await slash(fake, room, w.organiser.id, "study", "settings", ping_off=True)
    await tick(fake, bot, NINE_IN_BERLIN + timedelta(days=1))
    second = posts_in(fake, room)[-1]
    assert not second.get("content") and second["mention_roles"] == []
