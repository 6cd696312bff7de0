"""Shared pieces of the studybot end-to-end tests: our real `StudyBot` (discord.py) against the
loopback fake of Discord in tests/fake_discord, on a real SQLite store built from the corpus.

Time is a `SteppingClock` (a `ManualClock` that also says when the daily-post loop is asleep), so
a test moves the clock and waits for exactly one scheduler tick at the new time, instead of
sleeping. The `fake` fixture is `fake_discord` plus a check, at teardown, that no message the
bot sent anywhere (channel messages, ephemeral replies, follow-ups, edits, autocomplete) carries
traceback text and, unless the test expects it, that no command answered with the "something
went wrong" apology and nothing was logged at ERROR by studybot or discord.py.

The plain helpers at the bottom (channels and groups for a fan-out, counting posts) are also
used by bench/daily_posts.py.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import shutil
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.adapter.client import StudyBot
from bot.adapter.respond import APOLOGY
from bot.clock import ManualClock
from bot.store import Store
from tests.fake_discord import FAST_CLIENT_OPTIONS, FakeDiscord, env_for
from tests.fake_discord.fixtures import fake_discord, start_client  # noqa: F401  (pytest fixtures)
from tests.fake_discord.rest import TOKEN_ROUTES
from tests.helpers import start_plan

ROOT = Path(__file__).resolve().parents[2]
UTC = UTC
READ_PREFIX = "studybot:read:"
TICK_SECONDS = 60.0

# A Monday in winter (CET, UTC+1) and one in summer (CEST, UTC+2).
WINTER_MONDAY = datetime(2024, 1, 15, tzinfo=UTC)
SUMMER_MONDAY = datetime(2024, 7, 15, tzinfo=UTC)

TRACEBACK_MARKERS = (
    "Traceback (most recent call last)",
    'File "',
    "Error(",
    "Exception(",
    "sqlite3.",
    "discord.errors",
    "NoneType",
    "object has no attribute",
    "HTTPException",
    "<bot.",
    "0x7f",
)


class SteppingClock(ManualClock):
    """A ManualClock that counts who sleeps on it: when the daily-post loop is asleep, a test
    can move time and know the loop's next tick sees the new time."""

    def __init__(self, start: datetime):
        super().__init__(start)
        self.sleepers = 0

    async def sleep(self, seconds: float) -> None:
        self.sleepers += 1
        try:
            await super().sleep(seconds)
        finally:
            self.sleepers -= 1


async def step(
    fake: FakeDiscord, bot: StudyBot, to: datetime | None = None, *, timeout: float = 15.0, **delta: float
) -> datetime:
    """Move the bot's clock (to a moment, or by a timedelta's keywords) once its daily-post
    loop is asleep, and wait until the loop has run one full tick at the new time.
    A step must be at least the bot's tick interval, or the loop does not wake."""
    clock: SteppingClock = bot.clock
    await fake.wait_for(lambda: clock.sleepers > 0, timeout, "the daily-post loop to be asleep")
    ticks = bot.poster.ticks
    target = to if to is not None else clock.now() + timedelta(**delta)
    assert target - clock.now() >= timedelta(seconds=bot.poster.tick_seconds), "step shorter than a tick"
    clock.set(target)
    await fake.wait_for(
        lambda: bot.poster.ticks > ticks and clock.sleepers > 0,
        timeout,
        f"a daily-post tick at {target:%Y-%m-%d %H:%M} UTC",
    )
    return target


# -- fixtures -----------------------------------------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "bot_process: runs `python -m bot run` as a separate process "
        "(part of the normal suite; deselect with -m 'not bot_process')",
    )


@pytest_asyncio.fixture
async def fake(fake_discord, caplog):  # noqa: F811  (the imported fixture)
    """`fake_discord`, checked at teardown: nothing the bot sent shows a traceback, and neither
    an apology nor an error in the bot's or discord.py's log, unless the test set
    `fake.apologies_expected = True`."""
    fake_discord.apologies_expected = False
    yield fake_discord
    problems = []
    if not fake_discord.apologies_expected:
        problems += [
            f"logged: {r.name} {r.levelname} {r.getMessage()}"
            for r in caplog.get_records("call")
            if r.levelno >= logging.ERROR and r.name.split(".")[0] in ("bot", "discord")
        ]
    for text in bot_texts(fake_discord):
        if any(marker in text for marker in TRACEBACK_MARKERS):
            problems.append(f"traceback-like text reached Discord: {text[:300]!r}")
        if APOLOGY in text and not fake_discord.apologies_expected:
            problems.append(f"a command failed with the apology: {text[:300]!r}")
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def clock() -> SteppingClock:
    """Monday 15 Jan 2024, 07:00 UTC (08:00 in Berlin)."""
    return SteppingClock(WINTER_MONDAY.replace(hour=7))


