"""Where a query's clauses occur in a paragraph (bot/matching.py), against a plain scan."""

from __future__ import annotations

from bot.search.matching import ClauseTerms, Tokens, clause_terms, occurrences, tokens_of

TEXT = (
    "The working class of Russia took power; the working-class parties, the workers' "
    "soviets and the bureaucracy, bureaucratic and bureaucratised, worked on. Working class!"
)


def scan(tokens, clause: ClauseTerms) -> list[tuple[int, int]]:
    """Every start position checked against every alternative: slow, plainly right."""
    found = set()
    for alternative in clause.alternatives:
        n = len(alternative)
        for i in range(len(tokens) - n + 1):
            if clause.prefix and n == 1:
                hit = tokens[i].word.startswith(alternative[0])
            else:
                hit = [t.term for t in tokens[i : i + n]] == list(alternative)
            if hit:
                found.add((i, i + n - 1))
    return sorted(found)


CLAUSES = [
    clause_terms((("working", "class"),), False),
    clause_terms((("working", "class", "parties"),), False),
    clause_terms((("bureaucracy",), ("soviets",), ("power",)), False),
    clause_terms((("bureaucrat",),), True),
    clause_terms((("work",),), True),
    clause_terms((("class",), ("working", "class")), False),
    clause_terms((("absent",),), False),
    clause_terms((("on", "working"),), False),
]


def test_occurrences_are_those_a_scan_finds():
    tokens = tokens_of(TEXT)
    assert isinstance(tokens, Tokens)
    for clause in CLAUSES:
        assert occurrences(tokens, clause) == scan(tokens, clause), clause


def test_plain_tuples_of_tokens_work_too():
    tokens = tokens_of(TEXT)
    for clause in CLAUSES:
        assert occurrences(tuple(tokens), clause) == occurrences(tokens, clause)


def test_a_phrase_is_found_across_punctuation_but_not_out_of_order():
    tokens = tokens_of(TEXT)
    places = occurrences(tokens, clause_terms((("working", "class"),), False))
    assert len(places) == 3  # "working class", "working-class", "Working class"
    assert occurrences(tokens, clause_terms((("class", "working"),), False)) == []


def test_a_prefix_matches_words_not_stems():
    tokens = tokens_of(TEXT)
    words = {
        tokens[i].word for first, _ in occurrences(tokens, clause_terms((("bureaucrati",),), True)) for i in [first]
    }
    assert words == {"bureaucratic", "bureaucratised"}  # not "bureaucracy", though its stem begins so
