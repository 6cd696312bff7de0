"""What a section heading looks like, and which heading-like lines are not sections.

Books arrive with the conventions of their printers: "CHAPTER II." on a line of its own with
the title on the next, headings in capitals that end with a full stop, numbered and lettered
parts ("PART ONE", "BOOK I", "SECTION 3", "IV."), a title page and a table of contents before
the text, a place and date under a preface. `heading_text` reads one chunk of lines; `outline`
reads the healed blocks as a whole, in one pass, and keeps as sections only the headings that
have text under them. It works on strings and knows nothing about files or the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bot.models import Block

MAX_TITLE_CHARS = 200
"""A heading wrapped over two or three lines is at most this long; a longer chunk is prose."""
MAX_DATELINE_CHARS = 80

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third|fourth|"
    "fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last"
)
_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_LABELS = "chapter|chap\\.|part|book|section|sect\\.|volume|vol\\.|canto|lecture|letter|act|scene|article|stave|epistle"
_NUMBER = rf"(?:(?i:{_ROMAN})|\d{{1,4}}|(?i:(?:the\s+)?(?:{_NUMBER_WORDS})(?:[-\s](?:{_NUMBER_WORDS}))?))"
_MARKER = re.compile(
    rf"(?P<marker>(?P<label>(?i:{_LABELS}))\s+{_NUMBER}(?=[\s.:—–-]|$)|(?P<roman>{_ROMAN})(?=[.\s]|$)"
    rf"|(?P<digits>\d{{1,3}}(?:\.\d{{1,3}})+(?=[.\s]|$)|\d{{1,3}}(?=\.))|§\s*\d{{1,4}})"
    r"\s*(?P<stop>[.:—–-]?)\s*(?P<title>.*)",
    re.S,
)
_BYLINE = re.compile(r"(?i:by|von|par|door)(?P<name>\s+\S.*)?", re.S)
"""A title page's byline: the word alone on its line (the author follows) or with the name."""
_ILLUSTRATION = re.compile(r"\[illustration\b[^\]]*\]", re.I)
"""Project Gutenberg's placeholder for a picture: "[Illustration: The mill]"; not text to read."""
_CONTENTS = re.compile(r"(?:table\s+of\s+)?contents\W*", re.I)
_DATELINE = re.compile(r"[^,]+,.*\b(?:1\d{3}|20\d{2})\W*")
_ATX = re.compile(r"#{1,6}\s+(?P<title>.*?)[\s#]*")
_SETEXT = re.compile(r"=+|-+")
_TERMINAL = tuple(".!?…:;")
_CLOSERS = tuple("\"”’')]")
_OPEN_END = (",", ";", "-", "–", "—")
_PAGE_NUMBER = re.compile(r"(?:\s|\.)(?:\d{1,4}|[ivxlcdm]{1,7})$")
MAX_ENTRY_CHARS = 100
_RUN_IN_MARKER = re.compile(rf"(?=[A-Z])(?P<label>(?i:{_LABELS}))\s+{_NUMBER}[.:]\s+(?=[\"“‘'(]?[A-Z])")


def heading_text(lines: list[str]) -> str | None:
    """The heading a chunk of one to three lines is, by a printer's convention, or None.

    A marked heading ("CHAPTER II.", "Part One: The Start", "IV. OF PROPERTY"), a heading in
    capitals (which may end with a full stop), or a Markdown heading. The full stop or colon
    that ends a heading is not part of its title; otherwise the author's words are kept as
    written.
    """
    if not lines or len(lines) > 3:
        return None
    if len(lines) == 2 and _SETEXT.fullmatch(lines[1]) and _is_titleish(lines[0]):
        return lines[0]
    text = " ".join(lines)
    if len(text) > MAX_TITLE_CHARS:
        return None
    atx = _ATX.fullmatch(text)
    if atx and _is_titleish(atx.group("title")):
        return _strip_stop(atx.group("title"))
    if len(lines) > 1 and is_bare_marker(lines[0]):
        title = " ".join(lines[1:])
        if not _is_titleish(title, after_marker=True) or is_marker(title):
            return None
        return _with_title(_strip_stop(lines[0]), title)
    marked = split_marker(text)
    if marked is not None:
        return _strip_stop(text) if not marked[1] or _is_titleish(marked[1]) else None
    if _is_capitals(text) and _starts_upper(text) and not text.endswith(_OPEN_END):
        return _strip_stop(text)
    return None


