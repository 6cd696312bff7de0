"""Answer an interaction: run the core off the event loop, defer if it is slow, and turn user
errors into one ephemeral sentence and anything else into an apology (the log keeps the rest)."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable

import discord

from bot.adapter.embeds import NO_PINGS, message_kwargs
from bot.adapter.offload import off_loop
from bot.adapter.reminders import tell_pending_note
from bot.errors import StoreError, StudyError
from bot.render import Reply

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5
"""Seconds to wait for the core before deferring: Discord wants a first answer within 3 s."""
APOLOGY = "Something went wrong on our side and it has been logged; please try again in a minute."


async def run_core(call: Callable[[], Reply], runner: Callable[..., Awaitable[Reply]] = off_loop) -> Reply:
    """The core's reply, or the reply that explains why there is none (`runner`: on which thread)."""
    try:
        return await runner(call)
    except StoreError as error:  # the host must hear of a full disk or a damaged file
        log.error("database problem: %s", error)
        return Reply(text=str(error), ephemeral=True)
    except StudyError as error:
        return Reply(text=str(error), ephemeral=True)
    except Exception:
        log.exception("command failed")
        return Reply(text=APOLOGY, ephemeral=True)


async def respond(
    interaction: discord.Interaction,
    call: Callable[[], Reply],
    *,
    ephemeral: bool,
    view_for: Callable[[Reply], discord.ui.View | None] = lambda reply: None,
) -> Reply:
    """Send the reply to a command; defer first if the core takes longer than DEFER_AFTER.
    Returns the reply, for what the caller does next (a notice to post)."""
    task = asyncio.ensure_future(run_core(call))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    deferred = not done
    if deferred:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    reply = await task
    kwargs = message_kwargs(reply, view_for(reply))
    try:
        if interaction.response.is_done():
            if deferred and reply.ephemeral != ephemeral:
                # The first follow-up replaces the "thinking..." message and keeps its visibility:
                # a refusal (private) after a public deferral would show to the whole channel.
                await interaction.delete_original_response()
            await interaction.followup.send(**kwargs, ephemeral=reply.ephemeral)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=reply.ephemeral)
    except discord.HTTPException:
        log.exception("could not answer interaction %s", interaction.id)
    await tell_pending_note(interaction)
    return reply


async def update(
    interaction: discord.Interaction, call: Callable[[], Reply], view_for: Callable[[Reply], discord.ui.View | None]
) -> None:
    """Replace the message a button sits on (search pages); acknowledge the press first if the
    core is slow, as for commands."""
    task = asyncio.ensure_future(run_core(call))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        await interaction.response.defer()
    reply = await task
    kwargs = message_kwargs(reply, view_for(reply))
    try:
        if reply.cards and interaction.response.is_done():
            await interaction.edit_original_response(**kwargs)
        elif reply.cards:
            await interaction.response.edit_message(**kwargs)
        elif interaction.response.is_done():
            await interaction.followup.send(content=reply.text, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(content=reply.text, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.exception("could not update interaction %s", interaction.id)


async def send_chart(interaction: discord.Interaction, call: Callable[[], tuple[Reply, bytes]]) -> None:
    """A private answer with a chart attached: deferred first (drawing takes a moment), then
    the image as a file; a refusal is one sentence, as for any command."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        reply, png = await off_loop(call)
        await interaction.followup.send(
            reply.text, file=discord.File(io.BytesIO(png), "progress.png"), ephemeral=True, allowed_mentions=NO_PINGS
        )
    except StudyError as error:
        await interaction.followup.send(str(error), ephemeral=True, allowed_mentions=NO_PINGS)
    except Exception:
        log.exception("chart failed")
        await interaction.followup.send(APOLOGY, ephemeral=True, allowed_mentions=NO_PINGS)
