"""Key terms: the text's concepts as this passage uses them.

A concept is what a reading group would argue about, not a word any prose uses. Candidates:
- phrases of 2-4 words that the text repeats and everyday English does not put together
  ("socialism in one country", "permanent revolution", "ruling caste");
- words and phrases the passage marks: puts in quotation marks (“synthesis”), calls "so-called",
  or names as a concept ("the theory of ...", "the notion of ...", "what X calls ...");
- single nouns the passage repeats that are key to the whole text: it uses them at least
  several times as often as everyday English does (bot/questions/analysis/everyday.py), so
  "state", "party", "bureaucracy" in essays on Soviet history, never "eyes" or "direction".
A marked term records its holder when the passage gives it to someone else (“Liebman’s
‘synthesis’”, a word quoted in a view the passage reports): the word is theirs, not the
author's. Terms are ranked by how much this passage uses them, weighted by how far the text
outdoes everyday English, with a bonus for what this passage uses more than the library does.
Everything here is one pass over the passage's tokens and sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.questions.analysis.everyday import english_frequency, forms_of, normal, phrase_is_key, word_is_key
from bot.questions.analysis.library import MAX_PHRASE_WORDS, LibraryStats, TextWords
from bot.questions.analysis.tokens import STOPWORDS, PassageText, Token, is_content_word
from bot.terms.stems import index_term
from bot.texts.hands import FOOTNOTE

MIN_PASSAGE_USES = 2
MAX_TERMS = 6
STRONG_PHRASE_USES = 3
"""A phrase the text uses this often is one of its concepts: it hides the words it is made of."""
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


# Words a phrase may hold between its first and last word ("socialism in one country",
# "dictatorship of the proletariat").
_NOT_NOUN_ENDINGS = ("ly", "ed", "ing", "ive", "ous", "ful", "al", "ic", "able", "ible", "ent", "ant", "less")
_SMALL_WORDS = frozenset("a an the of in on and or to for by with".split())
_PHRASE_MIDDLE = frozenset("of in one the for on".split())
_QUOTED = re.compile(r"[“‘\"]([^“”‘\"\n]{2,60}?)[”’\"](?![a-z])")
_SO_CALLED = re.compile(
    r"\bso-called\s+[“‘\"]?([^\W\d_][\w’']*(?:-[\w’']+)*(?:\s+[^\W\d_][\w’']*(?:-[\w’']+)*){0,3})", re.I
)
"""A word may hold a hyphen ("well-being"), never a dash ("justice--spent to no purpose")."""
_NAMED_CONCEPT = re.compile(
    r"\b(?:the|a|this|his|her|their|its)\s+(?:concept|notion|idea|theory|doctrine|category|term|slogan|formula|thesis)"
    r"\s+of\s+(?:the\s+)?[“‘\"]?([^\W\d_][\w’'-]*(?:\s+[^\W\d_][\w’'-]*){0,3})",
    re.I,
)
_CALLS = re.compile(
    r"\b([A-Z][\w’'-]+)\s+(?:calls|called|terms|termed|dubs|dubbed|labels|labelled)\s+[“‘\"]?([^\W\d_][\w’'-]*(?:\s+[\w’'-]+){0,3})"
)
_POSSESSIVE = re.compile(r"\b([A-Z][\w-]+)[’']s?\s*$")
_OF_POSSESSIVE = re.compile(r"\s+of\s+([A-Z][\w-]+)[’']s?\b")
"""A quoted word given to its owner after it: this “dialectics” of Liebman’s."""
_CLAUSE_WORDS = frozenset(
    """that which who whom whose where when is are was were has have had be by as cannot can could would will
    must may might should does did do not""".split()
)


@dataclass(frozen=True)
class KeyTerm:
    text: str
    """As the passage writes it (most frequent spelling), e.g. "permanent revolution"."""
    stems: tuple[str, ...]
    uses: int
    """Occurrences in this passage."""
    score: float
    marked: str = ""
    """How the passage marks it as a term: "quoted", "so-called", "named" ("the theory of X"),
    "called" ("what X calls Y"), or "" when it is a concept by frequency alone."""
    holder: str = ""
    """Whose word it is when the passage gives it to someone else ("Liebman"); "" for the
    author's own word or when the passage does not say."""
    strong: bool = False
    """A phrase the whole text repeats (STRONG_PHRASE_USES times or more)."""


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


