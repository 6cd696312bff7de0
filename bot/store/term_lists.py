"""The term lists kept up to date one text at a time: a text added merges its paragraphs into
the lists of the terms it holds, a text deleted takes its paragraphs out of them. Nothing
library-wide is read or rebuilt: the cost follows the text's size (its terms, and the lists of
those that have one), not the library's.

A list holds a term's best paragraphs by BM25 for the term alone, as FTS5 ranks them. A new
paragraph is scored here exactly as FTS5 would score it in the library it joins (same formula,
the index's row and token totals, the term's paragraph count): see `bm25`. A list's scores are
brought to the term's new idf when it moves by more than RESCALE_ABOVE; smaller moves, and the
average paragraph length's, are left (BM25's idf of a term in 1 % of the paragraphs changes by
0.4 % when the library grows by 2 %); Store.maintain rebuilds every list once the library has
doubled since the last rebuild.

A term that comes to hold more than TERM_LIST_MIN_DF paragraphs gets its list at the next
rebuild; until then search ranks it with FTS5, as any unlisted term (a few milliseconds more).
"""

from __future__ import annotations

import bisect
import math
import operator
import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.statistics import TextStatistics

K1, B = 1.2, 0.75
"""FTS5's bm25() defaults."""
LOOKUP_CHUNK = 500
RESCALE_ABOVE = 0.05
"""A list's scores are brought to the term's new idf when it moved by more than this share (a
term that comes to be in half the paragraphs drops to FTS5's floor of 1e-6)."""


@dataclass(frozen=True)
class IndexTotals:
    rows: int
    tokens: int


def index_totals(conn: sqlite3.Connection) -> IndexTotals:
    """Rows and tokens of the index, from FTS5's own record of them (its "averages" row)."""
    row = conn.execute("SELECT block FROM paragraphs_fts_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return IndexTotals(0, 0)
    rows, at = _varint(row[0], 0)
    tokens, _ = _varint(row[0], at)
    return IndexTotals(rows, tokens)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer (1 to 9 bytes, most significant group first)."""
    value = 0
    for _ in range(8):
        byte = data[at]
        at += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at
    return (value << 8) | data[at], at + 1


def bm25(rows: int, docs: int, tf: int, length: int, average: float) -> float:
    """FTS5's bm25() of one term in one paragraph (higher is better: FTS5's rank negated)."""
    return _idf(rows, docs) * _tf_part(tf, _length_norm(length, average))


def _tf_part(tf: int, norm: float) -> float:
    return tf * (K1 + 1) / (tf + norm)


def _length_norm(length: int, average: float) -> float:
    return K1 * (1 - B + B * length / average)


def _idf(rows: int, docs: int) -> float:
    """FTS5's: at least 1e-6, which a term in half the paragraphs or more gets."""
    idf = math.log((rows - docs + 0.5) / (docs + 0.5)) if rows else 0.0
    return idf if idf > 0 else 1e-6


