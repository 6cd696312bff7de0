"""The weekly digest and the chart on Discord: on the organisers' day, one post after the day's
post with the week, counts (never names) and the chart attached as a PNG, once across a restart;
/progress chart:True shows the same chart privately."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from tests.e2e.conftest import WINTER_MONDAY, SteppingClock, posts_in, read_button, slash, text_of
from tests.e2e.test_bot_reminders import tick
from tests.helpers import start_plan


def png_of(fake, attachment: dict) -> Image.Image:
    data = fake.state.attachments[int(attachment["id"])]
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def test_the_weekly_digest_comes_once_on_its_day_with_the_chart(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    bot = await launch()
    said = await slash(fake, room, w.organiser.id, "study", "settings", digest="tue")
    assert {"name": "Weekly digest", "value": "on tue, after that day's post", "inline": False} in said["embeds"][0][
        "fields"
    ]

    await tick(fake, bot, WINTER_MONDAY.replace(hour=8))
    [monday] = posts_in(fake, room)
    click = await fake.click(monday, read_button(monday)["custom_id"], w.reader.id)
    await click.response(timeout=3)
    await fake.send_user_message(int(monday["id"]), w.reader.id, "a thought")
    await tick(fake, bot, WINTER_MONDAY.replace(hour=20))
    digests = lambda: [m for m in fake.messages(room) if m.get("attachments")]  # noqa: E731
    assert digests() == []  # Monday is not the digest's day

    tuesday = WINTER_MONDAY + timedelta(days=1)
    await tick(fake, bot, tuesday.replace(hour=8))
    await tick(fake, bot, tuesday.replace(hour=8, minute=1))  # the digest waits for the day's post
    [digest] = digests()
    assert len(posts_in(fake, room)) == 2  # after the day's post
    text = text_of(digest)
    assert "The week in The Soviet Thermidor" in text and "passage 1" in text and "passage 2" in text
    assert "1 of 1 member who read along" in text and "1 member wrote" in text
    assert f"<@{w.reader.id}>" not in text and "reader" not in text  # counts, never names
    [attachment] = digest["attachments"]
    assert attachment["filename"] == "progress.png" and digest["embeds"][0]["image"]["url"].endswith("progress.png")
    assert png_of(fake, attachment).size == (900, 450)

    await bot.close()
    bot = await launch(store.path, SteppingClock(tuesday.replace(hour=9)))
    await tick(fake, bot, tuesday.replace(hour=22))
    assert len(digests()) == 1  # once, across a restart

    chart = await slash(fake, room, w.reader.id, "progress", chart=True)
    assert chart["_ephemeral"] and chart["content"].startswith("The Soviet Thermidor")
    [attachment] = chart["attachments"]
    assert png_of(fake, attachment).format == "PNG"
