"""Streaks on Discord: writing in a post's thread counts, seen from the message event without its
content (the bot asks for no message content); /progress shows the streak; the leaderboard is
off until an organiser turns it on, and then names members without pinging them."""

from __future__ import annotations

from tests.e2e.conftest import WINTER_MONDAY, posts_in, slash, text_of
from tests.e2e.test_bot_reminders import tick
from tests.fake_discord.gateway import GUILD_MESSAGES, MESSAGE_CONTENT
from tests.helpers import start_plan


async def test_a_message_in_the_posts_thread_counts_for_the_streak_without_its_content(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    [session] = fake.gateway.live_sessions
    assert session.intents & GUILD_MESSAGES and not session.intents & MESSAGE_CONTENT

    await tick(fake, bot, WINTER_MONDAY.replace(hour=8))
    [post] = posts_in(fake, room)
    before = await slash(fake, room, w.reader.id, "progress")
    assert "streak 0 days" in text_of(before)
    await fake.send_user_message(int(post["id"]), w.reader.id, "Is Trotsky fair to the bureaucracy here?")
    await fake.wait_for(lambda: store.thread_post_times(group.id, w.reader.id), 5, "the thread post to count")
    await fake.send_user_message(room, w.organiser.id, "not in a thread: does not count")
    after = await slash(fake, room, w.reader.id, "progress")
    assert "streak 1 day." in text_of(after)
    assert store.thread_post_times(group.id, w.organiser.id) == {}


async def test_the_leaderboard_is_off_until_an_organiser_turns_it_on(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    bot = await launch()
    await tick(fake, bot, WINTER_MONDAY.replace(hour=8))
    [post] = posts_in(fake, room)
    click = await fake.click(post, post["components"][0]["components"][0]["custom_id"], w.reader.id)
    await click.response(timeout=3)

    off = await slash(fake, room, w.reader.id, "progress", board=True)
    assert off["_ephemeral"] and "shows no leaderboard" in off["content"]
    turned = await slash(fake, room, w.organiser.id, "study", "settings", leaderboard=True)
    assert ["Streak leaderboard", "shown with /progress board"] in [
        [f["name"], f["value"]] for f in turned["embeds"][0]["fields"]
    ]
    board = await slash(fake, room, w.reader.id, "progress", board=True)
    assert not board["_ephemeral"] and f"1. <@{w.reader.id}>: 1 day" in text_of(board)
    assert board["mentions"] == []  # named, not pinged
