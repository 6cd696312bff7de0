"""Heal a raw text into blocks: section headings and whole paragraphs.

Texts arrive hard-wrapped, split by page breaks, with footnote markers and run-in headings. This
module undoes that, so that segmentation only ever sees whole paragraphs. It works on strings
and knows nothing about files or the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from bot.models import Block, BlockKind
from bot.texts.headings import heading_text, is_byline, is_marker, long_title_case_heading, outline, unstack_contents
from bot.texts.headings import is_title_case as _is_title_case
from bot.textutil import SLICE_CHARS, WORD_RE, block_quoted, slices

_FOOTNOTE = re.compile(r"\s?\[(?:\d{1,3}|\^\w+)\]")
_FOOTNOTE_MARK = re.compile(
    r"(?:(?<=[^\W\d_])|(?<=[.,;:!?”’\"')]))(?:\((?:\*{1,3}|\+|\d{1,2})\)|\[(?:[A-Z]|\*{1,3})\])(?=[\s,.;:!?”’\"')]|$)"
)
"""A footnote mark against the word or stop it follows: "Lodovico(*) to", "league(1),",
"obligations.[B]". Never one that opens a paragraph ("(*) Catherine Sforza ...": the note
itself, which keeps its mark), one after a space ("(1) You don't": a list's number) or after a
digit ("Article 1(1)"). Bare stars are left alone: in Markdown they are emphasis."""
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t]*(?:\{(?:\d{1,4}|[ivxlcdm]{1,8})\}|\[(?:Pg|Page|p\.)\s*(?:\d{1,4}|[ivxlcdm]{1,8})\])[ \t]*$", re.M | re.I
)
"""A printed page's number on a line of its own, as e-texts keep it ("{12}", "{v}", "[Pg 12]"):
a page break, not text. Removed, the blank lines around it are the break."""
_NOTE = re.compile(r"(?:\((?:\*{1,3}|\+|\d{1,3})\)|\[(?:\d{1,3}|[A-Z*]{1,3})\])\s")
"""A footnote set indented under the paragraph it annotates ("(*) Duke Lodovico was ..."): the
editor's note, not a block quotation."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
_TERMINAL = tuple(".!?…:;\"”’')]")
# Patterns are written so that no input makes them quadratic: a scan from one opener stops at
# the next opener (links), a pattern that could run far is tried on a bounded prefix (run-in
# headings), and what a regex would do by backtracking is done with string methods (headings).
_RUN_IN_HEADING = re.compile(r"(?P<heading>\d{1,2}\.\s+[^.?!…]{3,90}?)\s*(?:…|\.\s)\s*(?=[\"“‘'(]?[A-Z])")
_RUN_IN_HEADING_SPAN = 300
"""A run-in heading starts a paragraph and is at most 90 characters: only this much is searched."""
_MD_HEADING = re.compile(r"#{1,6}\s+")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")
"""Markdown's quote marks, nested or not, at the start of a line."""
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")

MAX_BLOCKS = 200_000
"""Headings and paragraphs in one text. War and Peace has about 12,000 paragraphs; a text with
more than this is a list or a log, and each block costs memory and time all the way into the
index (a million three-letter paragraphs took a minute and 480 MB)."""
MAX_HEADING_CHARS = 100
MAX_HEADING_WORDS = 14
MAX_CONTINUED_HEADING_CHARS = 200
MAX_LISTED_LINES = 1000
"""Lines of a chunk kept one by one (a table of contents set one entry a line is split into
entries); a longer chunk is kept only as its joined text, so memory stays that of the text."""


class TooManyBlocks(ValueError):
    """The text has more than MAX_BLOCKS headings and paragraphs."""


def heal(raw: str, markdown: bool = False) -> list[Block]:
    """Turn raw text into headings and paragraphs, undoing wraps, page breaks and markers.

    Linear in the text: a paragraph continued across many breaks is kept in pieces until it is
    whole, and only the last few hundred characters of it decide how the next piece joins.
    Raises TooManyBlocks as soon as the text proves to have more than MAX_BLOCKS.
    """
    text = _normalise(raw)
    if markdown:
        text = _drop_html_comments(text)
    vocabulary = {w.lower() for piece in slices(text) for w in WORD_RE.findall(piece)}
    blocks = _Blocks()
    if markdown:  # Markdown marks its structure; there is nothing to guess
        for kind, body in _markdown_blocks(text):
            body = _without_marks(body)
            if body:
                blocks.start(kind, body)
        return blocks.finish()
    seen_paragraph = False
    chunks = _Chunks(text, _usual_indent(text) + QUOTE_INDENT)
    open_quote = lead_in = False
    for gap, first_lines, joined in unstack_contents(chunks, MAX_LISTED_LINES):
        kind, body = _plain_block(first_lines, joined, front=not seen_paragraph)
        body = _without_marks(body)
        if not body:
            continue
        cut = gap >= 2 and not blocks.tail.rstrip().endswith(_TERMINAL)  # mid-sentence at a page break
        if kind == "paragraph" and open_quote and (chunks.indented or cut) and _continues(blocks.tail, body, gap >= 2):
            blocks.join(body, vocabulary)  # a block quotation cut by a page break (its rest set at the margin or not)
            continue
        quotation = chunks.indented and len(first_lines) >= 2 and not _NOTE.match(body) and not _listing(first_lines)
        if kind == "paragraph" and quotation and (open_quote or lead_in):
            # A block quotation: another writer's words, kept a paragraph of its own and marked. It
            # follows a paragraph at the margin (the author's lead-in) or more of the quotation: a
            # run indented from a heading on is a part set indented as a whole (a dedication, a
            # letter, a contents list), and a single indented line is a centred title or a first-line indent.
            blocks.start("paragraph", block_quoted(body))
            open_quote = seen_paragraph = True
            continue
        quote_before, open_quote = open_quote, False
        lead_in = kind == "paragraph" and not chunks.indented
        if blocks.kind == "heading" and _starts_lower(body) and kind == "paragraph" and not is_marker(blocks.text()):
            # A heading broken over blank lines: the rest of it, or it was a paragraph after all.
            blocks.join(body, vocabulary)
            blocks.kind = "heading" if blocks.length <= MAX_CONTINUED_HEADING_CHARS else "paragraph"
            continue
        if (
            kind == "paragraph"
            and blocks.kind == "paragraph"
            and not quote_before
            and _continues(blocks.tail, body, page_break=gap >= 2)
        ):
            blocks.join(body, vocabulary)
            continue
        if kind == "paragraph":
            for block in _split_run_in_heading(body):
                blocks.start(block.kind, block.text)
            seen_paragraph = True
        else:
            blocks.start(kind, body)
    return outline(blocks.finish())


class _Blocks:
    """Healed blocks; the last one is kept in pieces while it may still grow, so that joining a
    paragraph cut by n page breaks costs n, not n squared."""

    TAIL_CHARS = 256
    """How much of the end of a block decides a join: its last word and how it ends."""

    def __init__(self) -> None:
        self.done: list[Block] = []
        self.kind: BlockKind | None = None
        self.joined: list[str] = []
        """The open block's earlier pieces, joined a thousand at a time (a million pieces of
        five characters take 60 MB as a list, 5 MB as text)."""
        self.pieces: list[str] = []
        self.length = 0
        self.tail = ""
        """The last TAIL_CHARS characters of the open block."""

    def start(self, kind: BlockKind, text: str) -> None:
        self._close()
        if len(self.done) >= MAX_BLOCKS:
            raise TooManyBlocks(MAX_BLOCKS)
        self.kind, self.pieces, self.length, self.tail = kind, [text], len(text), text[-self.TAIL_CHARS :]

    def join(self, body: str, vocabulary: set[str]) -> None:
        """Continue the open block with `body`; a word hyphenated across the break is made whole."""
        drop, separator = _joint(self.tail, body, vocabulary)
        if drop:
            self.pieces[-1] = self.pieces[-1][:-drop]
        self.pieces.append(separator + body)
        self.length += len(separator) + len(body) - drop
        if len(self.pieces) > _PIECES_JOINED:
            self.joined.append("".join(self.pieces[:-1]))  # the last piece may yet lose its hyphen
            del self.pieces[:-1]
        self.tail = (self.tail[: len(self.tail) - drop] + separator + body[-self.TAIL_CHARS :])[-self.TAIL_CHARS :]

    def text(self) -> str:
        """The open block's text so far (cheap for a heading: at most a few hundred characters)."""
        return "".join(self.joined) + "".join(self.pieces)

    def finish(self) -> list[Block]:
        self._close()
        return self.done

    def _close(self) -> None:
        if self.kind is not None:
            self.done.append(Block(self.kind, "".join(self.joined) + "".join(self.pieces)))
        self.kind, self.joined, self.pieces, self.length, self.tail = None, [], [], 0, ""


def _without_marks(body: str) -> str:
    """The paragraph without footnote marks: they cut a quoted sentence and a searched phrase."""
    return _FOOTNOTE_MARK.sub("", _FOOTNOTE.sub("", body)).strip()


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n\n")
    text = text.replace("\t", " ").replace("\u00a0", " ").replace("\u00ad", "")
    text = _PAGE_NUMBER_LINE.sub("\n", text)
    return _CONTROL.sub("", text)


def _drop_html_comments(text: str) -> str:
    """<!-- ... --> removed; an unclosed one stays as text. (The regex this replaces scanned to
    the end of the text from every unclosed opener.)"""
    pieces, position = [], 0
    while (start := text.find("<!--", position)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        pieces.append(text[position:start])
        position = end + 3
    pieces.append(text[position:])
    return "".join(pieces)


QUOTE_INDENT = 4
"""A block quotation in plain text is indented at least this many spaces more than the text's usual lines."""


def _indent(line: str) -> int:
    """Leading spaces, a tab counted as four."""
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    return len(lead) + 3 * lead.count("\t")


USUAL_SHARE = 0.25
"""The text's usual indentation is the least that at least this share of its lines have: a text
whose every paragraph is indented has no block quotations at that indentation, and a short text
that is mostly a long quotation still has its own lines at the margin."""


def _listing(lines: list[str]) -> bool:
    """Lines set as a list or table (contents, an index, columns): half of them or more end with a
    number or have a gap of three spaces. Such an indented chunk is no block quotation."""
    listed = sum(1 for line in lines if line[-1:].isdigit() or "   " in line)
    return listed * 2 >= len(lines)


def _usual_indent(text: str) -> int:
    """The text's usual indentation (see USUAL_SHARE). One pass over the lines."""
    counts: dict[int, int] = {}
    for line in _lines(text):
        if line.strip():
            indent = _indent(line)
            counts[indent] = counts.get(indent, 0) + 1
    total = sum(counts.values())
    return min((indent for indent, n in counts.items() if n >= USUAL_SHARE * total), default=0)


class _Chunks:
    """Blank-line separated chunks: the number of blank lines before each, its first lines (up
    to MAX_LISTED_LINES + 1: enough to tell a heading or a table of contents), and all its lines
    joined. `indented` tells whether every line of the chunk last given is indented at least
    `quote_indent` spaces: a block quotation, if it is a paragraph."""

    def __init__(self, text: str, quote_indent: int) -> None:
        self.text = text
        self.quote_indent = quote_indent
        self.indented = False

    def __iter__(self) -> Iterator[tuple[int, list[str], str]]:
        gap, lines, indented = 0, _Lines(), True
        for line in _lines(self.text):
            stripped = line.strip()
            if stripped:
                indented = indented and _indent(line) >= self.quote_indent
                lines.add(stripped)
                continue
            if lines:
                self.indented = indented
                yield gap, lines.first, lines.text()
                gap, lines, indented = 0, _Lines(), True
            gap += 1
        if lines:
            self.indented = indented
            yield gap, lines.first, lines.text()


def _lines(text: str) -> Iterator[str]:
    """text.split("\n"), a slice at a time: the list of every line of a 50 MB file of short
    lines would take gigabytes."""
    start = 0
    while (end := text.find("\n", start + SLICE_CHARS)) >= 0:
        yield from text[start:end].split("\n")
        start = end + 1
    yield from text[start:].split("\n")


class _Lines:
    """The lines of a chunk, joined as they come: a wrapped line continues the one before with a
    space, or with nothing after a hyphenated word part ("revolu-" + "tionary" stays
    "revolu-tionary"; `_joint` decides across page breaks). The last line is kept apart until
    the next comes (a Markdown setext underline takes it as a heading), and what is joined is
    kept a thousand lines to a string: a chunk of millions of short lines takes no more memory
    than its text."""

    def __init__(self) -> None:
        self.first: list[str] = []
        self.joined: list[str] = []
        self.pieces: list[str] = []
        self.previous: str | None = None
        self.last: str | None = None
        self.quoted = False
        """A Markdown paragraph that opened in "> ": another writer's words (textutil.block_quoted)."""

    def __bool__(self) -> bool:
        return self.last is not None or self.previous is not None

    def add(self, line: str) -> None:
        if len(self.first) <= MAX_LISTED_LINES:
            self.first.append(line)
        if self.last is not None:
            self._commit(self.last)
        self.last = line

    def pop(self) -> str | None:
        last, self.last = self.last, None
        return last

    def text(self) -> str:
        if self.last is not None:
            self._commit(self.last)
            self.last = None
        return "".join(self.joined) + "".join(self.pieces)

    def _commit(self, line: str) -> None:
        previous = self.previous
        hyphenated = previous is not None and previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha()
        self.pieces.append(line if previous is None or hyphenated else " " + line)
        self.previous = line
        if len(self.pieces) >= _PIECES_JOINED:
            self.joined.append("".join(self.pieces))
            self.pieces = []


_PIECES_JOINED = 1000


def _plain_block(first_lines: list[str], joined: str, front: bool) -> tuple[BlockKind, str]:
    """A chunk's kind: a heading (one to three short lines), the title block, or a paragraph."""
    if front and len(first_lines) == 1 and _starts_lower(joined) and is_byline(joined):
        return ("title", joined)  # "by" under the title: not the rest of the title
    marked = heading_text(first_lines)
    if marked is not None:
        return ("heading", marked)
    if len(first_lines) <= 3 and _looks_like_heading(joined):
        return ("heading", joined)  # a heading, perhaps wrapped over two or three lines
    if front and len(first_lines) <= 3 and all(_looks_like_heading(line) for line in first_lines):
        return ("title", " — ".join(first_lines))  # a title block: title, subtitle, byline
    long_heading = long_title_case_heading(first_lines)
    return ("heading", long_heading) if long_heading else ("paragraph", joined)


def _markdown_blocks(text: str) -> Iterator[tuple[BlockKind, str]]:
    """Headings, list items and paragraphs of Markdown, one at a time."""
    current = _Lines()
    for line in _lines(text):
        line = line.strip()
        if not line:  # a blank line ends the paragraph
            if current:
                yield _markdown_paragraph(current)
                current = _Lines()
            continue
        marked = _MD_QUOTE.match(line)
        line = line[marked.end() :].strip() if marked else line
        heading = _MD_HEADING.match(line)
        if heading:
            if current:
                yield _markdown_paragraph(current)
                current = _Lines()
            title = line[heading.end() :].rstrip().rstrip("#").rstrip()  # "## Title ##" -> "Title"
            yield _markdown_emphasis("heading", _MD_LINK.sub(r"\1", title))
        elif _MD_SETEXT.match(line) and current:
            underlined = current.pop() or ""
            if current:
                yield _markdown_paragraph(current)
            current = _Lines()
            yield _markdown_emphasis("heading", underlined)
        elif _MD_RULE.match(line):
            if current:
                yield _markdown_paragraph(current)
                current = _Lines()
        elif _MD_LIST_ITEM.match(line):
            if current:
                yield _markdown_paragraph(current)
                current = _Lines()
            current.add(_MD_LIST_ITEM.sub("", line))
        elif line:
            if not current:  # a paragraph that opens in "> " is a quotation, lazy continuation lines and all
                current.quoted = marked is not None
            current.add(line)
    if current:
        yield _markdown_paragraph(current)


def _markdown_paragraph(lines: _Lines) -> tuple[BlockKind, str]:
    kind, body = _markdown_emphasis("paragraph", _MD_LINK.sub(r"\1", lines.text()))
    return kind, block_quoted(body) if lines.quoted else body


def _markdown_emphasis(kind: BlockKind, body: str) -> tuple[BlockKind, str]:
    return kind, body.replace("**", "*").replace("__", "*")


def _looks_like_heading(line: str) -> bool:
    if len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    if line.endswith(_TERMINAL) or line.endswith((",", "-", "–", "—")):
        return False
    first = next((c for c in line if c.isalnum()), "")
    return bool(first) and (first.isupper() or first.isdigit())


def _continues(previous: str, body: str, page_break: bool) -> bool:
    """Is `body` the rest of a paragraph that a page break or stray blank line cut in two?"""
    if _starts_lower(body):
        return True
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha():
        return True
    return page_break and not previous.rstrip().endswith(_TERMINAL)


def _starts_lower(body: str) -> bool:
    first = next((c for c in body if c.isalpha()), "")
    return first.islower()


_HEAD_CHARS = 64
"""The end of the first half in which its last word is found (no word is longer)."""


def _joint(previous: str, body: str, vocabulary: set[str]) -> tuple[int, str]:
    """How two halves of a paragraph join: (characters to drop from the end of the first,
    separator). A word hyphenated across the break is made whole when the text knows the whole
    word and not the hyphenated one. `previous` need only be the end of the first half."""
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha():
        head_words = WORD_RE.findall(previous[-_HEAD_CHARS:-1])
        head = head_words[-1] if head_words else ""
        tail_word = WORD_RE.search(body)
        tail = tail_word.group() if tail_word else ""
        if (head + tail).lower() in vocabulary and f"{head}-{tail}".lower() not in vocabulary:
            return 1, ""
        return 0, ""
    return 0, " "


def _split_run_in_heading(paragraph: str) -> list[Block]:
    """'2. The Degeneration of the Party. The party prepared ...' -> heading + paragraph."""
    match = _RUN_IN_HEADING.match(paragraph[:_RUN_IN_HEADING_SPAN])
    if not match or not _is_title_case(match.group("heading")):
        return [Block("paragraph", paragraph)]
    return [Block("heading", match.group("heading").strip()), Block("paragraph", paragraph[match.end() :])]