def long_title_case_heading(lines: list[str]) -> str | None:
    """A heading too long for the usual limits ("Of the Origin and Design of Government in
    General, with Concise Remarks on the English Constitution"): title case, no full stop."""
    text = " ".join(lines)
    if len(lines) > 3 or len(text) > MAX_TITLE_CHARS or text.endswith(_TERMINAL + _CLOSERS + _OPEN_END):
        return None
    return text if _starts_upper(text) and is_title_case(text) else None


def split_marker(text: str) -> tuple[str, str] | None:
    """("CHAPTER II", "What Utilitarianism Is.") for "CHAPTER II. What Utilitarianism Is.", or
    None if the line does not start with a chapter, part or section mark."""
    match = _MARKER.fullmatch(text)
    if not match:
        return None
    label, title, stop = match.group("label"), match.group("title"), match.group("stop")
    if label and not label[0].isupper():
        return None
    numeral = match.group("roman") or match.group("digits")
    if numeral and "." not in numeral and title and stop != ".":
        return None  # "I think", "1 in 3": a numeral begins a sentence, not a heading ("2.1 Scope" does)
    if title and not _starts_upper(title):
        return None  # "Part of the problem", "Book two was longer"
    return match.group("marker").strip(), title.strip()


def is_byline(line: str) -> bool:
    """A title page's "by", "BY" or "by Jane Holloway": the author's line, not a heading."""
    match = _BYLINE.fullmatch(line)
    if match is None:
        return False
    name = match.group("name")
    return not name or (len(line) <= MAX_ENTRY_CHARS and _starts_upper(name))


def is_marker(text: str) -> bool:
    """Does the line start with a chapter, part or section mark (whatever follows it)?"""
    return split_marker(text) is not None


def is_bare_marker(text: str) -> bool:
    """A mark with no title: "CHAPTER II.", "BOOK I", "IV.", "§ 3"."""
    marked = split_marker(text)
    return marked is not None and not marked[1]


def unstack_contents(
    chunks: Iterable[tuple[int, list[str], str]], max_lines: int
) -> Iterator[tuple[int, list[str], str]]:
    """A table of contents set one entry a line, with no blank lines between, is split into one
    chunk per entry, as if it were spaced out; `outline` then leaves it out.

    A chunk is (blank lines before it, its lines, its text joined). Of a chunk longer than
    `max_lines` only the first max_lines + 1 lines are given: it is never split (no table of
    contents is that long), so holding lines one by one costs no more than `max_lines` each.

    Only after a "Contents" line, and only while every line of a chunk looks like an entry (a
    mark, capitals or a page number at the end): a poem or a list in the text stays whole, and
    so does an entry wrapped over two or three lines. Streams the chunks: linear in the text.
    """
    listing = False
    for gap, lines, text in chunks:
        complete = len(lines) <= max_lines
        if _CONTENTS.fullmatch(lines[0]):
            listing = True
            yield gap, lines[:1], lines[0]
            lines, text = lines[1:], text[len(lines[0]) :].lstrip()
            if not lines:
                continue
            gap = 1
        if listing and complete and _is_entry_list(lines):
            yield from ((gap if i == 0 else 1, [line], line) for i, line in enumerate(lines))
        else:
            listing = listing and complete and (len(lines) == 1 or all(_is_entry(line) for line in lines))
            yield gap, lines, text


def _is_entry_list(lines: list[str]) -> bool:
    """Several entries, not one entry wrapped: more lines than a heading has, or two marked."""
    if len(lines) < 2 or not all(_is_entry(line) for line in lines):
        return False
    return len(lines) > 3 or sum(1 for line in lines if is_marker(line) or _PAGE_NUMBER.search(line)) >= 2


def _is_entry(line: str) -> bool:
    return (
        len(line) <= MAX_ENTRY_CHARS
        and _starts_upper(line)
        and not line.endswith(_OPEN_END)
        and (is_marker(line) or _is_capitals(line) or bool(_PAGE_NUMBER.search(line)))
    )


NOTE_WORDS = 30
"""A shorter paragraph before the title page (an e-text's "Note: Images of the original pages
are available ...") does not end it: the headings after it are still the title page, not a
table of contents to drop."""
MAX_AUTHOR_WORDS = 6


def title_page_author(blocks: list[Block]) -> str | None:
    """The author a title page names: the line under a lone "by" (or a title line ending in
    "by"), or "By Jane Holloway"; looked for only before the text's first paragraph of prose."""
    for i, block in enumerate(blocks):
        if block.kind == "paragraph" and len(block.text.split()) >= NOTE_WORDS:
            return None
        if block.kind not in ("title", "heading"):
            continue
        byline = _BYLINE.fullmatch(block.text) if is_byline(block.text) else None
        name = byline.group("name") if byline else None
        ends_in_by = byline is not None or block.text.casefold().endswith(" by")  # "THE TITLE by", its name below
        if not name and ends_in_by and i + 1 < len(blocks) and blocks[i + 1].kind in ("title", "heading"):
            name = blocks[i + 1].text
        if name and _looks_like_a_name(name.strip(" ,.")):
            return name_case(name.strip(" ,."))
    return None


