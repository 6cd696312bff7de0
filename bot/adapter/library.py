"""/library: organisers add texts to their server's own library, list, rename and remove them.

Adding is deferred at once (reading a book takes longer than Discord's 3 s), then the reply is
edited to say where the reading is ("Reading chapter 7 of 21 …", at most every PROGRESS_EVERY
seconds), then replaced by the text's card and its Start a plan button. The attachment is
downloaded from the address Discord gives, within the size limit; reading and storing it is the
core's (bot/library_commands.py), on a thread of its own.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands

from bot import library_commands as core
from bot.adapter.embeds import NO_PINGS, message_kwargs
from bot.adapter.offload import off_loop, off_loop_long
from bot.adapter.respond import respond, run_core
from bot.adapter.views import action_view
from bot.commands import prepare
from bot.render import Reply
from bot.texts.server_library import ProgressLine, Upload

if TYPE_CHECKING:
    from bot.adapter.client import StudyBot

log = logging.getLogger(__name__)

PROGRESS_EVERY = 2.0
"""Seconds between edits of the progress line: Discord limits edits, and people read slowly."""
MAX_CHOICES = 25
MIB = 1024 * 1024


def _bot(interaction: discord.Interaction) -> StudyBot:
    return interaction.client  # type: ignore[return-value]


async def own_text_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The server's own texts (a shared one cannot be removed or renamed from Discord)."""
    inv = _bot(interaction).invocation(interaction)
    found = await off_loop(lambda: core.own_choices(inv, current))
    return [app_commands.Choice(name=label[:100], value=slug) for label, slug in found[:MAX_CHOICES]]


class LibraryCommands(
    app_commands.Group,
    name="library",
    description="This server's own texts: add a book or a web page, list, rename, remove (organisers).",
    default_permissions=discord.Permissions(manage_guild=True),
    guild_only=True,
):
    """/library: the organisers' verbs on their server's library. Discord hides them from
    members by default; the core checks the permission again."""

    @app_commands.command(name="add", description="Add a book (EPUB, PDF, HTML, .txt, .md) or a web page.")
    @app_commands.describe(
        file="The file to add",
        url="Or a web page's address",
        title="Its title (default: the file's)",
        author="Its author",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
        title: app_commands.Range[str, 1, 200] | None = None,
        author: app_commands.Range[str, 1, 120] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        inv = _bot(interaction).invocation(interaction)
        progress = ProgressLine("Waiting for the text before it to be read …")
        upload: Upload | None = None
        if file is not None:
            problem, upload = await _download(file, inv.limits.upload_bytes)
            if problem:
                await _finish(interaction, Reply(text=problem, ephemeral=True))
                return
        work = asyncio.ensure_future(
            run_core(lambda: core.add(inv, upload, url, title, author, progress), runner=off_loop_long)
        )
        shown = ""
        while not work.done():
            await asyncio.wait({work}, timeout=PROGRESS_EVERY)
            if not work.done() and progress.line != shown:
                shown = progress.line
                await _edit(interaction, content=shown)
        reply = work.result()
        await _finish(interaction, reply)
        if reply.cards:  # a text was added: the library's figures follow it before members ask
            await off_loop_long(prepare, _bot(interaction).store)
            gc.freeze()  # and stay out of the collector's way, as at start (StudyBot.setup_hook)

    @app_commands.command(name="list", description="This server's own texts, and the room left.")
    async def list_texts(self, interaction: discord.Interaction) -> None:
        inv = _bot(interaction).invocation(interaction)
        await respond(interaction, lambda: core.list_texts(inv), ephemeral=True)

    @app_commands.command(name="remove", description="Remove one of this server's texts (kept while a plan reads it).")
    @app_commands.describe(text="The text to remove")
    @app_commands.autocomplete(text=own_text_choices)
    async def remove(self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 200]) -> None:
        inv = _bot(interaction).invocation(interaction)
        await respond(interaction, lambda: core.remove(inv, text), ephemeral=True)

    @app_commands.command(name="rename", description="Give one of this server's texts another title (or author).")
    @app_commands.describe(text="The text to rename", title="Its new title", author="Its author, if it changes too")
    @app_commands.autocomplete(text=own_text_choices)
    async def rename(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, 200],
        title: app_commands.Range[str, 1, 200],
        author: app_commands.Range[str, 1, 120] | None = None,
    ) -> None:
        inv = _bot(interaction).invocation(interaction)
        await respond(interaction, lambda: core.rename(inv, text, title, author), ephemeral=True)


async def _download(file: discord.Attachment, limit: int) -> tuple[str, Upload | None]:
    """The attachment's bytes from Discord's CDN, or why not. Its size is known before: a file over
    the limit is refused unread."""
    if file.size > limit:
        return (
            f"{file.filename} is {file.size / MIB:.1f} MB; files up to {limit / MIB:.0f} MB can be added. "
            "Nothing was added.",
            None,
        )
    try:
        data = await file.read()
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not download attachment %s: %s", file.id, error)
        return "The file could not be downloaded from Discord; attach it again in a minute.", None
    return "", Upload(file.filename, data[: limit + 1])


async def _edit(interaction: discord.Interaction, **fields) -> None:
    try:
        await interaction.edit_original_response(allowed_mentions=NO_PINGS, **fields)
    except discord.HTTPException:
        log.exception("could not edit the reply to interaction %s", interaction.id)


async def _finish(interaction: discord.Interaction, reply: Reply) -> None:
    """The deferred reply becomes the answer: the text's card and its button, or one sentence."""
    kwargs = message_kwargs(reply, action_view(reply.buttons))
    kwargs.setdefault("content", "")
    kwargs.pop("allowed_mentions", None)
    await _edit(interaction, **kwargs)
