"""What a parsed query asks the library for: each clause in canonical spelling with the words
that may stand in for it, and how much it weighs.

- Every word is put in canonical spelling (bot/terms/variants.py), so variants meet.
- A word no text has is replaced by its near spellings (a typo, or a name a text spells its own
  way) or, failing those, recorded as unknown; a word the texts hold rarely also finds its near
  spellings; a word they use often stands only for itself (bot/search/spelling.py).
- A word also finds its related forms, words of another stem that share most of it
  ("peasantry": peasant, peasants); the ranking credits them less than the word typed.
- A prefix expands to the most frequent words it begins.
- Words typed apart also find the library's run-together form ("stock holders", "stockholder"),
  and a word typed run together finds the library's two words ("Kaishek", "Kai-shek").
- Each clause weighs its idf: a rare word more than a common one; in a question, a light word of
  general English (give, get, keep, change...) weighs a quarter of that.

Work is bounded here, whatever was typed: at most MAX_PARTS clauses (the rarest) and
MAX_ALTERNATIVES words and phrases in all reach the index and the ranking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.search import spelling, visible
from bot.search.matching import ClauseTerms, clause_terms
from bot.search.query import Clause, ParsedQuery
from bot.store import Store
from bot.terms.stems import index_term
from bot.terms.variants import canonical

MAX_PARTS = 12
"""Clauses a query keeps (the rarest): a pasted paragraph is judged by its most telling words."""
MAX_ALTERNATIVES = 64
"""Words and phrases a query may ask the index for in all; prefixes share what the other
clauses leave (at least MIN_PREFIX_WORDS each), related forms get what is left."""
MIN_PREFIX_WORDS = 3
FULL_FORM = 0.9
"""Share of a word another form of its stem must hold from the start to count as the word
itself ("peasants" for "peasant"); below it a form counts in proportion ("Stalin" for
"Stalinism"), and the word weighs by the count of its full forms, not of its stem."""
MAX_SPELLING_LOOKUPS = 8
"""Words of one query whose near spellings are looked for (each an edit distance over the
vocabulary, some milliseconds in a large library); the rest stand as typed."""
LIGHT_FACTOR = 0.25
"""What a light word weighs in a question, of its idf: "how does a shortage of goods *give*
*rise* to officials who *decide* who *gets* what?" is about shortage, goods and officials, however
rarely the texts happen to use "gets"."""
LIGHT_WORDS = frozenset(
    """get gets got give gives gave given make makes made take takes took taken keep keeps kept come comes came
    go goes went gone see sees saw seen know knows knew known think thinks thought say says said tell tells told
    become becomes became change changes changed use uses used want wants wanted need needs needed put puts set
    act acts acted help helps helped happen happens happened mean means meant seem seems seemed show shows showed
    try tries tried call calls called ask asks asked work works worked turn turns turned start starts started
    rise rises rose decide decides decided lead leads led stay stays stayed end ends ended pass passes passed
    own way thing things lot kind sort much many really real just also still even ever never good bad big
    new old""".split()
)
MAX_RELATED = 3
RELATED_MAX_SHARE = 0.1
"""A word in more than this share of the paragraphs gets no related forms."""
MIN_SPLIT_PART = 3
"""The shortest half of a run-together word looked for written apart."""
MAX_SPLIT_CHECKS = 4
"""Splits of one run-together word checked against the index (a phrase lookup each)."""
MIN_ACRONYM = 3
"""Initials of fewer words are too often some other word."""
"""Related forms a word may bring in (the most frequent)."""


@dataclass(frozen=True)
class Part:
    """One clause of the query, as the library will be asked for it."""

    typed: str
    """What the reader typed, for messages."""
    clause: Clause
    """Canonical spellings: each alternative a phrase (one word for a plain word)."""
    terms: ClauseTerms
    """The index terms of each alternative, in the same order."""
    stand_ins: frozenset[int] = frozenset()
    """Indexes of the alternatives that are near spellings standing in for what was typed."""
    asked: frozenset[str] = frozenset()
    """The words asked for (typed, corrected or begun by a prefix): another form of one of
    them (of its stem, or a related form) is credited by how much of the word it shares."""
    weight: float = 0.0
    absent: bool = False
    """No paragraph holds any alternative."""


@dataclass(frozen=True)
class Plan:
    parts: tuple[Part, ...]
    excluded: tuple[Clause, ...]
    corrections: tuple[tuple[str, tuple[str, ...]], ...]
    """(typed word, the near spellings shown instead) for words no text has."""
    unknown: tuple[str, ...]
    """Typed words no text has, with no near spelling either."""
    asks: bool = False
    """A question in plain English: words no text has are the reader's own paraphrase, left out
    of the weight a paragraph must hold (in a name or topic they are what was asked about)."""

    @property
    def query(self) -> ParsedQuery:
        return ParsedQuery(tuple(p.clause for p in self.parts), self.excluded)

    @property
    def total_weight(self) -> float:
        """The weight a paragraph holding every part would hold."""
        return sum(p.weight for p in self.parts if not (self.asks and p.absent)) or 1.0


@dataclass
class _Draft:
    typed: str
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    stand_ins: set[int] = field(default_factory=set)
    related: set[int] = field(default_factory=set)
    prefix: bool = False

    def add(self, alternative: tuple[str, ...], into: set[int] | None = None) -> None:
        if alternative not in self.alternatives:
            if into is not None:
                into.add(len(self.alternatives))
            self.alternatives.append(alternative)


def plan(store: Store, parsed: ParsedQuery, library, asks: bool = False) -> Plan:
    """`library` answers doc_counts(store, terms) -> {term: paragraphs holding it}."""
    lexicon = visible.lexicon_for(store)
    once = tuple(dict.fromkeys(parsed.included))  # clauses compare by their words, not as typed
    included = _run_together(store, library, _acronyms(lexicon, once))
    known = library.doc_counts(store, [index_term(w) for c in included for w in c.words])
    corrections: dict[str, tuple[str, ...]] = {}
    unknown: list[str] = []
    prefixes = sum(1 for c in included if c.prefix)
    budget = MAX_ALTERNATIVES - sum(len(c.alternatives) for c in included if not c.prefix)
    per_prefix = max(MIN_PREFIX_WORDS, min(spelling.MAX_PREFIX_WORDS, budget // max(prefixes, 1)))
    drafts: list[_Draft] = []
    lookups = 0

    def look(word: str, rare: bool = False) -> tuple[str, ...]:
        nonlocal lookups
        lookups += 1
        return lexicon.near_spellings(word, rare) if lookups <= MAX_SPELLING_LOOKUPS else ()

    for clause in included:
        draft = _Draft(clause.typed or clause.to_fts(), prefix=clause.prefix)
        drafts.append(draft)
        if clause.prefix:
            # The index stores stems, and a prefix is of a word, not of its stem: the words it
            # begins are looked up instead ("bureaucrati*" -> bureaucratic, bureaucratism, ...).
            for word in lexicon.starting_with(canonical(clause.words[0]), per_prefix):
                draft.add((word,))
            if not draft.alternatives:
                unknown.append(draft.typed)
                draft.add((canonical(clause.words[0]),))
            continue
        for alternative in clause.alternatives:
            spelled = tuple(canonical(w) for w in alternative)
            if len(spelled) > 1:
                draft.add(_phrase(look, known, alternative, spelled, corrections, unknown))
                continue
            df = known.get(index_term(spelled[0]), 0)
            written_apart = () if df else _written_apart(store, lexicon, alternative[0].casefold())
            if written_apart:
                draft.add(written_apart)
                continue
            near = look(spelled[0], rare=df > 0) if df <= spelling.RARE_TYPED else ()
            if df or not near:
                draft.add(spelled)
            if not df:
                if near:
                    corrections[draft.typed] = near
                else:
                    unknown.append(draft.typed)
            for word in near:
                draft.add(tuple(word.split()), draft.stand_ins)
    _joined_forms(store, library, drafts)
    _in_context(store, drafts, corrections, unknown)
    _related_forms(lexicon, drafts, known, library.paragraphs)
    parts = _weighed(store, library, lexicon, drafts)
    if asks:  # the reader's own verbs and fillers, not what the question is about
        parts = [
            Part(p.typed, p.clause, p.terms, p.stand_ins, p.asked, p.weight * LIGHT_FACTOR, p.absent)
            if p.typed.lower() in LIGHT_WORDS
            else p
            for p in parts
        ]
    if len(parts) > MAX_PARTS:
        keep = sorted(sorted(range(len(parts)), key=lambda i: -parts[i].weight)[:MAX_PARTS])
        parts = [parts[i] for i in keep]
    excluded = tuple(
        Clause(tuple(tuple(canonical(w) for w in alt) for alt in c.alternatives), c.prefix) for c in parsed.excluded
    )
    # A word of a phrase the library has in another form ("stock holders": "stockholder") is not unknown.
    found = {w.lower() for p in parts if not p.absent for w in p.typed.split()}
    unknown = [u for u in unknown if u.lower() not in found]
    return Plan(tuple(parts), excluded, tuple(corrections.items()), tuple(dict.fromkeys(unknown)), asks)


def _phrase(look, known, typed: tuple[str, ...], spelled: tuple[str, ...], corrections, unknown) -> tuple[str, ...]:
    """A phrase's words, each missing one replaced by its closest near spelling."""
    fixed: list[str] = []
    for typed_word, word in zip(typed, spelled):
        if not known.get(index_term(word)):
            near = look(word)
            if near:
                corrections[typed_word] = near[:1]
                fixed.extend(near[0].split())
                continue
            unknown.append(typed_word)
        fixed.append(word)
    return tuple(fixed)


