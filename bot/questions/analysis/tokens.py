"""Words and sentences of a passage, with the terms the keyword index gives them.

The library statistics come from the FTS5 index, so a passage's words must be cut and stemmed
the same way (bot/index_terms.py), or its counts would not line up with the library's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.questions.analysis.voices import acted_out, voiced_elsewhere
from bot.search.query import STOPWORDS as QUERY_STOPWORDS
from bot.terms.stems import index_term
from bot.textutil import QUOTE_MARK, fold, split_sentences, strip_markup

_TOKEN = re.compile(r"[^\W_]+")
_QUOTE_OPEN, _QUOTE_CLOSE, _QUOTE_STRAIGHT = "“", "”", '"'

# Words that carry an argument's grammar, not its subject: never a key term.
STOPWORDS = QUERY_STOPWORDS | frozenset(
    """across actually almost already although always among another anyone anything around
    away back became become becomes becoming began begin behind beside besides better beyond
    came cannot certain certainly come comes completely could course done either else enough
    entire entirely especially even ever every everything fact far first found four full fully
    get gets give given gives go goes going gone got great greater greatest hardly hence however
    indeed instead itself just keep kept know known large last later least less let like likely
    little long made make makes making many matter means meanwhile merely might mostly much
    namely nearly necessary need needs neither never nevertheless new next nothing often one
    ones onto others otherwise part particular perhaps place possible put quite rather really
    regard regarding said say says second seem seemed seems seen several shall show shown
    simply since small something sometimes still take taken takes thereby therefore thing things
    think though three thus time times together toward towards two upon us use used uses using
    various view way ways well whatever whether whole within without yet""".split()
)


@dataclass(frozen=True)
class Token:
    """One word of a passage, where it stands, and the index's stem for it."""

    text: str
    stem: str
    start: int
    """Offset in the passage's plain text."""
    sentence: int
    """Index into the passage's sentences."""


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    paragraph: int
    quoted: bool
    """Inside quotation marks in the passage, or in a paragraph voices.voiced_elsewhere finds in
    someone else's voice: not the author's claim."""


@dataclass(frozen=True)
class PassageText:
    """A passage cut into sentences and index tokens, over its plain text (markup removed)."""

    plain: str
    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]


def stem(word: str) -> str:
    """The term the keyword index stores for `word` (its canonical spelling, stemmed)."""
    return index_term(word)


@lru_cache(maxsize=65536)
def is_content_word(word: str) -> bool:
    """A word that can name a subject: alphabetic, three letters or more, not a stopword."""
    folded = fold(word)
    return len(folded) >= 3 and folded.isalpha() and folded not in STOPWORDS


def read_passage(body: str) -> PassageText:
    """Cut a passage body (paragraphs separated by blank lines) into sentences and tokens."""
    raw = [p.strip() for p in body.split("\n\n") if p.strip()]
    block_quotes = [p.startswith(QUOTE_MARK) for p in raw]
    # A block quotation is another writer's words throughout, whatever its quotation marks.
    paragraphs = [
        strip_markup(p[len(QUOTE_MARK) :] if quote else p) for p, quote in zip(raw, block_quotes, strict=True)
    ]
    plain = "\n\n".join(paragraphs)
    voiced = voiced_elsewhere(paragraphs, block_quotes)
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    offset = 0
    for number, paragraph in enumerate(paragraphs):
        quoted_spans = _quoted_spans(paragraph)
        cursor = 0
        texts = split_sentences(paragraph)
        acted = acted_out(texts)
        for at, text in enumerate(texts):
            local = paragraph.find(text, cursor)
            local = cursor if local < 0 else local
            cursor = local + len(text)
            quoted = voiced[number] or at in acted or _mostly_inside(local, cursor, quoted_spans)
            sentences.append(Sentence(text, offset + local, number, quoted))
            for match in _TOKEN.finditer(text):
                word = match.group()
                tokens.append(Token(word, stem(word), offset + local + match.start(), len(sentences) - 1))
        offset += len(paragraph) + 2
    return PassageText(plain, tuple(sentences), tuple(tokens))


def _quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks, double or single (‘…’; a ’ inside a word is an apostrophe).
    A closing mark with no opening one means the paragraph began inside a quotation (a quote
    continued from the paragraph before)."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    single: int | None = None
    for index, char in enumerate(paragraph):
        if char == _QUOTE_OPEN or (char == _QUOTE_STRAIGHT and opened is None):
            if opened is None:
                opened = index
        elif char == _QUOTE_CLOSE or char == _QUOTE_STRAIGHT:
            spans.append((0 if opened is None else opened, index + 1))
            opened = None
        elif char == "‘" and opened is None and single is None:
            single = index
        elif char == "’" and single is not None and not paragraph[index + 1 : index + 2].isalpha():
            spans.append((single, index + 1))
            single = None
    if opened is not None:
        spans.append((opened, len(paragraph)))
    return spans


def _mostly_inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    covered = sum(max(0, min(end, b) - max(start, a)) for a, b in spans)
    return covered * 2 > end - start
