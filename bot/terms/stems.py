"""The terms the keyword index stores for a word: its canonical spelling, Porter-stemmed.

SQLite's FTS5 tokenizer ("porter unicode61 remove_diacritics 2") stems what it is given, and it
is given text whose words are already in canonical spelling (bot/variants.py). Code that needs
to know, in Python, which index term a word becomes (search ranking and excerpts, question
analysis) asks here, so that both sides agree.
"""

from __future__ import annotations

import threading

import snowballstemmer

from bot.terms.variants import canonical
from bot.textutil import fold, word_memo

_local = threading.local()


def _porter() -> snowballstemmer.Stemmer:
    """This thread's stemmer: one holds its word in progress as state, so two threads sharing
    one (the core runs on two) corrupt each other's words (IndexError mid-stem)."""
    stemmer = getattr(_local, "porter", None)
    if stemmer is None:
        stemmer = _local.porter = snowballstemmer.stemmer("porter")
    return stemmer


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
