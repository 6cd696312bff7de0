"""Search: what a reader types becomes cited, highlighted paragraphs from the library.

Public API: `search` and `context`. The way there (find.py): `query` (what was typed to
clauses), `plan` (clauses in the library's terms: spellings, near spellings, prefixes, weights),
`spelling` (the vocabulary), `candidates` (the paragraphs worth ranking), `matching` (which words
of a paragraph match a clause), `rank` (scores), `results` (duplicates, excerpts, notices).
"""

from __future__ import annotations

from bot.errors import NotFoundError
from bot.models import ParagraphContext, SearchResult
from bot.search import find
from bot.store import Store
from bot.texts import resolve_texts


def search(store: Store, query: str, text: str | None = None, limit: int = 10) -> SearchResult:
    """Search the current texts, or only those matching `text` (slug, title or author, partial)."""
    text_ids = [t.id for t in resolve_texts(store, text)] if text else None
    return find.search(store, query, text_ids=text_ids, limit=limit)


def context(store: Store, paragraph_id: int, around: int = 1) -> ParagraphContext:
    """The paragraph and `around` paragraphs before and after it, in the same text."""
    rows = store.paragraphs_around(paragraph_id, around, around)
    hit = next((r for r in rows if r["id"] == paragraph_id), None)
    if hit is None:
        raise NotFoundError("That paragraph is no longer in the library; search again.")
    passage = store.passages_by_id([hit["passage_id"]])[hit["passage_id"]]
    return ParagraphContext(passage, tuple((r["ordinal"], r["body"], r["id"] == paragraph_id) for r in rows))


__all__ = ["context", "search"]
