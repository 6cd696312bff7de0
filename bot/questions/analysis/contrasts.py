"""Contrasts the author draws: "not X but Y", "whereas", "rather than", "as opposed to": an
alternative the author names in order to reject it. ("On the other hand", "unlike" and
"instead of" are left out: they as often join two points of the author's own, or tell what
happened instead, as set one view against another.)

A contrast is quoted rather than paraphrased: cutting "X" and "Y" out of a sentence without a
parser gives fragments that do not read as English, while the author's own clause always does.
When the sentence is too long to quote, its opening stretch up to the clause after the contrast
word is quoted, marked with an ellipsis where it was cut; a stretch from the middle of a sentence
("…not a kingdom only, but ...") is not, nor one opening with a pointer back ("This is not ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.questions.analysis.claims import not_a_claim
from bot.questions.analysis.sentences import quote_through, stands_alone
from bot.questions.analysis.tokens import PassageText

_MARKERS = re.compile(
    r"\bnot\s+(?!only\b|least\b|yet\b|even\b|always\b|all\b|to\b|a\s+few\b)(?![^.;:!?,]{0,60}\bonly,)[^.;:!?]{2,90}?,?\s+but\s+(?!also\b|they\b|he\b|she\b|it\b|we\b|i\b|this\b|there\b|that\b|these\b|those\b)"
    r"|\bwhereas\b|\brather than\b|\bas opposed to\b",
    re.I,
)


_CHOICE_OF_ACTIONS = re.compile(
    r"\brather than (?!the\b|a\b|an\b)\w+ (?:with|at|to|from|in|on|the|his|her|their|its|a|an|it|them|him|us|our|my)\b"
    r"|\b(?:does|do|did|will|would|can|could|should|must|may)\s+not\s+\w+,?\s+but\s+\w+\b",
    re.I,
)
"""Two actions set side by side, not two things told apart ("rather than part with his livestock he
keeps ...", "does not lessen, but increase the common stock"): the sentence is a claim or a story,
and "is the line drawn in the right place?" does not fit it."""
_SUBORDINATE = re.compile(r"^(?:If|When|While|Whilst|Although|Though|Because|Since|As|Unless|Whether|Whereas)\b")


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
        if match is None or _CHOICE_OF_ACTIONS.search(flat):
            continue
        quote = quote_through(flat, match.start(), match.end())
        if (
            quote
            and stands_alone(quote)
            and not not_a_claim(quote)
            and not (quote.endswith("…") and _SUBORDINATE.match(quote))  # "If, then, it is asserted that ...…"
        ):
            marker = "not … but" if match.group().lower().startswith("not") else match.group().lower()
            found.append(Contrast(quote, marker, index))
    return found
