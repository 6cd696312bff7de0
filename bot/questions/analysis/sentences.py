"""The passage's most central sentence, short enough to quote in a question.

Centrality is the cosine between a sentence's keyness-weighted words and the whole passage's:
the sentence that says most of what the passage as a whole says (the centroid method behind
LexRank-style summarisers). The summarisation libraries that do this (sumy, summa, lexrank)
either download NLTK data at run time or are unmaintained, and the method is a dozen lines.
Only the author's own words qualify: a sentence inside quotation marks is someone else's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from bot.questions.analysis.tokens import PassageText, Sentence, is_content_word

MIN_QUOTE_CHARS = 40
MAX_QUOTE_CHARS = 190
# Openings that lean on the sentence before; out of context the reader cannot tell what they mean.
_ANAPHORIC = re.compile(r"^(This|These|That|Those|It|Its|They|Their|He|She|His|Her|Such|Here|There)\b")
_CITATION = re.compile(r"\((?:p|pp|ibid|op)\.|\[\d+\]|\bibid\b", re.I)


@dataclass(frozen=True)
class Quote:
    text: str
    """Ready to put between quotation marks: inner double quotes turned into single ones."""
    sentence: int
    score: float


def central_quotes(text: PassageText, weights: dict[str, float], limit: int = 3) -> list[Quote]:
    """Quotable sentences, most central first."""
    centroid = Counter()
    bags = []
    for index, _ in enumerate(text.sentences):
        bag = Counter(t.stem for t in text.tokens if t.sentence == index and is_content_word(t.text))
        bags.append(bag)
        centroid.update(bag)
    scored = []
    for index, sentence in enumerate(text.sentences):
        quote = quotable(sentence)
        if quote is None:
            continue
        score = _cosine(bags[index], centroid, weights)
        if _ANAPHORIC.match(quote):
            score *= 0.6
        scored.append(Quote(quote, index, score))
    scored.sort(key=lambda q: (-q.score, q.sentence))
    return scored[:limit]


def quotable(sentence: Sentence, max_chars: int = MAX_QUOTE_CHARS) -> str | None:
    """The sentence ready to quote, or None when it cannot stand alone in a question."""
    text = " ".join(sentence.text.split())
    if sentence.quoted or not MIN_QUOTE_CHARS <= len(text) <= max_chars:
        return None
    if not text[:1].isupper() or text.endswith(("?", ":", "…", "...")) or text[-1] not in ".!":
        return None
    if _CITATION.search(text) or "..." in text or "…" in text or text.count("(") != text.count(")"):
        return None
    return nest_quotes(text)


def nest_quotes(text: str) -> str | None:
    """Turn double quotation marks inside a quote into single ones; None if they do not pair."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return None
    out, straight_open = [], False
    for char in text:
        if char == "“":
            out.append("‘")
        elif char == "”":
            out.append("’")
        elif char == '"':
            out.append("’" if straight_open else "‘")
            straight_open = not straight_open
        else:
            out.append(char)
    return "".join(out)


def _cosine(bag: Counter, centroid: Counter, weights: dict[str, float]) -> float:
    if not bag:
        return 0.0
    dot = sum(n * centroid[s] * weights.get(s, 0.0) ** 2 for s, n in bag.items())
    norm_bag = math.sqrt(sum((n * weights.get(s, 0.0)) ** 2 for s, n in bag.items()))
    norm_all = math.sqrt(sum((n * weights.get(s, 0.0)) ** 2 for s, n in centroid.items()))
    return dot / (norm_bag * norm_all) if norm_bag and norm_all else 0.0


_CLAUSE_BREAK = re.compile(r"[;:—–]\s|,\s")


def quote_around(sentence: str, start: int, end: int) -> str | None:
    """The sentence ready to quote, or for a long one the stretch between clause breaks that
    holds [start, end), marked with "…" where cut; None when no such stretch fits."""
    if len(sentence) <= MAX_QUOTE_CHARS:
        if (
            len(sentence) >= MIN_QUOTE_CHARS
            and (sentence[:1].isupper() or sentence[:1] == "[")
            and sentence.rstrip("”’\"')")[-1:] in ".!"
        ):
            return nest_quotes(sentence)
        return None
    left = 0
    for brk in _CLAUSE_BREAK.finditer(sentence, 0, start):
        if start - brk.end() <= MAX_QUOTE_CHARS // 2:
            left = brk.end()
            break
    right = len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence, end):
        right = brk.start()
        if right - left >= MIN_QUOTE_CHARS:
            break
    if right - left > MAX_QUOTE_CHARS - 2 or right - left < MIN_QUOTE_CHARS:
        return None
    piece = sentence[left:right].strip()
    if left > 0:
        piece = "…" + piece
    if right < len(sentence):
        piece = piece.rstrip(",;:—– ") + "…"
    return nest_quotes(piece)
