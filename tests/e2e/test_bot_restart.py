"""Restarts: the Mark-as-read button keeps working for a new bot on the same database, and a bot
that dies in the middle of a post (or loses Discord's answer) never posts twice when it comes
back: exactly one post message in the channel, one thread, and the plan advanced once.

A crash is modelled by raising `Crash` (a BaseException, so nothing in the bot catches it) from
the store or the core at the chosen moment: the daily-post task dies there, with nothing more
written, as in a killed process. The bot is then closed and a new `StudyBot` is started on a
new connection to the same SQLite file. The fake is made to forget message nonces first, so
that only the bot's own bookkeeping stands between a restart and a second post.
"""

from __future__ import annotations

from datetime import timedelta

from bot.reading import posting
from tests.e2e.conftest import WINTER_MONDAY, SteppingClock, forget_nonces, posts_in, read_button, slash, step, text_of
from tests.helpers import delivery_rows, start_plan

NINE_IN_BERLIN = WINTER_MONDAY.replace(hour=8)


class Crash(BaseException):
    """The process dies here."""


def crash_once(target, name: str, monkeypatch) -> list:
    """Make `target.name` raise Crash on its first call, then work again."""
    real, calls = getattr(target, name), []

    def once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise Crash(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, once)
    return calls


async def crash_and_restart(fake, bot, launch, store, at):
    """Wait for the daily-post task to die, close the bot, and start a new one on the file."""
    await fake.wait_for(lambda: bot._poster_task.done(), 10, "the daily-post task to die")
    assert isinstance(bot._poster_task.exception(), Crash)
    await bot.close()
    forget_nonces(fake)
    return await launch(store.path, SteppingClock(at))


async def test_read_button_works_after_the_bot_restarts(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    first = await launch()
    await step(fake, first, NINE_IN_BERLIN)
    [post] = posts_in(fake, room)
    custom_id = read_button(post)["custom_id"]
    click = await fake.click(post, custom_id, w.reader.id)
    assert (await click.response(timeout=3))["data"]["content"].startswith("Marked as read: passage 1.")
    await first.close()

    second = await launch(store.path, SteppingClock(NINE_IN_BERLIN + timedelta(hours=2)))
    assert second is not first and second.store is not store
    click = await fake.click(post, custom_id, w.organiser.id)  # the same message, posted by the first bot
    assert (await click.response(timeout=3))["data"]["content"].startswith("Marked as read: passage 1.")
    again = await fake.click(post, custom_id, w.reader.id)
    assert (await again.response(timeout=3))["data"]["content"].startswith("Already marked as read: passage 1.")
    assert store.readers(group.id) == {w.reader.id: 1, w.organiser.id: 1}
    progress = await slash(fake, room, w.organiser.id, "progress")
    assert "Read 1 of 1 posted passages" in text_of(progress)


async def test_crash_between_send_and_record_then_restart_posts_once(fake, launch, store, monkeypatch):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    crash_once(store, "record_message", monkeypatch)  # the message is out; the store never hears of it
    bot.clock.set(NINE_IN_BERLIN)
    restarted = await crash_and_restart(fake, bot, launch, store, NINE_IN_BERLIN + timedelta(minutes=3))
    await fake.wait_for(lambda: store.deliveries_of(group.id, "posted"), 10, "the post to be recorded")

    [post] = posts_in(fake, room)
    assert len(fake.requests_to("POST", f"/channels/{room}/messages")) == 1  # found, not sent again
    assert fake.requests_to("GET", f"/channels/{room}/messages")  # by looking at the channel
    [delivery] = store.deliveries_of(group.id)
    assert (delivery.status, delivery.message_id, delivery.attempts) == ("posted", int(post["id"]), 2)
    assert [t["id"] for t in fake.threads_in(room)] == [post["id"]]
    assert store.group_by_id(group.id).next_ordinal == 2

    await step(fake, restarted, minutes=30)
    assert len(posts_in(fake, room)) == 1


async def test_crash_after_the_thread_before_completing_makes_nothing_twice(fake, launch, store, monkeypatch):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    crash_once(posting, "complete", monkeypatch)  # message and thread made, the post not recorded as made
    bot.clock.set(NINE_IN_BERLIN)
    await crash_and_restart(fake, bot, launch, store, NINE_IN_BERLIN + timedelta(minutes=1))
    await fake.wait_for(lambda: store.deliveries_of(group.id, "posted"), 10, "the post to be recorded")

    [post] = posts_in(fake, room)
    assert len(fake.requests_to("POST", "/channels/{id}/messages")) == 1
    assert len(fake.requests_to("POST", "/channels/{id}/messages/{id}/threads")) == 1
    assert fake.requests_to("GET", f"/channels/{room}/messages/{post['id']}")  # fetched by its recorded id
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]
    assert store.deliveries_of(group.id)[0].thread_id == int(post["id"])
    assert store.group_by_id(group.id).next_ordinal == 2