def key_terms(
    text: PassageText,
    stats: LibraryStats,
    words_of_text: TextWords | None = None,
    limit: int = MAX_TERMS,
    holders: Mapping[int, str] | None = None,
) -> list[KeyTerm]:
    """The passage's concepts, best first; a phrase hides the words it is made of.

    `words_of_text`: the whole text's counts (without them, the passage stands for its text);
    `holders`: sentence index -> who holds the view that sentence reports, for marked terms."""
    words_of_text = words_of_text or passage_words(text)
    holders = holders or {}
    words = len(text.tokens)
    names = name_like_stems(text)
    heads = noun_heads(text)
    uses = Counter(t.stem for t in text.tokens)
    library_score = {
        s: max(keyness(n, words, stats.occurrences(s), stats.tokens), 0.0) for s, n in uses.items() if n >= 1
    }

    def score(stems: tuple[str, ...], passage_uses: int, ratio: float) -> float:
        return passage_uses * math.log(max(ratio, 1.0)) + 0.5 * max(library_score.get(s, 0.0) for s in stems)

    candidates: list[KeyTerm] = []
    plain = " " + normal(text.plain) + " "
    for spelling, marked, holder in _marked_terms(text, holders):
        key = normal(spelling)
        if marked in ("named", "called"):
            # Named as a concept without quotation marks: it must be one of the text's concepts.
            if " " in key and words_of_text.phrases.get(key, 0) < 2:
                continue
            if " " not in key and not word_is_key(key, words_of_text.counts, words_of_text.total):
                continue
        stems = tuple(t for t in (index_term(w) for w in key.split()) if t) or (key,)
        if any(stats.occurrences(s) < 2 for s in stems if is_content_word(s)):
            continue  # a one-off in the whole library: more likely an OCR slip than a term
        if " " not in key and stems[0] not in heads and not key.endswith(_NOUN_SUFFIXES):
            continue  # an adjective or verb in scare quotes ("appalling"): no term to define
        n = max(plain.count(" " + key + " "), 1)
        text_uses = words_of_text.phrases.get(key) or words_of_text.counts.get(key) or n
        ratio = text_uses / (english_frequency(key) * max(words_of_text.total, 1))
        candidates.append(KeyTerm(spelling, stems, n, score(stems, n, ratio), marked, holder))
    for spelling, stems, n, text_uses in _phrases(text, words_of_text, heads):
        ratio = text_uses / (english_frequency(normal(spelling)) * max(words_of_text.total, 1))
        candidates.append(KeyTerm(spelling, stems, n, score(stems, n, ratio), strong=text_uses >= STRONG_PHRASE_USES))
    for stem_, spellings in heads.items():
        n = uses[stem_]
        spelling = spellings.most_common(1)[0][0]
        if n < MIN_PASSAGE_USES or stem_ in names or stats.occurrences(stem_) < n:
            continue  # a one-off here, a name, or unknown to the index (an OCR slip)
        if not is_content_word(spelling) or spelling.lower() in _GENERAL_NOUNS:
            continue
        if not word_is_key(spelling, words_of_text.counts, words_of_text.total):
            continue
        forms = forms_of(spelling)
        text_uses = sum(words_of_text.counts.get(f, 0) for f in forms)
        english = sum(english_frequency(f) for f in forms) * max(words_of_text.total, 1)
        candidates.append(KeyTerm(spelling, (stem_,), n, score((stem_,), n, text_uses / english)))
    # What the passage marks, and the phrases the text keeps repeating, are its concepts before
    # any single word: they come first, and hide the words they are made of.
    candidates.sort(key=lambda k: (not (k.marked or k.strong), -k.score, k.text))
    return _without_overlaps(candidates)[:limit]


def with_holders(terms: list[KeyTerm], text: PassageText, holders: Mapping[int, str]) -> list[KeyTerm]:
    """The terms again, each marked term given to whoever holds the view it is quoted in (once the
    argument is known: the terms' concepts help find the thesis, the views give the holders)."""
    found = {normal(spelling): holder for spelling, _, holder in _marked_terms(text, holders) if holder}
    return [
        replace(t, holder=found[normal(t.text)]) if t.marked and not t.holder and normal(t.text) in found else t
        for t in terms
    ]


