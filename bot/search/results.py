"""Ranked paragraphs to hits: one hit per paragraph (a near-identical paragraph of another text
joins it as "also in"), a highlighted excerpt, the near spellings a hit was found through, and
the notice that says how the query was understood."""

from __future__ import annotations

from collections import Counter

from bot.models import MARK_END, MARK_START, SearchHit
from bot.search.matching import Tokens
from bot.search.plan import Plan
from bot.search.rank import Scored
from bot.store import Store

EXCERPT_CHARS = 300
DUPLICATE_JACCARD = 0.35
DUPLICATE_CONTAINMENT = 0.75


def collapse(store: Store, ranked: list[Scored], limit: int) -> list[SearchHit]:
    """One hit per paragraph; a near-identical paragraph of another text joins the first as
    "also in" instead of taking a place of its own."""
    kept: list[tuple[Scored, frozenset[str], list[Scored]]] = []
    for candidate in ranked:
        words = candidate.tokens.distinct_terms
        twin = next(
            (k for k in kept if k[0].row["text_id"] != candidate.row["text_id"] and _same_paragraph(k[1], words)), None
        )
        if twin is not None:
            twin[2].append(candidate)
        elif len(kept) < limit:
            kept.append((candidate, words, []))
    passages = store.passages_by_id(list({s.row["passage_id"] for k in kept for s in [k[0], *k[2]]}))
    return [
        SearchHit(
            passage=passages[best.row["passage_id"]],
            paragraph_id=best.row["id"],
            paragraph_ordinal=best.row["ordinal"],
            excerpt=excerpt(best.row["plain"], best.tokens, best.places),
            paragraph=best.row["plain"],
            score=round(best.score, 4),
            also_in=tuple(passages[t.row["passage_id"]] for t in twins),
            found_as=best.found_as,
        )
        for best, _, twins in kept
    ]


def _same_paragraph(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    common = len(a & b)
    if common / (len(a) + len(b) - common) >= DUPLICATE_JACCARD:
        return True
    return min(len(a), len(b)) >= 12 and common / min(len(a), len(b)) >= DUPLICATE_CONTAINMENT


def excerpt(text: str, tokens: Tokens, places, width: int = EXCERPT_CHARS) -> str:
    """About `width` characters around the densest cluster of matches, matches marked: the
    window holding the most clauses, then the most matches (one pass over the matches)."""
    owners: dict[int, list[int]] = {}
    for k, clause in enumerate(places):
        for first, last in clause:
            for i in range(first, last + 1):
                owners.setdefault(i, []).append(k)
    marked = sorted(owners)
    if not marked:
        return _cut(text, 0, width, set(), tokens)
    reach = width - 60
    inside: Counter[int] = Counter()
    starts = tokens.starts
    best_start, best_key, right = starts[marked[0]], None, 0
    for left, i in enumerate(marked):
        start = starts[i]
        while right < len(marked) and starts[marked[right]] < start + reach:
            inside.update(owners[marked[right]])
            right += 1
        key = (len(inside), right - left)
        if best_key is None or key > best_key:
            best_start, best_key = start, key
        inside.subtract(owners[i])
        inside += Counter()  # drop clauses no longer inside
    return _cut(text, max(0, best_start - 60), width, set(marked), tokens)


def _cut(text: str, begin: int, width: int, marked: set[int], tokens: Tokens) -> str:
    if begin > 0:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 and begin - space < 30 else begin
        for stop in (". ", "? ", "! "):  # start at a sentence if one begins close by
            at = text.find(stop, begin, begin + 50)
            if at != -1 and at + 2 < len(text):
                begin = at + 2
                break
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    pieces, cursor = [], begin
    for index in sorted(marked):
        start, stop = tokens.starts[index], tokens.ends[index]
        if start < begin or stop > end:
            continue
        pieces.append(text[cursor:start] + MARK_START + text[start:stop] + MARK_END)
        cursor = stop
    pieces.append(text[cursor:end])
    body = "".join(pieces).strip()
    return ("…" if begin > 0 else "") + body + ("…" if end < len(text) else "")


def notice(plan: Plan, ranked: list[Scored], hits: list[SearchHit], missing: tuple[str, ...] = ()) -> str | None:
    """How the query was understood: nothing found (and what to try), the words in no text,
    the near spellings shown instead, or that no paragraph holds every word."""
    if not hits:
        if missing:
            rest = [p.typed for p in plan.parts if not p.absent]
            stem = missing[0].rstrip("*")
            suggestion = (
                f"search for {' '.join(rest)} alone"
                if rest
                else f"a shorter prefix such as {stem[: max(3, len(stem) // 2)]}*"
            )
            return f"No text mentions {_listed(missing)}. Try another spelling, or {suggestion}."
        unknown = f" ({', '.join(plan.unknown)}: in none of the texts)" if plan.unknown else ""
        return (
            f"Nothing matches {plan.query.describe()}{unknown}. Try fewer words, another "
            "spelling, or a prefix such as bureaucra*."
        )
    parts = []
    if plan.unknown:
        parts.append(f"Not in any text: {', '.join(plan.unknown)}.")
    if plan.corrections:
        shown = ", ".join(" or ".join(f"*{w}*" for w in near) for _, near in plan.corrections)
        typed = ", ".join(typed for typed, _ in plan.corrections)
        verb = "is" if len(plan.corrections) == 1 else "are"
        parts.append(f"Showing results for {shown} ({typed} {verb} not in the texts).")
    if len(plan.parts) > 1 and ranked and not ranked[0].complete:
        parts.append("No paragraph has all of these words; showing the closest.")
    return " ".join(parts) or None


def _listed(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
