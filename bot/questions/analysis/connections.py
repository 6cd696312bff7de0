"""Where another author's passage argues about the same matter as this one.

Similarity is measured over whole passages, not one shared word: the cosine of their tf-idf
vectors over the keyword index's terms (idf from the whole library), so two passages are close
when they share many of their distinctive words, in proportion. A link is made only when that
cosine reaches MIN_SIMILARITY; in the bundled library the median cross-text pair is 0.09 and
0.15 is about the top 3 %.

Candidates come from the keyword index (the best paragraphs of other authors' texts for this
passage's most distinctive words, at most CANDIDATE_ROWS), so the cost is one FTS5 query and
at most that many passage vectors, whatever the library's size; vectors are kept per passage
(at most VECTOR_CACHE of them) for the next day's post.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.models import StoredPassage
from bot.questions.analysis.everyday import normal, word_is_key
from bot.questions.analysis.library import LibraryStats, text_words
from bot.questions.analysis.tokens import PassageText, is_content_word, read_passage
from bot.search.query import parse_query
from bot.store import Store
from bot.texts import AUTHOR, passage_hand

MIN_SIMILARITY = 0.15
CANDIDATE_ROWS = 40
QUERY_WORDS = 10
VECTOR_CACHE = 2000
SHARED_SHOWN = 2


@dataclass(frozen=True)
class Connection:
    passage: StoredPassage
    """The passage of the other text."""
    similarity: float
    shared: tuple[str, ...]
    """The words that weigh most in both passages, as this passage writes them, best first."""


def passage_vector(text: PassageText, stats: LibraryStats) -> dict[str, float]:
    """tf-idf over the passage's content words, by index term."""
    counts = Counter(t.stem for t in text.tokens if is_content_word(t.text))
    return {s: n * idf(stats, s) for s, n in counts.items()}


def idf(stats: LibraryStats, stem: str) -> float:
    return math.log(stats.paragraphs / max(stats.doc_freq.get(stem, 0), 1))


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def find_connection(
    store: Store,
    passage: StoredPassage,
    text: PassageText,
    stats: LibraryStats,
    preferred: Sequence[str] = (),
    is_concept=lambda word: True,
) -> Connection | None:
    """The most similar passage of another author's current text, if similar enough.
    `preferred`: this passage's key terms, named as the shared matter when both passages use them."""
    others = [i for i, slug, author in stats.current_texts if author != passage.author and slug != passage.text_slug]
    if not others:
        return None
    vector = passage_vector(text, stats)
    spelled: dict[str, Counter] = {}
    for token in text.tokens:
        if token.stem in vector:
            at_start = token.start == text.sentences[token.sentence].start
            spelled.setdefault(token.stem, Counter())[token.text.lower() if at_start else token.text] += 1
    top = sorted(vector, key=lambda s: (-vector[s], s))[:QUERY_WORDS]
    words = [spelled[s].most_common(1)[0][0] for s in top]
    expression = parse_query(" OR ".join(words)).to_fts(require_all=False) if words else ""
    if not expression:
        return None
    rows = store.match_paragraphs(expression, others, CANDIDATE_ROWS)
    ids = list(dict.fromkeys(r["passage_id"] for r in rows))
    candidates = store.passages_by_id(ids)
    cache: OrderedDict[int, tuple[dict[str, float], str]] = store.derived("questions.passage_vectors", OrderedDict)
    scored = [
        (cosine(vector, _cached_vector(cache, other, stats)[0]), other)
        for other in (candidates.get(pid) for pid in ids)
        if other is not None
    ]
    scored.sort(key=lambda pair: -pair[0])  # stable: of equals, the index's best first
    # The other author's own words only: an editor's preface to their text is not theirs to answer with.
    best = next(
        (pair for pair in scored if pair[0] >= MIN_SIMILARITY and passage_hand(store, pair[1]).kind == AUTHOR), None
    )
    if best is None:
        return None
    similarity, other = best
    other_vector, other_words = _cached_vector(cache, other, stats)
    of_other = text_words(store, other.text_id)

    def of_both(term: str) -> bool:
        """A concept of both texts: a word both use far more than everyday English does, or a
        phrase both repeat."""
        if " " in term:
            return of_other.phrases.get(normal(term), 0) >= 2
        return is_concept(term) and word_is_key(term, of_other.counts, of_other.total)

    shared = _shared(other_words, preferred, of_both)
    if not (len(shared) >= 2 or any(" " in term and not term.istitle() for term in shared)):
        return None  # one word ("law") or one name ("Soviet Union") may be all two passages share
    return Connection(other, similarity, shared)


def _cached_vector(cache: OrderedDict, passage: StoredPassage, stats: LibraryStats) -> tuple[dict[str, float], str]:
    """The passage's vector and its words in normal form (for finding a phrase in it)."""
    vector = cache.get(passage.id)
    if vector is None:
        read = read_passage(passage.body)
        vector = (passage_vector(read, stats), " " + normal(read.plain) + " ")
        cache[passage.id] = vector
        if len(cache) > VECTOR_CACHE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(passage.id)
    return vector


def _shared(other_words: str, preferred: Sequence[str], is_concept) -> tuple[str, ...]:
    """What both passages are about: this passage's key terms that the other passage uses too and
    that are concepts of both texts (`is_concept`), never a word any prose uses ("law" and
    "admit" is no shared matter; "Soviet bureaucracy" is)."""
    shown = [term for term in preferred if f" {normal(term)} " in other_words and is_concept(term)]
    return tuple(shown[:SHARED_SHOWN])
