"""Whose words a passage is: the author's, another hand's (an editor's preface, a translator's
introduction, a publisher's note), or apparatus that is no reading matter at all (a transcriber's
note on the e-text, a table of contents).

Printed books and e-texts open with pages by other hands. A question must never put their words
in the author's mouth, and a reading plan should not open on a note about the e-text. What tells
them apart, generally and not per text:
- a heading that says so: "Transcriber's Note", "Contents", "Footnotes", "Notes to Chapter II"
  (apparatus: a reading plan does not post the notes as a day's reading; search still finds them;
  a plain "Notes" may head a reader's own commentary, and stays reading matter); "Editor's Preface",
  "Translator's Introduction", "Publisher's Note", "Introduction by X" (another hand);
- a passage that names the author by surname ("Machiavelli was sent to Rome", "the story of the
  life of Michael Bakunin"), which an author does not do of themself, outside footnotes;
- at the very start of a text, a paragraph about the e-text ("Digitized by ...", "Produced by
  ...", "This e-text ...") and the title-page lines after it, set apart at ingest as a section of
  their own (`set_apart_front_matter`), so that they make a passage of their own.
Only the leading run of such passages is given to a named other hand: once the author's own text
has begun, a passage that names the author is more likely a dedication or a signature. Within that
run, a passage under the same heading as another hand's passage before it ("INTRODUCTION") is that
hand's too, though it happens not to name the author.
Everything here is a regular-expression match per paragraph or heading: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from bot.models import Block
from bot.texts.headings import name_case

APPARATUS = "apparatus"
"""The kind of a passage that is not reading matter (a note on the e-text, a contents list)."""
OTHER = "other"
AUTHOR = "author"

FRONT_MATTER_SECTION = "Note on this e-text"
"""The section heading given to the e-text notes set apart at the start of a text."""

_ROLE = r"(?:editor|translator|publisher|transcriber|compiler|reviser)s?"
_DOC = r"(?:note|notes|preface|introduction|foreword|advertisement|postscript|afterword|memoir|prefatory note)"
_APPARATUS_HEADING = re.compile(
    r"^\W*(?:transcriber[’']?s?[’']?\s+notes?|(?:table\s+of\s+)?contents\W*$|index\W*$|digiti[sz]ed\s+by|produced\s+by|"
    r"note\s+on\s+(?:the|this)\s+(?:text|e-?text|edition|transcription)|list\s+of\s+illustrations|"
    r"project\s+gutenberg|e-?text\b|(?:foot|end)notes?\W*$|(?:foot|end)?notes\s+(?:to|on)\s+(?:the\s+)?(?:chapter|book|part|volume|text)(?:\s+(?:[ivxlcdm]{1,8}|\d{1,4}))?\W*$)",
    re.I,
)
_ROLE_HEADING = re.compile(rf"^\W*(?:the\s+)?(?P<role>{_ROLE})[’']?s?[’']?\s+(?P<doc>{_DOC})\b", re.I)
_BY_HEADING = re.compile(
    rf"^\W*(?i:(?P<doc>{_DOC})|translated|edited|(?:with\s+an?\s+)?introduction)\b[^\n]{{0,60}}?\b(?i:by)\s+"
    r"(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})"
)
"""The writer is named with capitals ("by W. K. Marriott"); "by the Author" names no one else."""
_WHOSE_HEADING = re.compile(
    r"^\W*(?:(?:hon|mr|mrs|dr|prof|rev|sir|gen|col|capt)\.?\s+)?"
    r"(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})[’']s\s+(?i:letter|(?:{doc}))\W*$".replace("{doc}", _DOC[3:-1]),
    re.I,
)
"""A piece a heading gives to someone by name ("HON. FRED. DOUGLASS'S LETTER", "Mr. Hume's
Preface"): theirs, unless the name is the author's."""
_DOC_HEADING = re.compile(rf"^\W*(?P<doc>{_DOC})\b", re.I)
_E_TEXT_PARAGRAPH = re.compile(
    r"^\W*(?:\d{4}\s+)?(?:transcriber[’']?s?[’']?\s+notes?|digiti[sz]ed\s+by|produced\s+by|prepared\s+by|"
    r"scanned\s+by|proof-?read\s+by|transcribed\s+by|html\s+version\s+by|this\s+e-?text|e-?text\s+(?:prepared|produced|"
    r"created|edition)|(?:editor|publisher)[’']?s?[’']?\s+note|note\s+on\s+(?:the|this)\s+(?:text|e-?text|edition))\b",
    re.I,
)
_LOWER_WORD = re.compile(r"[a-z][a-z’',;]*")
PROSE_RUN = 8


def _is_prose(text: str) -> bool:
    """Eight lower-case words in a row: prose, not a title-page line ("LONDON PRINTED MDCLXXXVIII").
    Word by word, not one regular expression: a run like that over one long unbroken word costs
    quadratic time in a regex engine, linear here."""
    run = 0
    for word in text.split():
        run = run + 1 if _LOWER_WORD.fullmatch(word) else 0
        if run >= PROSE_RUN:
            return True
    return False


FOOTNOTE = re.compile(r"\s*(?:\(\W{1,3}\)|\[(?:\d{1,3}|[A-Za-z]|\W{1,3})\]|\*|(?:Note|Footnote)\b)")
"""A paragraph that is a note ("(*) Catherine Sforza ... It was to the Countess that Machiavelli
was sent"): an editor's, which may name the author without the passage being by someone else."""
EVERYDAY_ZIPF = 4.5
"""wordfreq's Zipf frequency from which a word is everyday English ("more" 6.4, "london" 5.3;
"locke" 3.5, "mill" 4.4)."""
_SIGNATURE_WORDS = 12
"""A shorter paragraph may be the author's signature ("Tony Clark, March 23, 2004"), not talk of them."""


_PAGE_NUMBER = re.compile(r"(?<![\d,.])\b(?:\d{1,4}|[ivxlc]{1,6})\b(?![\d,.]\d)")
_WORD = re.compile(r"[^\W\d_]+")
INDEX_NUMBERS = 15
"""An index cites at least this many pages in a passage ..."""
INDEX_SHARE = 0.2
"""... and page numbers are at least this share of its words ("Beggars, 11 Billaud-Varennes, Jean
Nicolas, 38 Blanc, Louis competition, 45"): no reading matter, whatever its heading says."""


def looks_like_index(body: str) -> bool:
    """A back-of-book index or a list of editions run into prose paragraphs: words and numbers,
    little else."""
    numbers = len(_PAGE_NUMBER.findall(body))
    words = len(_WORD.findall(body))
    return numbers >= INDEX_NUMBERS and numbers >= INDEX_SHARE * max(words, 1)


@dataclass(frozen=True)
class Hand:
    kind: str
    """AUTHOR, OTHER or APPARATUS."""
    writer: str = ""
    """How a question names another hand: its writer when the front matter names them
    ("Marriott"), else the role or the piece ("the publisher", "the preface"). For the author's
    own words "", or which of a text's several authors wrote it when its heading says ("Madison")."""


def names_author(author: str, body: str) -> bool:
    """The passage names the author by surname outside its footnotes and short signature lines:
    talk about the author, which an author does not do of themself. A surname that is also an
    everyday word or place ("More than once", "the streets of London" in Jack London's own
    chapter) is no evidence and is not looked for."""
    words = re.findall(r"[^\W\d_][\w’'-]*", author or "")
    if not words or not words[-1][:1].isupper() or zipf_frequency(words[-1].casefold(), "en") >= EVERYDAY_ZIPF:
        return False
    own = "\n".join(
        p for p in re.split(r"\n\s*\n", body) if not FOOTNOTE.match(p) and len(p.split()) >= _SIGNATURE_WORDS
    )
    return bool(re.search(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])", own))


def _surname(name: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", name) if not re.fullmatch(r"[A-Z]", w)]
    return words[-1] if words else ""


def heading_hand(author: str, section: str) -> tuple[Hand | None, str]:
    """What a section heading alone says of its passages' hand (None when it says nothing), and
    the other hand it names, if any ("Translated by W. K. Marriott" -> "Marriott": a byline,
    which says nothing of the passage under it by itself)."""
    if _APPARATUS_HEADING.match(section):
        return Hand(APPARATUS, "the transcriber"), ""
    role = _ROLE_HEADING.match(section)
    if role:
        if role.group("role").lower().startswith("transcriber"):
            return Hand(APPARATUS, "the transcriber"), ""
        return Hand(OTHER, "the " + role.group("role").lower()), ""
    whose = _WHOSE_HEADING.match(section)
    if whose:
        who = _surname(whose.group("who"))
        own = {w.casefold() for w in re.split(r"[\s-]+", author or "") if w}
        if who and who.casefold() not in own | {"author", "authors", "editor", "translator"}:
            return Hand(OTHER, name_case(who)), ""
    by = _BY_HEADING.match(section)
    if by:
        who = _surname(by.group("who"))
        if not who or who.casefold() in (_surname(author).casefold(), "author", "authors"):
            return (Hand(AUTHOR) if by.group("doc") else None), ""  # "Preface by Friedrich Engels" in his book
        return (Hand(OTHER, who) if by.group("doc") else None), who
    return None, ""


def _one_of_the_authors(author: str, section: str) -> str:
    """A text by several authors ("Alexander Hamilton, John Jay, and James Madison") whose section
    heading names one of them ("MADISON", "No. 10, by James Madison"): that one's surname."""
    names = [n for n in re.split(r"\s*(?:,|&|\band\b)\s*", author or "") if n.strip()]
    if len(names) < 2:
        return ""
    for name in names:
        last = _surname(name)
        if last and re.search(rf"(?<![\w-]){re.escape(last)}(?![\w-])", section, re.I):
            return last
    return ""


def passage_hands(author: str, passages: Sequence[tuple[str, str]], leading: bool = True) -> list[Hand]:
    """The hand of each passage, given as (section, body) in order: see the module docstring.
    `leading`: the first of them opens the text (else the author's text has begun before it)."""
    found: list[Hand] = []
    writer = ""  # the other hand the front matter names ("Translated by W. K. Marriott")
    last_section = ""
    for section, body in passages:
        hand, named = heading_hand(author, section)
        writer = named or writer
        if section == FRONT_MATTER_SECTION:
            hand = Hand(APPARATUS, "the transcriber")
        if hand is None and looks_like_index(body):
            hand = Hand(APPARATUS, "the index")  # a list of pages or editions, whoever is named in it
        if hand is None and leading and found and found[-1].kind == OTHER and section.strip() == last_section:
            hand = found[-1]  # the introduction goes on under its heading, whether or not this part names the author
        last_section = section.strip()
        if hand is None and names_author(author, body):
            doc = _DOC_HEADING.match(section)
            if not leading:
                hand = Hand(OTHER)  # mid-text: named neutrally, never as the author
            else:
                hand = Hand(OTHER, writer or ("the " + doc.group("doc").lower() if doc else "the introduction"))
        hand = hand or Hand(AUTHOR, _one_of_the_authors(author, section))
        leading = leading and hand.kind != AUTHOR  # still in the front matter: no passage of the author's own yet
        found.append(hand)
    return found


MAX_FRONT_PASSAGES = 40
"""Front matter longer than this many passages is not looked for: past it, a passage that names
the author is named neutrally (so finding one passage's hand reads at most this many others)."""


def hand_of(author: str, ordinal: int, passage_at: Callable[[int], tuple[str, str] | None]) -> Hand:
    """The hand of passage `ordinal` (`passage_at(n)` -> (section, body), or None): its own
    heading and words first; only when they point to another hand are the passages before it
    read, as far as the front matter goes (at most MAX_FRONT_PASSAGES)."""
    this = passage_at(ordinal)
    if this is None:
        return Hand(AUTHOR)
    hand, _ = heading_hand(author, this[0])
    if (
        hand is None
        and this[0] != FRONT_MATTER_SECTION
        and not names_author(author, this[1])
        and not looks_like_index(this[1])
        and not _under_the_heading_before(ordinal, this[0], passage_at)
    ):
        return Hand(AUTHOR, _one_of_the_authors(author, this[0]))
    if ordinal > MAX_FRONT_PASSAGES:
        return passage_hands(author, [this], leading=False)[0]
    before = [found for n in range(1, ordinal) if (found := passage_at(n)) is not None]
    return passage_hands(author, [*before, this])[-1]


def _under_the_heading_before(ordinal: int, section: str, passage_at: Callable[[int], tuple[str, str] | None]) -> bool:
    """Within the front matter's reach, the passage goes on under the same (non-empty) heading as
    the one before it: it may continue another hand's introduction, which passage_hands decides."""
    if ordinal <= 1 or ordinal > MAX_FRONT_PASSAGES or not section.strip():
        return False
    before = passage_at(ordinal - 1)
    return before is not None and before[0].strip() == section.strip()


def set_apart_front_matter(blocks: list[Block]) -> list[Block]:
    """A text that opens on a note about the e-text ("Digitized by ...") gets that note and the
    title-page lines after it under a section of their own (FRONT_MATTER_SECTION), ended by an
    empty heading before the first paragraph of prose: segment then makes them a passage of
    their own, which plans skip and search still finds."""
    first = next((i for i, b in enumerate(blocks) if b.kind != "title"), None)
    if first is None or blocks[first].kind != "paragraph" or not _E_TEXT_PARAGRAPH.match(blocks[first].text):
        return blocks
    end = first + 1
    while (
        end < len(blocks)
        and blocks[end].kind == "paragraph"
        and (_E_TEXT_PARAGRAPH.match(blocks[end].text) or not _is_prose(blocks[end].text))
    ):
        end += 1
    rest = blocks[end:]
    closing = [] if rest and rest[0].kind == "heading" else [Block("heading", "")]
    return [*blocks[:first], Block("heading", FRONT_MATTER_SECTION), *blocks[first:end], *closing, *rest]
