"""Discord misbehaving: rate limits and server errors are retried and the post appears once;
a permanent refusal (no permission, deleted channel) pauses the group with the reason shown to
organisers, and /study resume after the fix posts once; a dropped gateway resumes and both
commands and the daily post carry on."""

from __future__ import annotations

from bot import render
from bot.reading import plans
from tests.e2e.conftest import WINTER_MONDAY, forget_nonces, posts_in, read_button, slash, step, text_of
from tests.helpers import delivery_rows, start_plan

NINE_IN_BERLIN = WINTER_MONDAY.replace(hour=8)
NO_PERMISSION = "The bot lacks permission to post or open threads in the channel."
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38


async def test_rate_limited_post_is_retried_and_appears_once(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.fail_next("POST", "/channels/{channel_id}/messages", status=429, retry_after=0.2, times=2)
    await step(fake, bot, NINE_IN_BERLIN)
    sends = fake.requests_to("POST", f"/channels/{room}/messages")
    assert [r.status for r in sends] == [429, 429, 200]
    assert sends[2].time - sends[0].time >= 0.35  # discord.py waited as told
    assert len(posts_in(fake, room)) == 1 and len(fake.threads_in(room)) == 1
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]


async def test_server_errors_are_retried_and_the_post_appears_once(fake, launch, store):
    """A 500 is retried by discord.py itself; a 503 (which it does not retry) fails the attempt,
    and the next tick finishes the post from where it stopped: one message, one thread."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.fail_next("POST", f"/channels/{room}/messages", status=500)
    fake.fail_next("POST", "/channels/{id}/messages/{id}/threads", status=503)
    await step(fake, bot, NINE_IN_BERLIN)
    assert [r.status for r in fake.requests_to("POST", f"/channels/{room}/messages")] == [500, 200]
    assert len(posts_in(fake, room)) == 1 and fake.threads_in(room) == []
    [delivery] = store.deliveries_of(group.id)
    assert delivery.status == "pending" and delivery.message_id == int(posts_in(fake, room)[0]["id"])

    await step(fake, bot, minutes=1)
    assert [r.status for r in fake.requests_to("POST", "/channels/{id}/messages/{id}/threads")] == [503, 201]
    assert len(fake.requests_to("POST", f"/channels/{room}/messages")) == 2  # no new send
    assert len(posts_in(fake, room)) == 1 and len(fake.threads_in(room)) == 1
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]
    assert store.group_by_id(group.id).next_ordinal == 2


async def test_errors_that_outlast_the_retries_are_tried_again_next_tick(fake, launch, store):
    """An error discord.py does not retry (here a 503) leaves the claim pending; /study status
    says so, and the next tick (the same day) makes the post, once."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.fail_next("POST", f"/channels/{room}/messages", status=503, times=2)
    await step(fake, bot, NINE_IN_BERLIN)
    assert posts_in(fake, room) == []
    [delivery] = store.deliveries_of(group.id)
    assert delivery.status == "pending" and not store.group_by_id(group.id).paused
    status = await slash(fake, room, w.organiser.id, "study", "status")
    assert "Being posted (2024-01-15, attempt 1): Discord was unavailable (HTTP 503); retrying." in text_of(status)

    await step(fake, bot, minutes=1)
    assert posts_in(fake, room) == []
    await step(fake, bot, minutes=1)
    assert len(posts_in(fake, room)) == 1
    assert [r.status for r in fake.requests_to("POST", f"/channels/{room}/messages")] == [503, 503, 200]
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]
    assert store.deliveries_of(group.id)[0].attempts == 3


async def test_lost_permission_pauses_the_group_and_resume_posts_once(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.set_bot_can_send(room, False)
    await step(fake, bot, NINE_IN_BERLIN)
    assert posts_in(fake, room) == []
    paused = store.group_by_id(group.id)
    assert paused.paused and paused.pause_reason == NO_PERMISSION
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "failed")]

    settings = await slash(fake, room, w.organiser.id, "study", "settings")
    shown = {f["name"]: f["value"] for f in settings["embeds"][0]["fields"]}
    assert shown["State"] == f"paused: {NO_PERMISSION}" and shown["Last problem"] == NO_PERMISSION
    status = await slash(fake, room, w.organiser.id, "study", "status")
    assert f"Failed 2024-01-15: {NO_PERMISSION}" in text_of(status)
    progress = await slash(fake, room, w.reader.id, "progress")
    assert f"Paused: {NO_PERMISSION}" in text_of(progress)

    tries = len(fake.requests_to("POST", f"/channels/{room}/messages"))
    await step(fake, bot, minutes=30)
    assert len(fake.requests_to("POST", f"/channels/{room}/messages")) == tries  # paused: no hammering

    fake.set_bot_can_send(room, True)
    resumed = await slash(fake, room, w.organiser.id, "study", "resume")
    assert resumed["content"] == "Resumed."
    await step(fake, bot, minutes=1)
    [post] = posts_in(fake, room)
    assert "passage 1 of 15" in post["embeds"][0]["footer"]["text"]
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]
    assert store.group_by_id(group.id).next_ordinal == 2
    await step(fake, bot, minutes=30)
    assert len(posts_in(fake, room)) == 1