@pytest_asyncio.fixture
async def launch(fake, start_client, store, clock):  # noqa: F811
    """`bot = await launch()`: a StudyBot on `store` and `clock`, connected to the fake and
    ready; pass another store or path (a restart) or clock. Every bot is closed at teardown,
    before the stores it opened."""
    opened: list[Store] = []
    bots: list[StudyBot] = []

    async def launch(
        on_store: Store | str | Path | None = None, on_clock: SteppingClock | None = None, **options: Any
    ) -> StudyBot:
        if isinstance(on_store, (str, Path)):
            on_store = Store(on_store)
            opened.append(on_store)
        bot = StudyBot(
            on_store or store, on_clock or clock, tick_seconds=TICK_SECONDS, **{**FAST_CLIENT_OPTIONS, **options}
        )
        bots.append(bot)
        await start_client(bot)
        # The first tick runs as soon as the bot is ready; let it finish before the test acts.
        await fake.wait_for(lambda: bot.poster.ticks > 0 and bot.clock.sleepers > 0, 10, "the first tick")
        return bot

    yield launch
    for bot in bots:
        if not bot.is_closed():
            await bot.close()
    for s in opened:
        s.close()


# -- acting on Discord ---------------------------------------------------------------------------


async def slash(
    fake: FakeDiscord,
    channel_id: int,
    user_id: int,
    name: str,
    subcommand: str | None = None,
    timeout: float = 5.0,
    **options: Any,
) -> dict:
    """Run a command and return the message the user finally sees (after any deferral), with
    `_ephemeral` and `_latency` (seconds to the first answer) added. Fails past Discord's 3 s."""
    handle = await fake.invoke_slash(
        fake.world.guild_id,
        channel_id,
        user_id,
        name,
        options={k: v for k, v in options.items() if v is not None},
        subcommand=subcommand,
    )
    return await answer_of(fake, handle, timeout)


async def answer_of(fake: FakeDiscord, handle, timeout: float = 5.0) -> dict:
    await handle.response(timeout=timeout)
    latency = fake.state.clock() - handle.created
    assert not handle.expired and latency < fake.interaction_deadline, f"answered after {latency:.2f}s"
    if handle.response_type == 5:  # deferred: the first follow-up replaces "thinking...", unless
        # the bot deleted that message to answer with another visibility
        def final(h):
            if h.deleted_original:
                return h.followups[-1] if h.followup_ids else None
            o = h.original
            return o if o is not None and not int(o.get("flags") or 0) & 128 else None

        message = await handle.wait(final, timeout, "the final answer")
    else:
        message = handle.original or handle.response_data
    return {**message, "_ephemeral": bool(int(message.get("flags") or 0) & 64), "_latency": latency, "_handle": handle}


def text_of(message: dict) -> str:
    """Everything a person reads in a message: content, embeds (title, description, fields,
    footer) and component labels."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for f in embed.get("fields") or []:
            parts += [f.get("name") or "", f.get("value") or ""]
        parts.append((embed.get("footer") or {}).get("text") or "")
    for row in message.get("components") or []:
        for c in row.get("components") or []:
            parts.append(c.get("label") or "")
    return "\n".join(p for p in parts if p)


def bot_texts(fake: FakeDiscord) -> Iterable[str]:
    """The text of every message the bot made (ephemeral included, as last edited), and of
    every interaction callback (including autocomplete choices)."""
    bot_id = fake.state.bot_user_id
    for stored in list(fake.state.messages.values()):
        if stored.author_id == bot_id:
            yield text_of(stored.data)
    for handle in list(fake.interactions.values()):
        data = handle.response_data
        yield text_of(data)
        for choice in data.get("choices") or []:
            yield f"{choice.get('name')} {choice.get('value')}"


def components_of(message: dict) -> list[dict]:
    return [c for row in message.get("components") or [] for c in row.get("components") or []]


def read_button(message: dict) -> dict | None:
    return next((c for c in components_of(message) if (c.get("custom_id") or "").startswith(READ_PREFIX)), None)


def posts_in(fake: FakeDiscord, channel_id: int) -> list[dict]:
    """The daily posts in a channel: the bot's messages carrying a Mark-as-read button."""
    bot_id = str(fake.state.bot_user_id)
    return [m for m in fake.messages(channel_id) if m["author"]["id"] == bot_id and read_button(m)]