def passage_words(text: PassageText) -> TextWords:
    """The passage's own counts, for analysing a passage without its text."""
    from bot.questions.analysis.library import read_text_words

    return read_text_words([text.plain])


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
    text: PassageText, words_of_text: TextWords, heads: Mapping[str, Counter]
) -> list[tuple[str, tuple[str, ...], int, int]]:
    """Runs of 2-4 adjacent words, first and last a content word and the last a noun, that the
    text repeats far more than everyday English puts them together: (spelling, stems of its
    content words, uses in the passage, uses in the text). Each start looks at most
    MAX_PHRASE_WORDS tokens ahead: linear in the passage."""
    found: dict[str, list] = {}
    tokens = text.tokens
    for start, first in enumerate(tokens):
        if not is_content_word(first.text) or first.text.lower() in _GENERAL_NOUNS:
            continue
        if start and tokens[start - 1].text.lower() == "to" and _adjacent(text, tokens[start - 1], first):
            continue  # a verb and its object ("to achieve victory")
        for size in range(2, MAX_PHRASE_WORDS + 1):
            end = start + size - 1
            if end >= len(tokens) or not _adjacent(text, tokens[end - 1], tokens[end]):
                break
            last = tokens[end]
            middle = tokens[start + 1 : end]
            if any(not is_content_word(t.text) and t.text.lower() not in _PHRASE_MIDDLE for t in middle):
                break
            if not is_content_word(last.text) or last.text.lower().endswith(_NOT_NOUN_ENDINGS):
                continue
            after = tokens[end + 1] if end + 1 < len(tokens) else None
            if after is not None and _adjacent(text, last, after) and is_content_word(after.text):
                continue  # inside a longer compound ("theory of the world | revolutionary process")
            nounish = last.stem in heads or last.text[:1].isupper() or last.text.lower().endswith(_NOUN_SUFFIXES)
            spelling = text.plain[first.start : last.start + len(last.text)]
            key = normal(spelling)
            entry = found.setdefault(
                key, [Counter(), tuple(t.stem for t in tokens[start : end + 1] if is_content_word(t.text)), 0, False]
            )
            entry[3] = entry[3] or nounish
            at_start = first.start == text.sentences[first.sentence].start
            entry[0][_lower_unless_name(spelling) if at_start else spelling] += 1
            entry[2] += 1
    out = []
    for key, (spellings, stems, n, nounish) in found.items():
        text_uses = words_of_text.phrases.get(key, n)
        if len(set(stems)) < 2 or not phrase_is_key(key, text_uses, words_of_text.total):
            continue
        if not nounish and text_uses < STRONG_PHRASE_USES:
            continue  # ends in a word never seen heading a noun phrase, and rarely repeated ("Stalin knew")
        out.append((spellings.most_common(1)[0][0], stems, n, text_uses))
    return out


