"""What the library's vocabulary says about a query's words: the near spellings that may stand
in for a word the library lacks (a reader's typo, or a name the text misspells or transliterates
otherwise), splits of run-together words, and the words a prefix begins.

Near spellings stand in only for words the library does not have or holds very rarely: a word
the texts use often is what the reader meant ("quite" must not find "quote"), however many rare
words lie one letter away from it.

Fuzzy matching is rapidfuzz's (C++; an edit distance over a 100,000-word vocabulary in a few
milliseconds, where Python loops take seconds). The vocabulary is the store's `words` table,
loaded once per library version.
"""

from __future__ import annotations

import bisect
import gc
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.search.query import STOPWORDS
from bot.store import Store, apply_counts
from bot.terms.stems import porter
from bot.terms.variants import canonical

MIN_CORRECTABLE = 4
"""Words shorter than this get no near spellings: too many real words lie one letter apart."""
MIN_SIMILARITY = 75.0
"""rapidfuzz's ratio a near spelling must reach; 5 more when it is two or three edits away."""
RARE_TYPED = 3
"""A word in this many paragraphs or fewer may also be found through its near spellings (one
name spelt two ways in two texts); a more frequent word stands only for itself."""
MAX_NEAR = 4
"""Near spellings kept per word, closest and most frequent first."""
LONG = 6
"""A word this long has few neighbours: several at one edit are all worth showing. A shorter one
(or one two edits from several words) is a toss-up, and gets none."""
MIN_PREFIX_OF = 6
"""A missing word this long may stand for the longer words it begins ("Khrushchev" ->
"Khrushchevite"); a shorter one begins too many unrelated words."""
MIN_RELATED = 7
"""Shorter words share most of their letters with unrelated ones ("policy", "police")."""
MAX_FORMS = 200
"""Words read for the forms of one word (the most frequent that begin with most of it)."""
RELATED = 0.75
"""Share of the longer of two words they must have in common from the start to be forms of one
word ("peasant", "peasantry"), not two words ("process", "procession")."""
MAX_REMEMBERED = 10_000
"""Answers remembered per library version (a typo is often typed again)."""
MAX_PREFIX_WORDS = 20
"""The most frequent words a prefix stands for: rarer ones add little but time."""
MAX_PREFIX_SCAN = 20_000
"""Vocabulary words read for one prefix at most (one letter begins a tenth of a large
vocabulary): the bound on a prefix's cost, whatever the library's size."""


