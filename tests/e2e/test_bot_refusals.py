"""What the bot refuses, and how: organiser-only verbs (Discord's default permissions, and our
own check when a server admin overrides them), and bad input. Every refusal is one ephemeral
sentence, nothing is written, and no traceback ever reaches Discord (the `fake` fixture checks
every message the bot sent at teardown)."""

from __future__ import annotations

import re

import pytest

from bot import commands as core
from bot.adapter.respond import APOLOGY
from tests.e2e.conftest import answer_of, slash
from tests.helpers import start_plan

ORGANISER_ONLY = "Only organisers (members with Manage Server) can change the reading plan."
START = {"text": "thermidor", "time": "09:00", "timezone": "Europe/Berlin"}


def snapshot(store) -> list[tuple]:
    """Everything a plan verb could write."""
    return [tuple(r) for r in store.query("SELECT * FROM groups ORDER BY id")] + [
        tuple(r) for r in store.query("SELECT * FROM deliveries ORDER BY id")
    ]


def one_sentence(answer: dict) -> str:
    """The answer is private, has no embeds, and is a single sentence."""
    assert answer["_ephemeral"], answer
    assert answer["embeds"] == [] and answer["components"] == []
    text = answer["content"]
    assert text and text[-1] in ".!?" and "\n" not in text
    assert not re.search(r"[.!?] +[A-Z]", text), f"more than one sentence: {text!r}"
    return text


async def invoke_as_override(fake, channel_id, user_id, subcommand, **options):
    """A server admin let @everyone see /study (Server Settings > Integrations)."""
    handle = await fake.invoke_slash(
        fake.world.guild_id,
        channel_id,
        user_id,
        "study",
        options=options,
        subcommand=subcommand,
        bypass_permissions=True,
    )
    return await answer_of(fake, handle)


async def test_discord_hides_study_from_members_without_manage_server(fake, launch, store):
    w = fake.world
    await launch()
    for sub, options in [("start", START), ("pause", {}), ("settings", {}), ("stop", {})]:
        with pytest.raises(PermissionError):
            await fake.invoke_slash(
                w.guild_id, w.reading_room.id, w.reader.id, "study", options=options, subcommand=sub
            )
    assert not fake.interactions  # nothing was delivered to the bot
    assert store.query("SELECT count(*) FROM groups")[0][0] == 0


async def test_our_own_check_refuses_when_an_admin_overrode_the_permissions(fake, launch, store):
    w = fake.world
    await launch()
    room = w.reading_room.id

    refused = await invoke_as_override(fake, room, w.reader.id, "start", **START)
    assert one_sentence(refused) == ORGANISER_ONLY
    assert store.query("SELECT count(*) FROM groups")[0][0] == 0

    start_plan(store, w.guild_id, room)
    before = snapshot(store)
    for sub, options in [
        ("pause", {}),
        ("resume", {}),
        ("skip", {"count": 3}),
        ("jump", {"passage": 9}),
        ("stop", {}),
        ("status", {}),
        ("settings", {"time": "06:00"}),
        ("start", {**START, "text": "mandel"}),
    ]:
        answer = await invoke_as_override(fake, room, w.reader.id, sub, **options)
        assert one_sentence(answer) == ORGANISER_ONLY, sub
    assert snapshot(store) == before
    assert fake.messages(room) == []  # every refusal was private

    # Looking at the settings changes nothing, so a member may (when an admin shows them /study).
    shown = await invoke_as_override(fake, room, w.reader.id, "settings")
    assert shown["_ephemeral"] and shown["embeds"][0]["title"] == "Reading plan"


@pytest.mark.parametrize(
    "options, says",
    [
        (
            {"timezone": "Mars/Olympus_Mons"},
            "'Mars/Olympus_Mons' is not a time zone; use an IANA name such as Europe/London or America/New_York.",
        ),
        ({"timezone": "America/Argentina"}, "'America/Argentina' is not a time zone"),  # a folder, not a zone
        ({"time": "25:00"}, "'25:00' is not a time of day; write it as HH:MM, e.g. 09:00 or 18:30."),
        ({"time": "noonish"}, "'noonish' is not a time of day"),
        ({"weekdays": "funday"}, "'funday' is not a list of weekdays; write e.g. mon-fri, mon,wed,fri or daily."),
        ({"weekdays": "monkey-fri"}, "'monkey-fri' is not a list of weekdays"),
        ({"text": "no-such-book"}, "no-such-book"),
        ({"start_at": 99}, "has passages 1 to 15; start within that."),
    ],
)
async def test_bad_plan_input_is_one_private_sentence(fake, launch, store, options, says):
    w = fake.world
    await launch()
    answer = await slash(fake, w.reading_room.id, w.organiser.id, "study", "start", **{**START, **options})
    assert says in one_sentence(answer)
    assert store.query("SELECT count(*) FROM groups")[0][0] == 0
    assert fake.messages(w.reading_room.id) == []


async def test_bad_settings_and_numbers_change_nothing(fake, launch, store):
    w = fake.world
    await launch()
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    before = snapshot(store)
    for options, says in [
        ({"timezone": "Europe/Atlantis"}, "is not a time zone"),
        ({"time": "9:75"}, "is not a time of day"),
        ({"weekdays": ","}, "Give at least one weekday, e.g. mon-fri or daily."),
        ({"time": "08:00", "weekdays": "sometimes"}, "is not a list of weekdays"),
    ]:
        answer = await slash(fake, room, w.organiser.id, "study", "settings", **options)
        assert says in one_sentence(answer), options
    jump = await slash(fake, room, w.organiser.id, "study", "jump", passage=16)
    assert "has passages 1 to 15; jump within that." in one_sentence(jump)
    assert snapshot(store) == before  # a half-valid change (08:00 + bad weekdays) wrote nothing

    missing = await slash(fake, room, w.reader.id, "passage", number=999)
    assert "has passages 1 to 15" in one_sentence(missing)
    unknown = await slash(fake, room, w.reader.id, "passage", number=1, text="no-such-book")
    assert "no-such-book" in one_sentence(unknown)
    nowhere = await slash(fake, w.general.id, w.reader.id, "passage", number=1)
    assert one_sentence(nowhere) == "This channel has no reading plan; name the text, e.g. /passage 3 text:thermidor."
    for sub in ("status", "pause", "settings"):
        answer = await slash(fake, w.general.id, w.organiser.id, "study", sub)
        assert one_sentence(answer) == (
            "This channel has no reading plan yet; an organiser can start one with /study start."
        ), sub
    twice = await slash(fake, room, w.organiser.id, "study", "start", **START)
    assert one_sentence(twice).startswith("This channel already has a reading plan")


async def test_a_bug_in_the_core_is_an_apology_not_a_traceback(fake, launch, monkeypatch, caplog):
    w = fake.world
    await launch()
    fake.apologies_expected = True

    def broken(inv):
        raise RuntimeError("sqlite3.OperationalError: database is locked at /srv/secret/studybot.db")

    monkeypatch.setattr(core, "texts", broken)
    answer = await slash(fake, w.reading_room.id, w.reader.id, "texts")
    assert one_sentence(answer) == APOLOGY
    assert "database is locked" in caplog.text  # the detail goes to the log, and only there
