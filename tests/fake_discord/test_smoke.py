"""Smoke tests of the Discord fake: a small bot defined here, run by the real discord.py client
against ``tests.fake_discord``, exercising each capability the studybot e2e tests rely on.
"""

from __future__ import annotations

import asyncio
import io

import discord
import pytest
from discord import app_commands

from tests.fake_discord import FAST_CLIENT_OPTIONS

pytestmark = pytest.mark.asyncio

TEXTS = [
    "Trotsky: The Revolution Betrayed",
    "Trotsky: Selections",
    "Mandel: Liebman and Leninism",
    "Hart on Bettelheim",
]


class ReadView(discord.ui.View):
    """A persistent view: fixed custom_id, no timeout, registered with ``add_view``."""

    def __init__(self, clicks: list[int]) -> None:
        super().__init__(timeout=None)
        self.clicks = clicks

    @discord.ui.button(label="Mark as read", custom_id="studybot:read", style=discord.ButtonStyle.primary)
    async def mark(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.clicks.append(interaction.user.id)
        await interaction.response.send_message("Marked as read", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your thoughts", custom_id="feedback:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class LabelledModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.Label(text="Your thoughts", component=discord.ui.TextInput(custom_id="labelled:text"))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.text.component, discord.ui.TextInput)
        await interaction.response.send_message(f"thanks: {self.text.component.value}", ephemeral=True)


class CounterView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:add")
    async def add(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count {self.count}", view=self)


class SmokeBot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), **FAST_CLIENT_OPTIONS)
        self.tree = app_commands.CommandTree(self)
        self.clicks: list[int] = []
        self.read_view = ReadView(self.clicks)
        self.resumed = asyncio.Event()
        _register_commands(self)

    async def setup_hook(self) -> None:
        self.add_view(self.read_view)
        await self.tree.sync()

    async def on_resumed(self) -> None:
        self.resumed.set()


