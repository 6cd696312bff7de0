"""Keyword search over paragraphs: parse, match with FTS5/BM25, one hit per passage, excerpts."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import MARK_END, MARK_START, SearchHit, SearchResult
from bot.query import parse_query
from bot.store import Store

EXCERPT_CHARS = 300
CANDIDATES_PER_HIT = 4


def search(store: Store, query: str, text_ids: Sequence[int] | None = None, limit: int = 10) -> SearchResult:
    """Find the passages that best match `query`; never raises on what the user typed."""
    parsed = parse_query(query)
    if parsed.is_empty:
        notice = (
            "Add a word to look for: a query of only -excluded words matches nothing."
            if parsed.excluded
            else "Type one or more words to look for, e.g. Kronstadt or \"permanent revolution\"."
        )
        return SearchResult(query=query, hits=(), notice=notice)
    limit = max(1, min(limit, 50))
    rows = store.match_paragraphs(parsed.to_fts(require_all=True), text_ids, limit * CANDIDATES_PER_HIT)
    notice = None
    if not rows and len(parsed.included) > 1:
        rows = store.match_paragraphs(parsed.to_fts(require_all=False), text_ids, limit * CANDIDATES_PER_HIT)
        if rows:
            notice = "No passage has all of these words; showing passages with some of them."
    hits = _hits(store, rows, limit)
    if not hits:
        notice = (
            f"Nothing matches {parsed.describe()}. Try fewer words, another spelling, or a prefix "
            "such as bureaucra*."
        )
    return SearchResult(query=query, hits=tuple(hits), notice=notice)


def _hits(store: Store, rows, limit: int) -> list[SearchHit]:
    """The best paragraph of each passage, in rank order, at most `limit` of them."""
    best: dict[int, object] = {}
    for row in rows:
        if row["passage_id"] not in best:
            best[row["passage_id"]] = row
        if len(best) == limit:
            break
    passages = store.passages_by_id(list(best))
    return [
        SearchHit(
            passage=passages[passage_id],
            paragraph_id=row["id"],
            paragraph_ordinal=row["ordinal"],
            excerpt=trim_excerpt(row["snippet"]),
            paragraph=row["plain"],
            score=-row["score"],
        )
        for passage_id, row in best.items()
    ]


def trim_excerpt(snippet: str, width: int = EXCERPT_CHARS) -> str:
    """Cut a snippet to about `width` visible characters around its first match, at word ends."""
    visible = snippet.replace(MARK_START, "").replace(MARK_END, "")
    if len(visible) <= width:
        return snippet
    first = snippet.find(MARK_START)
    start = max(0, first - width // 3)
    while start > 0 and not snippet[start - 1].isspace():
        start -= 1
    out, count, i = [], 0, start
    while i < len(snippet) and count < width:
        out.append(snippet[i])
        if snippet[i] not in (MARK_START, MARK_END):
            count += 1
        i += 1
    text = "".join(out)
    if i < len(snippet):
        text = text.rsplit(" ", 1)[0] if " " in text else text
        text += "…"
    if start > 0 and not text.startswith("…"):
        text = "…" + text
    if text.count(MARK_START) > text.count(MARK_END):
        text += MARK_END
    return text