@dataclass
class Lexicon:
    counts: dict[str, int]
    words: list[str]
    by_length: dict[int, list[str]] = field(default_factory=dict)
    """Every word by length: an edit distance of at most 3 only needs the words within 3 letters
    of the typed one's length."""
    _near: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)
    _prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _forms: dict[str, int] = field(default_factory=dict)
    _related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _total: int | None = None

    @property
    def total(self) -> int:
        """Words in the whole library (every occurrence)."""
        if self._total is None:
            self._total = sum(self.counts.values())
        return self._total

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def starting_with(self, prefix: str, limit: int = MAX_PREFIX_WORDS) -> tuple[str, ...]:
        """The library's most frequent words that begin with `prefix` (its canonical spelling),
        stopwords left out: "t*" does not ask for "the". Remembered per prefix, so a prefix of
        one letter (a tenth of a large vocabulary to read) costs that once per library."""
        found = self._prefixes.get(prefix)
        if found is None or (len(found) < limit and found[-1] != _ALL):
            start = bisect.bisect_left(self.words, prefix)
            begun = itertools.takewhile(
                lambda w: w.startswith(prefix), itertools.islice(self.words, start, start + MAX_PREFIX_SCAN)
            )
            wanted = max(limit, MAX_PREFIX_WORDS)
            best = heapq.nlargest(wanted, (w for w in begun if w not in STOPWORDS), key=self.count)
            # Tuples of strings, which the garbage collector stops tracking (lists it walks).
            found = tuple(best) if len(best) == wanted else (*best, _ALL)
            _remember(self._prefixes, prefix, found)
        return tuple(w for w in found[:limit] if w != _ALL)

    def near_spellings(self, word: str, rare: bool = False) -> tuple[str, ...]:
        """Library words that may stand in for `word`, closest first. For a word the library
        lacks: a split of a run-together word ("eighthour" -> "eight hour"), else its nearest
        spellings by edit distance (when they are not a toss-up between several words) and the
        longer words it begins. For a word it holds (`rare`: in a few paragraphs only), the rare
        words one edit away: a misprint or another spelling of it. Nothing for a word the library
        uses often."""
        w = canonical(word)
        key = (w, rare)
        if key not in self._near:
            _remember(self._near, key, self._find_near(w, rare))
        return self._near[key]

    def _find_near(self, w: str, rare: bool) -> tuple[str, ...]:
        if len(w) < MIN_CORRECTABLE or not w.isalpha():
            return ()
        if rare:
            return tuple(
                sorted(
                    c
                    for c, d in self._within(w, 1)
                    if d == 1 and c[0] == w[0] and len(c) > 4 and porter(c) != porter(w) and c not in STOPWORDS
                )
            )
        if self.count(w):
            return ()
        split = self.split(w)
        if split:
            return (split,)
        limit = 1 if len(w) < 7 else (2 if len(w) < 9 else 3)
        near = sorted(
            (d, -math.log(self.count(c)), c)
            for c, d in self._within(w, limit)
            if fuzz.ratio(w, c) >= MIN_SIMILARITY + (5 if d > 1 else 0) and c not in STOPWORDS
        )
        closest = [c for d, _, c in near if d == near[0][0]] if near else []
        if len(closest) > 1 and (len(w) < LONG or near[0][0] > 1):
            closest = []  # "bake": make, take, base or sake? No telling which was meant
        found = closest + ([c for c in self.starting_with(w, MAX_NEAR) if c != w] if len(w) >= MIN_PREFIX_OF else [])
        return tuple(dict.fromkeys(found))[:MAX_NEAR]

    def form_count(self, word: str, full: float) -> int:
        """How often the library has `word` in the forms that hold at least `full` of it from
        the start and share its stem: "Stalinism" counts "Stalinism" but not "Stalin", "plan"
        counts "plans" and "planned"."""
        w = canonical(word)
        if len(w) < MIN_CORRECTABLE:
            return self.count(w)  # a short word begins too many others to read them all
        if w not in self._forms:
            stem = porter(w)
            forms = {w, *self.starting_with(w[: math.ceil(full * len(w))], MAX_FORMS)}
            _remember(self._forms, w, sum(self.count(c) for c in forms if porter(c) == stem))
        return self._forms[w]

    def related_forms(self, word: str) -> tuple[str, ...]:
        """The library's words of another stem that share most of `word` from its start
        ("peasantry": peasant, peasants; "bureaucrats": bureaucracy, bureaucratic), most
        frequent first; then those derived from the same word of the library by another suffix
        ("centralism", "centralisation": both from "central"). Not near spellings: they differ at
        the end, where English inflects and derives."""
        w = canonical(word)
        if len(w) < MIN_RELATED or not w.isalpha():
            return ()
        if w not in self._related:
            stem = porter(w)
            found = [
                c
                for c in self.starting_with(w[: math.ceil(RELATED * len(w))], MAX_FORMS)
                if porter(c) != stem and shared_start(w, c) >= RELATED * max(len(w), len(c))
            ]
            base = derivation_base(w)
            if base != w and self.count(base):
                found += [
                    c
                    for c in self.starting_with(base, MAX_FORMS)
                    if c != base and derivation_base(c) == base and porter(c) != stem and c not in found
                ]
            _remember(self._related, w, tuple(found))
        return self._related[w]

    def _within(self, w: str, limit: int) -> list[tuple[str, int]]:
        """Vocabulary words at most `limit` edits from `w` (transpositions count one)."""
        return [
            (found, int(distance))
            for length in range(len(w) - limit, len(w) + limit + 1)
            for found, distance, _ in process.extract(
                w, self.by_length.get(length, ()), scorer=OSA.distance, score_cutoff=limit, limit=25
            )
            if found != w
        ]

    def split(self, w: str) -> str | None:
        """'eighthour' -> 'eight hour' when both halves are common words."""
        best = None
        for i in range(3, len(w) - 2):
            left, right = w[:i], w[i:]
            if self.count(left) >= 2 and self.count(right) >= 2:
                score = min(self.count(left), self.count(right))
                if best is None or score > best[0]:
                    best = (score, f"{left} {right}")
        return best[1] if best else None

    def with_changes(self, changes: Mapping[str, int]) -> Lexicon:
        """This lexicon with words' counts changed (a text added: more; deleted: fewer): a
        text's worth of work, where reading the vocabulary again is the library's (4 s at 50 MB).
        The tables are copied before they change (a search may be reading this one); what was
        remembered is forgotten, as it may have changed."""
        counts = apply_counts(dict(self.counts), changes)
        changed = [w for w, n in changes.items() if n and w.isalpha()]
        new = sorted(w for w in changed if w in counts and w not in self.counts)
        gone = {w for w in changed if w in self.counts and w not in counts}
        if not new and not gone:
            return Lexicon(counts, self.words, self.by_length)
        words = [w for w in heapq.merge(self.words, new) if w not in gone]
        by_length = dict(self.by_length)
        for length in {len(w) for w in new} | {len(w) for w in gone}:
            kept = [w for w in by_length.get(length, ()) if w not in gone]
            kept.extend(w for w in new if len(w) == length)
            by_length[length] = kept
        return Lexicon(counts, words, by_length)


