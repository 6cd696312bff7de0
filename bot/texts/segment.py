"""Cut healed blocks into passages: whole paragraphs, about `min_words`-`max_words` each.

A passage never cuts a sentence; only a paragraph longer than a passage is split, and then at
sentence boundaries into near-equal pieces. Every passage fits one Discord embed description.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.models import Block, Paragraph, Passage
from bot.textutil import count_words, split_sentences, strip_markup

EMBED_DESCRIPTION_LIMIT = 4096


@dataclass(frozen=True)
class Pace:
    """How long a passage is. `max_chars` leaves room in the embed for a continuation mark."""

    min_words: int = 250
    max_words: int = 600
    max_chars: int = 3900

    def __post_init__(self) -> None:
        if not 0 < self.min_words <= self.max_words:
            raise ValueError("min_words must be positive and at most max_words")
        if self.max_chars > EMBED_DESCRIPTION_LIMIT:
            raise ValueError("a passage must fit one embed description")


def segment(blocks: list[Block], pace: Pace = Pace()) -> list[Passage]:
    """Group paragraphs into passages, each under the section heading it starts in."""
    pieces: list[tuple[str, Paragraph]] = []
    section = ""
    for block in blocks:
        if block.kind in ("heading", "title"):
            section = block.text if block.kind == "heading" else ""
            continue
        for part in _fit(block.text, pace):
            pieces.append((section, Paragraph(body=part, plain=strip_markup(part))))
    groups = _group(pieces, pace)
    return [
        Passage(ordinal=i, section=group[0][0], paragraphs=tuple(p for _, p in group))
        for i, group in enumerate(groups, start=1)
    ]


def _size(paragraph: Paragraph) -> tuple[int, int]:
    return count_words(paragraph.plain), len(paragraph.body)


def _fit(text: str, pace: Pace) -> list[str]:
    """A paragraph as is, or split at sentences into near-equal parts that each fit a passage."""
    words, chars = count_words(text), len(text)
    if words <= pace.max_words and chars <= pace.max_chars:
        return [text]
    sentences = split_sentences(text)
    parts_needed = max(math.ceil(words / pace.max_words), math.ceil(chars / pace.max_chars))
    target = words / parts_needed
    parts: list[list[str]] = [[]]
    running = 0
    for sentence in sentences:
        n = count_words(sentence)
        current = " ".join(parts[-1] + [sentence])
        too_big = count_words(current) > pace.max_words or len(current) > pace.max_chars
        if parts[-1] and (running + n / 2 > target * len(parts) or too_big):
            parts.append([])
        parts[-1].append(sentence)
        running += n
    out = [" ".join(p) for p in parts if p]
    # A single sentence longer than a passage is cut at word boundaries: the only cut allowed.
    return [chunk for part in out for chunk in _hard_wrap(part, pace)]


def _hard_wrap(text: str, pace: Pace) -> list[str]:
    if count_words(text) <= pace.max_words and len(text) <= pace.max_chars:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    words = [piece for word in text.split(" ") for piece in _split_long(word, pace.max_chars)]
    for word in words:
        candidate = " ".join(current + [word])
        if current and (len(candidate) > pace.max_chars or count_words(candidate) > pace.max_words):
            chunks.append(" ".join(current))
            current = []
        current.append(word)
    chunks.append(" ".join(current))
    return chunks


def _split_long(word: str, limit: int) -> list[str]:
    """A "word" longer than a passage (a URL, text without spaces) is cut into pieces."""
    return [word[i : i + limit] for i in range(0, len(word), limit)] or [word]


def _group(pieces: list[tuple[str, Paragraph]], pace: Pace) -> list[list[tuple[str, Paragraph]]]:
    """Partition the paragraphs into passages as even as the limits allow.

    A small dynamic programme: each passage costs its squared distance from the middle of the
    pace, plus a penalty for falling short of the minimum or for running across a section
    heading. Greedy filling leaves a stub at the end of every text; this does not.
    """
    sizes = [_size(p) for _, p in pieces]
    sections = [s for s, _ in pieces]
    target = (pace.min_words + pace.max_words) / 2
    n = len(pieces)
    best = [0.0] + [math.inf] * n
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        words = chars = 0
        for start in range(end - 1, -1, -1):
            words += sizes[start][0]
            chars += sizes[start][1] + 2
            if start < end - 1 and (words > pace.max_words or chars > pace.max_chars):
                break
            if best[start] == math.inf:
                continue
            cost = (words - target) ** 2
            if words < pace.min_words:
                cost += (pace.min_words - words) * target
            crossings = sum(1 for i in range(start + 1, end) if sections[i] != sections[i - 1])
            cost += crossings * target * target
            if best[start] + cost < best[end]:
                best[end], cut[end] = best[start] + cost, start
    groups = []
    end = n
    while end > 0:
        groups.append(pieces[cut[end] : end])
        end = cut[end]
    return groups[::-1]
