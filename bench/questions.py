"""Question benchmark: how long analysing a passage and making its questions take, per passage.

    python bench/questions.py                 # every passage of the bundled texts, warm
    python bench/questions.py --rounds 3      # each passage three times (the median is kept)

The bundled corpus is ingested into a fresh database in a temporary folder. One passage is
analysed first so the library's figures (vocabulary, counts: `Store.derived`) are in memory, as
they are in a running bot; then every passage is timed through `generate_questions` (analysis,
templates, checks: what a daily post waits for; the first passage of each text also reads that
text's word counts) and then through `analyse_passage` alone. Prints p50, p90 and max in milliseconds for each, and the slowest passages.
These were unit tests once (median under 100 ms, max under 500 ms); wall-clock figures belong
here, on a machine whose load you know.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/questions.py` without installing the project
    sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.models import StoredPassage  # noqa: E402
from bot.questions import generate_questions  # noqa: E402
from bot.questions.analysis import analyse_passage  # noqa: E402
from bot.store import Store  # noqa: E402


def timed(passages: list[StoredPassage], step: Callable[[StoredPassage], object], rounds: int) -> list[float]:
    """Milliseconds per passage: the median of `rounds` runs of `step`."""
    result = []
    for passage in passages:
        runs = []
        for _ in range(rounds):
            started = time.perf_counter()
            step(passage)
            runs.append((time.perf_counter() - started) * 1000)
        result.append(statistics.median(runs))
    return result


def summary(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"{name:<20} p50 {statistics.median(ordered):7.1f} ms   p90 {p90:7.1f} ms   max {ordered[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="Runs per passage; the median is kept.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        try:
            texts.ingest(store, [ROOT / "corpus"])
            passages = [p for text in texts.list_texts(store) for p in texts.passages(store, text)]
            analyse_passage(store, passages[0])  # the library's figures, computed once
            questions = timed(passages, lambda p: generate_questions(store, p), args.rounds)
            analysis = timed(passages, lambda p: analyse_passage(store, p), args.rounds)
        finally:
            store.close()
    print(f"{len(passages)} passages of {len({p.text_id for p in passages})} texts, {args.rounds} round(s) each")
    print(summary("analyse_passage", analysis))
    print(summary("generate_questions", questions))
    slowest = sorted(zip(questions, passages, strict=True), key=lambda pair: -pair[0])[:5]
    print("slowest questions: " + ", ".join(f"{p.text_slug}/{p.ordinal} {ms:.0f} ms" for ms, p in slowest))


if __name__ == "__main__":
    main()