def post_counts(fake: FakeDiscord, channel_ids: Iterable[int]) -> Counter:
    """channel id -> number of daily posts in it (one pass over the fake's messages)."""
    wanted = set(channel_ids)
    counts: Counter = Counter({c: 0 for c in wanted})
    bot_id = fake.state.bot_user_id
    for stored in list(fake.state.messages.values()):
        if (
            stored.channel_id in wanted
            and stored.author_id == bot_id
            and not stored.deleted
            and not stored.ephemeral
            and read_button(stored.data)
        ):
            counts[stored.channel_id] += 1
    return counts


def thread_counts(fake: FakeDiscord, channel_ids: Iterable[int]) -> Counter:
    wanted = set(channel_ids)
    counts: Counter = Counter({c: 0 for c in wanted})
    for thread in fake.state.threads():
        if thread.parent_id in wanted:
            counts[thread.parent_id] += 1
    return counts


async def wait_until_recorded(fake: FakeDiscord, db_path, posts: int, timeout: float) -> None:
    """Wait until the bot process has recorded `posts` posts in its database."""

    def recorded() -> bool:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM deliveries WHERE status = 'posted'").fetchone()[0] == posts

    await fake.wait_for(recorded, timeout, "every post to be recorded")


def forget_nonces(fake: FakeDiscord) -> None:
    """Discord remembers a message nonce for a few minutes only: make the fake forget them, as
    after a long outage, so that only the bot's own bookkeeping can prevent a second post."""
    for stored in fake.state.messages.values():
        stored.nonce = None


# -- fan-out: many groups due at once (also used by bench/daily_posts.py) -------------------------


MEMBER_COMMANDS = [
    ("search", {"query": "Kronstadt"}),
    ("progress", {}),
    ("search", {"query": "why did the bureaucracy win against the opposition"}),
    ("today", {}),
    ("passage", {"number": 3}),
    ("catchup", {}),
    ("texts", {}),
    ("search", {"query": "party state revolution"}),
]
"""What members keep asking while the posts go out (the fan-out test, bench/loop_lag.py)."""


async def members_keep_asking(fake: FakeDiscord, channel_id: int, user_id: int, every: float, latencies: list) -> None:
    """Run MEMBER_COMMANDS in turn, one every `every` seconds, until cancelled; each answer's
    latency (seconds to the final message) goes into `latencies`."""
    for name, options in itertools.cycle(MEMBER_COMMANDS):
        began = time.monotonic()
        handle = await fake.invoke_slash(fake.world.guild_id, channel_id, user_id, name, options=options)
        await answer_of(fake, handle, timeout=10)
        latencies.append(time.monotonic() - began)
        await asyncio.sleep(every)


def add_channels(fake: FakeDiscord, count: int) -> list[int]:
    return [fake.add_text_channel(f"group-{n:03d}").id for n in range(count)]


def due_now_schedule(now: datetime | None = None) -> tuple[str, str]:
    """(post time, zone) for plans due at once: a minute before the current UTC time. Near
    midnight UTC a fixed UTC-6 zone keeps "a minute ago" on the same local day."""
    now = now or datetime.now(UTC)
    zone, local = "UTC", now
    if now.hour == 23 and now.minute >= 50 or now.hour == 0 and now.minute < 10:
        zone, local = "Etc/GMT+6", now - timedelta(hours=6)
    return (local - timedelta(minutes=1)).strftime("%H:%M"), zone


