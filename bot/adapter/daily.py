"""The daily post: a loop that wakes on the injected clock, claims due posts in the store, and
sends each exactly once.

Exactly once, step by step: the store hands out a claim (one per group and local day). Before
sending, the attempt is counted. The message carries a nonce (Discord drops a repeat within
minutes) and a button whose custom_id names the claim; a retried claim first looks for that
button in the channel's recent messages, so a crash between sending and recording, however
long the bot was down, finds the message instead of sending another. Only when the message
and its thread exist is the post recorded and the plan advanced.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import discord

from bot import render
from bot.adapter.embeds import NO_PINGS, nonce_for, to_embed
from bot.adapter.offload import off_loop
from bot.adapter.pings import post_ping
from bot.adapter.views import read_custom_id, read_view
from bot.clock import Clock
from bot.config import LlmConfig
from bot.models import Delivery
from bot.reading import posting
from bot.shards import EVERY_SHARD, Cluster
from bot.store import Store

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
HISTORY_SCAN = 50
MAX_ATTEMPTS = 10
"""A post still failing after this many tries (five minutes at one tick each) is given up:
the group is paused with the reason, instead of trying every 30 s for ever."""
THREAD_ALREADY_EXISTS = 160004
PERMANENT_CODES = {
    10003: "The channel was deleted.",
    50001: "The bot cannot see the channel.",
    50013: "The bot lacks permission to post or open threads in the channel.",
}


class RateLimiter:
    """At most `rate` starts a second, across all groups: a fan-out at 09:00 stays under
    Discord's global limit instead of leaning on 429s."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


async def run_ticks(
    client: discord.Client, clock: Clock, seconds: float, tick: Callable[[], Awaitable[object]], what: str
) -> None:
    """Run `tick` every `seconds` of the clock's time once the client is ready, until it closes;
    a failed tick is logged and the next one tried."""
    await client.wait_until_ready()
    while not client.is_closed():
        try:
            await tick()
        except Exception:
            log.exception("%s tick failed; trying again next tick", what)
        await clock.sleep(seconds)


