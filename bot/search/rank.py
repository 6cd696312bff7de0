"""Search that finds what a reader means.

1. Parse what was typed (bot/query.py) and put its words in canonical spelling, so British,
   American and transliterated spellings meet (bot/variants.py).
2. Correct words the library does not have ("Thermidore" -> "thermidor"), split run-together
   ones, and let a common word also find its rare misprints in the texts (bot/spelling.py).
3. Find the best candidates by BM25 for ANY of the query's terms: from the FTS5 index when it
   has few paragraphs to score, else (common words) by summing each term's stored list of its
   best paragraphs (Store.refresh_term_lists), as FTS5 would score every paragraph holding
   them. Then rank them again in Python: paragraphs holding more of the query's distinct terms
   (weighted by how rare each is), closer together, come first; those holding too little of it
   are dropped, so a question's stray common word does not bring in noise.
4. Collapse the same paragraph found in two editions or translations into one hit ("also in").
5. Cut a ~300-character excerpt around the densest cluster of matches and mark them.
"""

from __future__ import annotations

import heapq
import itertools
import math
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.models import MARK_END, MARK_START, SearchHit, SearchResult
from bot.search import visible
from bot.search.matching import (
    ClauseTerms,
    Token,
    Tokens,
    clause_terms,
    likeness,
    occurrences,
    smallest_span,
    tokens_of,
)
from bot.search.query import Clause, ParsedQuery, parse_query
from bot.store import Store
from bot.terms.stems import index_term
from bot.terms.variants import canonical

EXCERPT_CHARS = 300
CANDIDATES = 80
LIST_WORK = 2000
"""Above this many paragraphs for FTS5 to score, candidates come from the term lists."""
RARE_CANDIDATES = 2000
"""Best paragraphs taken from FTS5 for the words that have no list (each in fewer paragraphs
than a list holds, so few are ever left out)."""
MIN_COVERAGE = 0.5
"""Share of the query's weight (rarer words weigh more) a paragraph must hold to be shown."""
DUPLICATE_JACCARD = 0.35
DUPLICATE_CONTAINMENT = 0.75


Candidate = sqlite3.Row | dict[str, Any]
"""A paragraph to rank: id, passage_id, text_id, ordinal, plain, and `score` (FTS5's BM25 rank:
lower is better), as the store returns it or as scored from the term lists."""


@dataclass(frozen=True)
class Scored:
    row: Candidate
    tokens: Tokens
    places: tuple[list[tuple[int, int]], ...]
    coverage: float
    score: float


def search(store: Store, query: str, text_ids: Sequence[int] | None = None, limit: int = 10) -> SearchResult:
    """The best paragraphs for `query`; never raises on what the user typed."""
    parsed = parse_query(query)
    if parsed.is_empty:
        notice = (
            "Add a word to look for: a query of only -excluded words matches nothing."
            if parsed.excluded
            else 'Type one or more words to look for, e.g. Kronstadt or "permanent revolution".'
        )
        return SearchResult(query=query, hits=(), notice=notice)
    limit = max(1, min(limit, 50))
    prepared, corrections, unknown = prepare(store, parsed)
    terms = [clause_terms(c.alternatives, c.prefix) for c in prepared.included]
    weights, absent = clause_weights(store, terms)
    if 2 * sum(absent) < len(terms):
        # A minority of words no text has ("why did Stalin *win*"): judge by the rest. When they
        # are half the query or more, it is about something the library does not hold.
        weights = [0.0 if gone else w for w, gone in zip(weights, absent)]
    typed = [w for c in prepared.included if not c.prefix for alt in c.alternatives for w in alt]
    rows = candidates(store, prepared, text_ids)
    ranked = [s for s in rank(rows, terms, weights, typed) if s.coverage >= MIN_COVERAGE - 1e-9]
    hits = collapse(store, ranked, limit, terms)
    return SearchResult(query=query, hits=tuple(hits), notice=_notice(prepared, corrections, unknown, ranked, hits))