def make_fanout_db(corpus_db: Path | None, target: Path, guild_id: int, channel_ids: list[int]) -> Path:
    """A copy of the corpus database (or `target` as it is, given None) with one plan per
    channel, all due now, by the real clock (for `python -m bot run`)."""
    if corpus_db is not None:
        shutil.copy(corpus_db, target)
    now = datetime.now(UTC)
    post_time, zone = due_now_schedule(now)
    store = Store(target)
    try:
        for channel_id in channel_ids:
            start_plan(store, guild_id, channel_id, time=post_time, zone=zone, now=now)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return target


def request_rates(fake: FakeDiscord, since: float = 0.0) -> tuple[int, float]:
    """(the most requests in any one-second window, the mean rate) of the bot's REST traffic that
    Discord's global limit counts: answers to interactions (callbacks, follow-ups) are not."""
    times = sorted(r.time for r in fake.requests if r.time >= since and not r.path.startswith(TOKEN_ROUTES))
    if not times:
        return 0, 0.0
    worst, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= 1.0:
            lo += 1
        worst = max(worst, hi - lo + 1)
    span = max(times[-1] - times[0], 1e-9)
    return worst, len(times) / span


def rate_limited(fake: FakeDiscord, since: float = 0.0) -> list:
    """429s the fake answered that no test injected (window limits and real pacing failures)."""
    return [r for r in fake.requests if r.time >= since and r.status == 429 and r.fault != "429 before"]


def bot_process_env(fake: FakeDiscord, db_path: Path) -> dict:
    """The environment of `python -m bot run` against the fake. Every studybot setting is given
    (empty ones too: a set variable wins over a developer's .env), so nothing but loopback is used."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    return {
        **inherited,
        **env_for(fake),
        "STUDYBOT_DB": str(db_path),
        "STUDYBOT_CORPUS": str(ROOT / "corpus"),
        "STUDYBOT_LOG_LEVEL": "INFO",
        "STUDYBOT_LLM_URL": "",
        "STUDYBOT_LLM_MODEL": "",
        "STUDYBOT_LLM_API_KEY": "",
        "STUDYBOT_HEALTH_FILE": "",
        "PYTHONUNBUFFERED": "1",
    }


async def start_bot_process(
    fake: FakeDiscord, db_path: Path, log_path: Path, *options: str, env: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    """`python -m bot run [OPTIONS]` against the fake, logging to `log_path` (appended); `env`
    adds to (or overrides) bot_process_env."""
    log = open(log_path, "ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            *options,
            cwd=str(ROOT),
            env={**bot_process_env(fake, db_path), **(env or {})},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
    finally:
        log.close()


async def run_studybot(
    fake: FakeDiscord, db_path: Path, *args: str, timeout: float = 8, **env: str
) -> tuple[int | None, str]:
    """Run `python -m bot ARGS` (as the bot process would, on its database) for up to `timeout`
    seconds, without holding the event loop the fake runs on: its exit code (None if it was still
    running, and then stopped) and its output, stdout and stderr together."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=str(ROOT),
        env={**bot_process_env(fake, db_path), **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await asyncio.wait_for(process.wait(), timeout=timeout)
    except TimeoutError:
        process.terminate()
        await process.wait()
        return None, (await process.stdout.read()).decode()
    return process.returncode, (await process.stdout.read()).decode()


async def run_bot_process(
    fake: FakeDiscord, db_path: Path, *options: str, timeout: float = 8, **env: str
) -> tuple[int | None, str]:
    """`python -m bot run [OPTIONS]` by run_studybot."""
    return await run_studybot(fake, db_path, "run", *options, timeout=timeout, **env)


async def kill(process: asyncio.subprocess.Process, sig: int = signal.SIGKILL) -> int:
    if process.returncode is None:
        process.send_signal(sig)
    return await asyncio.wait_for(process.wait(), timeout=10)


async def wait_for_posts(
    fake: FakeDiscord,
    channel_ids: list[int],
    at_least: int,
    timeout: float,
    process: asyncio.subprocess.Process | None = None,
) -> int:
    """Wait until `at_least` channels have their post; fail early if the process dies."""

    def enough():
        if process is not None and process.returncode is not None:
            raise AssertionError(f"the bot process exited with {process.returncode}")
        done = sum(1 for n in post_counts(fake, channel_ids).values() if n)
        return done if done >= at_least else 0

    return await fake.wait_for(enough, timeout, f"{at_least} channels with their post")
