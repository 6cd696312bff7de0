"""The progress chart: how long it takes to gather and draw, and the picture the README shows.

    python bench/chart.py                     # 40 members, The Soviet Thermidor, three weeks in
    python bench/chart.py --members 500 --passages 300 --out /tmp/chart.png

It builds a group in a fresh database (the bundled texts, or a generated text of --passages
one-paragraph passages), posts a passage a day, has member k read on most days with a few
lapses of their own, then prints the time to gather the series and to draw the PNG, and
writes it (default bench/progress-chart.png, the README's picture).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.members import chart  # noqa: E402
from bot.reading import posting  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.helpers import TINY_PACE, start_plan  # noqa: E402

START = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)


def build(folder: Path, members: int, passages: int | None, days: int) -> tuple[Store, object, datetime]:
    store = Store(folder / "chart.db")
    if passages:
        body = "\n\n".join(
            f"The reading group met to talk about passage number {n} of the text." for n in range(passages)
        )
        source = folder / "long-text.md"
        source.write_text(f"---\ntitle: A Long Text\nauthor: Anon\n---\n# Part one\n\n{body}\n", encoding="utf-8")
        texts.ingest(store, [source], TINY_PACE)
        slug = "long-text"
    else:
        texts.ingest(store, [ROOT / "corpus"])
        slug = "thermidor"
    group = start_plan(store, text=slug, zone="UTC", now=START - timedelta(hours=1))
    rng = random.Random(1917)
    made = []
    for day in range(days):
        moment = START + timedelta(days=day)
        for due in posting.claim_due_posts(store, moment):
            posting.complete(store, due.delivery, 1000 + day, None, moment)
            made.append((due.delivery, moment))
    for member in range(members):
        keen = rng.uniform(0.5, 1.0)
        for delivery, moment in made:
            if rng.random() < keen:
                when = moment + timedelta(hours=rng.uniform(1, 60))
                store.mark_read(
                    group.id, 9000 + member, group.text_id, delivery.first_ordinal, delivery.last_ordinal, when
                )
    return store, store.get_group(group.id), START + timedelta(days=days - 1, hours=12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--passages", type=int, help="a generated text of this many passages (default: Thermidor)")
    parser.add_argument("--days", type=int, default=10, help="days of posts made")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "progress-chart.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studybot-chart-") as tmp:
        store, group, now = build(Path(tmp), args.members, args.passages, args.days)
        began = time.perf_counter()
        data = chart.chart_data(store, group, now)
        gathered = time.perf_counter() - began
        chart.draw(data)  # the first draw loads matplotlib
        began = time.perf_counter()
        png = chart.draw(data)
        drawn = time.perf_counter() - began
        store.close()
    args.out.write_bytes(png)
    print(f"{args.members} members, {data.total} passages, {len(data.days)} days drawn")
    print(f"  gather the series   {gathered * 1000:.0f} ms")
    print(f"  draw the PNG        {drawn * 1000:.0f} ms ({len(png) // 1024} KB) -> {args.out}")


if __name__ == "__main__":
    main()
