"""Small text helpers shared by healing, segmentation, search and questions."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator

WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")

QUOTE_MARK = "> "
"""How a block quotation's paragraph is stored: Markdown's (and Discord's) quote mark, so that the
questions never take another writer's words for the author's, and Discord shows them as a quote."""


def block_quoted(paragraph: str) -> str:
    """A paragraph marked as a block quotation (nested quotes are marked once)."""
    return paragraph if paragraph.startswith(QUOTE_MARK) else QUOTE_MARK + paragraph


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
# Both patterns stay linear on any input: a sentence end is only tried where a run of stops
# begins (not at each stop of "......"), and emphasis never scans past its own marker, so an
# opener without a closer stops at the next marker instead of the end of the text.
_SENTENCE_END = re.compile(r"""(?<![.!?…])([.!?…]+)(["”’')\]]*)(\s+)(?=["“‘'(\[]?[A-Z0-9])""")
_EMPHASIS = re.compile(
    r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*|__(?=\S)([^_]+?)(?<=\S)__|\*(?=\S)([^*]+?)(?<=\S)\*|_(?=\S)([^_]+?)(?<=\S)_"
)
MAX_EMPHASIS_DEPTH = 4
"""Emphasis inside emphasis is undone a level a pass; deeper nesting than this is not prose."""
_WORD_BEFORE_STOP_CHARS = 64
"""Enough of the text before a full stop to see its word (an abbreviation or an initial)."""


SLICE_CHARS = 1 << 20
"""Long texts are worked on a slice at a time: a list of every word of a 50 MB text would
take over 500 MB."""


def count_words(text: str) -> int:
    if len(text) <= SLICE_CHARS:
        return len(WORD_RE.findall(text))
    return sum(len(WORD_RE.findall(piece)) for piece in slices(text))


def slices(text: str, size: int = SLICE_CHARS) -> Iterator[str]:
    """`text` in consecutive pieces of about `size` characters, cut at white space so that no
    word is cut (unless a run without any is longer than `size`)."""
    start = 0
    while len(text) - start > size:
        end = max(text.rfind(" ", start, start + size), text.rfind("\n", start, start + size))
        end = end + 1 if end > start else start + size
        yield text[start:end]
        start = end
    yield text[start:] if start else text


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def strip_markup(text: str) -> str:
    """Remove Markdown emphasis markers (*x*, **x**, _x_), keeping the words."""
    for _ in range(MAX_EMPHASIS_DEPTH):
        text, found = _EMPHASIS.subn(_emphasised, text)
        if not found:
            break
    return text


def _emphasised(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends, not after abbreviations or initials ("V. I. Lenin", "op. cit.")."""
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[str]:
    """The sentences of `text`, one at a time (see split_sentences)."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(2)
        before = text[max(start, match.start(1) - _WORD_BEFORE_STOP_CHARS) : match.start(1)]
        last_word = before.rsplit(None, 1)[-1] if before and not before.isspace() else ""
        token = last_word.lstrip("(\"“‘'").lower()
        if match.group(1) == "." and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())):
            continue
        yield text[start:end].strip()
        start = match.end()
    tail = text[start:].strip()
    if tail:
        yield tail


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
