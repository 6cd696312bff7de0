"""The query parser: whatever a user types becomes a valid FTS5 expression, or nothing."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.query import parse_query


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')")
    conn.executemany(
        "INSERT INTO t(x) VALUES (?)",
        [("the permanent revolution of Trotsky",), ("Stalin and the bureaucracy",), ("Kronstadt 1921",)],
    )
    return conn


def run(fts, query, require_all=True):
    expression = parse_query(query).to_fts(require_all)
    if not expression:
        return []
    return [r[0] for r in fts.execute("SELECT x FROM t WHERE t MATCH ? ORDER BY rank", (expression,))]


SYNTAX = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "*",
        ":",
        "^",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "-",
        "+",
        "{",
        "}",
        "x:",
        "NEAR(",
        "\x00",
        "\u202e",
        "🙂",
        "'",
        "\\",
        "''",
        '""',
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(SYNTAX, st.text(max_size=12), st.sampled_from(["stalin", "revolution", "kron*"])), max_size=12
    ).map(" ".join)
)
def test_any_input_gives_a_valid_expression(fts, text):
    for require_all in (True, False):
        run(fts, text, require_all)  # must not raise sqlite3.OperationalError


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(fts, text):
    run(fts, text)
    run(fts, text, require_all=False)


def test_five_thousand_characters_do_not_raise(fts):
    run(fts, "revolution " * 500)
    run(fts, '"' * 5000)
    run(fts, "(" * 2500 + ")" * 2500)


def test_plain_words_are_all_required(fts):
    assert run(fts, "stalin bureaucracy") == ["Stalin and the bureaucracy"]
    assert run(fts, "stalin kronstadt") == []


def test_or_between_two_words(fts):
    assert sorted(run(fts, "stalin OR kronstadt")) == ["Kronstadt 1921", "Stalin and the bureaucracy"]


def test_excluded_word(fts):
    assert run(fts, "the -stalin") == ["the permanent revolution of Trotsky"]


def test_quoted_phrase_must_be_adjacent(fts):
    assert run(fts, '"permanent revolution"') == ["the permanent revolution of Trotsky"]
    assert run(fts, '"revolution permanent"') == []


def test_prefix(fts):
    assert run(fts, "bureau*") == ["Stalin and the bureaucracy"]


def test_stemming_matches_other_forms(fts):
    assert run(fts, "revolutions") == ["the permanent revolution of Trotsky"]


def test_fts_operators_typed_by_the_user_are_just_words(fts):
    assert run(fts, "NEAR(stalin bureaucracy)") == []
    assert parse_query("x:stalin").to_fts() == '"x stalin"'


def test_stopwords_are_dropped_unless_nothing_else_is_left():
    assert parse_query("why did Stalin win").to_fts() == '"stalin" AND "win"'
    assert parse_query("to be or not to be").to_fts() != ""


def test_only_excluded_words_is_an_empty_query():
    parsed = parse_query("-stalin")
    assert parsed.is_empty and parsed.excluded