def _marked_terms(text: PassageText, holders: Mapping[int, str]) -> list[tuple[str, str, str]]:
    """Terms the passage points at: (spelling, how it is marked, holder)."""
    found: dict[str, tuple[str, str, str]] = {}

    def add(spelling: str, marked: str, holder: str, sentence_index: int, at: int) -> None:
        spelling = _trim(spelling)
        if not spelling:
            return
        if at == 0 or text.sentences[sentence_index].text[:at].strip(' “‘"') == "":
            spelling = spelling[:1].lower() + spelling[1:] if not _looks_like_name(spelling) else spelling
        key = normal(spelling)
        holder = holder or holders.get(sentence_index, "")
        if key not in found or (holder and not found[key][2]):
            found[key] = (spelling, marked, holder)

    notes = _note_paragraphs(text)
    for index, sentence in enumerate(text.sentences):
        if sentence.quoted:
            continue  # inside someone else's words: their terms are theirs, quoted whole elsewhere
        if sentence.paragraph in notes:
            continue  # a footnote, often an editor's or translator's ("not as rendered here “fidelity”")
        line = sentence.text
        for match in _QUOTED.finditer(line):
            inner = match.group(1).strip()
            if not _term_like(inner) or _attributive_after(line, match.end()):
                continue
            if len(inner.split()) > 1 and all(w[:1].isupper() for w in inner.split() if w.lower() not in _SMALL_WORDS):
                continue  # a title in quotation marks ("History Will Judge"), not a term
            possessive = _POSSESSIVE.search(line[: match.start()])
            if possessive and inner[:1].isupper():
                continue  # a work's title after its writer's name (Marx’s “Capital”), not a word of theirs
            owner = possessive.group(1) if possessive else ""
            after = _OF_POSSESSIVE.match(line[match.end() :])
            add(inner, "quoted", owner or (after.group(1) if after else ""), index, match.start())
        for match in _SO_CALLED.finditer(line):
            # "so-called" qualifies the words up to a preposition: "the so-called anarchists for the abolition ..."
            add(
                re.split(r"\s+(?:for|to|in|with|by|from|on|at|against|as|into)\s+", match.group(1))[0],
                "so-called",
                "",
                index,
                match.start(),
            )
        for match in _NAMED_CONCEPT.finditer(line):
            if not match.group(1).split()[0].lower().endswith("ing"):
                add(match.group(1), "named", "", index, match.start())
        for match in _CALLS.finditer(line):
            add(match.group(2), "called", match.group(1), index, match.start())
    return list(found.values())


def _note_paragraphs(text: PassageText) -> set[int]:
    """Paragraphs that are footnotes: they open with a note mark ("(*)", "[1]", "Note")."""
    firsts: dict[int, str] = {}
    for sentence in text.sentences:
        firsts.setdefault(sentence.paragraph, sentence.text)
    return {number for number, first in firsts.items() if FOOTNOTE.match(first)}


def _trim(words: str) -> str:
    """The term out of the words after a marker: up to punctuation or a clause word."""
    kept: list[str] = []
    for word in re.split(r"\s+", words.strip(" “”‘’\"'")):
        bare = word.strip(" “”‘’\"'.,;:!?()")
        if not bare or bare.lower() in _CLAUSE_WORDS or (kept and bare.lower() in ("and", "or")):
            break
        kept.append(bare)
        if bare != word.strip(" “”‘’\"'"):
            break  # punctuation after it ends the term
    while kept and (kept[-1].lower() in STOPWORDS or kept[-1].lower() in _PHRASE_MIDDLE):
        kept.pop()
    while kept and kept[0].lower() in ("the", "a", "an"):
        kept.pop(0)
    term = " ".join(kept)
    return term if _term_like(term) else ""


def _term_like(words: str) -> bool:
    """One to four words, at least one of them a content word, nothing of a sentence about it."""
    parts = words.split()
    if not 1 <= len(parts) <= MAX_PHRASE_WORDS or re.search(r"[.,;:!?]", words):
        return False
    return any(is_content_word(p.strip("’'-")) for p in parts)


def _attributive_after(line: str, end: int) -> bool:
    """A quoted word right before a lower-case content word is an adjective in scare quotes
    ("the “key” mediations"), not a term."""
    following = re.match(r"\s+([a-z][\w-]*)", line[end:])
    return following is not None and following.group(1) not in STOPWORDS


def _looks_like_name(spelling: str) -> bool:
    return any(w[:1].isupper() for w in spelling.split()[1:]) or spelling.isupper()


def _without_overlaps(candidates: list[KeyTerm]) -> list[KeyTerm]:
    """A term hides the single words it is made of, and a word already covered hides the
    phrases that add nothing to it; two phrases may share a word ("victory of socialism",
    "socialism in one country")."""
    kept: list[KeyTerm] = []
    seen: set[str] = set()
    for term in candidates:
        if len(term.stems) == 1 and term.stems[0] in seen:
            continue
        if len(term.stems) > 1 and (set(term.stems) <= seen or any(_within(term.text, k.text) for k in kept)):
            continue
        kept.append(term)
        seen.update(term.stems)
    return kept


def _within(a: str, b: str) -> bool:
    """One term's words are a run of the other's."""
    a, b = f" {normal(a)} ", f" {normal(b)} "
    return a in b or b in a


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
