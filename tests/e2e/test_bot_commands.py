"""Slash commands end to end: registration, every command's answer (within Discord's 3 s),
search pages and spoilers, autocomplete, and the organiser verbs changing the store."""

from __future__ import annotations

import re
import time
from datetime import time as time_of_day

from bot import commands as core
from tests.e2e.conftest import WINTER_MONDAY, answer_of, components_of, posts_in, slash, step, text_of
from tests.fake_discord.state import DM
from tests.helpers import start_plan

EVERYONE = {"today", "passage", "search", "progress", "catchup", "texts", "remind"}
STUDY = ["start", "settings", "status", "pause", "resume", "skip", "jump", "questions", "poll", "stop"]
MANAGE_GUILD = 0x20


def page_buttons(message) -> list[tuple[str, bool]]:
    return [
        (c["label"], c.get("disabled", False))
        for c in components_of(message)
        if c["label"] in ("Previous", "Next") or re.fullmatch(r"\d+ / \d+", c["label"])
    ]


def group_of(store, channel_id):
    return store.group_for_channel(channel_id)


async def start_thermidor(fake, channel_id, **options):
    w = fake.world
    answer = await slash(
        fake,
        channel_id,
        w.organiser.id,
        "study",
        "start",
        text="thermidor",
        time="09:00",
        timezone="Europe/Berlin",
        **options,
    )
    assert answer["content"] == "The reading plan is set.", text_of(answer)
    return answer


async def test_commands_register_with_study_subcommands_for_manage_server(fake, launch):
    await launch()
    commands = {c["name"]: c for c in fake.commands()}
    assert set(commands) == EVERYONE | {"study", "library"}  # /library: tests/e2e/test_bot_library.py
    assert len(fake.commands(fake.world.guild_id)) == 0  # global commands, synced once

    study = commands["study"]
    assert int(study["default_member_permissions"]) == MANAGE_GUILD
    assert study["dm_permission"] is False
    assert [o["name"] for o in study["options"]] == STUDY
    assert all(o["type"] == 1 for o in study["options"])  # subcommands
    for name in EVERYONE:
        assert commands[name]["default_member_permissions"] is None, name

    start = {o["name"]: o for o in study["options"][0]["options"]}
    assert [n for n, o in start.items() if o.get("required")] == ["text", "time", "timezone"]
    assert start["text"]["autocomplete"] and start["timezone"]["autocomplete"]
    assert (start["pace"]["min_value"], start["pace"]["max_value"]) == (1, 3)


async def test_reader_commands_answer_in_time(fake, launch, store):
    w = fake.world
    await launch()
    room = w.reading_room.id
    await start_thermidor(fake, room)

    texts = await slash(fake, room, w.reader.id, "texts")
    assert texts["_ephemeral"]
    body = text_of(texts)
    assert body.count("passages)") == 5 and "The Soviet Thermidor" in body and "Liebman and Leninism" in body

    today = await slash(fake, room, w.reader.id, "today")
    assert today["_ephemeral"]
    assert today["content"] == ("Nothing has been posted yet; the first passage comes Mon 15 Jan 09:00 Europe/Berlin.")

    ahead = await slash(fake, room, w.reader.id, "passage", number=3)
    assert ahead["_ephemeral"]
    assert ahead["content"] == "This passage is ahead of the group: it has not been posted yet."
    assert "passage 3 of 15" in ahead["embeds"][0]["footer"]["text"]

    other = await slash(fake, room, w.reader.id, "passage", number=2, text="mandel")
    assert other["content"] == ""  # another text: not "ahead"
    assert re.search(r"Liebman and Leninism \(Ernest Mandel\) · .*passage 2 of 18", text_of(other))

    progress = await slash(fake, room, w.reader.id, "progress")
    assert progress["_ephemeral"]
    assert progress["embeds"][0]["title"] == "Progress: The Soviet Thermidor (The Revolution Betrayed, chapter 5)"
    assert "0 of 15 passages posted (0%), nothing posted yet." in progress["embeds"][0]["description"]
    assert "For you" in text_of(progress)

    about = await slash(fake, room, w.organiser.id, "progress", member=w.reader.id)
    assert "For reader" in text_of(about) and about["_ephemeral"]

    catchup = await slash(fake, room, w.reader.id, "catchup")
    assert catchup["_ephemeral"] and catchup["embeds"][0]["title"] == "All caught up"

    # In a channel without a plan: one sentence saying how to get one.
    for name in ("today", "progress", "catchup"):
        answer = await slash(fake, w.general.id, w.reader.id, name)
        assert answer["_ephemeral"] and answer["content"] == (
            "This channel has no reading plan yet; an organiser can start one with /study start."
        ), name
    assert fake.messages(room) == [fake.messages(room)[0]]  # only the public "plan is set"