def _register_commands(bot: SmokeBot) -> None:
    tree = bot.tree

    @tree.command(description="Check the bot is alive")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    @tree.command(description="Answer after thinking")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("slow done")
        await interaction.followup.send("and one more")

    @tree.command(description="Post today's passage with a button and a thread")
    async def post(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        embed = discord.Embed(title="Day 1", description="The passage of the day.")
        message = await interaction.channel.send("Today", embed=embed, view=bot.read_view)
        thread = await message.create_thread(name="Day 1 discussion")
        await thread.send("Discuss here.")
        await interaction.followup.send(f"posted {message.id} in thread {thread.id}", ephemeral=True)

    @tree.command(description="Search the texts")
    @app_commands.describe(text="Which text", query="Words to find")
    async def search(interaction: discord.Interaction, query: str, text: str = "") -> None:
        await interaction.response.send_message(f"searching {query!r} in {text!r}")

    @search.autocomplete("text")
    async def text_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TEXTS if t.lower().startswith(current.lower())][:25]

    study = app_commands.Group(
        name="study",
        description="Organise the reading group",
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @study.command(description="Start a plan")
    async def start(
        interaction: discord.Interaction, channel: discord.TextChannel, pace: app_commands.Range[int, 1, 10] = 1
    ) -> None:
        if not interaction.permissions.manage_guild:
            await interaction.response.send_message("organisers only", ephemeral=True)
            return
        await interaction.response.send_message(f"start channel={channel.id} pace={pace}")

    tree.add_command(study)

    @tree.command(description="Leave feedback in a form")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @tree.command(description="A form whose text box sits in a label")
    async def labelled(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelledModal())

    @tree.command(description="A form Discord refuses")
    @app_commands.describe(problem="What is wrong with it")
    @app_commands.choices(
        problem=[app_commands.Choice(name=n, value=n) for n in ("label", "value", "placeholder", "duplicate")]
    )
    async def badform(interaction: discord.Interaction, problem: str) -> None:
        modal = discord.ui.Modal(title="Bad", custom_id="bad")
        boxes = {
            "label": [dict(label="x" * 46)],
            "value": [dict(label="a", default="x" * 20, max_length=10)],
            "placeholder": [dict(label="a", placeholder="x" * 101)],
            "duplicate": [dict(label="a"), dict(label="b")],
        }[problem]
        for box in boxes:
            modal.add_item(
                discord.ui.TextInput(custom_id="same" if problem == "duplicate" else box["label"][:5], **box)
            )
        try:
            await interaction.response.send_modal(modal)
        except discord.HTTPException as error:
            await interaction.response.send_message(f"refused {error.status} {error.code}", ephemeral=True)

    @tree.command(description="A counter that edits its own message")
    async def counter(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count 0", view=CounterView())


async def test_commands_sync_and_ping_answers_ephemerally(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    assert sorted(c["name"] for c in fake.commands()) == [
        "badform",
        "counter",
        "feedback",
        "labelled",
        "ping",
        "post",
        "search",
        "slow",
        "study",
    ]
    study = next(c for c in fake.commands() if c["name"] == "study")
    assert study["default_member_permissions"] == str(0x20)
    assert fake.requests[0].path == "/users/@me" and fake.requests[1].path == "/oauth2/applications/@me"

    handle = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "ping")
    response = await handle.response(timeout=3)
    assert response["type"] == 4
    assert response["data"]["content"] == "pong"
    assert handle.ephemeral
    assert fake.messages(w.general.id) == []  # ephemeral replies are not in the channel


async def test_deferred_reply_then_followups(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    handle = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "slow")
    assert (await handle.response())["type"] == 5
    final = await handle.final_message()
    assert final["content"] == "slow done"
    second = await handle.followup(1)
    assert second["content"] == "and one more"
    # The first follow-up replaced the "thinking" message; the second is a new message.
    assert [m["content"] for m in fake.messages(w.general.id)] == ["slow done", "and one more"]


async def test_button_click_reaches_view_and_thread_is_created(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    handle = await fake.invoke_slash(w.guild_id, w.general.id, w.organiser.id, "post")
    reply = await handle.final_message()
    assert reply["content"].startswith("posted ")

    [post] = fake.messages(w.general.id)
    assert post["embeds"][0]["title"] == "Day 1"
    [thread] = fake.threads_in(w.general.id)
    assert thread["id"] == post["id"] and thread["name"] == "Day 1 discussion"
    assert [m["content"] for m in fake.messages(int(thread["id"]))] == ["Discuss here."]
    assert bot.get_channel(int(thread["id"])) is not None  # THREAD_CREATE reached the client cache

    click = await fake.click(post, "studybot:read", w.reader.id)
    assert (await click.response())["data"]["content"] == "Marked as read"
    assert bot.clicks == [w.reader.id]
    with pytest.raises(ValueError):
        await fake.click(post, "no-such-button", w.reader.id)


async def test_autocomplete_returns_choices(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    handle = await fake.autocomplete(
        w.guild_id, w.general.id, w.reader.id, "search", focused="text", options={"query": "Kronstadt", "text": "trot"}
    )
    choices = await handle.autocomplete_choices()
    assert [c["value"] for c in choices] == TEXTS[:2]

    answer = await fake.invoke_slash(
        w.guild_id, w.general.id, w.reader.id, "search", options={"query": "Kronstadt", "text": TEXTS[0]}
    )
    assert (await answer.response())["data"]["content"] == f"searching 'Kronstadt' in {TEXTS[0]!r}"


async def test_modal_submit_and_message_update(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    ask = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "feedback")
    assert (await ask.response())["type"] == 9
    submitted = await fake.submit_modal(ask, {"feedback:text": "more Mandel"})
    assert (await submitted.response())["data"]["content"] == "thanks: more Mandel"

    shown = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "counter")
    await shown.response()
    for expected in ("count 1", "count 2"):
        click = await fake.click(shown.original, "counter:add", w.reader.id)
        assert (await click.response())["type"] == 7
        assert fake.message(shown.original_id)["content"] == expected
    assert [m["content"] for m in fake.messages(w.general.id)] == ["count 2"]


async def test_a_text_box_in_a_label_is_shown_and_submitted(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    ask = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "labelled")
    assert (await ask.response())["data"]["components"][0]["type"] == 18
    submitted = await fake.submit_modal(ask, {"labelled:text": "more Trotsky"})
    assert submitted.type == 5 and submitted.payload["data"]["components"][0]["type"] == 18
    assert (await submitted.response())["data"]["content"] == "thanks: more Trotsky"


@pytest.mark.parametrize("problem", ["label", "value", "placeholder", "duplicate"])
async def test_a_modal_over_discords_limits_is_refused(fake_discord, start_client, problem):
    """A label over 45 characters, a prefilled value longer than the box allows, a placeholder
    over 100, two boxes with one custom_id: Discord answers 400 Invalid Form Body, and the
    interaction stays unanswered, so the bot can still say something else."""
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    ask = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "badform", {"problem": problem})
    assert (await ask.response())["data"]["content"] == "refused 400 50035"
    assert ask.modal is None


async def test_subcommand_options_and_permissions(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    await start_client(SmokeBot())
    handle = await fake.invoke_slash(
        w.guild_id,
        w.general.id,
        w.organiser.id,
        "study",
        subcommand="start",
        options={"channel": w.reading_room.id, "pace": 3},
    )
    assert (await handle.response())["data"]["content"] == f"start channel={w.reading_room.id} pace=3"
    options = handle.payload["data"]["options"]
    assert options[0]["name"] == "start" and options[0]["type"] == 1
    assert {o["name"]: o["type"] for o in options[0]["options"]} == {"channel": 7, "pace": 4}

    with pytest.raises(PermissionError):  # Discord hides the command from a reader
        await fake.invoke_slash(
            w.guild_id, w.general.id, w.reader.id, "study", subcommand="start", options={"channel": w.reading_room.id}
        )
    with pytest.raises(ValueError):  # outside Range[int, 1, 10]
        await fake.invoke_slash(
            w.guild_id,
            w.general.id,
            w.organiser.id,
            "study",
            subcommand="start",
            options={"channel": w.reading_room.id, "pace": 11},
        )
    # An admin override lets the reader run it: the bot's own check must still refuse.
    override = await fake.invoke_slash(
        w.guild_id,
        w.general.id,
        w.reader.id,
        "study",
        subcommand="start",
        options={"channel": w.reading_room.id},
        bypass_permissions=True,
    )
    assert (await override.response())["data"]["content"] == "organisers only"


async def test_rate_limited_message_is_retried_and_posted_once(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    fault = fake.fail_next("POST", "/channels/{channel_id}/messages", status=429, retry_after=0.05)
    message = await bot.get_channel(w.general.id).send("hello after a 429")
    assert fault.hits == 1
    assert [r.status for r in fake.requests_to("POST", f"/channels/{w.general.id}/messages")] == [429, 200]
    assert [m["id"] for m in fake.messages(w.general.id)] == [str(message.id)]


async def test_server_error_then_success(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    fake.fail_next("POST", f"/channels/{w.general.id}/messages", status=500)
    await bot.get_channel(w.general.id).send("hello after a 500")
    assert [r.status for r in fake.requests_to("POST", "/channels/{id}/messages")] == [500, 200]
    assert [m["content"] for m in fake.messages(w.general.id)] == ["hello after a 500"]


async def test_gateway_drop_resumes_and_interactions_still_work(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    assert (fake.identify_count, fake.resume_count) == (1, 0)
    assert await fake.drop_gateway() == 1
    assert not fake.gateway.live_sessions
    # Dispatched while the socket is down: buffered in the session and replayed on RESUME.
    handle = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "ping")
    assert (await handle.response(timeout=3))["data"]["content"] == "pong"
    await asyncio.wait_for(bot.resumed.wait(), timeout=3)
    assert (fake.identify_count, fake.resume_count) == (1, 1)
    assert fake.gateway.records[-1].path == "/resume"  # READY's resume_gateway_url was used

    later = await fake.invoke_slash(w.guild_id, w.general.id, w.reader.id, "ping")
    assert (await later.response(timeout=3))["data"]["content"] == "pong"


async def test_nonce_deduplicates_messages(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    channel = bot.get_channel(w.general.id)
    first = await channel.send("daily post", nonce=20240101)
    again = await channel.send("daily post", nonce=20240101)
    assert again.id == first.id
    assert len(fake.messages(w.general.id)) == 1

    # A lost response: the message is created but the client sees a 502 and retries. discord.py
    # 2.7 puts a random nonce (with enforce_nonce) on every send(), so the retry is deduplicated...
    fake.fail_next("POST", "/channels/{id}/messages", status=502, after=True)
    await channel.send("second post")
    posts = fake.requests_to("POST", f"/channels/{w.general.id}/messages")[-2:]
    assert [r.status for r in posts] == [502, 200] and posts[0].json["enforce_nonce"] is True
    assert [m["content"] for m in fake.messages(w.general.id)] == ["daily post", "second post"]
    # ...while a raw request without a nonce posts twice.
    fake.fail_next("POST", "/channels/{id}/messages", status=502, after=True)
    params = discord.http.handle_message_parameters(content="no nonce")
    await bot.http.send_message(w.general.id, params=params)
    assert [m["content"] for m in fake.messages(w.general.id)][-3:] == ["second post", "no nonce", "no nonce"]


async def test_forbidden_and_deleted_channels(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    fake.set_bot_can_send(w.general.id, False)
    with pytest.raises(discord.Forbidden) as forbidden:
        await bot.get_channel(w.general.id).send("nope")
    assert forbidden.value.code == 50013
    await fake.wait_for(
        lambda: not bot.get_channel(w.general.id).permissions_for(bot.get_guild(w.guild_id).me).send_messages,
        description="CHANNEL_UPDATE to reach the client",
    )

    room = bot.get_channel(w.reading_room.id)
    fake.delete_channel(w.reading_room.id)
    with pytest.raises(discord.NotFound) as missing:
        await room.send("into the void")
    assert missing.value.code == 10003


async def test_direct_messages_open_send_and_refuse_when_closed(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    data = await bot.http.start_private_message(w.reader.id)
    again = await bot.http.start_private_message(w.reader.id)
    assert data["id"] == again["id"] and data["type"] == 1  # one DM channel per user
    dm = bot.get_partial_messageable(int(data["id"]), type=discord.ChannelType.private)
    await dm.send("time to read")
    assert [m["content"] for m in fake.dms_to(w.reader.id)] == ["time to read"]
    assert fake.dms_to(w.organiser.id) == []

    fake.close_dms(w.reader.id)
    with pytest.raises(discord.Forbidden) as closed:
        await dm.send("again")
    assert (closed.value.code, closed.value.text) == (50007, "Cannot send messages to this user")
    assert len(fake.dms_to(w.reader.id)) == 1
    with pytest.raises(discord.NotFound):
        await bot.http.start_private_message(424242)  # nobody


async def test_a_file_is_attached_and_served_back(fake_discord, start_client):
    w = fake_discord.world
    bot = await start_client(SmokeBot())
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    message = await bot.get_channel(w.general.id).send("chart", file=discord.File(io.BytesIO(png), "chart.png"))
    [attachment] = message.attachments
    assert (attachment.filename, attachment.size) == ("chart.png", len(png))
    assert await attachment.read() == png


async def test_the_global_limit_answers_a_global_429_that_discord_py_waits_out(fake_discord, start_client):
    fake, w = fake_discord, fake_discord.world
    bot = await start_client(SmokeBot())
    limit = fake.limit_globally(limit=5, per=0.5)
    channels = [bot.get_channel(c.id) for c in (w.general, w.reading_room)]
    await asyncio.gather(*(channels[n % 2].send(f"message {n}") for n in range(12)))
    refused = [r for r in fake.requests if r.status == 429]
    assert limit.refused == len(refused) >= 1 and all(r.fault == "global rate limit" for r in refused)
    assert sorted(m["content"] for c in (w.general, w.reading_room) for m in fake.messages(c.id)) == sorted(
        f"message {n}" for n in range(12)
    )
    stored = sorted(r.time for r in fake.requests if r.status == 200 and r.method == "POST")
    assert all(later - earlier >= 0.5 for earlier, later in zip(stored, stored[5:]))  # never 6 in a window
