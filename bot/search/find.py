"""Search that finds what a reader means, step by step.

1. Parse what was typed (query.py).
2. Plan it in the library's terms (plan.py): canonical spellings, near spellings for words no
   text has (or holds rarely), prefixes expanded, each clause weighed by its rarity.
3. When the words that carry most of the query's weight are in no text, say so and stop.
4. Take the best candidates by BM25 for any of its words (candidates.py).
5. Rank them from their own text and their neighbours' (rank.py). When none holds enough of the
   query, show none (its words are in the texts, but never together: "Hyde Park"); otherwise
   those holding too little come after the rest instead of being dropped (one word the best
   paragraph lacks must not sink it).
6. Collapse the same paragraph in two editions, cut excerpts, say how the query was read
   (results.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import SearchResult
from bot.search import candidates, results, spelling
from bot.search.plan import Plan, plan
from bot.search.query import parse_query
from bot.search.rank import neighbour_places, rank, with_context
from bot.store import Store

QUESTION_WORDS = frozenset(
    "why how what who whom whose when where which is are was were do does did can could should would will has have"
    " had".split()
)
MIN_COVERAGE = 0.5
"""Share of the query's weight (rarer words weigh more) some paragraph must hold for any to be
shown; those holding less come after those holding more."""
MIN_COVERAGE_ASKED = 0.3
"""The same for a question in plain English, whose answer often words it otherwise."""


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
    stats = candidates.library(store)
    planned = plan(store, parsed, stats, asks=is_question(query))
    missing = unmentioned(planned)
    if missing:
        return SearchResult(query=query, hits=(), notice=results.notice(planned, [], [], missing))
    rows = candidates.candidates(store, planned.query, text_ids)
    lexicon = spelling.lexicon(store)
    average_length = lexicon.total / max(stats.paragraphs, 1)
    floor = (MIN_COVERAGE_ASKED if planned.asks else MIN_COVERAGE) - 1e-9
    scored = rank(rows, planned, average_length)
    scored = with_context(scored, planned, store.paragraphs_at(neighbour_places(scored, planned)))
    ranked = [s for s in scored if s.coverage >= floor]
    if ranked:
        ranked += [s for s in scored if s.coverage < floor]
    hits = results.collapse(store, ranked, limit)
    missing = () if hits else tuple(p.typed for p in planned.parts if p.absent)
    return SearchResult(query=query, hits=tuple(hits), notice=results.notice(planned, ranked, hits, missing))


def is_question(query: str) -> bool:
    """A question in plain English ("why did Stalin win ..."): its verbs are the reader's own
    words, which the texts may well not use."""
    words = query.split()
    return query.rstrip().endswith("?") or bool(words and words[0].lower() in QUESTION_WORDS)


def unmentioned(planned: Plan) -> tuple[str, ...]:
    """The typed words no text has, when they carry most of the query's weight ("Cuban *missile*
    crisis"), or in a question, when they are half its words or more: it is then about
    something the library does not hold."""
    absent = [p for p in planned.parts if p.absent]
    if not absent:
        return ()
    if planned.asks:
        decisive = 2 * len(absent) >= len(planned.parts)
    else:
        decisive = sum(p.weight for p in absent) >= MIN_COVERAGE * sum(p.weight for p in planned.parts)
    return tuple(p.typed for p in absent) if decisive else ()
