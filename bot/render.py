"""Turn core results into cards: what every front end shows, before it is drawn.

A card is a neutral message (title, body, fields, footer). The Discord adapter turns it into an
embed; the CLI and the console print it as text. So the daily post, /today and the console show
the same thing, made in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.models import MARK_END, MARK_START, SearchHit, SearchResult, StoredPassage

DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
TITLE_LIMIT = 256


@dataclass(frozen=True)
class Card:
    title: str
    description: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    footer: str = ""
    spoiler_fields: frozenset[int] = field(default_factory=frozenset)


def cite(passage: StoredPassage) -> str:
    """Title, author, section, passage n of N: enough to find it again and quote it."""
    parts = [f"{passage.text_title} ({passage.author})"]
    if passage.section:
        parts.append(passage.section)
    parts.append(f"passage {passage.ordinal} of {passage.passage_count}")
    return " · ".join(parts)


def passage_card(passage: StoredPassage) -> Card:
    return Card(
        title=_clip(passage.section or passage.text_title, TITLE_LIMIT),
        description=_clip(passage.body, DESCRIPTION_LIMIT),
        footer=cite(passage) + f" · {passage.word_count} words",
    )


def highlight(excerpt: str, bold: tuple[str, str] = ("**", "**")) -> str:
    return excerpt.replace(MARK_START, bold[0]).replace(MARK_END, bold[1])


def search_lines(result: SearchResult, bold: tuple[str, str] = ("**", "**")) -> list[str]:
    """Plain lines for a terminal: each hit as a citation and its excerpt."""
    lines: list[str] = []
    if result.notice:
        lines.append(result.notice)
    for number, hit in enumerate(result.hits, start=1):
        lines.append(f"{number}. {cite(hit.passage)}")
        lines.append("   " + highlight(hit.excerpt, bold))
        lines.extend(f"   also in: {cite(other)}" for other in hit.also_in)
    return lines


def hit_json(hit: SearchHit) -> dict:
    p = hit.passage
    return {
        "text": p.text_slug,
        "title": p.text_title,
        "author": p.author,
        "section": p.section,
        "passage": p.ordinal,
        "passage_count": p.passage_count,
        "citation": cite(p),
        "excerpt": highlight(hit.excerpt),
        "paragraph": hit.paragraph,
        "score": round(hit.score, 4),
        "also_in": [{"text": o.text_slug, "passage": o.ordinal, "citation": cite(o)} for o in hit.also_in],
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
