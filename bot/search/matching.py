"""Where a query's terms occur in a paragraph, in Python, the way the index sees them.

Ranking beyond BM25 (how many of the query's terms a paragraph has, how close together) and
the highlighted excerpt both need positions; this module finds them from the paragraph's text,
using the same terms the index stores (bot/index_terms.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from bot.terms.stems import index_term
from bot.terms.variants import TOKEN, canonical


class Token(NamedTuple):
    """A word of a paragraph (a named tuple: a paragraph has hundreds, made for every candidate)."""

    start: int
    end: int
    term: str
    """The index term (canonical spelling, stemmed)."""
    word: str
    """The canonical spelling, unstemmed: to tell "industrialisation" from "industry"."""


class Tokens(tuple):
    """A paragraph's tokens, with their indexes by term and by word built once, on first use:
    a query's alternatives (a prefix expands to many) are then looked up instead of each
    scanning every token."""

    @cached_property
    def places(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        by_term: dict[str, list[int]] = {}
        by_word: dict[str, list[int]] = {}
        for i, token in enumerate(self):
            by_term.setdefault(token.term, []).append(i)
            by_word.setdefault(token.word, []).append(i)
        return by_term, by_word

    @cached_property
    def terms(self) -> frozenset[str]:
        """The distinct index terms: what near-duplicate paragraphs are compared by."""
        return frozenset(token.term for token in self)


@dataclass(frozen=True)
class ClauseTerms:
    """A query clause as index terms: alternatives, each a phrase (one term for a word)."""

    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False


@lru_cache(maxsize=4096)
def tokens_of(text: str) -> Tokens:
    found = []
    for m in TOKEN.finditer(text):
        written = m.group(0)
        found.append(Token(m.start(), m.end(), index_term(written), canonical(written)))
    return Tokens(found)


def clause_terms(alternatives: tuple[tuple[str, ...], ...], prefix: bool) -> ClauseTerms:
    """Words as typed (or corrected) to the terms the index holds for them. A prefix stays a
    prefix of the word's spelling: stemming it would cut it somewhere else."""
    if prefix:
        return ClauseTerms(tuple(tuple(canonical(w) for w in alt) for alt in alternatives), True)
    return ClauseTerms(tuple(tuple(index_term(w) for w in alt) for alt in alternatives))


def occurrences(tokens: tuple[Token, ...], clause: ClauseTerms) -> list[tuple[int, int]]:
    """(first, last) token indexes of each place the clause matches."""
    by_term, by_word = (tokens if isinstance(tokens, Tokens) else Tokens(tokens)).places
    found: set[tuple[int, int]] = set()
    for alternative in clause.alternatives:
        n = len(alternative)
        if n == 0:
            continue
        if clause.prefix and n == 1:
            found.update((i, i) for word, places in by_word.items() if word.startswith(alternative[0]) for i in places)
            continue
        for i in by_term.get(alternative[0], ()):
            if i + n <= len(tokens) and all(tokens[i + k].term == alternative[k] for k in range(1, n)):
                found.add((i, i + n - 1))
    return sorted(found)


@lru_cache(maxsize=65536)
def likeness(typed: str, found: str) -> float:
    """How much of the typed word a word found by its stem shares from the start: the index
    files "industry" and "industrialisation" under one stem, but a reader who typed
    "industrialise" means the second."""
    shared = 0
    for a, b in zip(typed, found):
        if a != b:
            break
        shared += 1
    return shared / len(typed) if typed else 0.0


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