async def test_lost_response_then_restart_posts_once(fake, launch, store):
    """Discord creates the message but the bot gets an error back: it keeps the claim pending.
    A new bot (after Discord has forgotten the nonce) finds the message instead of resending."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    lost = fake.fail_next("POST", f"/channels/{room}/messages", status=503, after=True)
    await step(fake, bot, NINE_IN_BERLIN)
    assert lost.hits == 1 and len(fake.messages(room)) == 1
    [delivery] = store.deliveries_of(group.id)
    assert (delivery.status, delivery.attempts) == ("pending", 1) and "503" in delivery.error

    await bot.close()
    forget_nonces(fake)
    await launch(store.path, SteppingClock(NINE_IN_BERLIN + timedelta(minutes=5)))
    await fake.wait_for(lambda: store.deliveries_of(group.id, "posted"), 10, "the post to be recorded")
    assert len(posts_in(fake, room)) == 1
    assert len(fake.requests_to("POST", f"/channels/{room}/messages")) == 1
    assert len(fake.threads_in(room)) == 1
    assert store.group_by_id(group.id).next_ordinal == 2


async def test_lost_response_is_retried_with_the_same_nonce(fake, launch, store):
    """A 502 after the write: discord.py retries the same request; its nonce makes Discord
    return the message already made instead of a second one."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    fake.fail_next("POST", f"/channels/{room}/messages", status=502, after=True)
    await step(fake, bot, NINE_IN_BERLIN)
    sends = fake.requests_to("POST", f"/channels/{room}/messages")
    assert [r.status for r in sends] == [502, 200]
    assert sends[0].json["nonce"] == sends[1].json["nonce"] and sends[0].json["enforce_nonce"] is True
    assert len(posts_in(fake, room)) == 1
    assert delivery_rows(store, group.id) == [("2024-01-15", 1, 1, "posted")]


async def test_crash_then_down_until_the_next_day_posts_the_passage_once(fake, launch, store, monkeypatch):
    """The claim a crash left pending is carried over to the day the bot comes back: its message
    is found, not sent again, and passage 2 waits for the next morning."""
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()
    crash_once(store, "record_message", monkeypatch)
    bot.clock.set(NINE_IN_BERLIN)
    restarted = await crash_and_restart(fake, bot, launch, store, NINE_IN_BERLIN + timedelta(days=1, hours=3))
    await fake.wait_for(lambda: store.deliveries_of(group.id, "posted"), 10, "a post to be recorded")
    [post] = posts_in(fake, room)
    assert "passage 1 of 15" in post["embeds"][0]["footer"]["text"]
    assert len(fake.requests_to("POST", f"/channels/{room}/messages")) == 1
    assert store.group_by_id(group.id).next_ordinal == 2
    assert [(d.first_ordinal, d.status) for d in store.deliveries_of(group.id)] == [(1, "posted")]

    await step(fake, restarted, NINE_IN_BERLIN + timedelta(days=2))
    assert ["passage 1 of 15" in p["embeds"][0]["footer"]["text"] for p in posts_in(fake, room)] == [True, False]
