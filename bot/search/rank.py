"""Candidates ranked by what they hold of the query.

Each paragraph is scored from its own text: BM25 of each clause (rare words weigh more; a near
spelling, another form of the word or a related form counts less than the word typed), the
share of the query's weight it holds, how close together the matches are, whether it names a
phrase of the query as a theory or idea, how much of the query its text holds across its
candidates, and a small penalty for each further hit from one text. The best are then
re-ranked with what their neighbouring paragraphs hold of the query.
The weights were chosen on the tuning half of bench/eval/search-own.jsonl; its nDCG@5 moved by
0.02 or less between half and twice each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.search.matching import ClauseTerms, Tokens, occurrences, smallest_span, tokens_of
from bot.search.plan import FULL_FORM, Plan
from bot.search.spelling import shared_start
from bot.terms.stems import index_term

K1 = 2.0
B = 0.3
"""BM25's term-frequency saturation and length normalisation, lighter than the usual 1.2 and
0.75: a paragraph that keeps returning to a word is about it, however long (an argument runs
longer than a mention). Tune 0.708 -> 0.718, public 0.797 -> 0.828, no query lower."""
BM25 = 1.0
COVERAGE = 2.0
"""Weight of the share of the query's weight a paragraph holds."""
CLOSENESS = 0.5
EXPLAINS = 0.3
"""For a paragraph that names a phrase of the query as a theory, idea, slogan..."""
EXPLAINING = frozenset(
    index_term(w)
    for w in "theory concept idea notion doctrine slogan formula principle thesis term definition meaning".split()
)
CONTEXT = 1.0
"""Weight of the share of the query's weight that only a neighbouring paragraph holds: an
answer often runs over two paragraphs, the one that names the subject and the next."""
CONTEXT_TOP = 30
"""Best paragraphs whose neighbours are read (two each): what the context can reorder."""
TEXT_EVIDENCE = 0.2
"""Weight of how much of the query a paragraph's text holds across its candidates: tune 0.723
-> 0.741, public 0.828 -> 0.839 (0.15 to 0.25 alike; from 0.3 the tune half gains less)."""
SAME_TEXT = 0.15
"""Lowered from each further hit of a text already shown."""
RELATED_FORM = 0.6
"""What a related form of another stem counts ("peasant" for "peasantry")."""
STAND_IN = 0.8
"""A near spelling counts this much of the word typed: it stands in, it is not what was asked."""


@dataclass(frozen=True)
class Scored:
    row: Any
    """The paragraph's row: id, passage_id, text_id, ordinal, plain."""
    tokens: Tokens
    places: tuple[list[tuple[int, int]], ...]
    coverage: float
    score: float
    found_as: tuple[str, ...] = ()
    """The paragraph's words that stood in for a typed word (near spellings), as written."""
    complete: bool = False
    """Holds every part of the query the library has (in some spelling)."""


def rank(rows, plan: Plan, average_length: float) -> list[Scored]:
    """The candidates, best first (each scored from its own text)."""
    if not rows:
        return []
    own = [
        ClauseTerms(tuple(a for i, a in enumerate(p.terms.alternatives) if i not in p.stand_ins)) for p in plan.parts
    ]
    near = [ClauseTerms(tuple(p.terms.alternatives[i] for i in sorted(p.stand_ins))) for p in plan.parts]
    weights = [0.0 if p.absent else p.weight for p in plan.parts]
    total_weight = plan.total_weight
    scored = []
    for row in rows:
        tokens = tokens_of(row["plain"])
        length_norm = 1 - B + B * len(tokens) / max(average_length, 1.0)
        exact = [occurrences(tokens, c) if c.alternatives else [] for c in own]
        stood = [occurrences(tokens, c) if c.alternatives else [] for c in near]
        places = tuple(sorted(set(a) | set(b)) for a, b in zip(exact, stood))
        bm25 = coverage = 0.0
        found_as: list[str] = []
        for k, part in enumerate(plan.parts):
            if not places[k]:
                continue
            credits = [form_credit(part.asked, tokens, first, last) for first, last in exact[k]]
            credits += [STAND_IN if own[k].alternatives else 1.0] * len(stood[k])
            tf = sum(credits)
            bm25 += weights[k] * tf * (K1 + 1) / (tf + K1 * length_norm)
            coverage += weights[k] * max(credits)
            if not exact[k]:
                found_as.extend(row["plain"][tokens[f].start : tokens[t].end] for f, t in stood[k])
        matched = [p for p in places if p]
        closeness = 0.0
        if len(matched) >= 2:
            span = smallest_span(matched) or len(tokens)
            closeness = min(1.0, (len(matched) + 2) / span)
        coverage /= total_weight
        score = BM25 * bm25 / total_weight / (K1 + 1) + COVERAGE * coverage + CLOSENESS * closeness
        if any(explains(tokens, first) for p in places for first, last in p if last > first):
            score += EXPLAINS
        complete = all(places[k] for k, p in enumerate(plan.parts) if not p.absent)
        scored.append(Scored(row, tokens, places, coverage, score, tuple(dict.fromkeys(found_as)), complete))
    return diversify(sorted(with_text_evidence(scored), key=lambda s: -s.score))


