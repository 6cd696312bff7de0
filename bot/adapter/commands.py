"""Slash commands: each parses its options, calls a handler in bot.commands, and answers.

The commands reach the bot (its store, clock and settings) through `interaction.client`, so they
are plain module-level functions and one `app_commands.Group` class for the organisers' /study.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot import commands as core
from bot import texts as library
from bot.adapter.library import LibraryCommands
from bot.adapter.offload import off_loop
from bot.adapter.polls import open_poll
from bot.adapter.respond import respond, send_chart, update
from bot.adapter.views import action_view, view_for
from bot.members import commands as members
from bot.reading.schedule import matching_zones
from bot.render import Reply

if TYPE_CHECKING:
    from bot.adapter.client import StudyBot

MAX_CHOICES = 25


def register(tree: app_commands.CommandTree) -> None:
    """Add every command to the tree."""
    everyone: tuple[app_commands.Command[Any, ..., None], ...] = (today, passage, search, progress, texts)
    for command in everyone:
        tree.add_command(command)
    tree.add_command(StudyCommands())
    tree.add_command(LibraryCommands())


def _bot(interaction: discord.Interaction) -> StudyBot:
    return interaction.client  # type: ignore[return-value]


async def answer(
    interaction: discord.Interaction, handler: Callable[..., Reply], *args: Any, ephemeral: bool = True
) -> None:
    inv = _bot(interaction).invocation(interaction)
    await respond(interaction, lambda: handler(inv, *args), ephemeral=ephemeral, view_for=lambda reply: None)


async def text_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    store = _bot(interaction).store.view(interaction.guild_id)  # the shared texts and this server's own
    found = await off_loop(lambda: library.texts_matching(library.list_texts(store), current))
    return [
        app_commands.Choice(name=_clip(f"{t.meta.title} ({t.meta.author})", 100), value=t.slug)
        for t in found[:MAX_CHOICES]
    ]


async def zone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in matching_zones(current, MAX_CHOICES)]


# -- everyone -------------------------------------------------------------------------------------


@app_commands.command(name="today", description="Today's passage (or the latest one posted).")
@app_commands.guild_only()
async def today(interaction: discord.Interaction) -> None:
    await answer(interaction, core.today)


@app_commands.command(name="passage", description="Read a passage by number.")
@app_commands.describe(number="Passage number", text="Another text (default: this channel's)")
@app_commands.autocomplete(text=text_choices)
@app_commands.guild_only()
async def passage(
    interaction: discord.Interaction, number: app_commands.Range[int, 1, 100000], text: str | None = None
) -> None:
    await answer(interaction, core.passage, number, text)


@app_commands.command(name="search", description='Search the texts: words, "phrases", -not, a OR b, prefix*.')
@app_commands.describe(query="What to look for", text="Only this text (any part of its name or author)")
@app_commands.autocomplete(text=text_choices)
@app_commands.guild_only()
async def search(
    interaction: discord.Interaction, query: app_commands.Range[str, 1, 300], text: str | None = None
) -> None:
    inv = _bot(interaction).invocation(interaction)

    def pages(reply: Reply) -> discord.ui.View | None:
        async def on_action(pressed: discord.Interaction, action: str) -> None:
            kind, value = action.split(":")
            again = _bot(pressed).invocation(pressed)
            if kind == "context":
                await respond(pressed, lambda: core.search_context(again, int(value)), ephemeral=True)
            else:
                await update(pressed, lambda: core.search(again, query, text, int(value)), pages)

        return view_for(reply, on_action)

    await respond(interaction, lambda: core.search(inv, query, text), ephemeral=False, view_for=pages)


@app_commands.command(name="progress", description="The group's progress, and yours (or a member's).")
@app_commands.describe(
    member="Whose reading to show (default: yours)",
    board="True: the group's longest streaks, for all to see",
    chart="True: the group's progress chart",
)
@app_commands.guild_only()
async def progress(
    interaction: discord.Interaction,
    member: discord.Member | discord.User | None = None,
    board: bool = False,
    chart: bool = False,
) -> None:
    # A User, not a Member: Discord lets anyone be picked, and a Member-only option fails to
    # convert someone who is not (or no longer) in the server, before this code could answer.
    names = {member.id: member.display_name} if member else {}
    inv = _bot(interaction).invocation(interaction, member_names=names)
    outsider = member is not None and not isinstance(member, discord.Member)
    member_id = member.id if member else None
    if board:
        await respond(interaction, lambda: members.leaderboard(inv), ephemeral=False)
        return
    if chart:
        await send_chart(interaction, lambda: members.progress_chart(inv))
        return
    await respond(interaction, lambda: core.show_progress(inv, member_id, in_server=not outsider), ephemeral=True)


@app_commands.command(name="texts", description="The texts a group can read.")
async def texts(interaction: discord.Interaction) -> None:
    await answer(interaction, core.texts)


# -- organisers -----------------------------------------------------------------------------------


class StudyCommands(
    app_commands.Group,
    name="study",
    description="Organise this channel's reading plan (organisers).",
    default_permissions=discord.Permissions(manage_guild=True),
    guild_only=True,
):
    """/study: the organisers' verbs. Discord hides them from members by default; the core checks
    the permission again, since a server's admins can change who sees a command."""

    @app_commands.command(name="start", description="Start a reading plan in this channel.")
    @app_commands.describe(
        text="The text to read",
        time="Local post time, e.g. 09:00",
        timezone="IANA time zone, e.g. Europe/London",
        weekdays="Which days: daily, mon-fri, mon,wed,fri (default daily)",
        pace="Passages per post, 1-3 (default 1)",
        start_at="First passage (default 1)",
    )
    @app_commands.autocomplete(text=text_choices, timezone=zone_choices)
    async def start(
        self,
        interaction: discord.Interaction,
        text: str,
        time: str,
        timezone: str,
        weekdays: str | None = None,
        pace: app_commands.Range[int, 1, 3] | None = None,
        start_at: app_commands.Range[int, 1, 100000] | None = None,
    ) -> None:
        await answer(interaction, core.study_start, text, time, timezone, weekdays, pace, start_at, ephemeral=False)

    @app_commands.command(name="settings", description="Show the plan, or change its time, zone, days or pace.")
    @app_commands.describe(
        time="New local post time",
        timezone="New IANA time zone",
        weekdays="New days: daily, mon-fri, ...",
        pace="New passages per post, 1-3",
        ping_role="A role the daily post mentions (the only ping the bot makes)",
        ping_off="True: the daily post mentions nobody",
        leaderboard="True: members may show the group's longest streaks with /progress board",
        digest="The weekly digest's day (sun, mon, ...), or off",
    )
    @app_commands.autocomplete(timezone=zone_choices)
    async def settings(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        timezone: str | None = None,
        weekdays: str | None = None,
        pace: app_commands.Range[int, 1, 3] | None = None,
        ping_role: discord.Role | None = None,
        ping_off: bool = False,
        leaderboard: bool | None = None,
        digest: str | None = None,
    ) -> None:
        role_id = ping_role.id if ping_role else None
        await answer(
            interaction, members.study_settings, time, timezone, weekdays, pace, role_id, ping_off, leaderboard, digest
        )

    @app_commands.command(name="status", description="Last post, the next seven posts, and a private dry run.")
    async def status(self, interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_status)

    @app_commands.command(name="pause", description="Stop posting until resumed.")
    async def pause(self, interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_pause, ephemeral=False)

    @app_commands.command(name="resume", description="Post again on schedule.")
    async def resume(self, interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_resume, ephemeral=False)

    @app_commands.command(name="skip", description="Skip passages without posting them.")
    @app_commands.describe(count="How many passages (default 1)")
    async def skip(self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 1000] = 1) -> None:
        await answer(interaction, core.study_skip, count, ephemeral=False)

    @app_commands.command(name="jump", description="Make the next post start at a given passage.")
    @app_commands.describe(passage="Passage number")
    async def jump(self, interaction: discord.Interaction, passage: app_commands.Range[int, 1, 100000]) -> None:
        await answer(interaction, core.study_jump, passage, ephemeral=False)

    @app_commands.command(
        name="questions", description="The next post's questions (or a passage's): edit them, decide suggestions."
    )
    @app_commands.describe(passage="Passage number (default: the next post's)")
    async def questions(
        self, interaction: discord.Interaction, passage: app_commands.Range[int, 1, 100000] | None = None
    ) -> None:
        inv = _bot(interaction).invocation(interaction)
        await respond(
            interaction,
            lambda: core.study_questions(inv, passage),
            ephemeral=True,
            view_for=lambda reply: action_view(reply.buttons),
        )

    @app_commands.command(name="poll", description="In the plan's last week: a poll of the library for the next text.")
    async def poll(self, interaction: discord.Interaction) -> None:
        await open_poll(interaction)

    @app_commands.command(name="stop", description="End this channel's reading plan.")
    async def stop(self, interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_stop, ephemeral=False)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