async def test_search_pages_with_buttons_and_hides_hits_ahead_of_the_group(fake, launch, store):
    w = fake.world
    await launch()
    room = w.reading_room.id
    await start_thermidor(fake, room)

    first = await slash(fake, room, w.reader.id, "search", query="revolution")
    assert not first["_ephemeral"]  # search results are for the channel
    handle = first["_handle"]
    [embed] = first["embeds"]
    assert embed["title"] == "Search: revolution" and embed["footer"]["text"] == "25 passages"
    assert [f["name"].split(".")[0] for f in embed["fields"]] == ["1", "2", "3", "4", "5"]
    assert page_buttons(first) == [("Previous", True), ("1 / 5", True), ("Next", False)]

    async def press(label):
        message = fake.message(handle.original_id)
        button = next(c for c in components_of(message) if c["label"] == label)
        click = await fake.click(message, button["custom_id"], w.reader.id)
        assert (await click.response(timeout=3))["type"] == 7  # the results message is edited in place
        return fake.message(handle.original_id)

    second = await press("Next")
    assert [f["name"].split(".")[0] for f in second["embeds"][0]["fields"]] == ["6", "7", "8", "9", "10"]
    assert page_buttons(second) == [("Previous", False), ("2 / 5", True), ("Next", False)]
    back = await press("Previous")
    assert back["embeds"][0]["fields"] == embed["fields"]

    # Thermidor hits are ahead of a group at passage 1: under a spoiler, also when the same words
    # are cited from another edition ("also in: The Soviet Thermidor ..."); other texts are not.
    hits = await slash(fake, room, w.reader.id, "search", query="Kronstadt")
    fields = hits["embeds"][0]["fields"]
    thermidor = [f for f in fields if "The Soviet Thermidor" in f["name"] + f["value"]]
    others = [f for f in fields if f not in thermidor]
    assert thermidor and others
    excerpts = [f["value"].split("\nalso in: ")[0] for f in thermidor]
    assert all(e.startswith("Ahead of the group (spoiler): ||") and e.endswith("||") for e in excerpts)
    assert not any("||" in f["value"] for f in others)
    assert page_buttons(hits) == []  # one page: no paging

    # Once the group is past those passages they are shown plainly.
    await slash(fake, room, w.organiser.id, "study", "jump", passage=15)
    later = await slash(fake, room, w.reader.id, "search", query="Kronstadt")
    assert not any("||" in f["value"] for f in later["embeds"][0]["fields"])

    # Nothing found is an answer, not an error; odd syntax is taken as text.
    for query in ("zzzyxxqq", '"unbalanced', "NEAR(", "-", "*", "a OR", "'); DROP TABLE texts; --"):
        odd = await slash(fake, room, w.reader.id, "search", query=query)
        assert odd["embeds"][0]["title"].startswith("Search:"), query
    assert store.texts()  # still there


