"""Commands under a burst: hundreds of members pressing Mark as read as a post lands, some of them
searching meanwhile. Every press is answered once and recorded once, whether the database was
free (answered on the event loop's own connection) or busy with another writer (answered on the
thread for cheap commands, once the writer is done). The speed is bench/command_burst.py's."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections import Counter

from bot.adapter.offload import CORE_THREADS, off_loop
from tests.e2e.conftest import WINTER_MONDAY, answer_of, posts_in, read_button, step
from tests.helpers import start_plan

PRESSES = 200


async def posted(fake, launch, store):
    w = fake.world
    group = start_plan(store, w.guild_id, w.reading_room.id)
    bot = await launch()
    await step(fake, bot, WINTER_MONDAY.replace(hour=8))
    [post] = posts_in(fake, w.reading_room.id)
    return bot, group, post, read_button(post)["custom_id"]


def callbacks_per_interaction(fake) -> Counter:
    return Counter(
        r.path.split("/")[2] for r in fake.requests if r.route == "/interactions/{interaction_id}/{token}/callback"
    )


async def test_two_hundred_presses_at_once_record_two_hundred_reads_each_answered_once(fake, launch, store):
    bot, group, post, custom_id = await posted(fake, launch, store)
    members = [fake.add_member(f"member{i}") for i in range(PRESSES)]
    spent = bot.budget.spent

    presses = [await fake.click(post, custom_id, member) for member in members]  # all in one turn of the loop
    answers = await asyncio.gather(*(answer_of(fake, press, timeout=10) for press in presses))

    assert all(a["content"] == "Marked as read: passage 1. Your streak: 1 day." and a["_ephemeral"] for a in answers)
    assert store.readers(group.id) == {member: 1 for member in members}
    answered = callbacks_per_interaction(fake)
    assert [answered[str(press.id)] for press in presses] == [1] * PRESSES
    assert all(press.followup_ids == [] for press in presses)
    assert bot.budget.spent == spent  # answers to interactions do not wait for the request budget

    again = await fake.click(post, custom_id, members[0])
    assert (await answer_of(fake, again))["content"].startswith("Already marked as read: passage 1.")
    assert store.readers(group.id)[members[0]] == 1


async def test_presses_amid_searches_are_each_answered_and_recorded_once(fake, launch, store):
    bot, group, post, custom_id = await posted(fake, launch, store)
    room = fake.world.reading_room.id
    members = [fake.add_member(f"member{i}") for i in range(PRESSES)]
    handles, readers = [], []
    for i, member in enumerate(members):
        if i % 4 == 3:
            name, options = ("search", {"query": "bureaucracy"}) if i % 8 == 3 else ("today", {})
            handles.append(await fake.invoke_slash(fake.world.guild_id, room, member, name, options))
        else:
            handles.append(await fake.click(post, custom_id, member))
            readers.append(member)

    answers = await asyncio.gather(*(answer_of(fake, h, timeout=10) for h in handles))

    assert store.readers(group.id) == {member: 1 for member in readers}
    answered = callbacks_per_interaction(fake)
    assert [answered[str(h.id)] for h in handles] == [1] * PRESSES
    for i, answer in enumerate(answers):
        if i % 8 == 3:
            assert "bureaucracy" in str(answer["embeds"]).lower()
        elif i % 4 == 3:
            assert answer["embeds"] and "passage 1 of" in answer["embeds"][0]["footer"]["text"]
        else:
            assert answer["content"].startswith("Marked as read: passage 1.")


async def test_a_press_while_another_writer_holds_the_database_is_answered_when_it_is_done(fake, launch, store):
    bot, group, post, custom_id = await posted(fake, launch, store)
    reader = fake.world.reader.id
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # as a long write would (storing a large text)
    try:
        press = await fake.click(post, custom_id, reader)
        await asyncio.sleep(0.3)  # the press meets the held database (not through `store`: the bot's, waiting)
        assert writer.execute("SELECT count(*) FROM reads").fetchone()[0] == 0
    finally:
        writer.execute("COMMIT")
        writer.close()

    answer = await answer_of(fake, press)
    assert answer["content"] == "Marked as read: passage 1. Your streak: 1 day."
    assert store.readers(group.id) == {reader: 1}
    assert callbacks_per_interaction(fake)[str(press.id)] == 1


async def test_while_every_core_thread_is_taken_commands_are_acknowledged_and_presses_answered_at_once(
    fake, launch, store
):
    bot, group, post, custom_id = await posted(fake, launch, store)
    w = fake.world
    release = threading.Event()
    taken = [asyncio.ensure_future(off_loop(release.wait)) for _ in range(CORE_THREADS)]  # long searches, say
    await asyncio.sleep(0.05)
    try:
        today = await fake.invoke_slash(w.guild_id, w.reading_room.id, w.reader.id, "today")
        press = await fake.click(post, custom_id, w.organiser.id)
        await today.response(timeout=3)
        assert today.response_type == 5  # "thinking...": acknowledged, to be answered in its turn
        assert (await press.response(timeout=3))["data"]["content"].startswith("Marked as read: passage 1.")
        assert store.readers(group.id) == {w.organiser.id: 1}
    finally:
        release.set()
        await asyncio.gather(*taken)
    answer = await answer_of(fake, today)
    assert "passage 1 of" in answer["embeds"][0]["footer"]["text"]
