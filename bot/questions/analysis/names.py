"""People, places, events and movements the passage names ("Pilsudski", "the Red Army").

Found from capitalisation: a run of capitalised words that the passage capitalises in the
middle of a sentence. What this leaves out, on purpose:
- a word that only ever starts a sentence ("Thus", "The"), or that the passage also writes in
  lower case ("State" / "state");
- adjectives of nationality or allegiance ("Russian", "Stalinist"): the passage's subject is
  the thing they qualify;
- doctrines ("Leninism"): those are key terms, asked about for their meaning;
- the author, who does not "bring in" themself, and the text's own title;
- a word used only as an attribute ("the Soviet bureaucracy");
- a one-off that the rest of the library never uses either: an OCR slip ("Leibman" for
  "Liebman", "Iasting" for "lasting") looks exactly like a rare name, and the support of the
  rest of the library is what tells them apart.
Names are ranked by the same keyness as key terms, so "Pilsudski" comes before "Lenin" in a
text where Lenin is on every page.
No statistical recogniser does better here without a model download: spaCy's and Stanza's are
downloaded from outside PyPI, and the rest need one too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.questions.analysis.library import LibraryStats, TextWords
from bot.questions.analysis.terms import keyness
from bot.questions.analysis.tokens import STOPWORDS, PassageText, stem

_WORD = re.compile(r"[^\W\d_][\w]*(?:[-’'][\w]+)*")
_ADJECTIVE_ENDINGS = ("ian", "ean", "ese", "ish", "ist", "ists", "ism", "isms", "ite", "ic", "ical", "ary", "can")
_TITLES = frozenset("mr mrs ms dr prof professor comrade president tsar sir saint st".split())
TITLES_ALONE = frozenset(
    """pope popes king kings queen queens emperor emperors empress czar czars tsar tsars president presidents prince
    princes princess duke duchess lord lords lady bishop bishops cardinal cardinals archbishop chancellor minister
    governor general colonel captain judge pharaoh sultan caliph kaiser""".split()
)
"""An office without a name ("the Pope", "the King"): it stands for whoever holds it, so no one in
particular holds views or can answer; "Pope Leo", "King John" are names."""
_COMMON_BEFORE = r"(?:a|an|every|any|each|another|some|many|no|bad|good|few|all|most)"
"""Words after which a capitalised word is a common noun ("a Pope", "many Princes")."""
_DETERMINERS = frozenset("the a an this its their his her our of".split())
_NOT_NAMES = frozenset(
    """i january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday god""".split()
)
_ARTICLES = frozenset(("the",))


@dataclass(frozen=True)
class Name:
    text: str
    """As it should appear mid-sentence, with "the" when the passage uses it ("the Red Army")."""
    uses: int
    first_sentence: int
    score: float


@dataclass(frozen=True)
class _Run:
    words: str
    after_the: bool
    attributive: bool
    """Between a determiner and a lower-case word: "the Soviet bureaucracy"."""
    next_word: str
    """The lower-case word right after the run, or "" (punctuation, a capital, the end)."""
    sentence: int


def find_names(
    text: PassageText,
    stats: LibraryStats,
    words_of_text: TextWords | None = None,
    author: str = "",
    title: str = "",
    nouns: frozenset[str] = frozenset(),
) -> list[Name]:
    """Names in the passage, most distinctive first. `words_of_text`: how the whole text uses
    its words; `nouns`: stems the passage uses as nouns, so that a word seen right before one
    ("Soviet power") is taken as an adjective."""
    words_of_text = words_of_text or TextWords(frozenset(), frozenset())
    lower = {w.casefold() for w in words_of_text.lower} | {
        w.casefold() for w in _WORD.findall(text.plain) if w[:1].islower()
    }
    mid_capitalised = set()
    runs: list[_Run] = []
    for index, sentence in enumerate(text.sentences):
        words = list(_WORD.finditer(sentence.text))
        for position, match in enumerate(words):
            if position and match.group()[:1].isupper():
                mid_capitalised.add(_normal(match.group()))
        runs += [_Run(*found, sentence=index) for found in _capitalised_runs(sentence.text, words)]

    excluded = {w.casefold() for w in _WORD.findall(author)}
    uses: Counter = Counter()
    first: dict[str, int] = {}
    with_the: Counter = Counter()
    attributive: set[str] = set()
    standalone: set[str] = set()
    for run in runs:
        name = _clean(run.words, mid_capitalised, lower, excluded)
        if not name:
            continue
        uses[name] += 1
        first.setdefault(name, run.sentence)
        with_the[name] += run.after_the
        if " " not in name and (run.attributive or stem(run.next_word or "-") in nouns):
            attributive.add(name)
        if not run.next_word or run.next_word in STOPWORDS:
            standalone.add(name)
    words_in_passage = max(len(text.tokens), 1)
    names = []
    for name, n in uses.items():
        if name in words_of_text.attributive or (name in attributive and name not in standalone):
            continue
        if name.casefold() in title.casefold():
            continue
        if " " not in name and _common_noun(name, text.plain):
            continue
        stems = [stem(w) for w in re.findall(r"[^\W_]+", name)]
        if n < 2 and any(stats.occurrences(s) <= n for s in stems):
            continue  # used once here and nowhere else: likely an OCR slip, never a topic
        if n < 2 and len(name) <= 3 and not name.isupper():
            continue  # a stray short capitalised fragment ("Wit}1" for "with")
        score = max(keyness(n, words_in_passage, stats.occurrences(s), stats.tokens) for s in stems)
        shown = ("the " + name) if with_the[name] * 2 > n else name
        names.append(Name(shown, n, first[name], score))
    names.sort(key=lambda n: (-n.score, n.first_sentence, n.text))
    return names


def _common_noun(word: str, plain: str) -> bool:
    """A capitalised word the passage also uses as a common noun: an office alone ("Pope"), in the
    plural ("the bad Popes"), or after "a", "many", "bad" ("a Pope"): not one person's name."""
    if word.casefold() in TITLES_ALONE:
        return True
    plural = word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    return bool(
        re.search(rf"\b{re.escape(plural)}\b", plain)
        or re.search(rf"\b{_COMMON_BEFORE}\s+{re.escape(word)}\b", plain, re.I)
    )