async def test_autocomplete_for_text_and_time_zone(fake, launch):
    w = fake.world
    await launch()
    room = w.reading_room.id

    async def choices(name, focused, subcommand=None, user=w.organiser.id, **options):
        handle = await fake.autocomplete(
            w.guild_id, room, user, name, focused=focused, options=options, subcommand=subcommand
        )
        got = await handle.autocomplete_choices(timeout=3)
        assert len(got) <= 25
        return got

    zones = await choices("study", "timezone", "start", text="thermidor", time="09:00", timezone="")
    assert len(zones) == 25
    assert [c["value"] for c in await choices("study", "timezone", "start", timezone="berl")] == ["Europe/Berlin"]
    europe = await choices("study", "timezone", "settings", timezone="europe/")
    assert len(europe) == 25 and all(c["value"].startswith("Europe/") for c in europe)
    assert await choices("study", "timezone", "start", timezone="Nowhere/Atlantis") == []

    texts = await choices("study", "text", "start", text="")
    assert len(texts) == 5
    trotsky = await choices("study", "text", "start", text="LEON")  # any part of title, author or name
    assert {c["value"] for c in trotsky} == {"trotsky-selections", "trotsky-soviet-thermidor-1936"}
    assert all(c["name"].endswith("(Leon Trotsky)") for c in trotsky)
    assert [c["value"] for c in await choices("search", "text", user=w.reader.id, query="x", text="mandel")] == [
        "mandel-liebman-and-leninism-1975"
    ]
    assert len(await choices("passage", "text", user=w.reader.id, number=1, text="")) == 5


async def test_organiser_verbs_change_the_plan(fake, launch, store):
    w = fake.world
    await launch()
    room = w.reading_room.id

    started = await start_thermidor(fake, room, weekdays="mon-fri", pace=2)
    assert not started["_ephemeral"]  # the channel sees the plan
    assert "09:00 Europe/Berlin, mon-fri" in text_of(started) and "2 passages per post" in text_of(started)
    group = group_of(store, room)
    assert (group.post_time, group.timezone, group.pace, group.next_ordinal) == (time_of_day(9), "Europe/Berlin", 2, 1)

    shown = await slash(fake, room, w.organiser.id, "study", "settings")
    assert shown["_ephemeral"] and shown["embeds"][0]["title"] == "Reading plan"
    assert "Mon 15 Jan 09:00 Europe/Berlin" in text_of(shown)

    changed = await slash(
        fake,
        room,
        w.organiser.id,
        "study",
        "settings",
        time="18:30",
        timezone="America/New_York",
        weekdays="daily",
        pace=1,
    )
    assert changed["content"] == "Settings changed." and not changed["_ephemeral"]
    group = group_of(store, room)
    assert (group.post_time, group.timezone, group.pace, len(group.weekdays)) == (
        time_of_day(18, 30),
        "America/New_York",
        1,
        7,
    )

    status = await slash(fake, room, w.organiser.id, "study", "status")
    assert status["_ephemeral"]
    titles = [e["title"] for e in status["embeds"]]
    assert (
        titles[0] == "Plan status" and titles[1] == "Dry run: The Soviet Thermidor (The Revolution Betrayed, chapter 5)"
    )
    fields = {f["name"]: f["value"] for f in status["embeds"][0]["fields"]}
    assert fields["Last post"] == "No post yet."
    assert len(fields["Next seven posts"].splitlines()) == 7
    assert fields["Next seven posts"].splitlines()[0] == "Mon 15 Jan 18:30 America/New_York"

    paused = await slash(fake, room, w.organiser.id, "study", "pause")
    assert paused["content"] == "Paused: no passages will be posted until /study resume."
    assert group_of(store, room).paused
    status = await slash(fake, room, w.organiser.id, "study", "status")
    assert "None while paused (Paused by an organiser.)" in text_of(status)
    resumed = await slash(fake, room, w.organiser.id, "study", "resume")
    assert resumed["content"] == "Resumed." and not group_of(store, room).paused

    skipped = await slash(fake, room, w.organiser.id, "study", "skip", count=2)
    assert skipped["content"] == "Skipped; the next post starts at passage 3."
    jumped = await slash(fake, room, w.organiser.id, "study", "jump", passage=10)
    assert jumped["content"] == "The next post starts at passage 10."
    assert group_of(store, room).next_ordinal == 10

    stopped = await slash(fake, room, w.organiser.id, "study", "stop")
    assert stopped["content"] == (
        "The reading plan for The Soviet Thermidor (The Revolution Betrayed, chapter 5) "
        "has ended. Start another with /study start."
    )
    assert group_of(store, room) is None
    again = await slash(fake, room, w.owner.id, "study", "start", text="mandel", time="7pm", timezone="europe/london")
    assert again["content"] == "The reading plan is set."  # the owner (all permissions) may, too
    group = group_of(store, room)
    assert (group.post_time, group.timezone) == (time_of_day(19), "Europe/London")
    assert len(store.query("SELECT id FROM groups WHERE channel_id = ?", (room,))) == 2  # history kept

    public = [m["content"] for m in fake.messages(room)]
    assert public == [
        "The reading plan is set.",
        "Settings changed.",
        "Paused: no passages will be posted until /study resume.",
        "Resumed.",
        "Skipped; the next post starts at passage 3.",
        "The next post starts at passage 10.",
        stopped["content"],
        "The reading plan is set.",
    ]


