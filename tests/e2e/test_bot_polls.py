"""Polls for the next text, on Discord: refused until the plan's last week, then a native poll of
the library; members vote; Start the winner (organisers only, and after a restart) ends the plan
and starts the most voted text on the same schedule."""

from __future__ import annotations

from tests.e2e.conftest import WINTER_MONDAY, SteppingClock, answer_of, components_of, slash
from tests.helpers import start_plan


async def test_the_group_votes_and_the_organiser_starts_the_winner(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)  # Thermidor: 15 passages, none posted
    bot = await launch()
    early = await slash(fake, room, w.organiser.id, "study", "poll")
    assert early["_ephemeral"] and early["content"].startswith("The plan has 15 posts to go")

    group = store.group_for_channel(room)
    store.update_group(group.id, next_ordinal=12)  # four posts to go
    opened = await slash(fake, room, w.organiser.id, "study", "poll")
    assert opened["_ephemeral"] and opened["content"].startswith("The poll is open for 48 hours")
    [poll_message] = [m for m in fake.messages(room) if m.get("poll")]
    poll = poll_message["poll"]
    assert poll["question"]["text"] == "What should we read next?"
    labels = [a["poll_media"]["text"] for a in poll["answers"]]
    assert len(labels) == 4 and not any("Thermidor" in label for label in labels) and all(len(x) <= 55 for x in labels)
    mandel = next(a["answer_id"] for a in poll["answers"] if "Mandel" in a["poll_media"]["text"])
    for voter in (w.reader.id, w.owner.id):
        fake.vote(poll_message, voter, mandel)
    fake.vote(poll_message, w.organiser.id, 1 if mandel != 1 else 2)

    [winner] = components_of(poll_message)
    refused = await fake.click(poll_message, winner["custom_id"], w.reader.id)
    assert (await answer_of(fake, refused))["content"].startswith("Only organisers")

    await bot.close()  # the button works after a restart
    bot = await launch(store.path, SteppingClock(WINTER_MONDAY.replace(hour=7, minute=30)))
    chosen = await answer_of(fake, await fake.click(poll_message, winner["custom_id"], w.organiser.id))
    assert not chosen["_ephemeral"] and chosen["content"].startswith(
        "The group chose Liebman and Leninism (3 votes cast)"
    )
    new = store.group_for_channel(room)
    assert new.id != group.id and store.get_text(new.text_id).slug.startswith("mandel")
    assert (new.post_time, new.timezone, new.weekdays, new.pace, new.next_ordinal) == (
        group.post_time,
        group.timezone,
        group.weekdays,
        group.pace,
        1,
    )
    again = await answer_of(fake, await fake.click(poll_message, winner["custom_id"], w.organiser.id))
    assert again["_ephemeral"] and "earlier plan" in again["content"]