def prepare(store: Store, parsed: ParsedQuery) -> tuple[ParsedQuery, dict[str, str], list[str]]:
    """Canonical spelling, corrections and misprint alternatives for every included clause;
    also the words the library does not have and nothing could correct."""
    lexicon = visible.lexicon_for(store)
    words = {w for c in parsed.included for w in c.words}
    known = library(store).doc_counts(store, [index_term(w) for w in words])
    corrections: dict[str, str] = {}
    unknown: list[str] = []
    included = []
    for clause in parsed.included:
        if clause.prefix:
            # The index stores stems, and a prefix is of a word, not of its stem: the words it
            # begins are looked up instead ("bureaucrati*" -> bureaucratic, bureaucratism, ...).
            expanded = tuple((w,) for w in lexicon.starting_with(canonical(clause.words[0])))
            if not expanded:
                unknown.append(clause.words[0] + "*")
            included.append(Clause(expanded or ((canonical(clause.words[0]),),)))
            continue
        alternatives: list[tuple[str, ...]] = []
        for alternative in clause.alternatives:
            fixed = []
            for word in alternative:
                if not known.get(index_term(word)):
                    better = lexicon.correction(word)
                    if better:
                        corrections[word] = better
                        fixed.extend(better.split())
                        continue
                    unknown.append(word)
                fixed.append(canonical(word))
            alternatives.append(tuple(fixed))
            if len(fixed) == 1:
                alternatives.extend((slip,) for slip in lexicon.slips_of(fixed[0]))
            elif 2 <= len(fixed) <= 3 and lexicon.count("".join(fixed)):
                alternatives.append(("".join(fixed),))  # "self respecting" also finds "selfrespecting"
        included.append(Clause(tuple(dict.fromkeys(alternatives)), clause.prefix))
    excluded = tuple(
        Clause(tuple(tuple(canonical(w) for w in alt) for alt in c.alternatives), c.prefix) for c in parsed.excluded
    )
    return ParsedQuery(tuple(included), excluded), corrections, unknown


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


def candidates(store: Store, prepared: ParsedQuery, text_ids: Sequence[int] | None) -> Sequence[Candidate]:
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
    found: list[Candidate] = []
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


def clause_weights(store: Store, terms: list[ClauseTerms]) -> tuple[list[float], list[bool]]:
    """BM25's idf of each clause (a rare word weighs more than a common one; a phrase weighs
    what its rarest word does; alternatives add up their paragraphs), and which clauses no
    paragraph holds at all."""
    stats = library(store)
    total = max(stats.paragraphs, 1)
    docs = stats.doc_counts(store, [t for c in terms for alt in c.alternatives for t in alt])
    weights, absent = [], []
    for clause in terms:
        df = 0
        for alternative in clause.alternatives:
            df += min(docs.get(t, 0) for t in alternative) if alternative else 0
        df = min(df, total)
        weights.append(math.log((total - df + 0.5) / (df + 0.5) + 1))
        absent.append(df == 0)
    return weights, absent


def rank(rows: Sequence[Candidate], terms: list[ClauseTerms], weights: list[float], typed: list[str]) -> list[Scored]:
    """BM25 for the candidates, then more of the query's weight, closeness, the words' likeness
    to what was typed, and variety of texts on top."""
    if not rows:
        return []
    best_bm25 = max(-r["score"] for r in rows) or 1.0
    total_weight = sum(weights) or 1.0
    scored = []
    for row in rows:
        tokens = tokens_of(row["plain"])
        places = tuple(occurrences(tokens, clause) for clause in terms)
        matched = [k for k, p in enumerate(places) if p]
        coverage = sum(weights[k] for k in matched) / total_weight
        closeness = 0.0
        if len(matched) >= 2:
            span = smallest_span([places[k] for k in matched]) or len(tokens)
            closeness = min(1.0, (len(matched) + 2) / span)
        found = {tokens[i].word for p in places for first, last in p for i in range(first, last + 1)}
        alike = max((likeness(t, f) for t in typed for f in found), default=0.0)
        score = -row["score"] / best_bm25 + 2.0 * coverage + 0.5 * closeness + 1.0 * alike
        scored.append(Scored(row, tokens, places, coverage, score))
    return diversify(sorted(scored, key=lambda s: -s.score))


def diversify(ranked: list[Scored], penalty: float = 0.15) -> list[Scored]:
    """Lower each further hit from a text already shown a little, so one text that repeats a
    phrase on every page does not fill the whole list."""
    shown: dict[int, int] = {}
    adjusted = []
    for s in ranked:
        seen = shown.get(s.row["text_id"], 0)
        shown[s.row["text_id"]] = seen + 1
        adjusted.append(Scored(s.row, s.tokens, s.places, s.coverage, s.score - penalty * seen))
    return sorted(adjusted, key=lambda s: -s.score)


