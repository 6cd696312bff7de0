"""Contrasts the author draws: "not X but Y", "whereas", "on the contrary", "rather than".

A contrast is quoted rather than paraphrased: cutting "X" and "Y" out of a sentence without a
parser gives fragments that do not read as English, while the author's own clause always does.
When the sentence is too long to quote, the clause around the contrast word is quoted, marked
with an ellipsis where it was cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.questions.analysis.sentences import MAX_QUOTE_CHARS, MIN_QUOTE_CHARS, nest_quotes
from bot.questions.analysis.tokens import PassageText

_MARKERS = re.compile(
    r"\bnot\s+(?!only\b|least\b|yet\b|even\b|always\b|all\b|to\b|a\s+few\b)[^.;:!?]{2,90}?,?\s+but\s+(?!also\b)"
    r"|\bwhereas\b|\bon the contrary\b|\brather than\b|\binstead of\b|\bas opposed to\b"
    r"|\bin contrast\b|\bby contrast\b|\bunlike\b|\bon the other hand\b|\bcontrary to\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[;:—–]\s|,\s")


@dataclass(frozen=True)
class Contrast:
    quote: str
    """The author's words, ready to quote (inner quotes made single, "…" where cut)."""
    marker: str
    """The words that draw the contrast ("not ... but", "whereas")."""
    sentence: int


def find_contrasts(text: PassageText) -> list[Contrast]:
    """Every quotable contrast in the author's own sentences, in passage order."""
    found = []
    for index, sentence in enumerate(text.sentences):
        if sentence.quoted or sentence.text.rstrip().endswith("?"):
            continue
        flat = " ".join(sentence.text.split())
        match = _MARKERS.search(flat)
        if match is None:
            continue
        quote = _clause_around(flat, match.start(), match.end())
        quote = nest_quotes(quote) if quote else None
        if quote:
            marker = "not … but" if match.group().lower().startswith("not") else match.group().lower()
            found.append(Contrast(quote, marker, index))
    return found


def _clause_around(sentence: str, start: int, end: int) -> str | None:
    """The sentence, or the stretch of it between clause breaks that holds [start, end)."""
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence if len(sentence) >= MIN_QUOTE_CHARS and sentence[:1].isupper() else None
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
    return piece
