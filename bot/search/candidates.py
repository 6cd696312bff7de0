"""The paragraphs worth ranking for a query: the best CANDIDATES by BM25 for any of its words.

FTS5 ranks them when that means scoring few paragraphs (rare words, or only some texts');
otherwise (common words in a large library) each term's stored list of its best paragraphs
(Store.refresh_term_lists) is summed, as FTS5 would score every paragraph holding them, and FTS5
only looks up rare words and phrases. Every candidate is then checked against its own text by
the ranking, so a stale list can only lose recall.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.search.matching import clause_terms, occurrences, tokens_of
from bot.search.query import Clause, ParsedQuery
from bot.store import Store
from bot.terms.stems import index_term

CANDIDATES = 80
LIST_WORK = 2000
"""Above this many paragraphs for FTS5 to score, candidates come from the term lists."""
RARE_CANDIDATES = 2000
"""Best paragraphs taken from FTS5 for the words that have no list (each in fewer paragraphs
than a list holds, so few are ever left out)."""


@dataclass
class Library:
    """What search reads about the whole library on every query, read once per version of it
    (Store.derived): paragraph count, terms' paragraph counts, the term lists."""

    paragraphs: int
    listed: dict[str, int]
    """Terms that have a list, with how many paragraphs hold them."""
    _docs: dict[str, int] = field(default_factory=dict)
    _lists: dict[str, dict[int, float]] = field(default_factory=dict)

    def doc_counts(self, store: Store, terms) -> dict[str, int]:
        """How many paragraphs hold each term (absent: none)."""
        missing = [t for t in dict.fromkeys(terms) if t not in self._docs]
        if missing:
            found = store.term_doc_counts(missing)
            self._docs.update({t: found.get(t, 0) for t in missing})
        hidden = store.hidden_term_docs(list(terms))  # in a server's view, other servers' texts
        return {t: self._docs[t] - hidden.get(t, 0) for t in terms if self._docs[t] > hidden.get(t, 0)}

    def best(self, store: Store, term: str) -> dict[int, float]:
        """A listed term's best paragraphs, id -> its BM25 for the term alone."""
        if term not in self._lists:
            ids, scores = store.term_list(term) or (array("i"), array("f"))
            self._lists[term] = dict(zip(ids, scores))
        return self._lists[term]


def library(store: Store) -> Library:
    return store.derived("search.library", lambda: Library(store.paragraph_count(), store.term_list_dfs()))


def candidates(store: Store, prepared: ParsedQuery, text_ids: Sequence[int] | None) -> list:
    """The best CANDIDATES paragraphs for any of the query's terms, by BM25 (`score`: lower is
    better, as FTS5's rank). FTS5 ranks them when that means scoring few paragraphs (or only
    some texts'); otherwise the term lists do, and FTS5 only looks up rare words and phrases."""
    stats = library(store)
    if text_ids is not None or not stats.listed or _work(store, stats, prepared) <= LIST_WORK:
        return store.match_paragraphs(prepared.to_fts(require_all=False), text_ids, CANDIDATES)
    scores = _list_scores(store, stats, prepared)
    excluded = [clause_terms(c.alternatives, c.prefix) for c in prepared.excluded]
    pool = heapq.nlargest(CANDIDATES * (3 if excluded else 1), scores, key=scores.__getitem__)
    rows = {r["id"]: r for r in store.paragraphs_by_id(pool)}
    found = []
    for rowid in pool:
        row = rows.get(rowid)
        if row is None or any(occurrences(tokens_of(row["plain"]), c) for c in excluded):
            continue  # an old version of a text, or holds an excluded word
        found.append({**dict(row), "score": -scores[rowid]})
        if len(found) == CANDIDATES:
            break
    return found


def _work(store: Store, stats: Library, prepared: ParsedQuery) -> int:
    """About how many paragraphs FTS5 would score: each alternative's (rarest word's) count."""
    total = 0
    for clause in prepared.included:
        for alternative in clause.alternatives:
            docs = stats.doc_counts(store, [index_term(w) for w in alternative])
            total += min((docs.get(index_term(w), 0) for w in alternative), default=0)
    return total


def _list_scores(store: Store, stats: Library, prepared: ParsedQuery) -> dict[int, float]:
    """BM25 per paragraph (higher is better) summed over the query's alternatives: a listed word
    from its list, unlisted words and phrases with one from FTS5, a phrase of listed words
    from every paragraph that holds it, scored by its words' lists."""
    scores: dict[int, float] = defaultdict(float)
    rare: list[str] = []
    for clause in prepared.included:
        for alternative in clause.alternatives:
            terms = [index_term(w) for w in alternative]
            expression = Clause((alternative,), clause.prefix).to_fts()
            if clause.prefix or not all(t in stats.listed for t in terms):
                rare.append(expression)
            elif len(terms) == 1:
                for rowid, score in stats.best(store, terms[0]).items():
                    scores[rowid] += score
            else:
                _add_phrase(scores, store.all_match_ids(expression), [stats.best(store, t) for t in terms])
    if rare:
        for rowid, score in store.match_ids(" OR ".join(rare), RARE_CANDIDATES):
            scores[rowid] += score
    return scores


def _add_phrase(scores: dict[int, float], holders: list[int], lists: list[dict[int, float]]) -> None:
    """Score the paragraphs holding a phrase of listed words by those words' lists; a few that
    are in no list join with a token score, so a phrase is found even outside all lists."""
    found = set(holders)
    listed = set()
    for best in lists:
        for rowid in found.intersection(best):
            scores[rowid] += best[rowid]
            listed.add(rowid)
    for rowid in itertools.islice(found - listed, CANDIDATES):
        scores[rowid] += 1e-3
