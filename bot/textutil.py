"""Small text helpers shared by healing, segmentation, search and questions."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "jr",
    "sr",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "cf",
    "op",
    "cit",
    "ibid",
    "p",
    "pp",
    "vol",
    "vols",
    "no",
    "nos",
    "ch",
    "chap",
    "ed",
    "eds",
    "trans",
    "fig",
    "col",
    "gen",
    "lt",
    "capt",
    "rev",
    "hon",
    "esp",
    "approx",
    "ca",
    "c",
}
_SENTENCE_END = re.compile(r"""([.!?…]+)(["”’')\]]*)(\s+)(?=["“‘'(\[]?[A-Z0-9])""")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def strip_markup(text: str) -> str:
    """Remove Markdown emphasis markers (*x*, **x**, _x_), keeping the words."""
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends, not after abbreviations or initials ("V. I. Lenin", "op. cit.")."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(2)
        before = text[start : match.start(1)]
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        token = last_word.lstrip("(\"“‘'").lower()
        if match.group(1) == "." and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def word_memo(maxsize: int) -> Callable[[Callable[[str], str]], Callable[[str], str]]:
    """Remember a function of one word that returns a word, in a plain dict emptied when it
    holds `maxsize` words. Unlike functools.lru_cache, a dict of strings is left alone by the
    garbage collector: a full collection does not walk a large vocabulary's worth of entries."""

    def wrap(function: Callable[[str], str]) -> Callable[[str], str]:
        remembered: dict[str, str] = {}

        @functools.wraps(function)
        def remembering(word: str) -> str:
            found = remembered.get(word)
            if found is None:
                if len(remembered) >= maxsize:
                    remembered.clear()
                found = remembered[word] = function(word)
            return found

        return remembering

    return wrap


def fold(text: str) -> str:
    """Case-fold and drop accents: how two spellings are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def squash(text: str) -> str:
    """Letters and digits only, folded: compares quotes regardless of spacing and hyphenation."""
    return "".join(c for c in fold(text) if c.isalnum())
