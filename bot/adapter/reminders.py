"""Members' reminders on Discord: a loop that wakes on the injected clock, claims the reminders
due (bot/members/reminders.py decides who gets one), and sends each as a direct message, paced.

Pacing: Discord allows a bot about 50 requests a second in all. The daily posts take at most
about 20 (10 posts a second, each a message and a thread), so reminders keep to
REQUESTS_PER_SECOND: a DM is one request once the member's DM channel is known (it is opened
when they turn reminders on), two the first time. 10,000 members due in the same minute are
all reminded within about seven minutes (bench/reminders.py measures it).
"""

from __future__ import annotations

import asyncio
import io
import logging

import discord

from bot.adapter.daily import RateLimiter, run_ticks
from bot.adapter.embeds import NO_PINGS, nonce_for, to_embed
from bot.adapter.offload import off_loop
from bot.clock import Clock
from bot.members import digest as members_digest
from bot.members import reminders
from bot.store import Store

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
REQUESTS_PER_SECOND = 25.0
CONCURRENCY = 8
CHART_FILE = "progress.png"
DMS_CLOSED = 50007
"""Discord's "Cannot send messages to this user": the member's DMs are closed to the bot."""


class ReminderSender:
    def __init__(
        self,
        client: discord.Client,
        store: Store,
        clock: Clock,
        *,
        tick_seconds: float = TICK_SECONDS,
        requests_per_second: float = REQUESTS_PER_SECOND,
    ):
        self.client, self.store, self.clock = client, store, clock
        self.tick_seconds = tick_seconds
        self._limiter = RateLimiter(requests_per_second)
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self.ticks = 0
        self.sent = 0

    async def run_forever(self) -> None:
        await run_ticks(self.client, self.clock, self.tick_seconds, self.tick, "reminder")

    async def tick(self) -> int:
        """Send the weekly digests due now, then every reminder due now, a batch at a time;
        returns how many reminders went out."""
        await self._digests()
        sent = 0
        while True:
            batch = await off_loop(reminders.due_messages, self.store, self.clock.now())
            if not batch:
                break
            await off_loop(self.store.start_sending, [m.reminder.id for m in batch])
            outcomes = await asyncio.gather(*(self._send(m) for m in batch))
            results = [(m.reminder.id, ok) for m, ok in zip(batch, outcomes)]
            await off_loop(reminders.sent, self.store, results, self.clock.now())
            sent += sum(outcomes)
        self.ticks += 1
        return sent

    async def _send(self, message: reminders.Outgoing) -> bool:
        user_id = message.reminder.user_id
        async with self._slots:
            try:
                channel_id = message.dm_channel_id
                if channel_id is None:
                    await self._limiter.wait()
                    channel_id = await open_dm(self.client, self.store, user_id)
                await self._limiter.wait()
                channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
                await channel.send(
                    message.text,
                    allowed_mentions=NO_PINGS,
                    nonce=nonce_for("reminder", channel_id, message.reminder.id),
                )
                self.sent += 1
                return True
            except discord.HTTPException as error:
                if error.code == DMS_CLOSED:
                    log.info("DMs closed for member %s: reminders stopped", user_id)
                    await off_loop(reminders.dms_closed, self.store, message.guild_id, user_id, self.clock.now())
                else:
                    log.warning("reminder %s not sent: HTTP %s code %s", message.reminder.id, error.status, error.code)
                return False
            except Exception:
                log.exception("reminder %s not sent", message.reminder.id)
                return False

    async def _digests(self) -> None:
        for group, day in await off_loop(members_digest.claim_due, self.store, self.clock.now()):
            message_id = None
            try:
                card, png = await off_loop(members_digest.render, self.store, group, self.clock.now())
                channel = self.client.get_channel(group.channel_id) or await self.client.fetch_channel(group.channel_id)
                message = await channel.send(  # type: ignore[union-attr]
                    embed=to_embed(card).set_image(url=f"attachment://{CHART_FILE}"),
                    file=discord.File(io.BytesIO(png), CHART_FILE),
                    allowed_mentions=NO_PINGS,
                )
                message_id = message.id
            except Exception:
                log.exception("weekly digest for group %s not sent", group.id)
            await off_loop(self.store.finish_digest, group.id, day, message_id)


async def open_dm(client: discord.Client, store: Store, user_id: int) -> int:
    """The member's DM channel, opened (one request) and kept for every later reminder."""
    data = await client.http.start_private_message(user_id)
    channel_id = int(data["id"])
    await off_loop(store.record_dm_channel, user_id, channel_id)
    return channel_id


async def tell_note(interaction: discord.Interaction, note: str) -> None:
    """After answering a member, tell them once what they missed (bot/members/reminders.py's
    pending_note: their DMs were closed, so reminders stopped)."""
    try:
        await interaction.followup.send(note, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.exception("could not tell member %s their DMs are closed", interaction.user.id)
