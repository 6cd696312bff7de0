"""The Discord client: commands, the persistent read button, and the daily post loop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from dataclasses import replace
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot import commands as core
from bot import library_commands
from bot.adapter import commands as slash
from bot.adapter.budget import BudgetedConnector, RequestBudget
from bot.adapter.daily import TICK_SECONDS, DailyPoster
from bot.adapter.embeds import NO_PINGS
from bot.adapter.forms import present_form, submitted_action, submitted_values
from bot.adapter.health import HealthReporter
from bot.adapter.lag import LagMonitor
from bot.adapter.members import RemindCommands, catchup
from bot.adapter.notices import deliver_notice
from bot.adapter.offload import off_loop
from bot.adapter.polls import WinnerButton
from bot.adapter.reminders import ReminderSender
from bot.adapter.respond import respond, respond_at_once
from bot.adapter.views import ActionButton, ReadButton
from bot.clock import Clock, SystemClock
from bot.commands import Invocation
from bot.config import LibraryLimits, LlmConfig
from bot.members import streaks
from bot.service import Lease
from bot.shards import EVERY_SHARD, Cluster, shard_of, stray_sentence
from bot.store import Store

log = logging.getLogger(__name__)

LEASE_LOOK_SECONDS = 1.0
"""How often the bot looks whether its lease was lost (the renewing thread finds out)."""
READY_GRACE_SECONDS = 5.0
IDENTIFY_SECONDS = 5.0
"""Between two shards' IDENTIFYs: Discord allows one every 5 s (per max_concurrency bucket)."""


