"""Whether a text uses a word or phrase far more than everyday English does: what makes it one of
the text's concepts rather than a word any prose uses ("state" and "party" in an essay on Soviet
history, not "eyes" or "direction").

Everyday English is wordfreq's English list (Wikipedia, subtitles, news, books, web text; the
data ships inside the package, nothing is downloaded). A word is key to a text when the text
uses it at least KEY_RATIO times as often as that list says English does, and the excess is no
accident of a short text: Dunning's log-likelihood of the text's count against the count English
would predict is at least KEY_G2 (p < 0.001). A word's forms (singular and plural) are counted
together. A phrase is compared with wordfreq's estimate for the phrase as a whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache

import wordfreq

KEY_RATIO = 3.0
KEY_G2 = 10.83
_FLOOR = 1e-9  # a word wordfreq does not know: rarer than anything it lists
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=65536)
def english_frequency(words: str) -> float:
    """How often everyday English uses these words (a word, or a phrase taken as a whole)."""
    return max(wordfreq.word_frequency(words, "en"), _FLOOR)


def forms_of(word: str) -> tuple[str, ...]:
    """The singular and plural spellings of a lower-cased word, the word first."""
    word = normal(word)
    forms = [word, word + "s", word + "es"]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif word.endswith("y"):
        forms.append(word[:-1] + "ies")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return tuple(dict.fromkeys(forms))


def normal(words: str) -> str:
    """Lower case, one kind of apostrophe, single spaces: how texts' counts are keyed."""
    return " ".join(w.lower().replace("’", "'") for w in _WORD.findall(words))


def g2_excess(uses: int, expected: float) -> float:
    """Log-likelihood of `uses` against an `expected` count from a much larger reference."""
    if uses <= 0:
        return 0.0
    return 2 * (uses * math.log(uses / expected) - (uses - expected))


def word_is_key(word: str, counts: Mapping[str, int], total: int) -> bool:
    """The text (its lower-cased word counts, `total` words) uses `word` far more than English."""
    forms = forms_of(word)
    uses = sum(counts.get(f, 0) for f in forms)
    expected = sum(english_frequency(f) for f in forms) * max(total, 1)
    return uses >= KEY_RATIO * expected and g2_excess(uses, expected) >= KEY_G2


def phrase_is_key(phrase: str, uses: int, total: int) -> bool:
    """A phrase the text uses `uses` times in `total` words is its own term, not a chance
    meeting of everyday words ("permanent revolution", not "social direction")."""
    expected = english_frequency(normal(phrase)) * max(total, 1)
    return uses >= 2 and uses >= KEY_RATIO * expected and g2_excess(uses, expected) >= KEY_G2
