"""Commands under a burst: 200 interactions arriving at once (members pressing Mark as read as a
post lands), answered by the real studybot and by a trivial discord.py bot, both against the
loopback fake of Discord (tests/fake_discord) in this process, on the same event loop as the fake.

    python bench/command_burst.py                 # 3 runs of each burst
    python bench/command_burst.py --runs 5 --size 300
    python bench/command_burst.py --profile       # also: cProfile of one studybot burst (top 25)

Two bursts: `read`, N presses of Mark as read by N distinct members; `mix`, three quarters of N
presses and a quarter of /search and /today (half each). The trivial bot answers the same
interactions (a button on a message of its own, and two slash commands of the same names) with a
plain response at once. "First answer" is the interaction callback (POST .../callback) as the
fake receives it, from the moment the fake sent the interaction; a deferral counts, as on Discord.
It prints p50/p90/p99/max for each run and the ratio of studybot's p99 to the trivial bot's, and
checks that every press was answered once and recorded once.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import re
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
from bot.store import Store  # noqa: E402
from tests.e2e.conftest import WINTER_MONDAY, SteppingClock, posts_in, read_button, step  # noqa: E402
from tests.fake_discord import FAST_CLIENT_OPTIONS, FakeDiscord, InteractionHandle, run_client  # noqa: E402
from tests.helpers import start_plan  # noqa: E402

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

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), **FAST_CLIENT_OPTIONS)
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="today", description="today")
        async def today(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Today's passage.", ephemeral=True)

        @self.tree.command(name="search", description="search")
        async def search(interaction: discord.Interaction, query: str) -> None:
            await interaction.response.send_message(f"Results for {query}.")

    async def setup_hook(self) -> None:
        self.add_dynamic_items(TrivialButton)
        await self.tree.sync()


# -- firing and measuring ---------------------------------------------------------------------


def burst(size: int, mixed: bool) -> list[str]:
    """What each of `size` members does: "read", or "search"/"today" for a quarter in a mix."""
    if not mixed:
        return ["read"] * size
    heavy = size // 4
    return ["read"] * (size - heavy) + ["search" if i % 2 else "today" for i in range(heavy)]


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
        async with run_client(fake, TrivialBot()) as bot:
            channel = bot.get_channel(room)
            view = discord.ui.View(timeout=None)
            view.add_item(TrivialButton(1))
            sent = await channel.send("A passage.", view=view)  # type: ignore[union-attr]
            post = fake.message(sent.id)
            for run in range(-1, runs):  # run -1 warms up: connections opened, code paths run once
                handles = await fire(fake, post, "trivial:read:1", members[run], burst(size, mixed))
                seconds = await first_answers(fake, handles)
                if run >= 0:
                    results.append(percentiles(seconds))
                await asyncio.sleep(0.5)
    return results


async def studybot_runs(
    db: Path, size: int, mixed: bool, runs: int, profile: cProfile.Profile | None = None
) -> list[dict[str, float]]:
    async with FakeDiscord() as fake:
        room = fake.world.reading_room.id
        members = [new_members(fake, size, f"s{r}-") for r in range(runs + 1)]
        store = Store(db)
        group = start_plan(store, fake.world.guild_id, room)
        clock = SteppingClock(WINTER_MONDAY.replace(hour=7))
        results = []
        try:
            bot = StudyBot(store, clock, tick_seconds=60, **FAST_CLIENT_OPTIONS)
            async with run_client(fake, bot):
                await fake.wait_for(lambda: bot.poster.ticks and clock.sleepers, 10, "the first tick")
                await step(fake, bot, WINTER_MONDAY.replace(hour=8))
                [post] = posts_in(fake, room)
                for run in range(-1, runs):  # run -1 warms up, as for the trivial bot
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
                    check = f"reads recorded {len(readers) - len(missing)}/{len(readers)}, answered {answered_once}"
                    if run >= 0:
                        results.append({**percentiles(seconds), "_check": check})  # type: ignore[dict-item]
                    await asyncio.sleep(0.5)
        finally:
            store.close()
    return results


def _finished(handle: InteractionHandle) -> bool:
    """Answered, and a deferred answer followed up."""
    if handle.callback is None:
        return handle.expired
    return handle.response_type != 5 or bool(handle.followup_ids) or handle.original is not None


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200, help="interactions in a burst")
    parser.add_argument("--runs", type=int, default=3, help="bursts of each kind, each bot")
    parser.add_argument("--only", choices=("read", "mix"), help="one kind of burst only")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of a studybot burst")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studybot-burst-") as tmp:
        base = corpus_db(Path(tmp))
        for kind in ("read", "mix") if args.only is None else (args.only,):
            mixed = kind == "mix"
            what = "Mark as read" if not mixed else "3/4 Mark as read, 1/8 /search, 1/8 /today"
            print(f"\n{args.size} interactions at once ({what}), time to first answer, {args.runs} runs")
            trivial = await trivial_runs(args.size, mixed, args.runs)
            db = Path(tmp) / f"{kind}.db"
            db.write_bytes(base.read_bytes())
            profile = cProfile.Profile() if args.profile else None
            began = time.monotonic()
            ours = await studybot_runs(db, args.size, mixed, args.runs, profile)
            for figures in trivial:
                print(line("trivial", figures))
            for figures in ours:
                check = figures.pop("_check")  # type: ignore[call-overload]
                print(line("studybot", figures, str(check)))
            t99 = statistics.median(f["p99"] for f in trivial)
            s99 = statistics.median(f["p99"] for f in ours)
            print(f"  median p99: studybot {s99 * 1000:.0f} ms, trivial {t99 * 1000:.0f} ms, ratio {s99 / t99:.2f}")
            print(f"  (studybot runs took {time.monotonic() - began:.1f} s in all)")
            if profile is not None:
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
                print(out.getvalue())


if __name__ == "__main__":
    asyncio.run(main())