_NAME_WORD = re.compile(r"(?:[A-Z][\w.’'-]*|[A-Z]\.|de|da|del|della|di|du|la|le|van|von|der|den|y|and|&)")
_NOT_A_NAME = re.compile(r"(?i:contents|chapter|part|book|volume|introduction|preface|index|the\b)")


def _looks_like_a_name(text: str) -> bool:
    """ "JEAN JACQUES ROUSSEAU", "Jane Holloway", "Alexis de Tocqueville": capitalised words (and
    the particles names carry), no digits, no section word ("CONTENTS", "Chapter One")."""
    words = text.split()
    return (
        0 < len(words) <= MAX_AUTHOR_WORDS
        and all(_NAME_WORD.fullmatch(w) for w in words)
        and not _NOT_A_NAME.match(text)
        and not any(ch.isdigit() for ch in text)
        and not is_marker(text)
    )


def name_case(name: str) -> str:
    """ "JEAN JACQUES ROUSSEAU" as "Jean Jacques Rousseau"; a name already in mixed case stays."""
    return name.title() if name.isupper() else name


def outline(blocks: list[Block]) -> list[Block]:
    """Keep as sections only the headings that head text; one pass over the blocks.

    A marker alone ("CHAPTER II") takes the title line after it. Then every run of headings
    with no paragraph between them is read as a whole: only its last heading (and a larger
    mark before it, "PART ONE" before "CHAPTER 1") heads the text that follows. What comes
    before that is, at the start of the text, its title page (kept as title, out of the
    passages); under a "Contents" line, or three or more headings in a row, a table of
    contents (left out); a place and date line is the close of the text before it.
    """
    merged = _merge_markers(blocks)
    out: list[Block] = []
    seen_body = False
    start = 0
    while start < len(merged):
        if not _in_run(merged[start]):
            out.append(merged[start])
            seen_body = seen_body or len(merged[start].text.split()) >= NOTE_WORDS
            start += 1
            continue
        end = start
        while end < len(merged) and _in_run(merged[end]):
            end += 1
        out.extend(_settle(merged[start:end], initial=not seen_body, body_follows=end < len(merged)))
        start = end
    return out


CONTENTS_ROW_WORDS = 12
"""An entry of a table of contents set as rows or paragraphs ("I: Political Ideals", "Chapter
Two. The Wage System ... 41") is a title, not a sentence: a few words without a full stop."""


