"""Candidates ranked by what they hold of the query.

Each paragraph is scored from its own text: BM25 of each clause (rare words weigh more, a near
spelling less than the word typed), the share of the query's weight it holds, how close
together the matches are, how like the typed words the matched ones are (among words of one
stem), and a small penalty for each further hit from one text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from bot.search.matching import ClauseTerms, Tokens, likeness, occurrences, smallest_span, tokens_of
from bot.search.plan import Plan

K1 = 1.2
B = 0.75
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
    typed = [{w for i, a in enumerate(p.clause.alternatives) if i not in p.stand_ins for w in a} for p in plan.parts]
    weights = [0.0 if p.absent else p.weight for p in plan.parts]
    total_weight = plan.total_weight
    scored = []
    for row in rows:
        tokens = tokens_of(row["plain"])
        length_norm = 1 - B + B * len(tokens) / max(average_length, 1.0)
        exact = [occurrences(tokens, c) if c.alternatives else [] for c in own]
        stood = [occurrences(tokens, c) if c.alternatives else [] for c in near]
        places = tuple(sorted(set(a) | set(b)) for a, b in zip(exact, stood))
        bm25 = coverage = alike = 0.0
        found_as: list[str] = []
        for k, weight in enumerate(weights):
            if not places[k]:
                continue
            tf = len(exact[k]) + STAND_IN * len(stood[k]) if exact[k] else STAND_IN * len(stood[k])
            share = 1.0 if exact[k] else STAND_IN
            bm25 += weight * tf * (K1 + 1) / (tf + K1 * length_norm)
            coverage += weight * share
            if exact[k]:
                found = {tokens[i].word for first, last in exact[k] for i in range(first, last + 1)}
                alike += weight * max((likeness(t, f) for t in typed[k] for f in found), default=0.0)
            else:
                found_as.extend(row["plain"][tokens[f].start : tokens[t].end] for f, t in stood[k])
        matched = [places[k] for k in range(len(places)) if places[k]]
        closeness = 0.0
        if len(matched) >= 2:
            span = smallest_span(matched) or len(tokens)
            closeness = min(1.0, (len(matched) + 2) / span)
        coverage /= total_weight
        score = bm25 / total_weight / (K1 + 1) + 2.0 * coverage + 0.5 * closeness + 1.0 * alike / total_weight
        complete = all(places[k] for k, p in enumerate(plan.parts) if not p.absent)
        scored.append(Scored(row, tokens, places, coverage, score, tuple(dict.fromkeys(found_as)), complete))
    return diversify(sorted(scored, key=lambda s: -s.score))


def diversify(ranked: list[Scored], penalty: float = 0.15) -> list[Scored]:
    """Lower each further hit from a text already shown a little, so one text that repeats a
    phrase on every page does not fill the whole list."""
    shown: dict[int, int] = {}
    adjusted = []
    for s in ranked:
        seen = shown.get(s.row["text_id"], 0)
        shown[s.row["text_id"]] = seen + 1
        adjusted.append(dataclasses.replace(s, score=s.score - penalty * seen))
    return sorted(adjusted, key=lambda s: -s.score)