def collapse(store: Store, ranked: list[Scored], limit: int, terms: list[ClauseTerms]) -> list[SearchHit]:
    """One hit per paragraph; a near-identical paragraph of another text joins the first as
    "also in" instead of taking a place of its own."""
    kept: list[tuple[Scored, frozenset[str], list[Scored]]] = []
    for candidate in ranked:
        words = candidate.tokens.terms
        twin = next(
            (k for k in kept if k[0].row["text_id"] != candidate.row["text_id"] and _same_paragraph(k[1], words)), None
        )
        if twin is not None:
            twin[2].append(candidate)
        elif len(kept) < limit:
            kept.append((candidate, words, []))
    passages = store.passages_by_id(list({s.row["passage_id"] for k in kept for s in [k[0], *k[2]]}))
    return [
        SearchHit(
            passage=passages[best.row["passage_id"]],
            paragraph_id=best.row["id"],
            paragraph_ordinal=best.row["ordinal"],
            excerpt=excerpt(best.row["plain"], best.tokens, best.places),
            paragraph=best.row["plain"],
            score=round(best.score, 4),
            also_in=tuple(passages[t.row["passage_id"]] for t in twins),
        )
        for best, _, twins in kept
    ]


def _same_paragraph(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    common = len(a & b)
    if common / (len(a) + len(b) - common) >= DUPLICATE_JACCARD:
        return True
    return min(len(a), len(b)) >= 12 and common / min(len(a), len(b)) >= DUPLICATE_CONTAINMENT


def excerpt(text: str, tokens: tuple[Token, ...], places, width: int = EXCERPT_CHARS) -> str:
    """About `width` characters around the densest cluster of matches, matches marked."""
    marked = sorted({i for clause in places for first, last in clause for i in range(first, last + 1)})
    if not marked:
        return _cut(text, 0, width, set(), tokens)
    best_start, best_key = tokens[marked[0]].start, None
    for i in marked:
        start = tokens[i].start
        window = [
            k
            for k, clause in enumerate(places)
            if any(start <= tokens[f].start < start + width - 60 for f, _ in clause)
        ]
        count = sum(1 for j in marked if start <= tokens[j].start < start + width - 60)
        key = (len(window), count)
        if best_key is None or key > best_key:
            best_start, best_key = start, key
    begin = max(0, best_start - 60)
    return _cut(text, begin, width, set(marked), tokens)


def _cut(text: str, begin: int, width: int, marked: set[int], tokens: tuple[Token, ...]) -> str:
    if begin > 0:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 and begin - space < 30 else begin
        for stop in (". ", "? ", "! "):  # start at a sentence if one begins close by
            at = text.find(stop, begin, begin + 50)
            if at != -1 and at + 2 < len(text):
                begin = at + 2
                break
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    pieces, cursor = [], begin
    for index, token in enumerate(tokens):
        if token.start < begin or token.end > end or index not in marked:
            continue
        pieces.append(text[cursor : token.start] + MARK_START + text[token.start : token.end] + MARK_END)
        cursor = token.end
    pieces.append(text[cursor:end])
    body = "".join(pieces).strip()
    return ("…" if begin > 0 else "") + body + ("…" if end < len(text) else "")


def _notice(
    prepared: ParsedQuery, corrections: dict[str, str], unknown: list[str], ranked: list[Scored], hits
) -> str | None:
    if not hits:
        missing = f" ({', '.join(unknown)}: in none of the texts)" if unknown else ""
        return (
            f"Nothing matches {prepared.describe()}{missing}. Try fewer words, another "
            "spelling, or a prefix such as bureaucra*."
        )
    parts = []
    if unknown:
        parts.append(f"Not in any text: {', '.join(unknown)}.")
    if corrections:
        parts.append(
            "Showing results for "
            + ", ".join(f"*{new}*" for new in corrections.values())
            + " ("
            + ", ".join(corrections)
            + " is not in the texts)."
        )
    if len(prepared.included) > 1 and ranked and ranked[0].coverage < 1 - 1e-9:
        parts.append("No paragraph has all of these words; showing the closest.")
    return " ".join(parts) or None
