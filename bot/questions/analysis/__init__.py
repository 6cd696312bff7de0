"""Passage analysis: what a passage argues, in the pieces a discussion question is made of.

Key terms (the text's concepts: phrases it repeats, words it marks, words it uses far more than
everyday English), names, the argument (thesis, views of others with their holders, reasons,
evidence, causes, counterfactuals, concessions), contrasts, and the most similar passage of
another author. Each piece has its own module; `analyse_passage` puts them together.

Bounds: every step is one pass over the passage's tokens and sentences (linear in its length),
plus figures computed once per library or text version (library_stats, text_words) and one
bounded keyword-index query for the connection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.models import StoredPassage, Text
from bot.questions.analysis.argument import Argument, Claim, Tension, View, find_argument
from bot.questions.analysis.connections import Connection, find_connection
from bot.questions.analysis.contrasts import Contrast, find_contrasts
from bot.questions.analysis.everyday import word_is_key
from bot.questions.analysis.library import LibraryStats, TextWords, library_stats, text_words
from bot.questions.analysis.names import Name, find_names
from bot.questions.analysis.terms import KeyTerm, key_terms, noun_heads, with_holders
from bot.questions.analysis.tokens import PassageText, read_passage
from bot.store import Store
from bot.texts import AUTHOR, OTHER, passage_hand

__all__ = [
    "Argument",
    "Claim",
    "Connection",
    "Contrast",
    "KeyTerm",
    "LibraryStats",
    "Name",
    "PassageAnalysis",
    "Tension",
    "View",
    "analyse_passage",
    "library_stats",
]


@dataclass(frozen=True)
class PassageAnalysis:
    text: PassageText
    terms: tuple[KeyTerm, ...]
    names: tuple[Name, ...]
    argument: Argument
    contrasts: tuple[Contrast, ...]
    connection: Connection | None
    words_of_text: TextWords
    writer: str = ""
    """How questions name whoever wrote the passage when it is not the author's own (bot/texts/
    hands.py): "Marriott", "the publisher", "the preface"; which of several authors wrote it
    ("Madison"); "" for the author's own words, named as the text's author."""

    def is_concept(self, word: str) -> bool:
        """A single word the whole text uses far more than everyday English does."""
        return word_is_key(word, self.words_of_text.counts, self.words_of_text.total)


def analyse_passage(store: Store, passage: StoredPassage, text: Text | None = None) -> PassageAnalysis:
    """Analyse one passage against its text and the library it is stored in."""
    text = text or store.text_by_id(passage.text_id)
    stats = library_stats(store)
    read = read_passage(passage.body)
    hand = passage_hand(store, passage)
    author = passage.author if hand.kind == AUTHOR else ""  # never a holder of views in their own text
    writer = hand.writer or ("" if hand.kind == AUTHOR else "the author")
    of_text = text_words(store, passage.text_id)
    names = find_names(
        read,
        stats,
        of_text,
        author,
        text.meta.title if text else passage.text_title,
        frozenset(noun_heads(read)),
    )
    weights = {t.stem: math.log(stats.paragraphs / max(stats.doc_freq.get(t.stem, 0), 1)) for t in read.tokens}
    lower_words = {w.casefold() for w in of_text.lower}
    passage_uses: dict[str, int] = {}
    for token in read.tokens:
        passage_uses[token.stem] = passage_uses.get(token.stem, 0) + 1
    unheld = key_terms(read, stats, of_text)
    concepts = frozenset(s for t in unheld for s in t.stems)
    argument = find_argument(
        read,
        weights,
        author=author,
        names=[n.text for n in names],
        is_known=lambda token: stats.occurrences(token.stem) > passage_uses.get(token.stem, 0),
        is_name=lambda word: word.casefold() not in lower_words and word[:1].isupper(),
        concepts=concepts,
        subject=passage.author if hand.kind == OTHER else "",
    )
    terms = with_holders(unheld, read, argument.holders)
    analysis_without_link = PassageAnalysis(read, tuple(terms), tuple(names), argument, (), None, of_text, writer)
    connection = find_connection(
        store,
        passage,
        read,
        stats,
        preferred=[t.text for t in terms],
        is_concept=analysis_without_link.is_concept,
    )
    own = {i for i, s in enumerate(read.sentences) if not s.quoted} - set(argument.holders) - argument.conceded
    contrasts = tuple(c for c in find_contrasts(read) if c.sentence in own)
    return PassageAnalysis(read, tuple(terms), tuple(names), argument, contrasts, connection, of_text, writer)
