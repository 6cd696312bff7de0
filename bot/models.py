"""Plain data shared by the core and both front ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Literal

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


BlockKind = Literal["heading", "title", "paragraph"]


@dataclass(frozen=True)
class Block:
    """A healed unit of a text: a section heading or a body paragraph."""

    kind: BlockKind
    """"heading" (starts a section), "title" (the text's own title, byline or title page, a
    contents list before the text: no section, no passage), or "paragraph"."""
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
    guild_id: int | None = None
    """The server whose library it is in; None: the shared library every server reads."""
    size_bytes: int = 0
    """Its text in UTF-8: what it counts against its server's quota."""


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
    post_time: time
    """Local to `timezone`, to the minute."""
    timezone: str
    weekdays: frozenset[int]
    pace: int
    """Passages per post."""
    paused: bool
    pause_reason: str | None
    last_error: str | None
    created_by: int


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    """Claimed: being sent, or to be retried."""
    POSTED = "posted"
    FAILED = "failed"
    """Given up on for good (the group is paused with the reason)."""


@dataclass(frozen=True)
class Delivery:
    """One day's post for a group: claimed first, then posted (or failed for good)."""

    id: int
    group_id: int
    local_date: date
    """The group's local day the post is for: at most one post a day."""
    first_ordinal: int
    last_ordinal: int
    status: DeliveryStatus
    message_id: int | None
    thread_id: int | None
    attempts: int
    error: str | None
    posted_at: datetime | None
    claimed_at: datetime
    questions: tuple[str, ...] | None = None
    """The questions the post carried, kept when it was made; None for posts made before
    studybot kept them."""


@dataclass(frozen=True)
class CuratedQuestion:
    """One of a server's own questions for a passage, and where it came from."""

    text: str
    source: str
    """"written" (an organiser wrote or changed it), "kept" (a generated or catalog question an
    organiser kept as it was) or "suggested" (a member's, approved by an organiser)."""
    author_id: int
    approved_by: int
    added_at: str


@dataclass(frozen=True)
class ServerQuestions:
    """A server's curated questions for one passage of one text version."""

    guild_id: int
    text_id: int
    ordinal: int
    questions: tuple[CuratedQuestion, ...]
    replaces_generated: bool
    """True once an organiser saved the whole list: the post carries exactly these. Otherwise
    (approved suggestions only) they lead and generated questions fill the rest."""
    updated_by: int
    updated_at: str


@dataclass(frozen=True)
class Suggestion:
    """A member's question for a posted passage, waiting for an organiser or decided."""

    id: int
    guild_id: int
    group_id: int
    delivery_id: int
    text_id: int
    ordinal: int
    question: str
    user_id: int
    status: str  # "open" | "approved" | "declined"
    created_at: str
    decided_by: int | None
    decided_at: str | None
    notice_channel_id: int | None
    notice_message_id: int | None


# -- members' own reading (bot/members) ------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSetting:
    """A member's reminders in one group: opt-in, at their own local time."""

    group_id: int
    user_id: int
    remind_at: time | None
    """Local to `timezone`; None when reminders are off."""
    timezone: str
    weekdays: frozenset[int]
    snoozed_until: date | None
    """No reminder on a local day before this one."""
    next_due: datetime | None
    """The next reminder's moment (UTC); None when none is coming (off, or DMs closed)."""
    counting_since: datetime
    """Reminders before this moment do not count towards a pause (set when the member acts)."""
    paused_at: datetime | None
    """When reminders paused after going unread; None while they run."""
    dm_channel_id: int | None
    dm_closed_at: datetime | None
    """When a DM was refused (the member's DMs are closed): reminders stopped then."""
    dm_closed_told: bool


@dataclass(frozen=True)
class Reminder:
    """One direct message claimed for a member on a local day: a reminder of a post, or the
    single note that reminders are paused."""

    id: int
    group_id: int
    user_id: int
    local_date: date
    kind: Literal["reminder", "paused"]
    delivery_id: int | None
    status: str
    """"claimed", "sending" (maybe sent: never tried again), "sent" or "failed"."""
