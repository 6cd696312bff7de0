"""How long the question flows take in the core, on the bundled texts: what an organiser's
/study questions, the Edit form, a save, a member's suggestion, a decision and /catchup cost,
and how big the store grows with many curated questions.

    python bench/question_flows.py               # 30 repeats of each, 200 servers of curated sets
    python bench/question_flows.py --repeats 100 --servers 1000

The Edit form must be ready within 2.5 s (a modal cannot follow a deferral); the rest answer
within Discord's 3 s by deferring if slow. It prints the median and worst time of each step.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import commands, texts  # noqa: E402
from bot.commands import Invocation  # noqa: E402
from bot.models import CuratedQuestion  # noqa: E402
from bot.reading import posting  # noqa: E402
from bot.store import Store  # noqa: E402

MONDAY = datetime(2024, 3, 4, 8, tzinfo=UTC)


def timed(label: str, repeats: int, call) -> None:
    spent = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        spent.append(time.perf_counter() - start)
    print(f"{label:<44} median {1000 * statistics.median(spent):7.1f} ms   worst {1000 * max(spent):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--servers", type=int, default=200, help="servers with curated questions for every passage")
    args = parser.parse_args()

    store = Store(Path(tempfile.mkdtemp(prefix="studybot-bench-")) / "bench.db")
    texts.ingest(store, [ROOT / "corpus"])
    organiser = Invocation(store=store, guild_id=1, channel_id=10, user_id=7, is_organiser=True, now=MONDAY)
    member = Invocation(store=store, guild_id=1, channel_id=10, user_id=21, is_organiser=False, now=MONDAY)
    commands.study_start(organiser, "thermidor", "09:00", "UTC")
    group = store.group_for_channel(10)
    text = store.text_by_id(group.text_id)

    # Other servers' curated questions for every passage: the lookups must not slow down with them.
    for guild in range(100, 100 + args.servers):
        for ordinal in range(1, text.passage_count + 1):
            own = [
                CuratedQuestion(f"Is claim {n} of passage {ordinal} fair?", "written", 7, 7, "2024-03-04")
                for n in (1, 2)
            ]
            store.save_server_questions(guild, text.id, ordinal, own, 7, "2024-03-04")
    started = time.perf_counter()
    for day in range(10):
        for due in posting.claim_due_posts(store, MONDAY + timedelta(days=day, hours=1)):
            posting.post_for_delivery(store, due.delivery)
            posting.complete(store, due.delivery, 1000 + day, None, MONDAY + timedelta(days=day, hours=1))
    print(f"10 posts built, their questions kept, and recorded: {time.perf_counter() - started:.2f} s")

    timed("/study questions (next post)", args.repeats, lambda: commands.study_questions(organiser))
    timed("Edit questions: the form", args.repeats, lambda: commands.questions_form(organiser, text.id, 3))
    edited = ["Is Trotsky's comparison with Thermidor fair?", "Who gained most from the bureaucracy's rise?"]
    timed("Edit questions: save", args.repeats, lambda: commands.save_questions(organiser, text.id, 3, edited))
    delivery = store.deliveries_of(group.id, "posted")[-1]
    counter = iter(range(10**6))

    def suggest_and_decide() -> None:
        n = next(counter)
        reply = commands.suggest_question(member, delivery.id, f"Is point {n} of this passage convincing?")
        commands.decide_suggestion(organiser, reply.notice.suggestion_id, n % 2 == 0)

    timed("a suggestion, then a decision", min(args.repeats, 4), suggest_and_decide)
    timed("/catchup with 10 missed posts", args.repeats, lambda: commands.catchup(member))
    timed("/today", args.repeats, lambda: commands.today(member))
    size = store.query("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")[0][0]
    print(f"database with {args.servers} servers x {text.passage_count} curated passages: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