def _written_apart(store: Store, lexicon, word: str) -> tuple[str, ...]:
    """A word no text has that the library writes as two words side by side ("Kaishek":
    "Kai-shek", "Chiangkaishek": "Chiangkai-shek"): the two as a phrase. Both halves must be
    library words and stand together in some paragraph, so however rare they are, this is no
    guess. At most MAX_SPLIT_CHECKS phrase lookups, the most even splits first."""
    if not word.isalpha() or len(word) < 2 * MIN_SPLIT_PART:
        return ()
    splits = sorted(range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1), key=lambda i: abs(len(word) - 2 * i))
    halves = ((canonical(word[:i]), canonical(word[i:])) for i in splits)  # as typed: "eighthour" is no "-our" word
    candidates = [pair for pair in halves if lexicon.count(pair[0]) and lexicon.count(pair[1])]
    for pair in candidates[:MAX_SPLIT_CHECKS]:
        if store.has_match(Clause((pair,)).to_fts()):
            return pair
    return ()


def _acronyms(lexicon, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """Three or more capitalised words typed in a row whose initials the library uses as a word
    become one clause, the phrase or its initials: "New Economic Policy" finds "NEP",
    "Communist Party of the Soviet Union" finds "CPSU"."""

    def capitalised(c: Clause) -> bool:
        return not c.prefix and len(c.alternatives) == 1 and len(c.words) == 1 and c.typed[:1].isupper()

    merged: list[Clause] = []
    i = 0
    while i < len(clauses):
        run = 0
        while i + run < len(clauses) and capitalised(clauses[i + run]):
            run += 1
        for n in range(run, MIN_ACRONYM - 1, -1):
            words = tuple(c.words[0] for c in clauses[i : i + n])
            initials = "".join(w[0] for w in words)
            if lexicon.count(initials) >= 2:
                typed = " ".join(c.typed for c in clauses[i : i + n])
                merged.append(Clause((words, (initials,)), typed=typed))
                i += n
                break
        else:
            merged.append(clauses[i])
            i += 1
    return tuple(merged)


def _run_together(store: Store, library, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """Two words typed one after the other that the library writes as one ("stock holders",
    "stockholder") become one clause, a phrase that also finds the joined word."""

    def single(c: Clause) -> str | None:
        return c.alternatives[0][0] if not c.prefix and len(c.alternatives) == 1 and len(c.words) == 1 else None

    pairs = [(single(a), single(b)) for a, b in zip(clauses, clauses[1:])]
    joined = {a + b: index_term(canonical(a + b)) for a, b in pairs if a and b and (a + b).isalpha()}
    present = library.doc_counts(store, list(joined.values())) if joined else {}
    merged: list[Clause] = []
    skip = False
    for i, clause in enumerate(clauses):
        if skip:
            skip = False
            continue
        a, b = pairs[i] if i < len(pairs) else (None, None)
        if a and b and present.get(joined.get(a + b, "")):
            merged.append(Clause(((a, b),), typed=f"{clause.typed} {clauses[i + 1].typed}"))
            skip = True
        else:
            merged.append(clause)
    return tuple(merged)


def _joined_forms(store: Store, library, drafts: list[_Draft]) -> None:
    """A phrase of two or three words also finds the words run together, when the library has
    that word in some form ("stock holders" finds "stockholder", "self respecting" finds
    "selfrespecting")."""
    joined = {
        "".join(alt): index_term("".join(alt))
        for d in drafts
        for alt in d.alternatives
        if 2 <= len(alt) <= 3 and all(w.isalpha() for w in alt)
    }
    present = library.doc_counts(store, list(joined.values())) if joined else {}
    for draft in drafts:
        for alt in list(draft.alternatives):
            word = "".join(alt)
            if 2 <= len(alt) <= 3 and present.get(joined.get(word, "")):
                draft.add((word,))


def _in_context(store: Store, drafts: list[_Draft], corrections: dict[str, tuple[str, ...]], unknown: list[str]):
    """In a query of several words, a near spelling standing in for a word no text has must
    share a paragraph with another of the query's words: "Chou" stands in for "Zhou" beside
    "Enlai", but "place" does not for "Palace" beside "Winter" when no paragraph holds both."""
    if len(drafts) < 2:
        return
    for index, draft in enumerate(drafts):
        if draft.typed not in corrections or len(draft.alternatives) != len(draft.stand_ins):
            continue
        others = " OR ".join(
            Clause((alt,)).to_fts()
            for i, d in enumerate(drafts)
            if i != index
            for j, alt in enumerate(d.alternatives)
            if j not in d.stand_ins
        )
        if not others:
            continue
        kept = [a for a in draft.alternatives if store.has_match(f"{Clause((a,)).to_fts()} AND ({others})")]
        if kept:
            corrections[draft.typed] = tuple(" ".join(alt) for alt in kept)
            draft.alternatives, draft.stand_ins = kept, set(range(len(kept)))
        else:
            del corrections[draft.typed]
            unknown.append(draft.typed)
            draft.alternatives, draft.stand_ins = [(canonical(draft.typed),)], set()


def _related_forms(lexicon, drafts: list[_Draft], known: dict[str, int], paragraphs: int) -> None:
    """Each word asked for that is not common also finds the library's words of another stem
    that share most of it, while the query's budget of alternatives lasts. A word in many
    paragraphs needs no help to be found, and its related forms only cost time."""
    room = MAX_ALTERNATIVES - sum(len(d.alternatives) for d in drafts)
    common = RELATED_MAX_SHARE * paragraphs
    for draft in (d for d in drafts if not d.prefix):
        for alt in [
            a
            for i, a in enumerate(draft.alternatives)
            if i not in draft.stand_ins and len(a) == 1 and known.get(index_term(a[0]), 0) <= common
        ]:
            for word in lexicon.related_forms(alt[0])[: max(0, min(MAX_RELATED, room))]:
                before = len(draft.alternatives)
                draft.add((word,), draft.related)
                room -= len(draft.alternatives) - before


def _weighed(store: Store, library, lexicon, drafts: list[_Draft]) -> list[Part]:
    """Each part with BM25's idf of what was asked (a rare word weighs more than a common one; a
    word form rarer than its stem, "Stalinism" beside "Stalin", by the form's own count; a
    phrase weighs what its rarest word does; alternatives add up their paragraphs), and whether
    no paragraph holds any of it."""
    total = max(library.paragraphs, 1)
    drafts = [d for d in drafts if d.alternatives]
    terms = [clause_terms(tuple(d.alternatives), False) for d in drafts]
    docs = library.doc_counts(store, [t for c in terms for alt in c.alternatives for t in alt])
    parts = []
    for draft, clause_term in zip(drafts, terms):
        df = 0
        for i, (alt, term) in enumerate(zip(draft.alternatives, clause_term.alternatives)):
            if i in draft.related:
                continue
            found = min(docs.get(t, 0) for t in term)
            if len(alt) == 1 and lexicon.count(alt[0]):
                found = min(found, lexicon.form_count(alt[0], FULL_FORM))
            df += found
        df = min(df, total)
        own = {w for i, a in enumerate(draft.alternatives) if i not in draft.related for w in a}
        parts.append(
            Part(
                draft.typed,
                Clause(tuple(draft.alternatives)),
                clause_term,
                frozenset(draft.stand_ins),
                frozenset(own),
                math.log((total - df + 0.5) / (df + 0.5) + 1),
                df == 0,
            )
        )
    return parts
