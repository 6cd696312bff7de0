"""Answer an interaction: run the core off the event loop, defer if it is slow, and turn user
errors into one ephemeral sentence and anything else into an apology (the log keeps the rest)."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable

import discord

from bot.adapter.embeds import NO_PINGS, message_kwargs
from bot.adapter.offload import core_busy, off_loop, off_loop_quick
from bot.adapter.reminders import tell_note
from bot.errors import StoreError, StudyError
from bot.members import reminders
from bot.render import Reply
from bot.store import Store, busy, closed

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5
"""Seconds to wait for the core before deferring: Discord wants a first answer within 3 s. Not
waited when the core's threads are all taken already (core_busy): the command queues behind the
others (a burst of searches, a fan-out's posts), so it is acknowledged at once and answered when
its turn comes, however long the queue."""
APOLOGY = "Something went wrong on our side and it has been logged; please try again in a minute."


async def run_core(call: Callable[[], Reply], runner: Callable[..., Awaitable[Reply]] = off_loop) -> Reply:
    """The core's reply, or the reply that explains why there is none (`runner`: on which thread)."""
    try:
        return await runner(call)
    except Exception as error:
        return failed(error)


def failed(error: Exception) -> Reply:
    """The reply that explains why a command has none: the user's sentence, or an apology."""
    if isinstance(error, StoreError):  # the host must hear of a full disk or a damaged file
        log.error("database problem: %s", error)
        return Reply(text=str(error), ephemeral=True)
    if isinstance(error, StudyError):
        return Reply(text=str(error), ephemeral=True)
    log.error("command failed", exc_info=error)
    return Reply(text=APOLOGY, ephemeral=True)


async def respond_at_once(
    interaction: discord.Interaction, call: Callable[[Store], Reply], on_loop: Store | None, store: Store
) -> Reply:
    """A cheap command (Mark as read: a few indexed queries and one small write) answered
    privately at once, on the event loop, through `on_loop` (Store.impatient: a connection that
    never waits for a lock). When the database is busy (another writer is at work) the write
    failed having written nothing, and the command takes its turn on the thread for cheap
    commands with `store` instead, never behind an expensive one.

    Why on the loop: under a burst (hundreds of presses as a post lands, while the fan-out and
    searches keep the core's threads busy) each trip to a thread costs more than the work:
    a wait for the thread, for the GIL at each SQLite call, and a wake of the loop
    (bench/command_burst.py). The work is bounded by the group's posts (its streak)."""
    if on_loop is None:
        return await respond(interaction, lambda: call(store), ephemeral=True, quick=True)
    try:
        reply = call(on_loop)
    except Exception as error:
        if busy(error):
            return await respond(interaction, lambda: call(store), ephemeral=True, quick=True)
        reply = failed(error)
    note = _pending_note(on_loop, interaction)
    await _send(interaction, reply, message_kwargs(reply), deferred=False, ephemeral=True)
    if note is not None:
        await tell_note(interaction, note)
    return reply


async def respond(
    interaction: discord.Interaction,
    call: Callable[[], Reply],
    *,
    ephemeral: bool,
    view_for: Callable[[Reply], discord.ui.View | None] = lambda reply: None,
    quick: bool = False,
) -> Reply:
    """Send the reply to a command; defer first if the core takes longer than DEFER_AFTER (or at
    once, when the core's threads are all taken).
    Returns the reply, for what the caller does next (a notice to post). `quick`: a cheap
    command (Mark as read), run on its own thread so it never waits behind expensive ones.

    The core's call and the member's pending note (their DMs closed) take one trip to a worker
    thread together: under a burst each trip is a wait for a thread and a wake of the loop."""
    note: list[str | None] = [None]
    store = getattr(interaction.client, "store", None)
    patience = DEFER_AFTER if quick or not core_busy() else 0
    task = asyncio.ensure_future(
        run_core(_with_note(store, interaction, call, note), off_loop_quick if quick else off_loop)
    )
    done, _ = await asyncio.wait({task}, timeout=patience)
    deferred = not done
    if deferred:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    reply = await task
    await _send(interaction, reply, message_kwargs(reply, view_for(reply)), deferred=deferred, ephemeral=ephemeral)
    if note[0] is not None:
        await tell_note(interaction, note[0])
    return reply


async def _send(
    interaction: discord.Interaction, reply: Reply, kwargs: dict, *, deferred: bool, ephemeral: bool
) -> None:
    """The reply as the interaction's answer, or as the follow-up of its deferral."""
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


def _with_note(
    store: Store | None, interaction: discord.Interaction, call: Callable[[], Reply], note: list[str | None]
) -> Callable[[], Reply]:
    """`call`, then the member's pending note put in `note[0]` (told after the reply). Looked
    for after the core's work, whatever it raised, and never failing the reply."""

    def both() -> Reply:
        try:
            return call()
        finally:
            if store is not None:
                note[0] = _pending_note(store, interaction)

    return both


def _pending_note(store: Store, interaction: discord.Interaction) -> str | None:
    """What the member must hear once (bot/members/reminders.py), never failing the reply; on
    a busy database (an impatient store) it waits for their next command."""
    if interaction.guild_id is None:
        return None
    try:
        return reminders.pending_note(store, interaction.guild_id, interaction.user.id)
    except Exception as error:
        if closed(error):  # the bot is stopping: the note waits for the member's next command
            log.debug("no pending note for %s: the store is closed", interaction.user.id)
        elif not busy(error):
            log.error("could not look for a pending note for %s", interaction.user.id, exc_info=error)
        return None


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