async def test_a_slow_command_defers_and_still_answers(fake, launch, monkeypatch):
    """The core may be slow (a cold disk, a big search): the bot defers within Discord's 3 s and
    answers in a follow-up. A refusal stays private even after a public deferral."""
    w = fake.world
    await launch()
    real_texts, real_start = core.texts, core.study_start

    def slow_texts(inv):
        time.sleep(1.8)
        return real_texts(inv)

    def slow_start(inv, *args):
        time.sleep(1.8)
        return real_start(inv, *args)

    monkeypatch.setattr(core, "texts", slow_texts)
    monkeypatch.setattr(core, "study_start", slow_start)
    texts = await slash(fake, w.reading_room.id, w.reader.id, "texts", timeout=8)
    assert texts["_handle"].response_type == 5 and texts["_latency"] < 3
    assert texts["_ephemeral"] and texts["embeds"][0]["title"] == "Texts"

    refused = await slash(
        fake,
        w.reading_room.id,
        w.organiser.id,
        "study",
        "start",
        text="thermidor",
        time="25:00",
        timezone="Europe/Berlin",
        timeout=8,
    )
    assert refused["_handle"].response_type == 5
    assert refused["_ephemeral"] and refused["content"].startswith("'25:00' is not a time of day")
    assert fake.messages(w.reading_room.id) == []  # nothing public, not even a stale "thinking..."


async def test_commands_in_a_discussion_thread_belong_to_its_channel(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    bot = await launch()
    await step(fake, bot, WINTER_MONDAY.replace(hour=8))
    [post] = posts_in(fake, room)
    thread = int(post["id"])  # the post's thread

    today = await slash(fake, thread, w.reader.id, "today")
    assert today["embeds"][0]["footer"]["text"] == post["embeds"][0]["footer"]["text"]
    progress = await slash(fake, thread, w.reader.id, "progress")
    assert "1 of 15 passages posted" in text_of(progress)
    hits = await slash(fake, thread, w.reader.id, "search", query="Kronstadt")
    assert any("||" in f["value"] for f in hits["embeds"][0]["fields"])  # the group's spoiler rule
    status = await slash(fake, thread, w.organiser.id, "study", "status")
    assert "Posted 2024-01-15: passage 1." in text_of(status)


async def test_texts_works_in_a_direct_message(fake, launch):
    """/texts is the one command allowed outside a server."""
    w = fake.world
    await launch()
    dm = fake.state.add_channel(None, "", type=DM)
    dm.recipient_ids = [w.reader.id]
    answer = await answer_of(fake, await fake.invoke_slash(None, dm.id, w.reader.id, "texts"))
    assert answer["embeds"][0]["title"] == "Texts"


async def test_a_slow_search_page_is_acknowledged_in_time_then_shown(fake, launch, monkeypatch):
    w = fake.world
    await launch()
    room = w.reading_room.id
    first = await slash(fake, room, w.reader.id, "search", query="revolution")
    handle = first["_handle"]
    real_search = core.search

    def slow_search(inv, query, text=None, page=1):
        if page > 1:
            time.sleep(1.8)
        return real_search(inv, query, text, page)

    monkeypatch.setattr(core, "search", slow_search)
    message = fake.message(handle.original_id)
    button = next(c for c in components_of(message) if c["label"] == "Next")
    click = await fake.click(message, button["custom_id"], w.reader.id)
    assert (await click.response(timeout=3))["type"] == 6  # acknowledged before the 3 s are up
    await fake.wait_for(
        lambda: fake.message(handle.original_id)["embeds"][0]["fields"][0]["name"].startswith("6."),
        5,
        "page 2 to be shown",
    )
