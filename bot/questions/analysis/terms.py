"""Key terms: the words and short phrases that set this passage apart from the rest of the library.

A candidate is scored by log-likelihood keyness (Dunning's G2): how much more often the passage
uses its stem than the library as a whole would predict. Keyness alone rewards rarity, so it
would crown one-off OCR slips ("mosses" for "masses") and stray words; a candidate must also be
supported twice over: used at least twice in the passage, and known to the index beyond this one
use. Two-word phrases ("permanent revolution", "ruling caste") that recur in the passage stand in
for their words, since a phrase names a concept more exactly than either word alone.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.questions.analysis.library import LibraryStats
from bot.questions.analysis.tokens import STOPWORDS, PassageText, Token, is_content_word

MIN_PASSAGE_USES = 2
MAX_TERMS = 6

# Words that stand before a noun phrase: a word right after one of them, with no content word
# after it, heads a noun phrase ("the bureaucracy,", "of the masses").
_DETERMINERS = frozenset(
    """the a an this these those its their his her our my your whose of any every each some
    such own""".split()
)
# Prepositions also stand before noun phrases, but before verbs in -ing too ("by converting").
_PREPOSITIONS = frozenset("in into on for by with from against between through under within without".split())
_NOUN_SUFFIXES = (
    "tion",
    "tions",
    "sion",
    "sions",
    "ism",
    "isms",
    "ity",
    "ities",
    "ment",
    "ments",
    "ness",
    "ship",
    "acy",
    "cy",
    "dom",
    "hood",
    "ogy",
    "ry",
)
# Nouns too general to ask about, however often a passage repeats them.
_GENERAL_NOUNS = frozenset(
    """day days year years month months week weeks man men people case cases point points side
    sides number numbers kind kinds sort lot end hand hands word words book books page pages
    article articles author authors reader readers example examples issue issues matter matters
    picture pictures middle step steps aim aims sense set turn turns result results""".split()
)


@dataclass(frozen=True)
class KeyTerm:
    text: str
    """As the passage writes it (most frequent spelling), e.g. "permanent revolution"."""
    stems: tuple[str, ...]
    uses: int
    """Occurrences in this passage."""
    score: float


def keyness(uses: int, words: int, library_uses: int, library_words: int) -> float:
    """Dunning's log-likelihood of a word's use in a passage against the library; signed so
    that words the passage uses less than expected score below zero."""
    rest_uses = max(library_uses - uses, 0)
    rest_words = max(library_words - words, 1)
    total = words + rest_words
    expected_here = words * (uses + rest_uses) / total
    expected_rest = rest_words * (uses + rest_uses) / total
    g2 = 0.0
    if uses:
        g2 += uses * math.log(uses / expected_here)
    if rest_uses:
        g2 += rest_uses * math.log(rest_uses / expected_rest)
    g2 *= 2
    return g2 if uses >= expected_here else -g2


def key_terms(text: PassageText, stats: LibraryStats, limit: int = MAX_TERMS) -> list[KeyTerm]:
    """The passage's most distinctive supported terms, best first; phrases before their words."""
    words = len(text.tokens)
    names = name_like_stems(text)
    content = [
        t
        for t in text.tokens
        if is_content_word(t.text) and t.stem not in names and t.text.lower() not in _GENERAL_NOUNS
    ]
    heads = noun_heads(text)
    uses = Counter(t.stem for t in content)

    scores: dict[str, float] = {}
    for stem_, n in uses.items():
        if n < MIN_PASSAGE_USES or stats.occurrences(stem_) < n:
            continue  # a one-off here, or unknown to the index: too weak to build a question on
        scores[stem_] = keyness(n, words, stats.occurrences(stem_), stats.tokens)

    candidates = [
        KeyTerm(heads[s].most_common(1)[0][0], (s,), uses[s], score)
        for s, score in scores.items()
        if score > 0 and s in heads
    ]
    candidates += _phrases(text, content, scores, uses, heads)
    candidates.sort(key=lambda k: (-k.score, k.text))
    return _without_overlaps(candidates)[:limit]


