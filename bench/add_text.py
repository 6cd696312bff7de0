"""What adding one text costs a large library, and what searches see while it happens.

    python bench/add_text.py                          # the 50 MB library bench/search.py built
    python bench/add_text.py --db LIBRARY.db          # any library (it is copied, not changed)
    python bench/add_text.py --mb 2 --text-mb 0.2     # smoke run: builds a 2 MB library first

A server adds a 1 MB text (`/library add`: read, cut into passages, stored in one transaction,
the term lists and the figures in memory brought up to date) while a member of another server
searches without pause, as `bot.search.search` does for /search (the fixed queries of
bench/search.py, round robin). It prints:

- the addition's time, step by step: reading the file into passages, the work on the text
  before the transaction (canonical spelling, index terms), the transaction itself (how long
  other writers wait; searches do not), and the figures in memory brought up to date;
- search latency p50/p99/max before the addition and while it runs (from its start until the
  first search after it has its figures up to date);
- for comparison, what every addition used to cost on top: rebuilding every term list
  (`Store.refresh_term_lists`) and reading the spelling lexicon and word statistics again.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/add_text.py` without installing the project
    sys.path.insert(0, str(ROOT))

from bench.search import QUERIES, build_library  # noqa: E402
from bench.search import ingest as ingest_library  # noqa: E402
from bot.config import LibraryLimits  # noqa: E402
from bot.questions.analysis.library import library_stats, read_library_stats  # noqa: E402
from bot.search import search, spelling  # noqa: E402
from bot.store import Store, additions  # noqa: E402
from bot.texts import server_library  # noqa: E402
from bot.texts.server_library import ProgressLine, Upload  # noqa: E402

MB = 1_000_000
ADDER, SEARCHER = 2, 1  # the server adding the text, and the one searching meanwhile


def one_text(target_bytes: int, seed: int, folder: Path) -> bytes:
    """One plain-text book of about `target_bytes`: varied copies of the bundled texts, joined."""
    build_library(target_bytes, folder, seed)
    return "\n\n".join(p.read_text() for p in sorted(folder.glob("*.txt"))).encode()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


class Searcher(threading.Thread):
    """A member searching without pause: (start, milliseconds) of every search."""

    def __init__(self, store: Store):
        super().__init__(daemon=True)
        self.store, self.samples, self.stop = store.view(SEARCHER), [], threading.Event()

    def run(self) -> None:
        queries = [q for _, q in QUERIES]
        n = 0
        while not self.stop.is_set():
            began = time.perf_counter()
            search(self.store, queries[n % len(queries)], limit=10)
            self.samples.append((began, (time.perf_counter() - began) * 1000))
            n += 1

    def between(self, start: float, end: float) -> list[float]:
        return [ms for began, ms in self.samples if start <= began < end or began < start < began + ms / 1000]


class Stopwatch(ProgressLine):
    """When each step of the addition began."""

    def __init__(self):
        super().__init__()
        self.at: dict[str, float] = {}

    def say(self, line: str) -> None:
        super().say(line)
        self.at[line] = time.perf_counter()

    def indexing(self) -> None:
        super().indexing()
        self.at[self.line] = time.perf_counter()


@contextlib.contextmanager
def timed_transactions(into: list[float]):
    """Record how long each library transaction is open (Store.library_change)."""
    original = additions.AdditionStore.library_change

    @contextlib.contextmanager
    def timed(self):
        began = time.perf_counter()
        with original(self) as opened:
            yield opened
        into.append(time.perf_counter() - began)

    additions.AdditionStore.library_change = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        additions.AdditionStore.library_change = original  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a library database (default: bench/search.py's for --mb)")
    parser.add_argument("--mb", type=float, default=50, help="library size when building one (default 50)")
    parser.add_argument("--text-mb", type=float, default=1, help="size of the text added (default 1)")
    parser.add_argument("--baseline", type=float, default=10, help="seconds of searching before adding")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    source = args.db or out / f"search-{args.mb:g}mb.db"
    if not source.exists():
        print(f"Building a {args.mb:g} MB library (bench/search.py's) in {out} ...", flush=True)
        library = out / f"library-{args.mb:g}mb"
        build_library(int(args.mb * MB), library, 1917)
        store, _ = ingest_library(library, source)
        store.close()
    work = Path(tempfile.mkdtemp(prefix="studybot-add-"))
    db = work / "library.db"
    shutil.copy(source, db)
    book = one_text(int(args.text_mb * MB), 2024, work / "book")
    store = Store(db)
    results: dict = {"library": str(source), "text_bytes": len(book)}
    try:
        paragraphs = store.paragraph_count()
        print(f"Library: {source} ({db.stat().st_size / MB:.0f} MB file, {paragraphs:,} paragraphs)")
        print(f"Text: {len(book) / MB:.2f} MB", flush=True)
        print("Reading the library's figures once, as the bot does before connecting ...", flush=True)
        began = time.perf_counter()
        spelling.lexicon(store)
        library_stats(store)
        search(store.view(SEARCHER), "prepare")
        results["figures_first_read_s"] = time.perf_counter() - began
        gc.freeze()  # as the bot does once its figures are read (bot/adapter/client.py)

        searcher = Searcher(store)
        searcher.start()
        time.sleep(args.baseline)
        quiet_end = time.perf_counter()

        transactions: list[float] = []
        watch = Stopwatch()
        limits = LibraryLimits(server_texts=100, server_bytes=200 * 1024 * 1024)
        with timed_transactions(transactions):
            add_began = time.perf_counter()
            server_library.add_text(store, ADDER, Upload("book.txt", book), limits=limits, progress=watch)
            added = time.perf_counter()
            spelling.lexicon(store)  # the figures in memory, brought up to date
            library_stats(store)
            updated = time.perf_counter()
        time.sleep(2)
        searcher.stop.set()
        searcher.join()

        quiet = searcher.between(0, quiet_end)
        during = searcher.between(add_began, updated)
        cut, stored = watch.at["Cutting it into passages …"], watch.at["Adding it to the search index …"]
        results["addition"] = {
            "read_s": cut - add_began,
            "cut_s": stored - cut,
            "prepared_s": added - stored - transactions[-1],
            "transaction_s": transactions[-1],
            "whole_s": added - add_began,
            "figures_updated_s": updated - added,
        }
        results["search_ms_before"] = summary(quiet)
        results["search_ms_during"] = summary(during)

        print("\nComparison: what every addition used to cost on top (whole-library rebuilds) ...", flush=True)
        began = time.perf_counter()
        store.refresh_term_lists()
        results["refresh_term_lists_s"] = time.perf_counter() - began
        began = time.perf_counter()
        spelling.read_lexicon(store)
        results["read_lexicon_s"] = time.perf_counter() - began
        began = time.perf_counter()
        read_library_stats(store)
        results["read_library_stats_s"] = time.perf_counter() - began
    finally:
        store.close()
        shutil.rmtree(work, ignore_errors=True)

    a = results["addition"]
    print(f"\nAdding a {len(book) / MB:.2f} MB text to the library:")
    print(f"  read (decode, heal)             {a['read_s']:6.2f} s")
    print(f"  cut into passages               {a['cut_s']:6.2f} s")
    print(f"  work on the text, no lock held  {a['prepared_s']:6.2f} s  (spelling, index terms, list lookups)")
    print(f"  the one transaction             {a['transaction_s']:6.2f} s  (other writers wait; searches do not)")
    print(f"  whole addition                  {a['whole_s']:6.2f} s")
    print(f"  figures in memory updated       {a['figures_updated_s']:6.2f} s")
    b, d = results["search_ms_before"], results["search_ms_during"]
    print("\nSearch latency, ms (another server's member, searching without pause):")
    print(f"  before:  p50 {b['p50']:6.1f}  p99 {b['p99']:6.1f}  max {b['max']:6.1f}  ({b['n']} searches)")
    print(f"  during:  p50 {d['p50']:6.1f}  p99 {d['p99']:6.1f}  max {d['max']:6.1f}  ({d['n']} searches)")
    print("\nWhat every addition used to add to that (now done only by `studybot doctor --repair` or")
    print("when the library has doubled):")
    print(f"  rebuild every term list         {results['refresh_term_lists_s']:6.2f} s")
    print(f"  read the spelling lexicon again {results['read_lexicon_s']:6.2f} s")
    print(f"  read the word statistics again  {results['read_library_stats_s']:6.2f} s")
    path = out / "add-text.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nFigures written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
