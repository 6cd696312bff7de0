"""What one text adds to the index, counted the way the index counts it: its index terms (with
the paragraphs holding each, and how often), each paragraph's length in terms, and its words.

The terms come from FTS5 itself, a private in-memory index with the library's tokenizer: so
they are exactly the index's terms, whatever the tokenizer does with a word, in C, before the
text is stored and outside any transaction on the library.

A server's own texts keep their words and terms (text_words, text_terms): what another server's
search subtracts, so it neither suggests nor counts a word only that server's texts hold.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

TOKENIZER = "porter unicode61 remove_diacritics 2"
"""The index's tokenizer (migration 4 makes paragraphs_fts with it)."""


@dataclass(frozen=True)
class TextStatistics:
    """Index terms of a text's paragraphs (their `search` spelling), in order."""

    docs: dict[str, int]
    """Term -> paragraphs holding it."""
    counts: dict[str, int]
    """Term -> occurrences."""
    lengths: list[int] = field(default_factory=list)
    """Each paragraph's length in terms (what BM25 calls its document length)."""
    holders: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """Term -> (paragraph's position in the text, occurrences in it), for every paragraph holding it."""

    @property
    def tokens(self) -> int:
        return sum(self.lengths)


def text_statistics(searches: Sequence[str], holders: bool = True) -> TextStatistics:
    """Count the index terms of paragraphs (in their canonical `search` spelling) as FTS5 does.
    Linear in their size; memory: a private index of them (about a fifth of their size). The
    paragraphs holding each term (`holders`: what merging a text into the term lists needs) are
    the slow part, in Python: asked for only when wanted."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE piece USING fts5(search, tokenize='{TOKENIZER}')")
        conn.execute("CREATE VIRTUAL TABLE piece_rows USING fts5vocab(piece, 'row')")
        conn.execute("CREATE VIRTUAL TABLE piece_terms USING fts5vocab(piece, 'instance')")
        conn.executemany("INSERT INTO piece (rowid, search) VALUES (?, ?)", enumerate(searches, start=1))
        docs, counts = {}, {}
        for term, doc, cnt in conn.execute("SELECT term, doc, cnt FROM piece_rows"):
            docs[term], counts[term] = doc, cnt
        lengths = [0] * len(searches)
        for doc, length in conn.execute("SELECT doc, count(*) FROM piece_terms GROUP BY doc"):
            lengths[doc - 1] = length
        held: dict[str, list[tuple[int, int]]] = {}
        if holders:
            for term, doc, tf in conn.execute("SELECT term, doc, count(*) FROM piece_terms GROUP BY term, doc"):
                held.setdefault(term, []).append((doc - 1, tf))
        return TextStatistics(docs, counts, lengths, held)
    finally:
        conn.close()


def keep_private_statistics(conn: sqlite3.Connection, text_id: int, words: Counter, stats: TextStatistics) -> None:
    """Keep a server's text's words and terms beside it (within the caller's transaction)."""
    conn.executemany(
        "INSERT INTO text_words (text_id, word, count) VALUES (?, ?, ?)", [(text_id, w, n) for w, n in words.items()]
    )
    conn.executemany(
        "INSERT INTO text_terms (text_id, term, doc) VALUES (?, ?, ?)",
        [(text_id, t, n) for t, n in stats.docs.items()],
    )


def change_word_counts(conn: sqlite3.Connection, added: Counter, removed: Counter) -> None:
    """Keep `words` equal to the word counts of every stored paragraph."""
    conn.executemany(
        "INSERT INTO words (word, count) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET count = count + excluded.count",
        added.items(),
    )
    conn.executemany("UPDATE words SET count = count - ? WHERE word = ?", [(n, w) for w, n in removed.items()])
    if removed:
        conn.execute("DELETE FROM words WHERE count <= 0")


def count_library_change(conn: sqlite3.Connection) -> None:
    """One more change to the library (part of its fingerprint: Store.library_fingerprint)."""
    conn.execute(
        """INSERT INTO meta (key, value) VALUES ('library_changes', '1')
           ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"""
    )
