"""Queries for the keyword index: FTS5 matches, term counts, and per-term best-paragraph lists."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Sequence

from bot.store.base import StoreBase
from bot.store.term_lists import RANKED_IDS_SQL
from bot.terms.stems import porter
from bot.terms.variants import SPELLING_RULES_VERSION

TERM_LIST_MIN_DF = 250
"""Terms in more paragraphs than this get a list: below it FTS5 ranks all of them quickly."""
TERM_LIST_SIZE = 1000
"""Paragraphs kept per list: far more than the candidates a search re-ranks."""


class IndexStore(StoreBase):
    """Mixed into Store."""

    library_fingerprint: Callable[[], tuple[int, int, int]]  # TextStore's
    paragraph_count: Callable[[], int]  # TextStore's

    # -- search ---------------------------------------------------------------------------------

    def match_paragraphs(self, expression: str, text_ids: Sequence[int] | None, limit: int) -> list[sqlite3.Row]:
        """The best paragraphs of current texts for an FTS5 expression, by BM25 (`score`: lower
        is better, as FTS5's rank)."""
        where = "paragraphs_fts MATCH ?"
        params: list[int | str] = [expression]
        if text_ids is not None:
            where += f" AND pa.text_id IN ({','.join('?' * len(text_ids))})"
            params += list(text_ids)
        shown, shown_params = self.visible()
        where += shown
        params += shown_params
        sql = f"""
            SELECT pa.id, pa.passage_id, pa.text_id, pa.ordinal, pa.plain, rank AS score
            FROM paragraphs_fts
            JOIN paragraphs pa ON pa.id = paragraphs_fts.rowid
            JOIN texts t ON t.id = pa.text_id AND t.is_current = 1
            WHERE {where}
            ORDER BY rank
            LIMIT ?
        """
        return self.query(sql, params + [limit])

    def term_doc_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """How many paragraphs hold each index term."""
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = self.query(f"SELECT term, doc FROM paragraphs_vocab WHERE term IN ({marks})", list(terms))
        return {r["term"]: r["doc"] for r in rows}

    _RANKED_IDS_SQL = RANKED_IDS_SQL
    _SHOWN_IDS_SQL = """SELECT f.rowid, -f.rank FROM paragraphs_fts f JOIN paragraphs pa ON pa.id = f.rowid
        JOIN texts t ON t.id = pa.text_id WHERE paragraphs_fts MATCH ?{shown} ORDER BY f.rank LIMIT ?"""

    def match_ids(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """(paragraph id, BM25: higher is better) of the best paragraphs for an FTS5 expression,
        old versions of texts included (callers fetch rows with `paragraphs_by_id`); in a
        server's view, of the texts it shows."""
        if self.sees_every_text:
            return [tuple(r) for r in self.query(self._RANKED_IDS_SQL, (expression, limit))]
        shown, params = self.visible()
        return [tuple(r) for r in self.query(self._SHOWN_IDS_SQL.format(shown=shown), (expression, *params, limit))]

    def has_match(self, expression: str) -> bool:
        """Whether any paragraph matches an FTS5 expression (the first found: nothing ranked);
        in a server's view, of the texts it shows."""
        if self.sees_every_text:
            return bool(self.query("SELECT 1 FROM paragraphs_fts WHERE paragraphs_fts MATCH ? LIMIT 1", (expression,)))
        shown, params = self.visible()
        sql = f"""SELECT 1 FROM paragraphs_fts f JOIN paragraphs pa ON pa.id = f.rowid
                  JOIN texts t ON t.id = pa.text_id WHERE paragraphs_fts MATCH ?{shown} LIMIT 1"""
        return bool(self.query(sql, (expression, *params)))

    def all_match_ids(self, expression: str) -> list[int]:
        """Every paragraph id matching an FTS5 expression, unranked: no BM25 to compute."""
        params: tuple[int, ...] = ()
        if self.sees_every_text:
            sql = "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ?"
        else:
            shown, params = self.visible()
            sql = f"""SELECT f.rowid FROM paragraphs_fts f JOIN paragraphs pa ON pa.id = f.rowid
                      JOIN texts t ON t.id = pa.text_id WHERE paragraphs_fts MATCH ?{shown}"""
        return [r[0] for r in self.query(sql, (expression, *params))]

    def paragraphs_by_id(self, ids: Sequence[int]) -> list[sqlite3.Row]:
        """Rows like `match_paragraphs`' (without `score`) for those ids in current texts (that
        this store shows)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        shown, params = self.visible()
        return self.query(
            f"""SELECT pa.id, pa.passage_id, pa.text_id, pa.ordinal, pa.plain FROM paragraphs pa
                JOIN texts t ON t.id = pa.text_id AND t.is_current = 1 WHERE pa.id IN ({marks}){shown}""",
            [*ids, *params],
        )

    # -- term lists (migration 5) -----------------------------------------------------------------

    def term_list_dfs(self) -> dict[str, int]:
        """Each listed term with how many paragraphs hold it; none while the lists are older than
        the library (a writer ran out of disk before refreshing them, and readers never write):
        search then asks FTS5, which misses nothing, instead of lists that miss the newest texts."""
        if self._term_lists_stamp() != self._stored_term_lists_stamp():
            return {}
        return {r[0]: r[1] for r in self.query("SELECT term, df FROM term_lists")}

    def term_list(self, term: str) -> tuple[array, array] | None:
        """A term's best paragraph ids and their single-term BM25 (higher is better), best first."""
        rows = self.query("SELECT ids, scores FROM term_lists WHERE term = ?", (term,))
        if not rows:
            return None
        ids, scores = array("i"), array("f")
        ids.frombytes(rows[0][0])
        scores.frombytes(rows[0][1])
        return ids, scores

    def refresh_term_lists(self, min_df: int | None = None, size: int | None = None) -> None:
        """Rebuild every term's list of its `size` best paragraphs by BM25, for terms in more than
        `min_df` paragraphs (TERM_LIST_SIZE, TERM_LIST_MIN_DF): when they are out of date or the
        library has doubled (a writer's start), after an ingest of many files, by doctor. One
        text's change updates them in place instead (bot/store/term_lists.py)."""
        min_df = TERM_LIST_MIN_DF if min_df is None else min_df
        size = TERM_LIST_SIZE if size is None else size
        with self._lock:
            # Built from one read snapshot, outside any write transaction: at 30 MB this takes
            # seconds, longer than another writer (an ingest, the bot's posts) waits for the lock.
            # Written in a short transaction, stamped with the snapshot's library version, so a
            # text stored meanwhile leaves the lists stale, not wrong.
            self.conn.execute("BEGIN")
            try:
                stamp = self._term_lists_stamp()
                rows_now = self.conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
                common = self.conn.execute("SELECT term, doc FROM paragraphs_vocab WHERE doc > ?", (min_df,)).fetchall()
                spelled = self._words_for_terms({term for term, _ in common})
                lists = []
                for term, df in common:
                    if term not in spelled:
                        continue  # no word of the library stems to it (left to FTS5)
                    rows = self.conn.execute(self._RANKED_IDS_SQL, ('"' + spelled[term] + '"', size)).fetchall()
                    ids, scores = array("i", (r[0] for r in rows)), array("f", (r[1] for r in rows))
                    floor = scores[-1] if rows and df > len(rows) else 0.0
                    lists.append((term, df, floor, ids.tobytes(), scores.tobytes()))
            finally:
                self.conn.execute("COMMIT")  # ends the read
            with self.transaction() as conn:
                conn.execute("DELETE FROM term_lists")
                conn.executemany("INSERT INTO term_lists (term, df, floor, ids, scores) VALUES (?, ?, ?, ?, ?)", lists)
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('term_lists', ?)", (stamp,))
                conn.execute(  # what the lists were built for: Store.lists_outgrown
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('term_lists_rows', ?)", (str(rows_now),)
                )

    def _words_for_terms(self, terms: set[str], conn: sqlite3.Connection | None = None) -> dict[str, str]:
        """A word to ask FTS5 for each index term: the term itself when stemming leaves it as it
        is, else the library's most frequent word that stems to it ("unemploy" stems again to
        "unemploi", so the list of "unemploy" is asked for as "unemployment")."""
        spelled = {t: t for t in terms if porter(t) == t}
        for term in terms - spelled.keys():
            stem = term[:-1]  # a word begins with its stem, but for the stem's last letter (y -> i)
            words = (conn or self.conn).execute(
                "SELECT word FROM words WHERE word >= ? AND word < ? ORDER BY count DESC", (stem, stem + "\uffff")
            )
            word = next((w for (w,) in words if porter(w) == term), None)
            if word:
                spelled[term] = word
        return spelled

    def _term_lists_stamp(self) -> str:
        return term_lists_stamp(self.library_fingerprint())

    def _stored_term_lists_stamp(self) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = 'term_lists'")
        return rows[0][0] if rows else None


def term_lists_stamp(library_fingerprint: tuple[int, ...]) -> str:
    """What the lists were built from: the library's version and the spelling rules."""
    return ":".join(map(str, (*library_fingerprint, SPELLING_RULES_VERSION)))