class StudyBot(discord.AutoShardedClient):
    loop_store: Store | None = None
    """A connection of the event loop's own for cheap commands (Store.impatient; respond.py's
    respond_at_once), opened in setup_hook: None before, and for a database in memory."""

    def __init__(
        self,
        store: Store,
        clock: Clock | None = None,
        *,
        sync_commands: bool = True,
        tick_seconds: float | None = None,
        llm: LlmConfig | None = None,
        lease: Lease | None = None,
        stop_on_sigterm: bool = False,
        health_file: str | Path | None = None,
        limits: LibraryLimits | None = None,
        cluster: Cluster = EVERY_SHARD,
        identify_seconds: float = IDENTIFY_SECONDS,
        **options,
    ):
        """`lease`: this process's claim on the database (`studybot run`); without one (tests,
        benches) the bot posts as if it held it. `stop_on_sigterm`: a supervisor's stop (SIGTERM)
        closes the bot cleanly, so the lease is given up at once (`studybot run` only: a handler
        belongs to the process). `health_file`: where to keep the status a supervisor checks.
        `cluster`: the shards this process runs (default: every shard, as many as Discord
        recommends); it posts and answers for their servers only."""
        intents = discord.Intents.none()
        intents.guilds = True  # channels and threads; no privileged intents are needed
        intents.guild_messages = True  # who writes in a post's thread, for streaks (not what: no message content)
        options.setdefault("allowed_mentions", NO_PINGS)  # the default of every send
        if not cluster.everything:
            options.update(shard_ids=list(cluster.shard_ids or ()), shard_count=cluster.shard_count)
        super().__init__(intents=intents, **options)
        self.cluster = cluster
        self.identify_seconds = identify_seconds
        self._refusals: set[asyncio.Future] = set()
        if not cluster.everything:
            self._refuse_strays()
        self.store = store
        self.clock = clock or SystemClock()
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._on_tree_error)
        self.sync_commands = sync_commands
        self.llm = llm
        self.lease = lease
        self.budget = RequestBudget()
        """Every REST request's turn (budget.py): given to discord.py's HTTP client at login."""
        self.limits = limits or LibraryLimits()
        self.poster = DailyPoster(
            self,
            store,
            self.clock,
            llm=llm,
            tick_seconds=tick_seconds or TICK_SECONDS,
            may_post=lease.holds if lease else lambda: True,
            cluster=cluster,
        )
        self._poster_task: asyncio.Task | None = None
        self.reminders = ReminderSender(self, store, self.clock, tick_seconds=tick_seconds or TICK_SECONDS)
        self._reminder_task: asyncio.Task | None = None
        self.lag = LagMonitor()
        self._lag_task: asyncio.Task | None = None
        self._lease_task: asyncio.Task | None = None
        self.stop_on_sigterm = stop_on_sigterm
        self.health = HealthReporter(self, health_file) if health_file else None
        self._health_task: asyncio.Task | None = None
        self._shards_up: set[int] = set()
        """Connected while every shard of the cluster is up: one that never connects is down too."""
        self.terminated = False
        """Whether SIGTERM stopped it (the caller then ends the process by that signal)."""
        slash.register(self.tree)
        self.tree.add_command(RemindCommands())
        self.tree.add_command(catchup)

    async def login(self, token: str) -> None:
        if self.http.connector is discord.utils.MISSING:  # discord.py makes its own otherwise, at login
            self.http.connector = BudgetedConnector(self.budget, limit=0)
        await super().login(token)

    async def setup_hook(self) -> None:
        await off_loop(core.prepare, self.store)  # before connecting: nothing waits on the loop yet
        self.loop_store = await off_loop(self.store.impatient)
        # The library's figures are millions of long-lived objects: left to the garbage
        # collector, each full collection walks them all (200 ms at 50 MB, with the loop held).
        gc.freeze()
        ReadButton.handler = self._on_read
        ActionButton.handler = self._on_action
        self.add_dynamic_items(ReadButton, ActionButton, WinnerButton)
        if self.sync_commands:
            await self.tree.sync()
        self._poster_task = asyncio.create_task(self.poster.run_forever(), name="studybot-daily")
        self._lag_task = asyncio.create_task(self.lag.run(), name="studybot-lag")
        self._reminder_task = asyncio.create_task(self.reminders.run_forever(), name="studybot-reminders")
        if self.lease is not None:
            self._lease_task = asyncio.create_task(self._stop_when_lease_lost(self.lease), name="studybot-lease")
        if self.stop_on_sigterm:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminate)
        if self.health is not None:
            self._health_task = asyncio.create_task(self.health.run(), name="studybot-health")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(self.identify_seconds)

    def _refuse_strays(self) -> None:
        """Answer an interaction for a server of another cluster with one sentence, and nothing
        else. Discord sends a server's interactions through its shard, so it should never come;
        discord.py has no public hook before its handlers run (commands, autocomplete, buttons,
        forms), so the gateway's INTERACTION_CREATE parser is wrapped: one check for them all."""
        parsers = self._connection.parsers
        parse = parsers["INTERACTION_CREATE"]

        def guarded(data: Any) -> None:
            guild_id = int(data.get("guild_id") or 0)
            if guild_id and not self.cluster.owns(guild_id):
                task = asyncio.ensure_future(self._refuse_stray(discord.Interaction(data=data, state=self._connection)))
                self._refusals.add(task)  # held until done: the loop keeps only a weak reference
                task.add_done_callback(self._refusals.discard)
                return
            parse(data)

        parsers["INTERACTION_CREATE"] = guarded

    async def _refuse_stray(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id or 0
        log.warning(
            "refused interaction %s for server %s: its shard %d is not one of this cluster's (%s)",
            interaction.id,
            guild_id,
            shard_of(guild_id, self.cluster.shard_count or 1),
            self.cluster,
        )
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                await interaction.response.send_message(
                    stray_sentence(guild_id, self.cluster), ephemeral=True, allowed_mentions=NO_PINGS
                )
        except discord.HTTPException:
            log.exception("could not refuse interaction %s", interaction.id)

    def _terminate(self) -> None:
        log.info("stopping: asked to (SIGTERM)")
        self.terminated = True
        asyncio.ensure_future(self.close())

    async def _stop_when_lease_lost(self, lease: Lease) -> None:
        """Another process took the database over (this one was paused past its lease): it
        posts now, so this one disconnects instead of answering beside it."""
        while not lease.lost.is_set():
            await asyncio.sleep(LEASE_LOOK_SECONDS)
        log.warning("stopping: another studybot holds the database's lease now")
        with contextlib.suppress(TimeoutError):  # closing while discord.py makes the client ready breaks it
            await asyncio.wait_for(self.wait_until_ready(), READY_GRACE_SECONDS)
        await self.close()

    async def close(self) -> None:
        for task in (self._poster_task, self._lag_task, self._reminder_task, self._lease_task, self._health_task):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        await super().close()
        if self.loop_store is not None:
            self.loop_store.close()
            self.loop_store = None

    async def on_message(self, message: discord.Message) -> None:
        """A member wrote in a discussion thread: it counts for their streak (the content is
        neither asked for nor read)."""
        if isinstance(message.channel, discord.Thread) and not message.author.bot:
            await off_loop(streaks.thread_post, self.store, message.channel.id, message.author.id, self.clock.now())

    async def on_ready(self) -> None:
        log.info("connected as %s to %d servers on %s", self.user, len(self.guilds), self.cluster)

    async def on_shard_connect(self, shard_id: int) -> None:
        self._shard_changed(shard_id, up=True)

    async def on_shard_resumed(self, shard_id: int) -> None:
        self._shard_changed(shard_id, up=True)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        self._shard_changed(shard_id, up=False)

    def _shard_changed(self, shard_id: int, up: bool) -> None:
        """Connected while none of this process's shards is down: a shard down leaves its servers
        without answers, whatever the others do."""
        if up:
            self._shards_up.add(shard_id)
        else:
            self._shards_up.discard(shard_id)
        if self.health is not None:
            self.health.connection_changed(self.own_shards() <= self._shards_up)

    def own_shards(self) -> set[int]:
        """The shards this process runs: its cluster's, or every one Discord recommended (known
        before the first shard connects)."""
        if self.cluster.shard_ids is not None:
            return set(self.cluster.shard_ids)
        return set(range(self.shard_count or 1))

    def invocation(self, interaction: discord.Interaction, member_names: dict[int, str] | None = None) -> Invocation:
        channel = interaction.channel
        channel_id = interaction.channel_id or 0
        if isinstance(channel, discord.Thread) and channel.parent_id:
            channel_id = channel.parent_id  # a command in a discussion thread belongs to its channel
        permissions = interaction.permissions
        return Invocation(
            store=self.store,
            guild_id=interaction.guild_id or 0,
            channel_id=channel_id,
            user_id=interaction.user.id,
            is_organiser=permissions.manage_guild or permissions.administrator,
            now=self.clock.now(),
            user_name=interaction.user.display_name,
            member_names=member_names or {},
            llm=self.llm,
            limits=self.limits,
        )

    async def _on_read(self, interaction: discord.Interaction, delivery_id: int) -> None:
        """Mark as read: answered at once, never behind a search (respond_at_once)."""
        inv = self.invocation(interaction)
        pressed = post_message_id(interaction)
        await respond_at_once(
            interaction,
            lambda store: core.mark_read(replace(inv, store=store), delivery_id, pressed),
            self.loop_store,
            self.store,
        )

    async def _on_action(self, interaction: discord.Interaction, action: str) -> None:
        """A persistent button: Suggest a question (a form), Edit questions (a form), Approve or
        Decline a suggestion, Start a plan (a form) on a text just added."""
        kind, *numbers = action.split(":")
        ids = [int(n) for n in numbers]
        inv = self.invocation(interaction)
        if kind == "suggest":
            pressed = post_message_id(interaction)
            await present_form(interaction, lambda: core.suggestion_form(inv, ids[0], pressed))
        elif kind == "edit":
            await present_form(interaction, lambda: core.questions_form(inv, ids[0], ids[1]))
        elif kind == "plan":
            await present_form(interaction, lambda: library_commands.plan_form(inv, ids[0]))
        elif kind in ("approve", "decline"):
            reply = await respond(
                interaction, lambda: core.decide_suggestion(inv, ids[0], kind == "approve"), ephemeral=True
            )
            await deliver_notice(self, reply.notice, self._notice_posted)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A submitted form, found by its custom_id (so it works after a restart)."""
        action = submitted_action(interaction)
        if action is None:
            return
        kind, *numbers = action.split(":")
        ids = [int(n) for n in numbers]
        values = submitted_values(interaction)
        inv = self.invocation(interaction)
        if kind == "questions":
            reply = await respond(
                interaction, lambda: core.save_questions(inv, ids[0], ids[1], list(values.values())), ephemeral=True
            )
        elif kind == "suggestion":
            reply = await respond(
                interaction,
                lambda: core.suggest_question(inv, ids[0], values.get("question", ""), post_message_id(interaction)),
                ephemeral=True,
            )
        elif kind == "plan":
            reply = await respond(interaction, lambda: library_commands.start_plan(inv, values), ephemeral=False)
        else:
            return
        await deliver_notice(self, reply.notice, self._notice_posted)

    async def _notice_posted(self, suggestion_id: int, channel_id: int, message_id: int) -> None:
        await asyncio.to_thread(core.notice_posted, self.store, suggestion_id, channel_id, message_id)

    async def _on_tree_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Checks Discord enforces (permissions, guild-only) and anything a command let escape."""
        if isinstance(error, app_commands.CheckFailure):
            text = "You cannot use this command here (organiser commands need Manage Server)."
        else:
            log.error("command error", exc_info=error)
            text = "Something went wrong on our side and it has been logged; please try again in a minute."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
            else:
                await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            log.exception("could not report an error for interaction %s", interaction.id)


def post_message_id(interaction: discord.Interaction) -> int | None:
    """The public message whose button was pressed (a post's), for the core to check the post
    it names is that message's; None for a private page (a catch-up's Mark as read)."""
    message = interaction.message
    if message is None or message.flags.ephemeral:
        return None
    return message.id
