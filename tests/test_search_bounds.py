"""Every query's work is bounded, whatever was typed: clauses, the words prefixes expand to,
and what reaches the index. (Speed itself is measured in bench/search_inputs.py.)"""

from __future__ import annotations

import re
import string

import pytest

from bot import search
from bot.search import candidates, plan, query
from bot.search.plan import MAX_ALTERNATIVES, MAX_PARTS

HOSTILE = [
    " ".join(f"{c}*" for c in "dpnqwabcefghijklmorstuvy"),
    " OR ".join(f"{c}*" for c in string.ascii_lowercase),
    " ".join(f"{a}{b}*" for a in "aeiou" for b in "nrst"),
    " ".join(["revolution"] * 60),
    " ".join(f"word{n}" for n in range(100)),
    "bureaucra* " * 30,
]


def asked_for(store, monkeypatch, typed: str) -> list[str]:
    """The quoted words and phrases every FTS5 expression of one search held."""
    expressions: list[str] = []
    for name in ("match_paragraphs", "match_ids"):
        original = getattr(store, name)
        monkeypatch.setattr(store, name, lambda e, *a, _o=original: expressions.append(e) or _o(e, *a))
    search.search(store, typed)
    return [term for e in expressions for term in re.findall(r'"(?:[^"]|"")*"', e)]


@pytest.mark.parametrize("typed", HOSTILE)
def test_a_query_asks_the_index_for_a_bounded_number_of_words(store, monkeypatch, typed):
    assert len(asked_for(store, monkeypatch, typed)) <= MAX_ALTERNATIVES


@pytest.mark.parametrize("typed", HOSTILE)
def test_a_query_keeps_a_bounded_number_of_clauses_and_alternatives(store, typed):
    planned = plan.plan(store, query.parse_query(typed), candidates.library(store))
    assert len(planned.parts) <= MAX_PARTS
    assert sum(len(p.clause.alternatives) for p in planned.parts) <= MAX_ALTERNATIVES


def test_many_prefixes_share_the_words_they_may_expand_to(store):
    planned = plan.plan(store, query.parse_query(HOSTILE[0]), candidates.library(store))
    assert all(len(p.clause.alternatives) >= plan.MIN_PREFIX_WORDS for p in planned.parts)


def test_a_long_query_keeps_its_rarest_words(store):
    typed = "the party of the working class and the state and the revolution in Kronstadt"
    planned = plan.plan(store, query.parse_query(typed + " soviet" * 20), candidates.library(store))
    assert "Kronstadt" in [p.typed for p in planned.parts]


def test_a_prefix_does_not_stand_for_the_stopwords_it_begins(store):
    planned = plan.plan(store, query.parse_query("t* a*"), candidates.library(store))
    words = {w for p in planned.parts for alt in p.clause.alternatives for w in alt}
    assert words and not words & {"the", "to", "that", "this", "a", "and", "are", "as", "at"}


def test_a_question_weighs_its_light_words_less_than_the_same_words_in_a_topic(store):
    typed = query.parse_query("how does a shortage of goods give rise to officials")
    asked = plan.plan(store, typed, candidates.library(store), asks=True)
    topic = plan.plan(store, typed, candidates.library(store), asks=False)
    weights = {p.typed: (a.weight, p.weight) for p, a in zip(topic.parts, asked.parts)}
    assert weights["give"][0] < weights["give"][1] and weights["rise"][0] < weights["rise"][1]
    assert weights["shortage"][0] == weights["shortage"][1]