def _capitalised_runs(sentence: str, words: list[re.Match]) -> list[tuple[str, bool, bool, str]]:
    """Maximal runs of capitalised words separated by single spaces, whether "the" comes
    right before each run, and whether the run stands as an attribute (determiner before it,
    a lower-case word after it). Abbreviations ("Vol.", "Eng.") end a run and are left out."""
    runs = []
    current: list[re.Match] = []
    for match in words + [None]:
        joined = (
            match is not None
            and current
            and sentence[current[-1].end() : match.start()] == " "
            and match.group()[:1].isupper()
        )
        if match is not None and match.group()[:1].isupper() and (not current or joined):
            current.append(match)
            continue
        if current:
            start, end = current[0].start(), current[-1].end()
            before = sentence[:start].rstrip().rsplit(None, 1)
            before_word = before[-1].casefold() if before else ""
            after = sentence[end:]
            abbreviation = after.startswith(".") and len(current[-1].group()) <= 4 and len(current) == 1
            following = re.match(r" ([a-z][\w’'-]*)", after)
            next_word = following.group(1) if following else ""
            attributive = before_word in _DETERMINERS and bool(next_word) and next_word not in STOPWORDS
            if not abbreviation:
                runs.append((sentence[start:end], before_word in _ARTICLES, attributive, next_word))
        current = [match] if match is not None and match.group()[:1].isupper() else []
    return runs


def _normal(word: str) -> str:
    """Title-case a word set in capitals for emphasis ("TROTSKY"), keep acronyms ("NEP")."""
    word = re.sub(r"[’']s$", "", word)
    if word.isupper() and len(word) > 4:
        return word.capitalize()
    return word


def _clean(run: str, mid_capitalised: set[str], lower_words: set[str], author_words: set[str]) -> str:
    """The run as a name, or "" if it is not one (see the module docstring)."""
    words = [_normal(w) for w in run.split(" ")]
    while words and (
        words[0].casefold() in STOPWORDS or words[0].casefold() in _TITLES or words[0] not in mid_capitalised
    ):
        words = words[1:]  # "The", "In", a title, or a word capitalised only as a sentence opener
    words = [w for w in words if w.casefold() not in _NOT_NAMES]
    if not words:
        return ""
    if any(w.casefold() in lower_words or w.casefold() in STOPWORDS for w in words):
        return ""
    if len(words) == 1:
        word = words[0]
        if word.casefold().endswith(_ADJECTIVE_ENDINGS) or word.casefold() in author_words:
            return ""
        if len(word) < 3:
            return ""
    elif words[-1].casefold().endswith(("ism", "isms", "ist", "ists")):
        return ""
    return " ".join(words)
