"""The index term of a word, asked from several threads at once (the core runs on two)."""

from __future__ import annotations

import random
import string
from concurrent.futures import ThreadPoolExecutor

from bot.terms.stems import porter


def test_stems_made_on_four_threads_at_once_are_those_made_on_one():
    rng = random.Random(14)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 14))) for _ in range(50_000)]
    stem = porter.__wrapped__  # past the cache: every word is stemmed
    with ThreadPoolExecutor(4) as pool:
        parts = list(pool.map(lambda i: [(w, stem(w)) for w in words[i::4]], range(4)))
    together = dict(pair for part in parts for pair in part)
    assert together == {w: stem(w) for w in words}