MIN_BASE = 6
"""Letters a word must keep once a derivational suffix is cut: "organ" (of "organisation" and
"organism") is too short to say the two are one word's."""
DERIVATIONAL = tuple(
    sorted(
        """isation isations ization izations ism isms ist ists istic ise ised ises ising ize ized izes
        izing ity ities ness ment ments ation ations al ally ical ic""".split(),
        key=len,
        reverse=True,
    )
)
"""English suffixes that make a noun, adjective or verb of another word (longest first)."""


def derivation_base(word: str) -> str:
    """`word` without its derivational suffix ("centralisation", "centralism": "central"), or
    as it is. Two words are of one family only when that base is itself a word of the library
    (the caller checks): "communism" and "community" both leave "commun", which is not."""
    for suffix in DERIVATIONAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_BASE:
            return word[: -len(suffix)]
    return word


_ALL = ""
"""Ends a remembered prefix list that holds every word the prefix begins."""


def shared_start(a: str, b: str) -> int:
    """How many letters two words share from the start."""
    shared = 0
    for x, y in zip(a, b):
        if x != y:
            break
        shared += 1
    return shared


def _remember(cache: dict, key, value) -> None:
    if len(cache) >= MAX_REMEMBERED:
        cache.clear()
    cache[key] = value


def lexicon(store: Store) -> Lexicon:
    """The library's vocabulary, read once and then kept up to date as texts come and go."""
    return store.derived(
        "search.lexicon", lambda: read_lexicon(store), lambda lex, change: lex.with_changes(change.words)
    )


def read_lexicon(store: Store) -> Lexicon:
    lexicon = _read_lexicon(store)
    _settle()
    return lexicon


def _settle() -> None:
    """Set what the process holds now (the vocabulary above all) aside from later garbage
    collections: a full collection walks every object it tracks, and with a large library's
    vocabulary among them each took 20-40 ms, landing on some unlucky search. Done once per
    version of the library; what an older version's vocabulary left is released first."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _read_lexicon(store: Store) -> Lexicon:
    counts = dict(store.word_counts())
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in counts:
        if word.isalpha():
            by_length[len(word)].append(word)
    return Lexicon(counts, sorted(w for w in counts if w.isalpha()), dict(by_length))