def with_text_evidence(scored: list[Scored]) -> list[Scored]:
    """Each candidate raised by TEXT_EVIDENCE times how much of the query its text's candidates
    hold between them (the sum of their coverage), relative to the text that holds most: of two
    paragraphs that hold the query alike, the one in a text about it comes first, not the one
    where it is mentioned in passing."""
    held: dict[int, float] = {}
    for s in scored:
        held[s.row["text_id"]] = held.get(s.row["text_id"], 0.0) + s.coverage
    most = max(held.values(), default=0.0) or 1.0
    return [
        Scored(
            s.row,
            s.tokens,
            s.places,
            s.coverage,
            s.score + TEXT_EVIDENCE * held[s.row["text_id"]] / most,
            s.found_as,
            s.complete,
        )
        for s in scored
    ]


def neighbour_places(ranked: list[Scored], plan: Plan) -> list[tuple[int, int]]:
    """(text id, ordinal) of the paragraphs before and after each of the CONTEXT_TOP best (none
    for a query of one part: a neighbour cannot hold what a paragraph lacks of it)."""
    if len(plan.parts) < 2:
        return []
    return list(
        dict.fromkeys((s.row["text_id"], s.row["ordinal"] + step) for s in ranked[:CONTEXT_TOP] for step in (-1, 1))
    )


def with_context(ranked: list[Scored], plan: Plan, neighbours: dict[tuple[int, int], str]) -> list[Scored]:
    """The CONTEXT_TOP best re-ranked with what their neighbours hold: each earns CONTEXT times
    the share of the query's weight that it lacks and the richer of its two neighbours holds.
    Whether a paragraph holds enough of the query (its coverage) stays its own."""
    if len(plan.parts) < 2:
        return ranked
    top = []
    for s in ranked[:CONTEXT_TOP]:
        lacking = [p for k, p in enumerate(plan.parts) if not p.absent and not s.places[k]]
        gained = 0.0
        for step in (-1, 1):
            plain = neighbours.get((s.row["text_id"], s.row["ordinal"] + step))
            if plain is not None and lacking:
                tokens = tokens_of(plain)
                gained = max(gained, sum(p.weight for p in lacking if occurrences(tokens, p.terms)))
        score = s.score + CONTEXT * gained / plan.total_weight
        top.append(Scored(s.row, s.tokens, s.places, s.coverage, score, s.found_as, s.complete))
    return sorted(top, key=lambda s: -s.score) + ranked[CONTEXT_TOP:]


def explains(tokens: Tokens, first: int) -> bool:
    """Whether a phrase at `first` is named as what the sentence is about ("the theory of
    socialism in one country", "the slogan of ..."): a paragraph that explains or argues about
    a phrase, not one that only repeats it."""
    return any(term in EXPLAINING for term in tokens.terms[max(0, first - 3) : first])


def form_credit(asked: frozenset[str], tokens: Tokens, first: int, last: int) -> float:
    """How fully a match stands for what was asked (a phrase by its last word): a word asked
    for, fully; another form of the same stem by how much of the asked word it holds from the
    start ("Stalin" for "Stalinism" two thirds, "industrialisation" for "industrialise" all); a
    related form of another stem ("peasant" for "peasantry") at RELATED_FORM."""
    word, term = tokens.words[last], tokens.terms[last]
    if word in asked or not asked:
        return 1.0
    same_stem = [a for a in asked if index_term(a) == term]
    if not same_stem:
        return RELATED_FORM
    if last > first:
        return 1.0  # a phrase of the words asked for, in another inflection
    return min(1.0, max(shared_start(a, word) / len(a) for a in same_stem) / FULL_FORM)


def diversify(ranked: list[Scored], penalty: float | None = None) -> list[Scored]:
    """Lower each further hit from a text already shown a little, so one text that repeats a
    phrase on every page does not fill the whole list."""
    penalty = SAME_TEXT if penalty is None else penalty
    shown: dict[int, int] = {}
    adjusted = []
    for s in ranked:
        seen = shown.get(s.row["text_id"], 0)
        shown[s.row["text_id"]] = seen + 1
        adjusted.append(Scored(s.row, s.tokens, s.places, s.coverage, s.score - penalty * seen, s.found_as, s.complete))
    return sorted(adjusted, key=lambda s: -s.score)
