"""Plain data shared by the core and both front ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.textutil import count_words

MARK_START, MARK_END = "\x02", "\x03"
"""Wrap matched words in excerpts; each front end renders them its own way (bold)."""


@dataclass(frozen=True)
class TextMeta:
    """Facts about a text: from catalog.toml, front matter, or defaults."""

    title: str
    author: str = "Unknown"
    year: int | None = None
    source: str = ""
    language: str = "en"
    questions: dict[str, list[str]] = field(default_factory=dict)
    """Curated questions keyed by passage number ("3") or section title."""


@dataclass(frozen=True)
class Block:
    """A healed unit of a text: a section heading or a body paragraph."""

    kind: str
    """"heading" (starts a section), "title" (the text's own title or byline: no section), or
    "paragraph"."""
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (or a sentence-aligned piece of an over-long one) inside a passage."""

    body: str
    """As displayed: Markdown emphasis kept as *x*."""
    plain: str
    """As indexed: emphasis and other markup removed."""


@dataclass(frozen=True)
class Passage:
    """What a group reads in a sitting: whole paragraphs under one section title."""

    ordinal: int
    """1-based position in its text."""
    section: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def body(self) -> str:
        return "\n\n".join(p.body for p in self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(count_words(p.plain) for p in self.paragraphs)


@dataclass(frozen=True)
class Text:
    """One text as stored: its facts and where it stands in the store."""

    id: int
    slug: str
    meta: TextMeta
    passage_count: int
    word_count: int
    content_hash: str


@dataclass(frozen=True)
class StoredPassage:
    """A passage read back from the store, with the facts needed to cite it."""

    id: int
    text_id: int
    text_slug: str
    text_title: str
    author: str
    ordinal: int
    passage_count: int
    section: str
    body: str
    word_count: int


@dataclass(frozen=True)
class SearchHit:
    """One search result: a paragraph, the passage it belongs to, and a highlighted excerpt."""

    passage: StoredPassage
    paragraph_id: int
    paragraph_ordinal: int
    excerpt: str
    """About 300 characters around the matches; each match wrapped in MARK_START/MARK_END."""
    paragraph: str
    """The whole best-matching paragraph, plain text."""
    score: float
    also_in: tuple[StoredPassage, ...] = ()
    found_as: tuple[str, ...] = ()
    """Words of the paragraph that stood in for a word typed (near spellings), as written."""


@dataclass(frozen=True)
class ParagraphContext:
    """A search hit's paragraph with the paragraphs around it, to read it in context."""

    passage: StoredPassage
    """The passage the hit's paragraph belongs to: what to cite."""
    paragraphs: tuple[tuple[int, str, bool], ...]
    """(paragraph number in the text, text as displayed, is it the hit)."""


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    notice: str | None = None
    """What the user should know about these results: a correction, a relaxed query, or, when
    nothing was found, what to try instead."""


@dataclass(frozen=True)
class Group:
    """A reading group: one channel reading one text on a schedule."""

    id: int
    guild_id: int
    channel_id: int
    text_id: int
    next_ordinal: int
    """The first passage of the next post."""
    post_time: str
    """HH:MM, local to `timezone`."""
    timezone: str
    weekdays: frozenset[int]
    pace: int
    """Passages per post."""
    paused: bool
    pause_reason: str | None
    last_error: str | None
    created_by: int


@dataclass(frozen=True)
class Delivery:
    """One day's post for a group: claimed first, then posted (or failed for good)."""

    id: int
    group_id: int
    local_date: str
    first_ordinal: int
    last_ordinal: int
    status: str  # "pending" | "posted" | "failed"
    message_id: int | None
    thread_id: int | None
    attempts: int
    error: str | None
    posted_at: str | None
    claimed_at: str