def without_contents_table(blocks: list[Block]) -> list[Block]:
    """A book's table of contents as an HTML or EPUB file gives it: a "Contents" heading, then
    its rows as short paragraphs ("I: Political Ideals") up to the first chapter's heading. Left
    out, as `outline` leaves out a plain text's, instead of being posted (with the chapter's
    opening run into it) as the text's first passage. Only when every row looks like an entry
    and a heading follows them. One pass."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        if _CONTENTS.fullmatch(blocks[i].text):
            end = i + 1
            while end < len(blocks) and blocks[end].kind == "paragraph" and _is_row(blocks[end].text):
                end += 1
            if end - i > 2 and end < len(blocks) and blocks[end].kind == "heading":
                i = end
                continue
        out.append(blocks[i])
        i += 1
    return out


def _is_row(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= CONTENTS_ROW_WORDS and (
        not text.rstrip().endswith((".", "!", "?")) or bool(_PAGE_NUMBER.search(text))
    )


def _merge_markers(blocks: list[Block]) -> list[Block]:
    """A bare mark and the title line under it become one heading ("CHAPTER II" and "WHAT
    UTILITARIANISM IS"); a mark run into its paragraph ("CHAPTER II. It was ...") is split off;
    ornaments ("* * *") and picture placeholders ("[Illustration: ...]") are dropped."""
    out: list[Block] = []
    for block in blocks:
        if not any(c.isalnum() for c in block.text) or _ILLUSTRATION.fullmatch(block.text):
            continue  # a row of asterisks, a picture's placeholder: not text to read
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.kind == "heading"
            and is_bare_marker(previous.text)
            and block.kind in ("heading", "paragraph")
            and len(block.text) <= MAX_TITLE_CHARS
            and not is_marker(block.text)
            and not _CONTENTS.fullmatch(block.text)
            and _is_titleish(block.text, after_marker=True)
        ):
            out[-1] = Block("heading", _with_title(previous.text, block.text))
            continue
        if block.kind == "paragraph" and (run_in := _RUN_IN_MARKER.match(block.text[:80])):
            out.append(Block("heading", _strip_stop(block.text[: run_in.end()].strip())))
            out.append(Block("paragraph", block.text[run_in.end() :]))
            continue
        out.append(block)
    return out


def _settle(run: list[Block], initial: bool, body_follows: bool) -> list[Block]:
    """The blocks of one run of headings, as they should be kept."""
    tail: list[Block] = []
    # Under a title, "By Jane Holloway", or "by" and then "Jane Holloway": an author, no section.
    author = initial and len(run) > 1 and (is_byline(run[-1].text) or _is_lone_byline(run[-2].text))
    if body_follows and run[-1].kind == "heading" and not author:
        tail.append(run[-1])
        labels = {_label(run[-1].text)}
        for block in reversed(run[:-1]):
            label = _label(block.text)
            if block.kind != "heading" or label is None or label in labels:
                break
            tail.insert(0, block)
            labels.add(label)
    rest = run[: len(run) - len(tail)]
    if initial:
        # The title page: its first line may be the text's title (files.py decides); the rest
        # (author, publisher, place and year, contents) heads no section.
        return [
            b if i == 0 and not _CONTENTS.fullmatch(b.text) else Block("title", b.text) for i, b in enumerate(rest)
        ] + tail
    # A place and date ("Philadelphia, February 14, 1776") with no text of its own closes the
    # text before it. A "Contents" line and what follows it, or several headings in a row
    # with nothing under them, are a table of contents.
    closing = [Block("paragraph", b.text) if _is_dateline(b.text) else b for b in rest]
    contents_at = next((i for i, b in enumerate(closing) if _CONTENTS.fullmatch(b.text)), None)
    if contents_at is not None:
        return closing[:contents_at] + tail
    if sum(1 for b in closing if b.kind != "paragraph") >= 2:
        return [b for b in closing if b.kind == "paragraph"] + tail
    return closing + tail


def _is_lone_byline(text: str) -> bool:
    match = _BYLINE.fullmatch(text)
    return match is not None and not match.group("name")


def _in_run(block: Block) -> bool:
    return block.kind in ("heading", "title") or bool(_CONTENTS.fullmatch(block.text))


def _label(text: str) -> str | None:
    """What kind of mark a heading carries: "cha", "par", "roman", "number0"... or None."""
    match = _MARKER.match(text)
    if not match or split_marker(text) is None:
        return None
    if match.group("label"):
        return match.group("label").lower()[:3]  # "chap." and "chapter", "vol." and "volume"
    if match.group("roman"):
        return "roman"
    return f"number{match.group('digits').count('.')}"  # "1." over "1.1.": a section over its part


def _with_title(marker: str, title: str) -> str:
    return f"{marker}. {_strip_stop(title)}"


def _is_dateline(text: str) -> bool:
    """A place and date: "Philadelphia, February 14, 1776", "London, 1850"."""
    return len(text) <= MAX_DATELINE_CHARS and bool(_DATELINE.fullmatch(text))


def _is_titleish(text: str, after_marker: bool = False) -> bool:
    """Could this line be a title: capitalised, short, and either unpunctuated at the end or
    in capitals or title case ("GENERAL REMARKS.", "What Utilitarianism Is.")? Under a bare
    mark a short title is expected, so one word or a few capitalised ones will do ("Of Things.",
    "Loomings."), where "It was cold." is still the text."""
    if len(text) > MAX_TITLE_CHARS or not _starts_upper(text) or text.endswith(_OPEN_END):
        return False
    if not text.rstrip("".join(_CLOSERS)).endswith(_TERMINAL):
        return True
    return _is_capitals(text) or is_title_case(text, min_letters=3 if after_marker else 4)


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def is_title_case(text: str, min_letters: int = 4) -> bool:
    """Are most words of `min_letters` or more after the first capitalised? Short function
    words ("of", "the", "and") do not count; with `min_letters` under 4 a single word will do."""
    words = text.split()
    if min_letters < 4 and len(words) == 1:
        return True
    significant = [w for w in words[1:] if len(w.strip(".,:;!?")) >= min_letters and w[0].isalpha()]
    if not significant:
        return False
    return sum(1 for w in significant if w[0].isupper()) / len(significant) >= 0.6


def _starts_upper(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return bool(first) and (first.isupper() or first.isdigit())


def _strip_stop(text: str) -> str:
    text = text.strip()
    return text[:-1].rstrip() if text.endswith((".", ":")) and not text.endswith("..") else text
