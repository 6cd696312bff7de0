"""Slash commands: each parses its options, calls a handler in bot.commands, and answers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import discord
from discord import app_commands

from bot import commands as core
from bot import study
from bot.adapter.respond import respond, update
from bot.adapter.views import view_for
from bot.render import Reply
from bot.schedule import matching_zones

MAX_CHOICES = 25


def register(tree: app_commands.CommandTree, bot) -> None:
    """Add every command to the tree. `bot` gives `invocation(interaction)` and `store`."""

    async def answer(interaction: discord.Interaction, handler: Callable[..., Reply], *args,
                     ephemeral: bool = True, **kwargs) -> None:
        inv = bot.invocation(interaction)
        await respond(interaction, lambda: handler(inv, *args, **kwargs), ephemeral=ephemeral,
                      view_for=lambda reply: None)

    async def text_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        texts = await asyncio.to_thread(lambda: study.texts_matching(study.list_texts(bot.store), current))
        return [app_commands.Choice(name=_clip(f"{t.meta.title} ({t.meta.author})", 100), value=t.slug)
                for t in texts[:MAX_CHOICES]]

    async def zone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in matching_zones(current, MAX_CHOICES)]

    # -- everyone -----------------------------------------------------------------------------

    @tree.command(name="today", description="Today's passage (or the latest one posted).")
    @app_commands.guild_only()
    async def today(interaction: discord.Interaction) -> None:
        await answer(interaction, core.today)

    @tree.command(name="passage", description="Read a passage by number.")
    @app_commands.describe(number="Passage number", text="Another text (default: this channel's)")
    @app_commands.autocomplete(text=text_choices)
    @app_commands.guild_only()
    async def passage(interaction: discord.Interaction, number: app_commands.Range[int, 1, 100000],
                      text: str | None = None) -> None:
        await answer(interaction, core.passage, number, text)

    @tree.command(name="search", description="Search the texts: words, \"phrases\", -not, a OR b, prefix*.")
    @app_commands.describe(query="What to look for", text="Only this text (any part of its name or author)")
    @app_commands.autocomplete(text=text_choices)
    @app_commands.guild_only()
    async def search(interaction: discord.Interaction, query: app_commands.Range[str, 1, 300],
                     text: str | None = None) -> None:
        inv = bot.invocation(interaction)

        def pages(reply: Reply):
            async def on_action(pressed: discord.Interaction, action: str) -> None:
                kind, value = action.split(":")
                again = bot.invocation(pressed)
                if kind == "context":
                    await respond(pressed, lambda: core.search_context(again, int(value)), ephemeral=True)
                else:
                    await update(pressed, lambda: core.search(again, query, text, int(value)), pages)
            return view_for(reply, on_action)

        await respond(interaction, lambda: core.search(inv, query, text), ephemeral=False, view_for=pages)

    @tree.command(name="progress", description="The group's progress, and yours (or a member's).")
    @app_commands.describe(member="Whose reading to show (default: yours)")
    @app_commands.guild_only()
    async def progress(interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        names = {member.id: member.display_name} if member else {}
        inv = bot.invocation(interaction, member_names=names)
        await respond(interaction, lambda: core.show_progress(inv, member.id if member else None), ephemeral=True)

    @tree.command(name="catchup", description="Links to the posts you have not marked read.")
    @app_commands.guild_only()
    async def catchup(interaction: discord.Interaction) -> None:
        await answer(interaction, core.catchup)

    @tree.command(name="texts", description="The texts a group can read.")
    async def texts(interaction: discord.Interaction) -> None:
        await answer(interaction, core.texts)

    # -- organisers ---------------------------------------------------------------------------

    study_group = app_commands.Group(
        name="study", description="Organise this channel's reading plan (organisers).",
        default_permissions=discord.Permissions(manage_guild=True), guild_only=True,
    )

    @study_group.command(name="start", description="Start a reading plan in this channel.")
    @app_commands.describe(text="The text to read", time="Local post time, e.g. 09:00",
                           timezone="IANA time zone, e.g. Europe/London",
                           weekdays="Which days: daily, mon-fri, mon,wed,fri (default daily)",
                           pace="Passages per post, 1-3 (default 1)", start_at="First passage (default 1)")
    @app_commands.autocomplete(text=text_choices, timezone=zone_choices)
    async def start(interaction: discord.Interaction, text: str, time: str, timezone: str,
                    weekdays: str | None = None, pace: app_commands.Range[int, 1, 3] | None = None,
                    start_at: app_commands.Range[int, 1, 100000] | None = None) -> None:
        await answer(interaction, core.study_start, text, time, timezone, weekdays, pace, start_at, ephemeral=False)

    @study_group.command(name="settings", description="Show the plan, or change its time, zone, days or pace.")
    @app_commands.describe(time="New local post time", timezone="New IANA time zone",
                           weekdays="New days: daily, mon-fri, ...", pace="New passages per post, 1-3")
    @app_commands.autocomplete(timezone=zone_choices)
    async def settings(interaction: discord.Interaction, time: str | None = None, timezone: str | None = None,
                       weekdays: str | None = None, pace: app_commands.Range[int, 1, 3] | None = None) -> None:
        await answer(interaction, core.study_settings, time, timezone, weekdays, pace)

    @study_group.command(name="status", description="Last post, the next seven posts, and a private dry run.")
    async def status(interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_status)

    @study_group.command(name="pause", description="Stop posting until resumed.")
    async def pause(interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_pause, ephemeral=False)

    @study_group.command(name="resume", description="Post again on schedule.")
    async def resume(interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_resume, ephemeral=False)

    @study_group.command(name="skip", description="Skip passages without posting them.")
    @app_commands.describe(count="How many passages (default 1)")
    async def skip(interaction: discord.Interaction, count: app_commands.Range[int, 1, 1000] = 1) -> None:
        await answer(interaction, core.study_skip, count, ephemeral=False)

    @study_group.command(name="jump", description="Make the next post start at a given passage.")
    @app_commands.describe(passage="Passage number")
    async def jump(interaction: discord.Interaction, passage: app_commands.Range[int, 1, 100000]) -> None:
        await answer(interaction, core.study_jump, passage, ephemeral=False)

    @study_group.command(name="stop", description="End this channel's reading plan.")
    async def stop(interaction: discord.Interaction) -> None:
        await answer(interaction, core.study_stop, ephemeral=False)

    tree.add_command(study_group)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