class DailyPoster:
    def __init__(
        self,
        client: discord.Client,
        store: Store,
        clock: Clock,
        *,
        llm: LlmConfig | None = None,
        tick_seconds: float = TICK_SECONDS,
        concurrency: int = 16,
        may_post: Callable[[], bool] = lambda: True,
        cluster: Cluster = EVERY_SHARD,
    ):
        """`may_post()` is asked before claiming and again before each send: False (this process
        lost the database's lease) leaves the posts to the process that holds it."""
        self.client, self.store, self.clock, self.llm = client, store, clock, llm
        self.may_post = may_post
        self.cluster = cluster
        """The shards this process owns: it posts for their servers only."""
        self.tick_seconds = tick_seconds
        self._slots = asyncio.Semaphore(concurrency)
        """Posts under way at once. No pace of posts: the client's request budget (budget.py)
        spaces every request to Discord; enough posts are under way to keep it spent while some
        wait on the core (a post's questions and cards) or on Discord's answers."""
        self.ticks = 0
        self.posts = 0
        """Posts made since start (the health file reports it, with when the last was)."""
        self.last_tick_steady: float | None = None
        self.last_post_steady: float | None = None
        """time.monotonic() at the end of the last tick, and at the last post made."""

    async def run_forever(self) -> None:
        await run_ticks(self.client, self.clock, self.tick_seconds, self.tick, "scheduler")

    async def tick(self) -> int:
        """Claim and send every due post; returns how many were sent."""
        sent = 0
        if self.may_post():
            due = await off_loop(posting.claim_due_posts, self.store, self.clock.now(), self.cluster)
            sent = sum(await asyncio.gather(*(self._deliver_paced(d.delivery) for d in due)))
        else:
            log.warning("not posting: this process does not hold the database's lease")
        self.ticks += 1
        self.last_tick_steady = time.monotonic()
        return sent

    async def _deliver_paced(self, delivery: Delivery) -> bool:
        async with self._slots:
            if not self.may_post():  # the lease lapsed while this post waited its turn: left pending
                return False
            try:
                return await self.deliver(delivery)
            except Exception:  # network trouble, a bug: the claim stays pending, retried next tick
                log.exception("post for delivery %s failed; will retry", delivery.id)
                reason = "The post could not be made (a network or internal error, in the bot's log); retrying."
                await off_loop(posting.fail, self.store, delivery, reason, delivery.attempts + 1 >= MAX_ATTEMPTS)
                return False

    async def deliver(self, delivery: Delivery) -> bool:
        delivery = await off_loop(self.store.start_attempt, delivery.id)
        group = await off_loop(self.store.get_group, delivery.group_id)
        try:
            channel = self.client.get_channel(group.channel_id) or await self.client.fetch_channel(group.channel_id)
            post, messages = await off_loop(self._post_and_messages, delivery)
            message = await self._find_or_send(channel, delivery, messages[0])
            await off_loop(self.store.record_message, delivery.id, message.id)
            thread, problem = await self._thread_for(message, post)
            problem = await self._send_rest(thread or channel, delivery, post, messages[1:]) or problem
        except discord.HTTPException as error:
            permanent = _is_permanent(error) or delivery.attempts >= MAX_ATTEMPTS
            reason = _reason(error)
            log.warning(
                "post for group %s failed (%s): HTTP %s code %s: %s",
                group.id,
                "giving up" if permanent else "will retry",
                error.status,
                error.code,
                error.text,
            )
            await off_loop(posting.fail, self.store, delivery, reason, permanent)
            return False
        await off_loop(
            posting.complete, self.store, delivery, message.id, thread.id if thread else None, self.clock.now(), problem
        )
        log.info("posted passage %s-%s for group %s", delivery.first_ordinal, delivery.last_ordinal, group.id)
        self.posts += 1
        self.last_post_steady = time.monotonic()
        return True

    def _post_and_messages(self, delivery: Delivery) -> tuple[posting.Post, list]:
        """The post and its messages' cards, drawn off the loop like everything the core does."""
        post = posting.post_for_delivery(self.store, delivery, self.llm)
        return post, render.post_messages(post)

    async def _send_rest(self, where, delivery: Delivery, post, rest) -> str | None:
        """The post's further passages (a pace above one), in its thread. The first message is
        out by now, so the day's post stands: a permanent refusal here is a problem to report,
        not a failed post (a failed post is made again on /study resume: a second post that day)."""
        for number, cards in enumerate(rest, start=1):
            try:
                await where.send(
                    embeds=[to_embed(c) for c in cards],
                    nonce=nonce_for(f"post-{number}", where.id, delivery.id),
                    allowed_mentions=NO_PINGS,
                )
            except discord.HTTPException as error:
                if not _is_permanent(error):
                    raise  # tried again next tick; the first message is found, not sent again
                left = [p.ordinal for p in post.passages[number:]]
                which = f"passage {left[0]}" if len(left) == 1 else f"passages {left[0]}-{left[-1]}"
                return f"Posted without {which}: {_reason(error)}"
        return None

    async def _find_or_send(self, channel, delivery: Delivery, cards) -> discord.Message:
        if delivery.message_id:
            try:
                return await channel.fetch_message(delivery.message_id)
            except discord.NotFound:
                pass
        if delivery.attempts > 1:
            found = await self._find_sent(channel, delivery)
            if found is not None:
                log.info("found the post for delivery %s already sent; not sending again", delivery.id)
                return found
        ping, mentions = await post_ping(self.store, delivery.group_id)
        return await channel.send(
            content=ping,
            embeds=[to_embed(c) for c in cards],
            view=read_view(delivery.id),
            nonce=nonce_for("post", channel.id, delivery.id),
            allowed_mentions=mentions,
        )

    async def _find_sent(self, channel, delivery: Delivery) -> discord.Message | None:
        """Our message for this claim, if it went out: among the latest messages, or, after a
        long outage in a busy channel, among the first ones after the claim was made."""
        wanted = read_custom_id(delivery.id)
        scans = [channel.history(limit=HISTORY_SCAN)]
        after = delivery.claimed_at - timedelta(minutes=1)
        scans.append(channel.history(limit=HISTORY_SCAN * 4, after=after, oldest_first=True))
        me = self.client.user
        assert me is not None, "the loop starts once the client is ready, so logged in"
        for scan in scans:
            async for message in scan:
                if message.author.id == me.id and _carries(message, wanted):
                    return message
        return None

    async def _thread_for(self, message: discord.Message, post) -> tuple[discord.Thread | None, str | None]:
        """The post's discussion thread, made now if need be. Without permission to make one,
        the post still stands: it is recorded, with the problem for the organiser to see."""
        if message.thread is not None:
            return message.thread, None
        try:
            return await message.create_thread(name=_thread_name(post), auto_archive_duration=1440), None
        except discord.HTTPException as error:
            if error.code == THREAD_ALREADY_EXISTS:  # a thread started from a message has its id
                found = self.client.get_channel(message.id) or await self.client.fetch_channel(message.id)
                return (found if isinstance(found, discord.Thread) else None), None
            if error.status != 403:
                raise
            return None, "Posted without a discussion thread: the bot lacks Create Public Threads."


def _is_permanent(error: discord.HTTPException) -> bool:
    """A refusal that asking again will not change: permissions, a missing channel, a request
    Discord rejects as malformed. Rate limits and server errors are worth retrying."""
    return error.code in PERMANENT_CODES or (400 <= error.status < 500 and error.status != 429)


def _reason(error: discord.HTTPException) -> str:
    """What the organiser is told: a fixed sentence (the detail stays in the log)."""
    if error.code in PERMANENT_CODES:
        return PERMANENT_CODES[error.code]
    if error.status >= 500 or error.status == 429:
        return f"Discord was unavailable (HTTP {error.status}); retrying."
    return f"Discord refused the post (HTTP {error.status}, code {error.code}); see the bot's log."


def _carries(message: discord.Message, custom_id: str) -> bool:
    return any(
        getattr(child, "custom_id", None) == custom_id
        for row in message.components
        for child in getattr(row, "children", [])
    )


def _thread_name(post) -> str:
    first, last = post.passages[0], post.passages[-1]
    numbers = f"passage {first.ordinal}" if first is last else f"passages {first.ordinal}-{last.ordinal}"
    title = post.text.meta.title
    name = f"{post.local_date:%d %b}: {numbers} · {title}"
    return name[:100]