def read_lists(conn: sqlite3.Connection, terms: Sequence[str]) -> dict[str, tuple[int, array, array]]:
    """term -> (paragraphs holding it, listed ids, their scores) for those of `terms` with a list."""
    found: dict[str, tuple[int, array, array]] = {}
    for start in range(0, len(terms), LOOKUP_CHUNK):
        chunk = terms[start : start + LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        for term, df, ids_blob, scores_blob in conn.execute(
            f"SELECT term, df, ids, scores FROM term_lists WHERE term IN ({marks})", chunk
        ):
            ids, scores = array("i"), array("f")
            ids.frombytes(ids_blob)
            scores.frombytes(scores_blob)
            found[term] = (df, ids, scores)
    return found


def add_to_lists(
    conn: sqlite3.Connection, stats: TextStatistics, first_id: int, before: IndexTotals, size: int
) -> None:
    """Merge a text's paragraphs (ids from `first_id`, in order) into the lists of its terms,
    scored against the index as it is once they are in it (`before` was read before they were).
    A list is written again only when some of them enter it or its scale moved."""
    rows = before.rows + len(stats.lengths)
    average = (before.tokens + stats.tokens) / max(rows, 1)
    norms = [_length_norm(length, average) for length in stats.lengths]
    for term, (df, ids, scores) in read_lists(conn, list(stats.docs)).items():
        rescale = _idf(rows, df + stats.docs[term]) / _idf(before.rows, df)
        df += stats.docs[term]
        if abs(rescale - 1) > RESCALE_ABOVE:
            scores = array("f", (s * rescale for s in scores))
        idf = _idf(rows, df)
        lowest = scores[-1] if len(ids) >= size else -1.0
        entries = [
            (score, first_id + at)
            for at, tf in stats.holders[term]
            if (score := idf * _tf_part(tf, norms[at])) > lowest
        ]
        if entries or abs(rescale - 1) > RESCALE_ABOVE:
            ids, scores = _merged(ids, scores, sorted(entries, reverse=True), size)
            _write(conn, term, df, ids, scores)
        else:  # its paragraphs score below the whole list: only the count changes
            conn.execute("UPDATE term_lists SET df = ?, floor = ? WHERE term = ?", (df, _floor(df, scores), term))


def _merged(ids: array, scores: array, entries: list[tuple[float, int]], size: int) -> tuple[array, array]:
    """The list with `entries` (score, id; best first) put in their places, best first, cut to
    `size` (the arrays given are left as they were)."""
    ids, scores = array("i", ids), array("f", scores)
    for score, rowid in entries:
        at = bisect.bisect_left(scores, -score, key=operator.neg)  # scores run downwards
        if at >= size:
            break  # entries are best first: the rest go further down still
        scores.insert(at, score)
        ids.insert(at, rowid)
    del ids[size:], scores[size:]
    return ids, scores


def remove_from_lists(conn: sqlite3.Connection, stats: TextStatistics, ids: Sequence[int], min_df: int) -> None:
    """Take a deleted text's paragraphs (`ids`, in order) out of the lists of its terms. The
    paragraphs left in a list are still the term's best (every paragraph outside it scored lower);
    a term left in too few paragraphs loses its list."""
    gone = set(ids)
    for term, (df, listed, scores) in read_lists(conn, list(stats.docs)).items():
        df -= stats.docs[term]
        if df <= min_df:
            conn.execute("DELETE FROM term_lists WHERE term = ?", (term,))
            continue
        keep = [i for i, rowid in enumerate(listed) if rowid not in gone]
        _write(conn, term, df, array("i", (listed[i] for i in keep)), array("f", (scores[i] for i in keep)))


def _write(conn: sqlite3.Connection, term: str, df: int, ids: array, scores: array) -> None:
    conn.execute(
        "UPDATE term_lists SET df = ?, floor = ?, ids = ?, scores = ? WHERE term = ?",
        (df, _floor(df, scores), ids.tobytes(), scores.tobytes(), term),
    )


def _floor(df: int, scores: array) -> float:
    """The lowest listed score when the list leaves paragraphs out, else 0 (as refresh_term_lists)."""
    return scores[-1] if len(scores) and df > len(scores) else 0.0


RANKED_IDS_SQL = "SELECT rowid, -rank FROM paragraphs_fts WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT ?"


def build_list(conn: sqlite3.Connection, term: str, word: str, df: int, size: int) -> None:
    """A term's list made whole by FTS5 (asked for as `word`, which stems to it): its `size`
    best paragraphs as FTS5 ranks them now."""
    rows = conn.execute(RANKED_IDS_SQL, ('"' + word + '"', size)).fetchall()
    ids, scores = array("i", (r[0] for r in rows)), array("f", (r[1] for r in rows))
    conn.execute(
        "INSERT OR REPLACE INTO term_lists (term, df, floor, ids, scores) VALUES (?, ?, ?, ?, ?)",
        (term, df, _floor(df, scores), ids.tobytes(), scores.tobytes()),
    )


def term_docs(conn: sqlite3.Connection, terms: Sequence[str]) -> dict[str, int]:
    """How many paragraphs hold each term, from the index's vocabulary (FTS5 walks each term's
    entries to count them: cheap for rare terms, which are what this is asked about)."""
    found: dict[str, int] = {}
    for start in range(0, len(terms), LOOKUP_CHUNK):
        chunk = terms[start : start + LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT term, doc FROM paragraphs_vocab WHERE term IN ({marks})", chunk).fetchall())
    return found


def listed_terms(conn: sqlite3.Connection, terms: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(terms), LOOKUP_CHUNK):
        chunk = terms[start : start + LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in conn.execute(f"SELECT term FROM term_lists WHERE term IN ({marks})", chunk))
    return found
