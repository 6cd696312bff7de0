"""Search time on hostile and odd inputs: the bound on what any query can cost.

    python bench/search_inputs.py                 # the bundled library, 3,000 inputs
    python bench/search_inputs.py --db bench/out/search-50mb.db --inputs 1000

Generates inputs of several shapes from the library's own vocabulary (fixed seed): many
one-letter or two-letter prefixes, long OR chains, pasted paragraphs, a word repeated, many
phrases, many exclusions, misspellings of every kind, random characters. Runs each through
`bot.search.search` once (after one warm-up query, so the vocabulary is loaded), and prints
p50 / p99 / p99.9 / max per shape and overall, and the slowest inputs. The first query on a
freshly opened database (loading the vocabulary) is timed separately.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot import search, texts  # noqa: E402
from bot.store import Store  # noqa: E402


def shapes(words: list[str], paragraphs: list[str], rng: random.Random) -> dict:
    """name -> a function making one input of that shape."""

    def pick(n: int) -> list[str]:
        return [rng.choice(words) for _ in range(n)]

    def typo(word: str) -> str:
        if len(word) < 3:
            return word + "x"
        i = rng.randrange(len(word))
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1 :]
        if kind == 1:
            return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
        if kind == 2:
            return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
        return word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :]

    return {
        "1-letter prefixes": lambda: " ".join(f"{c}*" for c in rng.sample(string.ascii_lowercase, rng.randint(8, 24))),
        "2-letter prefixes": lambda: " ".join(f"{w[:2]}*" for w in pick(rng.randint(8, 24))),
        "OR chain": lambda: " OR ".join(pick(rng.randint(5, 40))),
        "prefix OR chain": lambda: " OR ".join(f"{w[:1]}*" for w in pick(rng.randint(5, 26))),
        "pasted paragraph": lambda: rng.choice(paragraphs)[:1000],
        "word repeated": lambda: " ".join([rng.choice(words)] * rng.randint(10, 200)),
        "many phrases": lambda: " ".join(f'"{" ".join(pick(3))}"' for _ in range(rng.randint(3, 12))),
        "many exclusions": lambda: " ".join(pick(2) + [f"-{w}" for w in pick(rng.randint(5, 30))]),
        "misspellings": lambda: " ".join(typo(w) for w in pick(rng.randint(1, 12))),
        "common words": lambda: " ".join(
            rng.choice(["the", "of", "and", "a", "to", "in", "is", "party"]) for _ in range(24)
        ),
        "random characters": lambda: "".join(
            rng.choice(string.printable + "ßøæ€“”’—") for _ in range(rng.randint(1, 300))
        ),
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an ingested database (default: ingest corpus/ afresh)")
    parser.add_argument("--inputs", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    if args.db:
        path = args.db
    else:
        path = Path(tempfile.mkdtemp()) / "inputs.db"
        texts.ingest(Store(path), [ROOT / "corpus"])
    store = Store(path)
    started = time.perf_counter()
    search.search(store, "revolution")
    cold = (time.perf_counter() - started) * 1000
    words = [w for w, n in store.word_counts() if w.isalpha()]
    paragraphs = [r[0] for r in store.query("SELECT plain FROM paragraphs ORDER BY id LIMIT 2000")]
    rng = random.Random(args.seed)
    makers = shapes(words, paragraphs, rng)
    times: dict[str, list[tuple[float, str]]] = {name: [] for name in makers}
    for n in range(args.inputs):
        name = list(makers)[n % len(makers)]
        typed = makers[name]()
        begun = time.perf_counter()
        search.search(store, typed)
        times[name].append(((time.perf_counter() - begun) * 1000, typed))
    print(f"{path}: {store.paragraph_count()} paragraphs, {len(words)} words; first query {cold:.0f} ms (cold)")
    print(f"{'shape':<20} {'n':>5} {'p50':>7} {'p99':>7} {'p99.9':>7} {'max':>7}  (ms)")
    every = []
    for name, samples in [*times.items(), ("all", [s for v in times.values() for s in v])]:
        ms = [t for t, _ in samples]
        every = samples if name == "all" else every
        print(
            f"{name:<20} {len(ms):>5} {percentile(ms, 0.5):>7.1f} {percentile(ms, 0.99):>7.1f} "
            f"{percentile(ms, 0.999):>7.1f} {max(ms):>7.1f}"
        )
    print("slowest:")
    for t, typed in sorted(every, reverse=True)[:5]:
        print(f"  {t:7.1f} ms  {typed[:100]!r}")


if __name__ == "__main__":
    main()
