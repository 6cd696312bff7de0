"""What a parsed query asks the library for: each clause in canonical spelling with the words
that may stand in for it, and how much it weighs.

- Every word is put in canonical spelling (bot/terms/variants.py), so variants meet.
- A word no text has is replaced by its near spellings (a typo, or a name a text spells its own
  way) or, failing those, recorded as unknown; a word the texts hold rarely also finds its near
  spellings; a word they use often stands only for itself (bot/search/spelling.py).
- A prefix expands to the most frequent words it begins.
- Words typed apart also find the library's run-together form ("stock holders", "stockholder").
- Each clause weighs its idf: a rare word more than a common one.

Work is bounded here, whatever was typed: at most MAX_PARTS clauses (the rarest) and
MAX_ALTERNATIVES words and phrases in all reach the index and the ranking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.search import spelling
from bot.search.matching import ClauseTerms, clause_terms
from bot.search.query import Clause, ParsedQuery
from bot.store import Store
from bot.terms.stems import index_term
from bot.terms.variants import canonical

MAX_PARTS = 12
"""Clauses a query keeps (the rarest): a pasted paragraph is judged by its most telling words."""
MAX_ALTERNATIVES = 64
"""Words and phrases a query may ask the index for in all; prefixes share what the other
clauses leave (at least MIN_PREFIX_WORDS each)."""
MIN_PREFIX_WORDS = 3


@dataclass(frozen=True)
class Part:
    """One clause of the query, as the library will be asked for it."""

    typed: str
    """What the reader typed, for messages."""
    clause: Clause
    """Canonical spellings: each alternative a phrase (one word for a plain word)."""
    terms: ClauseTerms
    """The index terms of each alternative, in the same order."""
    stand_ins: frozenset[int]
    """Indexes of the alternatives that are near spellings standing in for what was typed."""
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
    def total_weight(self) -> float:
        """The weight a paragraph holding every part would hold."""
        return sum(p.weight for p in self.parts if not (self.asks and p.absent)) or 1.0

    @property
    def query(self) -> ParsedQuery:
        return ParsedQuery(tuple(p.clause for p in self.parts), self.excluded)


def plan(store: Store, parsed: ParsedQuery, library, asks: bool = False) -> Plan:
    """`library` answers doc_counts(store, terms) -> {term: paragraphs holding it}."""
    lexicon = spelling.lexicon(store)
    once = tuple(dict.fromkeys(parsed.included))  # clauses compare by their words, not as typed
    parsed = ParsedQuery(_run_together(store, library, once), parsed.excluded)
    words = {w for c in parsed.included for w in c.words}
    known = library.doc_counts(store, [index_term(w) for w in words])
    corrections: dict[str, tuple[str, ...]] = {}
    unknown: list[str] = []
    prefixes = sum(1 for c in parsed.included if c.prefix)
    budget = MAX_ALTERNATIVES - sum(len(c.alternatives) for c in parsed.included if not c.prefix)
    per_prefix = max(MIN_PREFIX_WORDS, min(spelling.MAX_PREFIX_WORDS, budget // max(prefixes, 1)))
    drafts: list[tuple[str, list[tuple[str, ...]], set[int]]] = []
    for clause in parsed.included:
        typed = clause.typed or " OR ".join(" ".join(a) for a in clause.alternatives) + ("*" if clause.prefix else "")
        if clause.prefix:
            # The index stores stems, and a prefix is of a word, not of its stem: the words it
            # begins are looked up instead ("bureaucrati*" -> bureaucratic, bureaucratism, ...).
            begun: list[tuple[str, ...]] = [(w,) for w in lexicon.starting_with(canonical(clause.words[0]), per_prefix)]
            if not begun:
                unknown.append(typed)
            drafts.append((typed, begun or [(canonical(clause.words[0]),)], set()))
            continue
        alternatives: list[tuple[str, ...]] = []
        stand_ins: set[int] = set()
        for alternative in clause.alternatives:
            spelled = tuple(canonical(w) for w in alternative)
            if len(spelled) == 1:
                df = known.get(index_term(spelled[0]), 0)
                near = lexicon.near_spellings(spelled[0], rare=0 < df <= spelling.RARE_TYPED)
                if df or not near:
                    alternatives.append(spelled)
                if not df:
                    if near:
                        corrections[typed] = near
                    else:
                        unknown.append(typed)
                for word in near:
                    stand_ins.add(len(alternatives))
                    alternatives.append(tuple(word.split()))
                continue
            fixed: list[str] = []
            for typed_word, word in zip(alternative, spelled):
                if not known.get(index_term(word)):
                    near = lexicon.near_spellings(word)
                    if near:
                        corrections[typed_word] = near[:1]
                        fixed.extend(near[0].split())
                        continue
                    unknown.append(typed_word)
                fixed.append(word)
            alternatives.append(tuple(fixed))
        drafts.append((typed, alternatives, stand_ins))
    drafts = _joined_forms(store, library, drafts)
    drafts = _in_context(store, drafts, corrections, unknown)
    parts = [
        Part(typed, Clause(tuple(alts)), clause_terms(tuple(alts), False), frozenset(stand))
        for typed, alts, stand in drafts
        if alts
    ]
    parts = _weighed(store, library, parts)
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


def _joined_forms(store: Store, library, drafts):
    """A phrase of two or three words also finds the words run together, when the library has
    that word in some form ("stock holders" finds "stockholder", "self respecting" finds
    "selfrespecting")."""
    joined = {
        "".join(alt): index_term("".join(alt))
        for _, alts, _ in drafts
        for alt in alts
        if 2 <= len(alt) <= 3 and all(w.isalpha() for w in alt)
    }
    present = library.doc_counts(store, list(joined.values())) if joined else {}
    result = []
    for typed, alts, stand in drafts:
        extra = [(w,) for alt in alts if 2 <= len(alt) <= 3 for w in ["".join(alt)] if present.get(joined.get(w, ""))]
        result.append((typed, list(dict.fromkeys(alts + extra)), stand))
    return result


def _in_context(store: Store, drafts, corrections: dict[str, tuple[str, ...]], unknown: list[str]):
    """In a query of several words, a near spelling standing in for a word no text has must
    share a paragraph with another of the query's words: "Chou" stands in for "Zhou" beside
    "Enlai", but "place" does not for "Palace" beside "Winter" when no paragraph holds both."""
    if len(drafts) < 2:
        return drafts
    checked = []
    for index, (typed, alts, stand) in enumerate(drafts):
        if typed not in corrections or len(alts) != len(stand):
            checked.append((typed, alts, stand))
            continue
        others = " OR ".join(Clause((alt,)).to_fts() for i, d in enumerate(drafts) if i != index for alt in d[1])
        kept = [alt for alt in alts if store.match_ids(f"{Clause((alt,)).to_fts()} AND ({others})", 1)]
        if kept:
            corrections[typed] = tuple(" ".join(alt) for alt in kept)
            checked.append((typed, kept, set(range(len(kept)))))
        else:
            del corrections[typed]
            unknown.append(typed)
            checked.append((typed, [(canonical(typed),)], set()))
    return checked


def _weighed(store: Store, library, parts: list[Part]) -> list[Part]:
    """BM25's idf of each part (a rare word weighs more than a common one; a phrase weighs what
    its rarest word does; alternatives add up their paragraphs), and whether no paragraph holds
    it at all."""
    total = max(library.paragraphs, 1)
    docs = library.doc_counts(store, [t for p in parts for alt in p.terms.alternatives for t in alt])
    weighed = []
    for part in parts:
        df = sum(min(docs.get(t, 0) for t in alt) for alt in part.terms.alternatives if alt)
        df = min(df, total)
        weight = math.log((total - df + 0.5) / (df + 0.5) + 1)
        weighed.append(Part(part.typed, part.clause, part.terms, part.stand_ins, weight, df == 0))
    return weighed