def noun_heads(text: PassageText) -> dict[str, Counter]:
    """Stems the passage uses at least once as the head of a noun phrase: after a determiner
    and not followed by another word of the phrase, or with a noun's suffix. Without a part-of-
    speech tagger (none is available without downloading a model) this is what keeps verbs and
    adjectives ("felt", "remarkable") out of "What does X mean by ...?". Maps each such stem to
    the spellings it heads a phrase with ("lack", not "lacked")."""
    heads: dict[str, Counter] = defaultdict(Counter)
    tokens = text.tokens
    for index, token in enumerate(tokens):
        if token.text.lower().endswith(_NOUN_SUFFIXES):
            heads[token.stem][_lower_unless_name(token.text)] += 1
            continue
        before = tokens[index - 1] if index else None
        if (
            before is None
            or not _adjacent(text, before, token)
            or not (
                before.text.lower() in _DETERMINERS
                or (before.text.lower() in _PREPOSITIONS and not token.text.endswith(("ing", "ed")))
            )
        ):
            continue
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            after is None
            or not _adjacent(text, token, after, quotes=True)
            or (after.text.lower() in STOPWORDS and after.text.lower() not in ("and", "or"))
        ):
            heads[token.stem][_lower_unless_name(token.text)] += 1
    return heads


def _adjacent(text: PassageText, first: Token, second: Token, quotes: bool = False) -> bool:
    """Two tokens of one sentence with only a space or hyphen (or quotation marks) between them."""
    gap = text.plain[first.start + len(first.text) : second.start]
    if quotes:
        gap = gap.strip("“”‘’\"'") or " "
    return first.sentence == second.sentence and gap in (" ", "-")


def _phrases(
    text: PassageText, content: list[Token], scores: dict[str, float], uses: Counter, heads: dict[str, Counter]
) -> list[KeyTerm]:
    """Adjacent pairs of content words that recur and mostly occur together (collocations),
    ending in a noun and not part of a longer compound."""
    pairs: Counter = Counter()
    spelled: dict[tuple[str, str], Counter] = defaultdict(Counter)
    position = {id(t): i for i, t in enumerate(text.tokens)}
    for first, second in zip(content, content[1:]):
        if not _adjacent(text, first, second) or second.stem not in heads:
            continue
        index = position[id(second)]
        after = text.tokens[index + 1] if index + 1 < len(text.tokens) else None
        if after is not None and _adjacent(text, second, after) and after.text.lower() not in STOPWORDS:
            continue  # inside a longer compound ("world revolutionary process")
        before = text.tokens[position[id(first)] - 1] if position[id(first)] else None
        if before is not None and before.text.lower() == "to" and _adjacent(text, before, first):
            continue  # a verb and its object ("to achieve victory")
        key = (first.stem, second.stem)
        pairs[key] += 1
        spelled[key][text.plain[first.start : second.start + len(second.text)]] += 1
    phrases = []
    for (a, b), n in pairs.items():
        if n < MIN_PASSAGE_USES or a == b or a not in scores or b not in scores:
            continue
        if n * 2 < min(uses[a], uses[b]):
            continue  # the words are each used mostly apart: not one concept
        spelling = spelled[(a, b)].most_common(1)[0][0]
        phrases.append(KeyTerm(_lower_unless_name(spelling), (a, b), n, scores[a] + scores[b]))
    return phrases


def _without_overlaps(candidates: list[KeyTerm]) -> list[KeyTerm]:
    """Keep each stem in one term only: a phrase hides its own words and vice versa."""
    kept: list[KeyTerm] = []
    seen: set[str] = set()
    for term in candidates:
        if seen.intersection(term.stems):
            continue
        kept.append(term)
        seen.update(term.stems)
    return kept


def name_like_stems(text: PassageText) -> set[str]:
    """Stems the passage mostly capitalises mid-sentence: names, left to the names analysis,
    except doctrines ("Leninism", "Bonapartism"), which are exactly key terms."""
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for token in text.tokens:
        if token.start == text.sentences[token.sentence].start:
            continue
        if token.text[:1].isupper():
            if not token.text.lower().endswith(("ism", "isms")):
                capitalised[token.stem] += 1
        else:
            lower[token.stem] += 1
    return {s for s, n in capitalised.items() if n >= lower[s]}


def _lower_unless_name(spelling: str) -> str:
    """Lower-case a sentence-initial capital ("Bureaucracy" -> "bureaucracy"), but keep
    all-capital acronyms and doctrines named after people ("Leninism")."""
    if spelling.isupper() and len(spelling) > 1:
        return spelling
    if spelling.lower().endswith(("ism", "isms", "ist", "ists")) and spelling[:1].isupper():
        return spelling
    return spelling[:1].lower() + spelling[1:]
