"""What many test modules need: moments in one Berlin week, a plan started and posts made the way
the front ends and the scheduler do, the studybot command run in this process, and a tiny library
written inline, for tests about logic rather than about the bundled texts."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result

from bot import render
from bot.models import Delivery, Group
from bot.reading import plans, posting
from bot.render import Button, Card, Reply
from bot.store import Store
from bot.store.schema import MIGRATIONS, statements
from bot.texts.segment import Pace

ROOT_DIR = Path(__file__).resolve().parent.parent

BERLIN = ZoneInfo("Europe/Berlin")
GUILD, CHANNEL = 1, 10
ORGANISER = 7


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A moment in Berlin in 2024; in March the 4th is a Monday (CET, before DST)."""
    return datetime(2024, month, day, hour, minute, tzinfo=BERLIN)


def start_plan(
    store: Store,
    guild_id: int = GUILD,
    channel_id: int = CHANNEL,
    *,
    text: str = "thermidor",
    time: str = "09:00",
    zone: str = "Europe/Berlin",
    weekdays: str | None = None,
    pace: int | None = None,
    start_at: int | None = None,
    now: datetime | None = None,
    user_id: int = ORGANISER,
    is_organiser: bool = True,
) -> Group:
    """A plan started through the core, as /study start does: daily at 09:00 in Berlin unless told."""
    return plans.start_plan(
        store,
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        is_organiser=is_organiser,
        text=text,
        time=time,
        zone=zone,
        weekdays=weekdays,
        pace=pace,
        start_at=start_at,
        now=now or at(4, 8),
    )


def post_on(store: Store, *days: int) -> list[Delivery]:
    """Make every post due at 09:00 on these days of March, as the scheduler and the adapter would;
    returns the posts made, as recorded."""
    made = []
    for day in days:
        for due in posting.claim_due_posts(store, at(day, 9)):
            posting.complete(store, due.delivery, 9000 + due.delivery.id, None, at(day, 9))
            made.append(store.get_delivery(due.delivery.id))
    return made


def delivery_rows(store: Store, group_id: int) -> list[tuple]:
    """A group's posts as the database holds them: (local date, first, last passage, status)."""
    return [
        tuple(r)
        for r in store.query(
            "SELECT local_date, first_ordinal, last_ordinal, status FROM deliveries WHERE group_id = ? "
            "ORDER BY local_date",
            (group_id,),
        )
    ]


# -- Discord's limits ----------------------------------------------------------------------------


def message_problems(cards: tuple[Card, ...], text: str = "", buttons: tuple[Button, ...] = ()) -> list[str]:
    """What Discord would refuse in one message: an empty message, the content, the embed count,
    each embed's parts and their sum, the button labels. A message over a limit is not cut but
    refused: the member would see nothing at all."""
    problems = []
    if not (text or cards):
        problems.append("nothing to send")
    if len(text) > render.CONTENT_LIMIT:
        problems.append(f"content of {len(text)} > {render.CONTENT_LIMIT}")
    if len(cards) > 10:
        problems.append(f"{len(cards)} embeds")
    for card in cards:
        for part, value, limit in [
            ("title", card.title, 256),
            ("description", card.description, 4096),
            ("footer", card.footer, 2048),
        ]:
            if len(value) > limit:
                problems.append(f"{part} of {len(value)} > {limit}")
        if len(card.fields) > 25:
            problems.append(f"{len(card.fields)} fields")
        for name, value in card.fields:
            if not 0 < len(name) <= 256 or len(value) > 1024:
                problems.append(f"field {name[:20]!r} of {len(name)}/{len(value)}")
    total = sum(render.card_size(c) for c in cards)
    if total > 6000:
        problems.append(f"{total} characters in all")
    problems += [f"button label {b.label[:20]!r}" for b in buttons if not 0 < len(b.label) <= 80]
    return problems


def assert_fits(reply: Reply) -> None:
    assert message_problems(reply.cards, reply.text, reply.buttons) == []


# -- the studybot command -------------------------------------------------------------------------


def studybot(
    *args: str, folder: Path, db: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
) -> Result:
    """`studybot [--db DB] ARGS` in this process through click's CliRunner, from `folder` (so no
    .env of the developer's is read) and without the caller's STUDYBOT_ and DISCORD_ settings.
    A StudyError the command raises stays in `result.exception`: main() prints it as one line
    (tests/test_cli.py runs that part as a real process)."""
    from bot.cli import cli

    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith(("STUDYBOT_", "DISCORD_"))}
    with contextlib.chdir(folder):
        return CliRunner().invoke(
            cli, [*(["--db", str(db)] if db else []), *args], input=input, env={**cleared, **(env or {})}
        )


# -- a tiny library -------------------------------------------------------------------------------

TINY_PACE = Pace(min_words=8, max_words=16)
"""Every paragraph of the tiny library is one passage at this pace."""

TINY_LIBRARY = {
    # Ten passages: "soil" (or "notes on soil") names it.
    "gardener-soil.md": """---
title: Notes on Soil
author: Ada Gardener
year: 1911
---
# What soil is

Soil is rock broken small, mixed with what lived and died in it.

A handful of good soil holds more living things than there are people.

# Feeding it

Compost returns to the ground what the harvest took away from it.

Manure feeds the soil slowly, and the soil then feeds the plants.

# Keeping it

Bare ground washes away in the rain; cover it with leaves or a crop.

Walk on the beds as little as you can, so the soil stays open.

# Water

Water deeply and seldom, so that the roots go down to look for it.

A mulch of straw keeps the water in the ground through a dry week.

# The year

Dig in autumn, let the frost break the clods, and rake in spring.

Every year the soil should be a little better than you found it.
""",
    # Three passages, by the same author: "gardener" names two texts.
    "gardener-seeds.md": """---
title: Notes on Seeds
author: Ada Gardener
---
# Saving seed

Save seed from the strongest plants, and only from those that came true.

Dry the seed well before you store it in paper, never in glass.

Sow it the next spring, and keep a note of where each row came from.
""",
    # Four passages.
    "baker-bread.md": """---
title: Bread Every Day
author: Ben Baker
---
# Flour and water

Flour, water, salt and time are all that a plain loaf needs.

Knead the dough until it is smooth and springs back under a finger.

# The oven

Bake the loaf hot at first, then lower the heat so the crust can set.

Let the bread cool before you cut it, or the crumb will be gummy.
""",
}
SOIL = "gardener-soil"
SOIL_PASSAGES = 10


def write_tiny_library(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in TINY_LIBRARY.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def studybot_process(*args, db=None, cwd=None, env_extra=None) -> subprocess.CompletedProcess[str]:
    """`python -m bot [--db DB] ARGS` as a real process, for what CliRunner cannot show: start-up,
    main()'s one-line errors, signals."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    env.update(env_extra or {})
    command = [sys.executable, "-m", "bot"] + (["--db", str(db)] if db else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd or ROOT_DIR, env=env, timeout=60)


def database_at_schema(path: Path, version: int = len(MIGRATIONS) - 1) -> None:
    """An empty database file as an older studybot left it: migrations 1 to `version` (default:
    every one but the last)."""
    conn = sqlite3.connect(path)
    try:
        for number, script in enumerate(MIGRATIONS[:version], start=1):
            for statement in statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.commit()
    finally:
        conn.close()
