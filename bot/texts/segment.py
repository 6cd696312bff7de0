"""Cut healed blocks into passages: whole paragraphs, about `min_words`-`max_words` each.

A passage never cuts a sentence; only a paragraph longer than a passage is split, and then at
sentence boundaries into near-equal pieces. Every passage fits one Discord embed description.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import islice

from bot.models import Block, Paragraph, Passage
from bot.textutil import WORD_RE, count_words, iter_sentences, strip_markup

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
    """A paragraph as is, or split at sentences into near-equal parts that each fit a passage.

    Linear in time and memory: sentences are taken one at a time, each part's words and
    characters are counted as it grows, and a finished part is joined at once."""
    words, chars = count_words(text), len(text)
    if words <= pace.max_words and chars <= pace.max_chars:
        return [text]
    parts_needed = max(math.ceil(words / pace.max_words), math.ceil(chars / pace.max_chars))
    target = words / parts_needed
    out: list[str] = []
    part: list[str] = []
    parts_begun = 1
    part_words = part_chars = running = 0
    for sentence in iter_sentences(text):
        n = count_words(sentence)
        too_big = part_words + n > pace.max_words or part_chars + 1 + len(sentence) > pace.max_chars
        if part and (running + n / 2 > target * parts_begun or too_big):
            out.extend(_hard_wrap(" ".join(part), pace))
            part, part_words, part_chars = [], 0, 0
            parts_begun += 1
        part.append(sentence)
        part_words += n
        part_chars += len(sentence) + (1 if len(part) > 1 else 0)
        running += n
    if part:
        out.extend(_hard_wrap(" ".join(part), pace))
    return out


def _hard_wrap(text: str, pace: Pace) -> list[str]:
    """A single sentence longer than a passage, cut at spaces into the longest pieces that fit
    (a run without spaces longer than a passage is cut anywhere): the only cut allowed.

    Each piece is found by looking ahead `max_chars` at most, never word by word, so a 50 MB
    line costs one pass, not a list of its ten million words."""
    if count_words(text) <= pace.max_words and len(text) <= pace.max_chars:
        return [text]
    chunks: list[str] = []
    start, size, limit = 0, len(text), pace.max_chars
    while True:
        space = text.find(" ", start)
        if (space if space >= 0 else size) - start > limit:  # a run without spaces
            chunks.append(text[start : start + limit])
            start += limit
            continue
        end = size if size - start <= limit else text.rfind(" ", start, start + limit + 1)
        chunk = text[start:end]
        over = next(islice(WORD_RE.finditer(chunk), pace.max_words, None), None)
        if over is not None:  # too many words: stop before the word that is one too many
            cut = chunk.rfind(" ", 0, over.start())
            cut = cut if cut >= 0 else (space - start if 0 <= space < end else len(chunk))
            chunk, end = chunk[:cut], start + cut
        chunks.append(chunk)
        if end >= size:
            return chunks
        start = end + 1


@dataclass
class _Unit:
    """Consecutive paragraphs of one section that the grouping keeps together."""

    first: int
    """Index of its first piece."""
    count: int
    words: int
    chars: int
    section: str


UNIT_FRACTION = 32
"""Paragraphs shorter together than 1/32 of a passage are grouped as one unit, so that a passage
never holds more than about 2 x 32 units however tiny its paragraphs ('Aa.' a million times)."""
MAX_UNITS_PER_PASSAGE = 192
"""Candidate starts the grouping weighs for each passage end: more than a passage of units can
hold (a text of one-line sections is the only way to reach it)."""


def _units(pieces: list[tuple[str, Paragraph]], pace: Pace) -> list[_Unit]:
    unit_words, unit_chars = max(1, pace.max_words // UNIT_FRACTION), max(1, pace.max_chars // UNIT_FRACTION)
    units: list[_Unit] = []
    for index, (section, paragraph) in enumerate(pieces):
        words, chars = _size(paragraph)
        last = units[-1] if units else None
        if (
            last is not None
            and last.section == section
            and last.words + words <= unit_words
            and last.chars + chars <= unit_chars
        ):
            last.count += 1
            last.words += words
            last.chars += chars
        else:
            units.append(_Unit(index, 1, words, chars, section))
    return units


def _group(pieces: list[tuple[str, Paragraph]], pace: Pace) -> list[list[tuple[str, Paragraph]]]:
    """Partition the paragraphs into passages as even as the limits allow.

    A small dynamic programme: each passage costs its squared distance from the middle of the
    pace, plus a penalty for falling short of the minimum or for running across a section
    heading. Greedy filling leaves a stub at the end of every text; this does not. Linear: each
    passage end weighs at most MAX_UNITS_PER_PASSAGE starts, with running sums.
    """
    units = _units(pieces, pace)
    target = (pace.min_words + pace.max_words) / 2
    n = len(units)
    best = [0.0] + [math.inf] * n
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        words = chars = crossings = 0
        for start in range(end - 1, max(-1, end - 1 - MAX_UNITS_PER_PASSAGE), -1):
            unit = units[start]
            words += unit.words
            chars += unit.chars + 2 * unit.count
            if start < end - 1:
                if words > pace.max_words or chars > pace.max_chars:
                    break
                crossings += unit.section != units[start + 1].section
            if best[start] == math.inf:
                continue
            cost = (words - target) ** 2
            if words < pace.min_words:
                cost += (pace.min_words - words) * target
            cost += crossings * target * target
            if best[start] + cost < best[end]:
                best[end], cut[end] = best[start] + cost, start
    groups = []
    end = n
    while end > 0:
        first, last = units[cut[end]], units[end - 1]
        groups.append(pieces[first.first : last.first + last.count])
        end = cut[end]
    return groups[::-1]
