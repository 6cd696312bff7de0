"""Parse what a user types into a safe SQLite FTS5 expression.

The user's syntax: words, "quoted phrases", -excluded words or phrases, OR between two
alternatives, prefix* words. Everything else (FTS5 operators, column filters, brackets, stray
quotes, emoji, control characters) is treated as text: every term reaches FTS5 quoted, so no
input can raise a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 24

# Words so common in English that they carry no information about which paragraph is meant.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves did does doing whose shall may might must also""".split()
)

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
"""A word as the index sees it (bot/terms/variants.py TOKEN): "Il'ich" is two, a phrase."""
_POSSESSIVE = re.compile(r"(?<=[^\W_])['’]s\b", re.UNICODE)
"""'s after a word: "Lenin's theory" asks for Lenin, however the text declines him."""


@dataclass(frozen=True)
class Clause:
    """A word or phrase; several of them when the user wrote `a OR b`."""

    alternatives: tuple[tuple[str, ...], ...]
    """Each alternative is a phrase: a tuple of words (one word for a plain term)."""
    prefix: bool = False
    typed: str = field(default="", compare=False)
    """As the reader wrote it (case kept), for messages."""

    def to_fts(self) -> str:
        parts = [_phrase(words, self.prefix) for words in self.alternatives]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for alt in self.alternatives for w in alt)


@dataclass(frozen=True)
class ParsedQuery:
    included: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.included

    def to_fts(self, require_all: bool = True) -> str:
        """The FTS5 MATCH expression: all included clauses (or any), minus the excluded."""
        if not self.included:
            return ""
        joiner = " AND " if require_all else " OR "
        expression = joiner.join(c.to_fts() for c in self.included)
        if self.excluded:
            if not require_all and len(self.included) > 1:
                expression = f"({expression})"
            expression += "".join(f" NOT {c.to_fts()}" for c in self.excluded)
        return expression

    def describe(self) -> str:
        """The query as understood, for messages ("Showing results for ...")."""

        def show(c: Clause) -> str:
            alts = [(" ".join(a) if len(a) == 1 else f'"{" ".join(a)}"') for a in c.alternatives]
            return " OR ".join(alts) + ("*" if c.prefix else "")

        return " ".join([show(c) for c in self.included] + [f"-{show(c)}" for c in self.excluded])


def _phrase(words: tuple[str, ...], prefix: bool) -> str:
    quoted = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
    return quoted + ("*" if prefix else "")


def parse_query(text: str) -> ParsedQuery:
    """Never raises: the worst input parses to an empty query."""
    text = "".join(c if c.isprintable() else " " for c in text[:MAX_QUERY_CHARS])
    included: list[Clause] = []
    excluded: list[Clause] = []
    pending_or = False
    negate_next = False
    for token in _TOKEN.findall(text):
        if token == "OR":
            pending_or = bool(included)
            continue
        if token == "AND":
            continue
        if token == "NOT":
            negate_next = True
            continue
        negated = negate_next or (token.startswith("-") and len(token) > 1)
        negate_next = False
        body = token[1:] if token.startswith("-") else token
        clause = _clause(body)
        if clause is None:
            pending_or = False
            continue
        if negated:
            excluded.append(clause)
        elif pending_or and included:
            previous = included.pop()
            included.append(
                Clause(
                    previous.alternatives + clause.alternatives,
                    previous.prefix or clause.prefix,
                    f"{previous.typed} OR {clause.typed}",
                )
            )
        else:
            included.append(clause)
        pending_or = False
    return ParsedQuery(tuple(_drop_stopwords(included))[:MAX_CLAUSES], tuple(excluded)[:MAX_CLAUSES])


def _clause(body: str) -> Clause | None:
    body = _POSSESSIVE.sub("", body)
    written = _WORD.findall(body)
    words = tuple(w.lower() for w in written)
    if not words:
        return None
    if body.startswith('"'):
        return Clause((words,), typed=" ".join(written))
    prefix = body.endswith("*") and len(words) == 1
    # "state-capitalism" or "don't" split into words: keep them together as a phrase.
    return Clause((words,), prefix=prefix, typed=" ".join(written) + ("*" if prefix else ""))


def _drop_stopwords(clauses: list[Clause]) -> list[Clause]:
    """Drop single stopwords unless the query is nothing else ("to be or not to be")."""

    def is_stopword(c: Clause) -> bool:
        return not c.prefix and all(len(a) == 1 and a[0] in STOPWORDS for a in c.alternatives)

    kept = [c for c in clauses if not is_stopword(c)]
    return kept if kept else clauses
