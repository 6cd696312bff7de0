"""Where another text in the library takes up the same term or name, found through the keyword
index: the passage of that text whose paragraph ranks best for the topic together with the
rest of this passage's vocabulary, so the link is about the same matter, not just the same word.

Texts by other authors come first: they are the likelier to argue the other side. The same
author's other texts are used only when no one else treats the topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import StoredPassage
from bot.search.query import parse_query
from bot.store import Store

CANDIDATE_ROWS = 3


@dataclass(frozen=True)
class Connection:
    topic: str
    """The term or name, as this passage writes it."""
    passage: StoredPassage
    """The passage of the other text."""


def find_connection(
    store: Store,
    passage: StoredPassage,
    topics: Sequence[str],
    context: Sequence[str],
    current_texts: Sequence[tuple[int, str, str]],
) -> Connection | None:
    """The first topic (in the order given) that another text takes up, with its best passage.
    `current_texts`: (id, slug, author) of the library's current texts."""
    texts = [(i, a) for i, slug, a in current_texts if i != passage.text_id and slug != passage.text_slug]
    others = [i for i, author in texts if author != passage.author]
    same_author = [i for i, author in texts if author == passage.author]
    for text_ids in (others, same_author):
        if not text_ids:
            continue
        for topic in topics:
            found = _best_passage(store, topic, [c for c in context if c != topic], text_ids)
            if found is not None:
                return Connection(topic, found)
    return None


def _best_passage(store: Store, topic: str, context: Sequence[str], text_ids: list[int]) -> StoredPassage | None:
    searched = _phrase(topic.removeprefix("the "))
    queries = []
    if context:
        queries.append(searched + " " + " OR ".join(_phrase(c) for c in context))
    queries.append(searched)
    for query in queries:
        expression = parse_query(query).to_fts(require_all=True)
        if not expression:
            return None
        rows = store.match_paragraphs(expression, text_ids, CANDIDATE_ROWS)
        if rows:
            return store.passages_by_id([rows[0]["passage_id"]])[rows[0]["passage_id"]]
    return None


def _phrase(words: str) -> str:
    return '"' + words.replace('"', " ") + '"'
