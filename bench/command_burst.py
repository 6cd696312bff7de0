"""Commands under a burst: 200 interactions arriving at once (members pressing Mark as read as a
post lands), answered by the real studybot and by a trivial discord.py bot, both against the
loopback fake of Discord (tests/fake_discord): in this process, on the same event loop as the
fake, or (--process) each in a process of its own, as they run for real.

    python bench/command_burst.py                 # 5 runs of each burst, each bot
    python bench/command_burst.py --groups 200    # each burst while 200 other groups' posts go out
    python bench/command_burst.py --process       # each bot in a process of its own (studybot: python -m bot run)
    python bench/command_burst.py --runs 9 --size 300
    python bench/command_burst.py --profile       # also: cProfile of one studybot burst (top 25)

Two bursts: `read`, N presses of Mark as read by N distinct members; `mix`, every fourth
interaction a heavier command (--heavy: /search and /today in turn by default; `chart` is
/progress chart:True), the rest presses. The trivial bot answers the same interactions (a button
on a message of its own, and slash commands of the same names) with a plain response at once. "First answer" is the interaction callback (POST .../callback) as the
fake receives it, from the moment the fake sent the interaction; a deferral counts, as on Discord.
Each run starts a bot afresh and fires one burst to warm it up (connections opened, code run
once), then the measured one; the two bots take turns, so that both meet the machine's load
alike. It prints p50/p90/p99/max for each run (and each kind's p99 in a mix), the ratio of
studybot's p99 to the trivial bot's run by run and its median, and checks that every press was
answered once and recorded once.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from daily_posts import corpus_db  # noqa: E402

from bot.adapter.client import StudyBot  # noqa: E402
from bot.adapter.endpoints import point_discord_at  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    WINTER_MONDAY,
    SteppingClock,
    add_channels,
    components_of,
    kill,
    make_fanout_db,
    post_counts,
    posts_in,
    read_button,
    start_bot_process,
    step,
    wait_for_posts,
)
from tests.fake_discord import FAST_CLIENT_OPTIONS, FakeDiscord, InteractionHandle, env_for, run_client  # noqa: E402
from tests.helpers import start_plan  # noqa: E402

TRIVIAL_ID = "trivial:read:1"
GLOBAL_LIMIT = 50  # requests a second: Discord's global limit for a bot (the fake enforces it)
QUERIES = ("bureaucracy", "workers state", "revolution", '"soviet power"', "party", "thermidor", "lenin*", "class")

Fire = Callable[[FakeDiscord, list[int]], Awaitable[list[InteractionHandle]]]


# -- the trivial bot ----------------------------------------------------------------------------


class TrivialButton(discord.ui.DynamicItem[discord.ui.Button], template=r"trivial:read:(?P<n>[0-9]+)"):
    def __init__(self, n: int):
        super().__init__(discord.ui.Button(label="Mark as read", custom_id=f"trivial:read:{n}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> TrivialButton:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Marked as read.", ephemeral=True)


class TrivialBot(discord.Client):
    """What any discord.py bot does at the least: a persistent button and two commands, each
    answered with a plain message at once."""

    def __init__(self, post_in: int) -> None:
        super().__init__(intents=discord.Intents(guilds=True), **FAST_CLIENT_OPTIONS)
        self.tree = app_commands.CommandTree(self)
        self.post_in = post_in

        @self.tree.command(name="today", description="today")
        async def today(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Today's passage.", ephemeral=True)

        @self.tree.command(name="progress", description="progress")
        async def progress(interaction: discord.Interaction, chart: bool = False) -> None:
            await interaction.response.send_message("Your progress.", ephemeral=True)

        @self.tree.command(name="search", description="search")
        async def search(interaction: discord.Interaction, query: str) -> None:
            await interaction.response.send_message(f"Results for {query}.")

    async def setup_hook(self) -> None:
        self.add_dynamic_items(TrivialButton)
        await self.tree.sync()

    async def on_ready(self) -> None:
        """Its post, with the button the members press."""
        view = discord.ui.View(timeout=None)
        view.add_item(TrivialButton(1))
        await self.get_channel(self.post_in).send("A passage.", view=view)  # type: ignore[union-attr]


async def serve_trivial(channel_id: int) -> None:
    """The trivial bot in a process of its own (--process), pointed at the fake by the
    environment, as studybot is."""
    point_discord_at(os.environ["DISCORD_API_BASE"], os.environ["DISCORD_GATEWAY_URL"])
    async with TrivialBot(channel_id) as bot:
        await bot.start(os.environ["DISCORD_TOKEN"])


async def trivial_post(fake: FakeDiscord, room: int) -> dict:
    def found() -> dict | None:
        return next(
            (m for m in fake.messages(room) if any(c.get("custom_id") == TRIVIAL_ID for c in components_of(m))), None
        )

    return await fake.wait_for(found, 60, "the trivial bot's post")


# -- firing and measuring ---------------------------------------------------------------------


HEAVY = ("search", "today")
"""The heavier commands of a mix (--heavy): /search, /today, or "chart" (/progress chart:True)."""


def burst(size: int, mixed: bool) -> list[str]:
    """What each of `size` members does, in the order they arrive: "read", or in a mix every
    fourth one of HEAVY (in turn), so that presses arrive behind heavier commands as in life."""
    if not mixed:
        return ["read"] * size
    return [HEAVY[i // 4 % len(HEAVY)] if i % 4 == 3 else "read" for i in range(size)]


async def fire(fake: FakeDiscord, post: dict, custom_id: str, members: list[int], kinds: list[str]) -> list:
    """Every interaction at once (one turn of the loop), interleaved as they come."""
    room = int(post["channel_id"])
    handles = []
    for i, (member, kind) in enumerate(zip(members, kinds, strict=True)):
        if kind == "read":
            handles.append(await fake.click(post, custom_id, member))
        elif kind == "search":
            query = {"query": QUERIES[i % len(QUERIES)]}
            handles.append(await fake.invoke_slash(fake.world.guild_id, room, member, "search", query))
        elif kind == "chart":
            handles.append(await fake.invoke_slash(fake.world.guild_id, room, member, "progress", {"chart": True}))
        else:
            handles.append(await fake.invoke_slash(fake.world.guild_id, room, member, "today"))
    return handles


async def first_answers(fake: FakeDiscord, handles: list[InteractionHandle], timeout: float = 60) -> list[float]:
    """Seconds from each interaction to its callback reaching the fake."""
    await fake.wait_for(lambda: all(h.callback is not None or h.expired for h in handles), timeout, "every answer")
    wanted = {str(h.id): h for h in handles}
    arrived: dict[str, float] = {}
    for r in fake.requests:
        if r.route == "/interactions/{interaction_id}/{token}/callback":
            iid = r.path.split("/")[2]
            if iid in wanted and iid not in arrived:
                arrived[iid] = r.time
    return [arrived[str(h.id)] - h.created for h in handles]


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": ordered[-1]}


def by_kind(kinds: list[str], seconds: list[float]) -> str:
    """p99 of each kind of interaction in a mixed burst."""
    if len(set(kinds)) == 1:
        return ""
    out = []
    for kind in sorted(set(kinds)):
        mine = [s for k, s in zip(kinds, seconds, strict=True) if k == kind]
        out.append(f"{kind} p99 {percentiles(mine)['p99'] * 1000:.0f}")
    return ", ".join(out)


def line(who: str, figures: dict[str, float], extra: str = "") -> str:
    cells = "  ".join(f"{k} {v * 1000:6.0f} ms" for k, v in figures.items())
    return f"  {who:<10} {cells}  {extra}"


def new_members(fake: FakeDiscord, count: int, tag: str) -> list[int]:
    return [fake.add_member(f"{tag}{i}") for i in range(count)]


# -- the two bots -------------------------------------------------------------------------------


async def trivial_runs(size: int, mixed: bool, runs: int) -> list[dict[str, float]]:
    async with FakeDiscord() as fake:
        room = fake.world.reading_room.id
        members = [new_members(fake, size, f"t{r}-") for r in range(runs + 1)]
        results = []
        async with run_client(fake, TrivialBot(room)):
            post = await trivial_post(fake, room)
            for run in range(-1, runs):  # run -1 warms up: connections opened, code paths run once
                kinds = burst(size, mixed)
                handles = await fire(fake, post, TRIVIAL_ID, members[run], kinds)
                seconds = await first_answers(fake, handles)
                if run >= 0:
                    results.append({**percentiles(seconds), "_kinds": by_kind(kinds, seconds)})  # type: ignore[dict-item]
                await asyncio.sleep(0.5)
    return results


async def studybot_runs(
    db: Path, size: int, mixed: bool, runs: int, groups: int = 0, profile: cProfile.Profile | None = None
) -> list[dict[str, float]]:
    """`groups`: as many other groups, each due a minute after the burst's own, each burst
    fired while their posts go out (a day's fan-out, at Discord's global limit)."""
    async with FakeDiscord() as fake:
        room = fake.world.reading_room.id
        members = [new_members(fake, size, f"s{r}-") for r in range(runs + 1)]
        store = Store(db)
        group = start_plan(store, fake.world.guild_id, room)
        others = add_channels(fake, groups * (runs + 1))
        for n, channel_id in enumerate(others):  # a minute apart for each burst
            start_plan(store, fake.world.guild_id, channel_id, time=f"09:{1 + n // groups:02d}")
        fake.limit_globally(GLOBAL_LIMIT)
        clock = SteppingClock(WINTER_MONDAY.replace(hour=7))
        results = []
        try:
            bot = StudyBot(store, clock, tick_seconds=60, **FAST_CLIENT_OPTIONS)
            async with run_client(fake, bot):
                await fake.wait_for(lambda: bot.poster.ticks and clock.sleepers, 10, "the first tick")
                await step(fake, bot, WINTER_MONDAY.replace(hour=8))
                [post] = posts_in(fake, room)
                moved = 0.0
                for run in range(-1, runs):  # run -1 warms up, as for the trivial bot
                    if groups:
                        due = others[(run + 1) * groups : (run + 2) * groups]
                        moved = await fan_out_under_way(fake, bot, due, moved, run + 2)
                    kinds = burst(size, mixed)
                    if profile is not None and run == runs - 1:
                        profile.enable()
                    handles = await fire(fake, post, read_button(post)["custom_id"], members[run], kinds)  # type: ignore[index]
                    seconds = await first_answers(fake, handles)
                    await fake.wait_for(lambda hs=handles: all(_finished(h) for h in hs), 60, "every final answer")
                    if profile is not None:
                        profile.disable()
                    readers = [m for m, k in zip(members[run], kinds, strict=True) if k == "read"]
                    recorded = store.readers(group.id)
                    missing = [m for m in readers if m not in recorded]
                    answered_once = sum(1 for h in handles if h.callback_status == 200 and not h.expired)
                    deferred = sum(1 for h in handles if h.response_type == 5)
                    check = (
                        f"reads recorded {len(readers) - len(missing)}/{len(readers)}, answered {answered_once}"
                        f" ({deferred} first by a deferral)"
                    )
                    if run >= 0:
                        results.append({**percentiles(seconds), "_check": check, "_kinds": by_kind(kinds, seconds)})  # type: ignore[dict-item]
                    await asyncio.sleep(0.5)
        finally:
            store.close()
    return results


async def in_processes(base: Path, folder: Path, size: int, mixed: bool, n: int) -> tuple[dict, dict]:
    """One run of each bot in a process of its own (`python -m bot run` for studybot), the fake
    in this one: (trivial, studybot) figures of the measured burst, after a warm-up burst."""
    figures = []
    for who in ("trivial", "studybot"):
        async with FakeDiscord() as fake:
            room = fake.world.reading_room.id
            members = [new_members(fake, size, f"{who[0]}{r}-") for r in range(2)]
            if who == "trivial":
                process = await asyncio.create_subprocess_exec(
                    sys.executable, __file__, "--serve-trivial", str(room), env={**os.environ, **env_for(fake)}
                )
                db = None
            else:
                db = make_fanout_db(base, folder / f"process-{n}.db", fake.world.guild_id, [room])
                process = await start_bot_process(fake, db, folder / "process.log")
            try:
                if who == "trivial":
                    post, custom_id = await trivial_post(fake, room), TRIVIAL_ID
                else:
                    await wait_for_posts(fake, [room], 1, 120, process)
                    [post] = posts_in(fake, room)
                    custom_id = read_button(post)["custom_id"]  # type: ignore[index]
                for run in (0, 1):  # the first warms up
                    kinds = burst(size, mixed)
                    handles = await fire(fake, post, custom_id, members[run], kinds)
                    seconds = await first_answers(fake, handles)
                    await fake.wait_for(lambda hs=handles: all(_finished(h) for h in hs), 60, "every final answer")
                    await asyncio.sleep(0.5)
                result = {**percentiles(seconds), "_kinds": by_kind(kinds, seconds)}
                if db is not None:
                    readers = {m for m, k in zip(members[1], kinds, strict=True) if k == "read"}
                    with sqlite3.connect(db) as conn:
                        recorded = {r[0] for r in conn.execute("SELECT DISTINCT user_id FROM reads")}
                    answered = sum(1 for h in handles if h.callback_status == 200 and not h.expired)
                    deferred = sum(1 for h in handles if h.response_type == 5)
                    result["_check"] = (  # type: ignore[assignment]
                        f"reads recorded {len(readers & recorded)}/{len(readers)}, answered {answered}"
                        f" ({deferred} first by a deferral)"
                    )
                figures.append(result)
            finally:
                await kill(process, signal.SIGTERM)
    return figures[0], figures[1]


async def fan_out_under_way(fake: FakeDiscord, bot: StudyBot, due: list[int], since: float, minute: int) -> float:
    """Wait for the tick that began after `since` (the last fan-out) to end, move the clock to
    the minute `due` are due, and wait until their first posts are out. Returns when it moved."""
    ended = lambda: (bot.poster.last_tick_steady or 0) > since  # noqa: E731
    await fake.wait_for(ended, 300, "the last fan-out")
    moved = time.monotonic()
    bot.clock.set(WINTER_MONDAY.replace(hour=8, minute=minute))  # type: ignore[attr-defined]
    await fake.wait_for(lambda: sum(post_counts(fake, due).values()) >= min(10, len(due)), 60, "posts")
    return moved


def _finished(handle: InteractionHandle) -> bool:
    """Answered for good: a deferred answer's "thinking..." replaced by its follow-up."""
    if handle.callback is None:
        return handle.expired
    if handle.response_type != 5:
        return True
    if handle.deleted_original:
        return bool(handle.followup_ids)
    original = handle.original
    return original is not None and not int(original.get("flags") or 0) & 128


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200, help="interactions in a burst")
    parser.add_argument("--runs", type=int, default=5, help="bursts of each kind, each bot, taking turns")
    parser.add_argument("--only", choices=("read", "mix"), help="one kind of burst only")
    parser.add_argument("--groups", type=int, default=0, help="other groups whose posts go out during each burst")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of a studybot burst")
    parser.add_argument("--heavy", default="search,today", help="the heavier commands of a mix: search,today,chart")
    parser.add_argument("--process", action="store_true", help="each bot in a process of its own, the fake in this one")
    parser.add_argument("--serve-trivial", type=int, metavar="CHANNEL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_trivial:
        await serve_trivial(args.serve_trivial)
        return
    global HEAVY
    HEAVY = tuple(args.heavy.split(","))
    if args.process and (args.groups or args.profile):
        parser.error("--process runs without --groups or --profile")
    with tempfile.TemporaryDirectory(prefix="studybot-burst-") as tmp:
        base = corpus_db(Path(tmp))
        for kind in ("read", "mix") if args.only is None else (args.only,):
            mixed = kind == "mix"
            what = "Mark as read" if not mixed else f"3/4 Mark as read, 1/4 {' and '.join(HEAVY)}"
            if args.groups:
                what += f"; studybot meanwhile posting for {args.groups} other groups"
            if args.process:
                what += "; each bot in a process of its own"
            print(f"\n{args.size} interactions at once ({what}), time to first answer, {args.runs} runs of each")
            profile = cProfile.Profile() if args.profile else None
            ratios = []
            for run in range(args.runs):  # in turns, so that both meet the machine's load alike
                if args.process:
                    trivial, ours = await in_processes(base, Path(tmp), args.size, mixed, run)
                else:
                    [trivial] = await trivial_runs(args.size, mixed, 1)
                    db = Path(tmp) / f"{kind}-{run}.db"
                    db.write_bytes(base.read_bytes())
                    [ours] = await studybot_runs(db, args.size, mixed, 1, args.groups, profile)
                kinds = trivial.pop("_kinds")  # type: ignore[call-overload]
                print(line("trivial", trivial, str(kinds)))
                check, kinds = ours.pop("_check"), ours.pop("_kinds")  # type: ignore[call-overload]
                print(line("studybot", ours, f"{kinds}; {check}" if kinds else str(check)))
                ratios.append(ours["p99"] / trivial["p99"])
            print(f"  p99 studybot / trivial, run by run: {', '.join(f'{r:.2f}' for r in ratios)}")
            print(f"  median: {statistics.median(ratios):.2f}")
            if profile is not None:
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
                print(out.getvalue())


if __name__ == "__main__":
    asyncio.run(main())