async def test_a_deleted_channel_pauses_its_group_and_spares_the_others(fake, launch, store):
    w = fake.world
    doomed, other = w.reading_room.id, w.general.id
    gone = start_plan(store, w.guild_id, doomed)
    kept = start_plan(store, w.guild_id, other)
    bot = await launch()
    fake.delete_channel(doomed)
    await step(fake, bot, NINE_IN_BERLIN)
    assert len(posts_in(fake, other)) == 1
    group = store.group_by_id(gone.id)
    assert group.paused and group.pause_reason == "The channel was deleted."
    card = render.settings_card(plans.plan_overview(store, group, bot.clock.now()))  # what /study settings shows
    assert ("State", "paused: The channel was deleted.") in card.fields
    assert not store.group_by_id(kept.id).paused

    seen = len(fake.requests)
    await step(fake, bot, minutes=30)
    assert not [r for r in fake.requests[seen:] if str(doomed) in r.path]  # not tried again


async def test_missing_thread_permission_still_posts_and_tells_organisers(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.set_permission_overwrite(room, fake.state.bot_user_id, deny=CREATE_PUBLIC_THREADS)
    await step(fake, bot, NINE_IN_BERLIN)
    assert len(posts_in(fake, room)) == 1 and fake.threads_in(room) == []
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]
    settings = await slash(fake, room, w.organiser.id, "study", "settings")
    assert "Posted without a discussion thread: the bot lacks Create Public Threads." in text_of(settings)


async def test_dropped_gateway_resumes_and_commands_and_posts_carry_on(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    bot = await launch()
    assert (fake.identify_count, fake.resume_count) == (1, 0)

    assert await fake.drop_gateway() == 1
    # Sent while the socket is down: Discord buffers the interaction and replays it on RESUME.
    during = await slash(fake, room, w.reader.id, "texts")
    assert during["embeds"][0]["title"] == "Texts"
    await fake.wait_for(lambda: fake.resume_count == 1 and fake.gateway.live_sessions, 10, "the resume")
    assert fake.identify_count == 1 and fake.gateway.records[-1].path == "/resume"

    after = await slash(fake, room, w.reader.id, "today")
    assert after["content"].startswith("Nothing has been posted yet")
    await step(fake, bot, NINE_IN_BERLIN)
    assert len(posts_in(fake, room)) == 1

    # Cut without a close frame this time, right before the next day's post.
    await fake.drop_gateway(code=None)
    await step(fake, bot, NINE_IN_BERLIN.replace(day=16))
    assert len(posts_in(fake, room)) == 2
    await fake.wait_for(lambda: fake.resume_count == 2 and fake.gateway.live_sessions, 10, "the second resume")
    assert fake.identify_count == 1
    again = await slash(fake, room, w.reader.id, "progress")
    assert "2 of 15 passages posted" in text_of(again)


async def test_a_refused_follow_up_message_does_not_undo_a_post_that_is_out(fake, launch, store):
    """Two passages a post: the first message and its thread are out, then the thread refuses the
    second passage (no Send Messages in Threads). The day's post stands (its button works); the
    organiser is told, and resuming or fixing the permission does not post the day again."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room, pace=2)
    bot = await launch()
    fake.set_permission_overwrite(room, fake.state.bot_user_id, deny=SEND_MESSAGES_IN_THREADS)
    await step(fake, bot, NINE_IN_BERLIN)
    [post] = posts_in(fake, room)
    assert len(fake.threads_in(room)) == 1

    settings = await slash(fake, room, w.organiser.id, "study", "settings")
    shown = {f["name"]: f["value"] for f in settings["embeds"][0]["fields"]}
    assert shown["Last problem"] == f"Posted without passage 2: {NO_PERMISSION}"
    assert shown["State"] == "running"
    # An hour later (Discord has long forgotten the message's nonce) the organiser fixes it.
    await step(fake, bot, minutes=60)
    forget_nonces(fake)
    fake.set_permission_overwrite(room, fake.state.bot_user_id)
    await slash(fake, room, w.organiser.id, "study", "resume")
    await step(fake, bot, minutes=1)
    assert [p["id"] for p in posts_in(fake, room)] == [post["id"]]
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 2, "posted")]
    assert store.group_by_id(group.id).next_ordinal == 3
    click = await fake.click(post, read_button(post)["custom_id"], w.reader.id)
    assert (await click.response(timeout=3))["data"]["content"].startswith("Marked as read: passages 1-2.")


async def test_a_post_discord_rejects_as_malformed_is_given_up_not_retried_for_ever(fake, launch, store):
    """A 400 will not change by asking again: the group is paused with a plain reason."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.fail_next("POST", f"/channels/{room}/messages", status=400, times=1)
    await step(fake, bot, NINE_IN_BERLIN)
    paused = store.group_by_id(group.id)
    assert paused.paused and paused.pause_reason.startswith("Discord refused the post (HTTP 400")
    assert posts_in(fake, room) == []
