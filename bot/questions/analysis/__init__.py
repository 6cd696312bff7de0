"""Passage analysis: what a passage is about, in the pieces a discussion question is made of.

Key terms (distinctive against the whole library and supported by passage and library), names,
the most central quotable sentence, contrasts, and a passage of another text that takes up the
same term or name. Each piece has its own module; `analyse_passage` puts them together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.models import StoredPassage, Text
from bot.questions.analysis.connections import Connection, find_connection
from bot.questions.analysis.contrasts import Contrast, find_contrasts
from bot.questions.analysis.library import LibraryStats, library_stats, text_words
from bot.questions.analysis.names import Name, find_names
from bot.questions.analysis.sentences import Quote, central_quotes
from bot.questions.analysis.terms import KeyTerm, key_terms, noun_heads
from bot.questions.analysis.tokens import PassageText, read_passage
from bot.store import Store

CONNECTION_TOPICS = 4

__all__ = [
    "Connection",
    "Contrast",
    "KeyTerm",
    "LibraryStats",
    "Name",
    "PassageAnalysis",
    "Quote",
    "analyse_passage",
    "library_stats",
]


@dataclass(frozen=True)
class PassageAnalysis:
    text: PassageText
    terms: tuple[KeyTerm, ...]
    names: tuple[Name, ...]
    quotes: tuple[Quote, ...]
    """Quotable sentences, most central first."""
    contrasts: tuple[Contrast, ...]
    connection: Connection | None


def analyse_passage(store: Store, passage: StoredPassage, text: Text | None = None) -> PassageAnalysis:
    """Analyse one passage against the library it is stored in."""
    text = text or store.text_by_id(passage.text_id)
    stats = library_stats(store)
    read = read_passage(passage.body)
    terms = key_terms(read, stats)
    names = find_names(
        read,
        stats,
        text_words(store, passage.text_id),
        passage.author,
        text.meta.title if text else passage.text_title,
        frozenset(noun_heads(read)),
    )
    weights = {t.stem: math.log(stats.paragraphs / max(stats.doc_freq.get(t.stem, 0), 1)) for t in read.tokens}
    phrases = [t.text for t in terms if len(t.stems) > 1]
    words = [t.text for t in terms if len(t.stems) == 1]
    topics = _interleave(phrases + [n.text for n in names], words)[:CONNECTION_TOPICS]
    connection = find_connection(store, passage, topics, [t.text for t in terms[:4]], stats.current_texts)
    return PassageAnalysis(
        text=read,
        terms=tuple(terms),
        names=tuple(names),
        quotes=tuple(central_quotes(read, weights)),
        contrasts=tuple(find_contrasts(read)),
        connection=connection,
    )


def _interleave(first: list[str], second: list[str]) -> list[str]:
    """Phrases and names (the more specific topics) alternate with single-word terms."""
    out = []
    for index in range(max(len(first), len(second))):
        out += first[index : index + 1] + second[index : index + 1]
    return out
