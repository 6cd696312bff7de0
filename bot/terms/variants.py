"""Spelling variants folded to one form, so that each matches the others in both directions.

The keyword index holds every word in this canonical form and every query word is folded the
same way, so "industrialise" finds "industrialization", "labour" finds "labor", "Kerensky"
finds "Kerenskii" and "Krupskaya" finds "Krupskaia". The rules are applied to both sides, so a
rule that mangles a word ("wise" -> "wize") costs nothing unless it makes two different real
words equal; the rules are chosen so that they do not.
"""

from __future__ import annotations

import re

from bot.textutil import fold, word_memo

SPELLING_RULES_VERSION = "3"
"""Change this whenever a rule below changes: the store then re-spells its whole index."""

TOKEN = re.compile(r"[^\W_]+")
"""A word as SQLite's unicode61 tokenizer sees it: letters and digits, nothing else."""

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")

# (pattern, replacement) on a folded word; order matters.
_RULES: list[tuple[re.Pattern[str], str]] = [
    # -ize becomes -ise, not the other way: the Porter stemmer cuts "industrialize" down to
    # "industri", the stem of "industry", but keeps "industrialis" whole.
    (re.compile(r"^(.{3,})ization(s?)$"), r"\1isation\2"),  # organization
    (re.compile(r"^(.{3,})iz(e|es|ed|ing|er|ers)$"), r"\1is\2"),  # organize(d), realizing
    (re.compile(r"^(.{2,})yz(e|es|ed|ing)$"), r"\1ys\2"),  # analyze, paralyzed
    (re.compile(r"^(.{2,}[^aeiou])our(s|ed|ing|ite|ites|able|er|ers)?$"), r"\1or\2"),  # labour, favourite
    (re.compile(r"^(.{2,})(t|b)re(s?)$"), r"\1\2er\3"),  # centre, fibre, theatre
    (re.compile(r"^(.{3,})ogue(s?)$"), r"\1og\2"),  # catalogue
    (re.compile(r"^(def|off|pret)ence(s?)$"), r"\1ense\2"),  # defence, offence
    (re.compile(r"^programme(s?)$"), r"program\1"),
]
_DOUBLED_L = re.compile(r"^(.+[aeiou][^aeiou]*[aeiou])ll(ed|ing|er|ers|or|ors)$")  # labelled, travelling

# Transliterations of Russian names: -ii/-iy/-yi/-y, ya/ia, yu/iu, ye/e, tz/ts, soft signs.
_TRANSLIT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(ii|iy|yi|ij)$"), "y"),
    (re.compile(r"(?<=[a-z])ya"), "ia"),
    (re.compile(r"(?<=[a-z])yu"), "iu"),
    (re.compile(r"(?<=[a-z])yo"), "io"),
    (re.compile(r"^ye(?=[^aeiou])"), "e"),
    (re.compile(r"^y(?=[aou])"), "i"),  # Yudenich / Iudenich
    (re.compile(r"tz"), "ts"),
]


_MAY_VARY = re.compile(r"iz|yz|our|[tb]res?$|ogue|ence|programme|ll|y|tz|ii$|ij$")
"""What some rule above looks for: most words hold none of it and are left as they are at once
(search spells every word of every candidate paragraph)."""


@word_memo(200_000)
def canonical(word: str) -> str:
    """The one spelling that a word's British, American and transliterated variants share."""
    w = fold(word)
    if not w.isalpha() or len(w) < 4 or _MAY_VARY.search(w) is None:
        return w
    for pattern, replacement in _RULES:
        w, n = pattern.subn(replacement, w)
        if n:
            break
    doubled = _DOUBLED_L.match(w)
    if doubled and len(_VOWEL_GROUPS.findall(doubled.group(1))) >= 2:
        w = doubled.group(1) + "l" + doubled.group(2)
    for pattern, replacement in _TRANSLIT:
        w = pattern.sub(replacement, w)
    return w


def canonical_text(text: str) -> str:
    """Every word replaced by its canonical form, one word for one word, separators kept, so a
    word's position in this text is its position in the original."""
    return TOKEN.sub(lambda m: canonical(m.group(0)), text)
