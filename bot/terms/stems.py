"""The terms the keyword index stores for a word: its canonical spelling, Porter-stemmed.

SQLite's FTS5 tokenizer ("porter unicode61 remove_diacritics 2") stems what it is given, and it
is given text whose words are already in canonical spelling (bot/variants.py). Code that needs
to know, in Python, which index term a word becomes (search ranking and excerpts, question
analysis) asks here, so that both sides agree.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from bot.terms.variants import canonical
from bot.textutil import fold, word_memo


@lru_cache(maxsize=1)
def _porter() -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer("porter")


@word_memo(200_000)
def porter(word: str) -> str:
    """The stem SQLite's porter tokenizer stores for a (folded) word: snowball's "porter" plus
    SQLite's two extra suffix rules, and words of two letters or fewer left alone."""
    folded = fold(word)
    if len(folded) <= 2 or not folded.isalpha():
        return folded
    result = _porter().stemWord(folded)
    if result.endswith(("logi", "bli")):
        result = result[:-1]
    return result


@word_memo(200_000)
def index_term(word: str) -> str:
    """The term the index holds for `word` as written in a text or typed in a query."""
    return porter(canonical(word))
