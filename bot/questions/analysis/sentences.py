"""Sentences as a question quotes them: whole, within MIN_QUOTE_CHARS..MAX_QUOTE_CHARS, inner
quotation marks made single, or cut to the clause that matters with "…" where cut. Only the
author's own words qualify: a sentence inside quotation marks is someone else's.
"""

from __future__ import annotations

import re

from bot.questions.analysis.tokens import Sentence

MIN_QUOTE_CHARS = 40
MAX_QUOTE_CHARS = 190
# Openings that lean on the sentence before; out of context the reader cannot tell what they mean.
_ANAPHORIC = re.compile(r"^(This|These|That|Those|It|Its|They|Their|He|She|His|Her|Such|Here|There)\b")
_CITATION = re.compile(r"\((?:p|pp|ibid|op)\.|\[\d+\]|\bibid\b", re.I)


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
