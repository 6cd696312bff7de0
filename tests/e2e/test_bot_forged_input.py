"""Input the bot did not make itself: a /progress option naming someone outside the server, and
"Mark as read" buttons carrying ids the bot never gave out (copied into another channel by
another app, or too large for SQLite). Each gets one private sentence; nothing is recorded."""

from __future__ import annotations

from tests.e2e.conftest import WINTER_MONDAY, posts_in, read_button, slash, start_plan, step, text_of
from tests.e2e.test_bot_refusals import one_sentence


async def test_progress_of_someone_not_in_the_server_says_so(fake, launch, store):
    w = fake.world
    start_plan(store, w.guild_id, w.reading_room.id)
    await launch()
    visitor = fake.add_user("visitor")
    answer = await slash(fake, w.reading_room.id, w.reader.id, "progress", member=visitor)
    assert one_sentence(answer) == "visitor is not a member of this server."
    about = await slash(fake, w.reading_room.id, w.reader.id, "progress", member=w.organiser.id)
    assert "For organiser" in text_of(about)  # a member still works


async def a_post_and_a_copy_of_its_button(fake, launch, store, custom_id=None):
    """The day's post in #reading-room, and a message by another app in #general carrying a
    button with the post's custom id (or `custom_id`)."""
    w = fake.world
    group = start_plan(store, w.guild_id, w.reading_room.id)
    bot = await launch()
    await step(fake, bot, WINTER_MONDAY.replace(hour=8))
    [post] = posts_in(fake, w.reading_room.id)
    other_app = fake.add_member("other-app")
    button = {"type": 2, "style": 3, "label": "Mark as read", "custom_id": custom_id or read_button(post)["custom_id"]}
    copy = await fake.send_user_message(
        w.general.id, other_app, "Click me", components=[{"type": 1, "components": [button]}]
    )
    return group, copy, button["custom_id"]


async def test_a_read_button_copied_into_another_channel_marks_nothing(fake, launch, store):
    group, copy, custom_id = await a_post_and_a_copy_of_its_button(fake, launch, store)
    click = await fake.click(copy, custom_id, fake.world.reader.id)
    answer = (await click.response(timeout=3))["data"]
    assert answer["flags"] & 64
    assert answer["content"] == "This button belongs to a post in another channel; mark it as read there."
    assert store.readers(group.id) == {}


async def test_a_read_button_with_an_id_too_large_for_sqlite_is_refused(fake, launch, store):
    group, copy, custom_id = await a_post_and_a_copy_of_its_button(
        fake, launch, store, custom_id="studybot:read:99999999999999999999999"
    )
    click = await fake.click(copy, custom_id, fake.world.reader.id)
    answer = (await click.response(timeout=3))["data"]
    assert answer["flags"] & 64 and answer["content"] == "This post is no longer part of a reading plan."
    assert store.readers(group.id) == {}
