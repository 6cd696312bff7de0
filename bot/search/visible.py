"""The library's vocabulary as one server may see it.

The lexicon (bot/search/spelling.py) is read once for the whole library. A server's view of the
store hides other servers' own texts, so its searches must not correct a word to, expand a
prefix to, or call known, a word only those texts hold: here the lexicon's counts become the
counts of the texts the view shows, by taking off what the hidden texts hold of the few words
a search looks at (Store.hidden_word_counts). Nothing is copied: the wrapper reads the shared
lexicon's tables and asks the store about the words it meets.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

from bot.search import spelling
from bot.search.query import STOPWORDS
from bot.search.spelling import MAX_PREFIX_SCAN, MAX_PREFIX_WORDS, Lexicon
from bot.store import Store


def lexicon_for(store: Store) -> Lexicon:
    """The lexicon of the texts `store` shows: the library's, or, in a server's view that hides
    other servers' texts, the library's less their words."""
    shared = spelling.lexicon(store)
    return VisibleLexicon.over(shared, store) if store.hides_texts() else shared


@dataclass
class VisibleLexicon(Lexicon):
    store: Store | None = None
    _hidden: dict[str, int] = field(default_factory=dict)

    @classmethod
    def over(cls, lexicon: Lexicon, store: Store) -> VisibleLexicon:
        return cls(lexicon.counts, lexicon.words, lexicon.by_length, store=store)

    def count(self, word: str) -> int:
        self._learn([word])
        return max(0, self.counts.get(word, 0) - self._hidden[word])

    def _learn(self, words) -> None:
        """Ask the store what the hidden texts hold of the words not asked about yet."""
        new = [w for w in dict.fromkeys(words) if w not in self._hidden]
        if new and self.store is not None:
            found = self.store.hidden_word_counts(new)
            self._hidden.update({w: found.get(w, 0) for w in new})

    def starting_with(self, prefix: str, limit: int = MAX_PREFIX_WORDS) -> tuple[str, ...]:
        start = bisect.bisect_left(self.words, prefix)
        found = [
            w
            for w in itertools.takewhile(
                lambda w: w.startswith(prefix), itertools.islice(self.words, start, start + MAX_PREFIX_SCAN)
            )
            if w not in STOPWORDS
        ]
        self._learn(found)
        return tuple(sorted((w for w in found if self.count(w)), key=lambda w: -self.count(w))[:limit])

    def _within(self, w: str, limit: int) -> list[tuple[str, int]]:
        found = super()._within(w, limit)
        self._learn(c for c, _ in found)
        return [(c, d) for c, d in found if self.count(c)]

    def split(self, w: str) -> str | None:
        self._learn(w[:i] for i in range(3, len(w) - 2))
        self._learn(w[i:] for i in range(3, len(w) - 2))
        return super().split(w)
