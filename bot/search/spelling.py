"""What the library's vocabulary says about a query's words: corrections for words it does not
have, splits of run-together words, and the rare misspellings in the texts themselves (OCR
slips like "mosses" for "masses") that a correctly typed word should still find.

Fuzzy matching is rapidfuzz's (C++; an edit distance over a 100,000-word vocabulary in a few
milliseconds, where Python loops take seconds). The vocabulary is the store's `words` table,
loaded once per library version.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.store import Store, apply_counts
from bot.terms.variants import canonical

MIN_CORRECTABLE = 5
"""Words shorter than this are not corrected: too many real words lie one letter apart."""
MIN_SIMILARITY = 78.0
RARE = 2
"""A word seen this often or less may be a slip in the text, if a common word is one edit away."""
COMMON = 5
MAX_REMEMBERED = 10_000
"""Corrections remembered per library version (a typo is often typed again)."""
MAX_PREFIX_WORDS = 20
"""The most frequent words a prefix stands for: rarer ones add little but time."""


@dataclass
class Lexicon:
    counts: dict[str, int]
    words: list[str]
    rare_by_deletion: dict[str, list[str]]
    correct_by_length: dict[int, list[str]] = field(default_factory=dict)
    """The words a correction may be (seen twice or more), by length: an edit distance of at
    most 3 only needs the words within 3 letters of the typed one's length."""
    _corrections: dict[str, str | None] = field(default_factory=dict)

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def starting_with(self, prefix: str, limit: int = MAX_PREFIX_WORDS) -> list[str]:
        """The library's most frequent words that begin with `prefix` (its canonical spelling)."""
        start = bisect.bisect_left(self.words, prefix)
        found = list(itertools.takewhile(lambda w: w.startswith(prefix), itertools.islice(self.words, start, None)))
        return sorted(found, key=lambda w: -self.count(w))[:limit]

    def correction(self, word: str) -> str | None:
        """The vocabulary word the user most likely meant, or None when nothing is close."""
        w = canonical(word)
        if w not in self._corrections:
            if len(self._corrections) >= MAX_REMEMBERED:
                self._corrections.clear()
            self._corrections[w] = self._correct(w)
        return self._corrections[w]

    def _correct(self, w: str) -> str | None:
        if len(w) < MIN_CORRECTABLE or not w.isalpha():
            return None
        split = self.split(w)
        if split:
            return split
        limit = 1 if len(w) < 7 else (2 if len(w) < 9 else 3)
        candidates = [
            found
            for length in range(len(w) - limit, len(w) + limit + 1)
            for found in process.extract(
                w, self.correct_by_length.get(length, ()), scorer=OSA.distance, score_cutoff=limit, limit=25
            )
        ]
        best, best_key = None, None
        for candidate, distance, _ in candidates:
            if self.count(candidate) < 2 or fuzz.ratio(w, candidate) < MIN_SIMILARITY:
                continue
            key = (distance, -math.log(self.count(candidate)))
            if best_key is None or key < best_key:
                best, best_key = candidate, key
        return best

    def split(self, w: str) -> str | None:
        """'eighthour' -> 'eight hour' when both halves are common words."""
        best = None
        for i in range(3, len(w) - 2):
            left, right = w[:i], w[i:]
            if self.count(left) >= 2 and self.count(right) >= 2:
                score = min(self.count(left), self.count(right))
                if best is None or score > best[0]:
                    best = (score, f"{left} {right}")
        return best[1] if best else None

    def with_changes(self, changes: Mapping[str, int]) -> Lexicon:
        """This lexicon with words' counts changed (a text added: more; deleted: fewer): a
        text's worth of work, where reading the vocabulary again is the library's (4 s at 50 MB).
        The tables are copied before they change: a search may be reading this one."""
        counts = apply_counts(dict(self.counts), changes)
        changed = [w for w, n in changes.items() if n and w.isalpha()]
        new = sorted(w for w in changed if w in counts and w not in self.counts)
        gone = {w for w in changed if w in self.counts and w not in counts}
        words = [w for w in heapq.merge(self.words, new) if w not in gone] if new or gone else self.words
        rare, correct = _Copied(self.rare_by_deletion), _Copied(self.correct_by_length)
        for word in changed:
            was, now = self.counts.get(word, 0), counts.get(word, 0)
            if _is_rare(word, was) != _is_rare(word, now):
                for key in {word} | _deletions(word):
                    rare.toggle(key, word, _is_rare(word, now))
            if (was >= 2) != (now >= 2):
                correct.toggle(len(word), word, now >= 2)
        return Lexicon(counts, words, rare.table, correct.table)

    def slips_of(self, word: str) -> list[str]:
        """Rare words in the texts one edit from a common query word: likely misprints of it."""
        w = canonical(word)
        if len(w) < MIN_CORRECTABLE or self.count(w) < COMMON:
            return []
        found = set()
        for key in {w} | _deletions(w):
            for rare in self.rare_by_deletion.get(key, ()):
                if rare != w and OSA.distance(w, rare) == 1:
                    found.add(rare)
        return sorted(found)


def lexicon(store: Store) -> Lexicon:
    """The library's vocabulary, read once and then kept up to date as texts come and go."""
    return store.derived(
        "search.lexicon", lambda: read_lexicon(store), lambda lex, change: lex.with_changes(change.words)
    )


def read_lexicon(store: Store) -> Lexicon:
    counts = dict(store.word_counts())
    rare_by_deletion: dict[str, list[str]] = defaultdict(list)
    for word, count in counts.items():
        if count <= RARE and len(word) >= MIN_CORRECTABLE and word.isalpha():
            for key in {word} | _deletions(word):
                rare_by_deletion[key].append(word)
    correct_by_length: dict[int, list[str]] = defaultdict(list)
    for word, count in counts.items():
        if count >= 2 and word.isalpha():
            correct_by_length[len(word)].append(word)
    return Lexicon(counts, sorted(w for w in counts if w.isalpha()), dict(rare_by_deletion), dict(correct_by_length))


def _is_rare(word: str, count: int) -> bool:
    """What read_lexicon keeps by deletion, as a possible slip in the texts."""
    return 0 < count <= RARE and len(word) >= MIN_CORRECTABLE


class _Copied:
    """A table of lists, copied (itself, then each list) only when first changed."""

    def __init__(self, table: dict):
        self.table, self._copied = table, False
        self._lists: set = set()

    def toggle(self, key, word: str, present: bool) -> None:
        if not self._copied:
            self.table, self._copied = dict(self.table), True
        if key not in self._lists:
            self.table[key] = list(self.table.get(key, ()))
            self._lists.add(key)
        if present:
            self.table[key].append(word)
        else:
            self.table[key].remove(word)
            if not self.table[key]:
                del self.table[key]
                self._lists.discard(key)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
