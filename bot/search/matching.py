"""Where a query's terms occur in a paragraph, in Python, the way the index sees them.

Ranking beyond BM25 (how many of the query's terms a paragraph has, how close together) and
the highlighted excerpt both need positions; this module finds them from the paragraph's text,
using the same terms the index stores (bot/index_terms.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from bot.terms.stems import index_term
from bot.terms.variants import TOKEN, canonical


class Token(NamedTuple):
    """A word of a paragraph."""

    start: int
    end: int
    term: str
    """The index term (canonical spelling, stemmed)."""
    word: str
    """The canonical spelling, unstemmed: to tell "industrialisation" from "industry"."""


class Tokens:
    """A paragraph's tokens, kept as four plain tuples (starts, ends, terms, words), with their
    indexes by term and by word built once, on first use: a query's alternatives (a prefix
    expands to many) are then looked up instead of each scanning every token.

    Plain tuples of numbers and strings, and dicts of them, are left alone by Python's garbage
    collector; a Token object per word, for the thousands of paragraphs kept in memory, made
    each full collection walk millions of them (hundreds of milliseconds, landing on some
    unlucky search). Token objects are made only when asked for, by index."""

    __slots__ = ("starts", "ends", "terms", "words", "_places")

    def __init__(self, tokens=()) -> None:
        tokens = tuple(tokens)
        self.starts = tuple(t.start for t in tokens)
        self.ends = tuple(t.end for t in tokens)
        self.terms = tuple(t.term for t in tokens)
        self.words = tuple(t.word for t in tokens)
        self._places: tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]] | None = None

    @classmethod
    def from_columns(cls, starts: tuple, ends: tuple, terms: tuple, words: tuple) -> Tokens:
        made = cls()
        made.starts, made.ends, made.terms, made.words = starts, ends, terms, words
        return made

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return Token(self.starts[i], self.ends[i], self.terms[i], self.words[i])

    def __iter__(self):
        return map(Token, self.starts, self.ends, self.terms, self.words)

    @property
    def places(self) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
        if self._places is None:
            self._places = (_index(self.terms), _index(self.words))
        return self._places

    @property
    def distinct_terms(self) -> frozenset[str]:
        """The distinct index terms: what near-duplicate paragraphs are compared by (made when
        asked: a set kept per cached paragraph is one more object for the collector to walk)."""
        return frozenset(self.terms)


def _index(values: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        found.setdefault(value, []).append(i)
    return {value: tuple(places) for value, places in found.items()}


@dataclass(frozen=True)
class ClauseTerms:
    """A query clause as index terms: alternatives, each a phrase (one term for a word)."""

    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False


@lru_cache(maxsize=4096)
def tokens_of(text: str) -> Tokens:
    found = TOKEN.findall(text)
    starts, ends = [], []
    for m in TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return Tokens.from_columns(
        tuple(starts), tuple(ends), tuple(index_term(w) for w in found), tuple(canonical(w) for w in found)
    )


def clause_terms(alternatives: tuple[tuple[str, ...], ...], prefix: bool) -> ClauseTerms:
    """Words as typed (or corrected) to the terms the index holds for them. A prefix stays a
    prefix of the word's spelling: stemming it would cut it somewhere else."""
    if prefix:
        return ClauseTerms(tuple(tuple(canonical(w) for w in alt) for alt in alternatives), True)
    return ClauseTerms(tuple(tuple(index_term(w) for w in alt) for alt in alternatives))


def occurrences(tokens: Tokens | tuple[Token, ...], clause: ClauseTerms) -> list[tuple[int, int]]:
    """(first, last) token indexes of each place the clause matches."""
    if not isinstance(tokens, Tokens):
        tokens = Tokens(tokens)
    by_term, by_word = tokens.places
    terms = tokens.terms
    found: set[tuple[int, int]] = set()
    for alternative in clause.alternatives:
        n = len(alternative)
        if n == 0:
            continue
        if clause.prefix and n == 1:
            found.update((i, i) for word, places in by_word.items() if word.startswith(alternative[0]) for i in places)
            continue
        for i in by_term.get(alternative[0], ()):
            if i + n <= len(terms) and all(terms[i + k] == alternative[k] for k in range(1, n)):
                found.add((i, i + n - 1))
    return sorted(found)


def smallest_span(positions: list[list[tuple[int, int]]]) -> int | None:
    """Fewest tokens that hold one occurrence of each clause given; None if any is absent."""
    if not positions or any(not p for p in positions):
        return None
    events = sorted((start, end, k) for k, places in enumerate(positions) for start, end in places)
    best = None
    last: dict[int, tuple[int, int]] = {}
    for start, end, k in events:
        last[k] = (start, end)
        if len(last) == len(positions):
            low = min(s for s, _ in last.values())
            high = max(e for _, e in last.values())
            span = high - low + 1
            best = span if best is None else min(best, span)
    return best
