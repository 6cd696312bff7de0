"""A distributor's wrapper around a book: Project Gutenberg's header, licence and credits.

Most public-domain texts a group brings come from Project Gutenberg, as .txt, HTML or EPUB. The
book sits between "*** START OF THE PROJECT GUTENBERG EBOOK ..." and "*** END OF ..."; before it
stand the title and author the book would otherwise lack ("Title: What is Property?",
"Author: P. J. Proudhon"), after it a licence of several thousand words. Left in, the licence
becomes passages to read and the group's first post is about copying rights, with the title
"The Project Gutenberg EBook of ..." and the author "Unknown".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.models import Block

__all__ = ["book_text", "header_facts", "unwrap"]

_MARK = re.compile(
    r"(?:^|\n)[^\w\n]{0,6}(START|END) OF (?:THE |THIS )?PROJECT GUTENBERG\b"
    r"|[^\w\s]{2,6}[ \t]*(START|END) OF (?:THE |THIS )?PROJECT GUTENBERG\b"
)
"""The start and end marks, in capitals as Project Gutenberg prints them, at the start of a line
("*** START OF THE PROJECT GUTENBERG EBOOK ...") or after a row of stars within one (an HTML
header can reach the reader as one paragraph that ends in the mark, its stars as "∗∗∗"). Prose
that mentions the project ("at the start of the Project Gutenberg venture") is no mark."""
_END_LINE = re.compile(r"^\W*End of (?:the |this )?Project Gutenberg(?:'s\b|\s+E-?(?:Book|Text)\b)", re.I)
"""The line just before the end mark ("End of the Project Gutenberg EBook of ..."), which some
files print without the mark itself."""
_CREDIT = re.compile(
    r"^\W*(?:produced|prepared|transcribed|scanned|e-?text prepared|html version)\b.{0,100}?\bby\b"
    r"|distributed proofread|pgdp\.net|^\W*(?:updated editions|this e-?book was produced)",
    re.I,
)
"""The volunteers' credit that follows the start mark: the distributor's, not the author's
("Produced by ...", "Transcribed from the 1909 edition by ...")."""
CREDIT_WORDS = 60
"""A credit is a line or two; a longer paragraph after the mark is the book."""
_FIELDS = "Title|Author|Authors|Editor|Translator|Illustrator|Release Date|Posting Date|Last Updated|Language|Character set encoding|Produced by|Credits|Most recently updated|Original publication"
_FIELD = re.compile(rf"(?:^|\s)({_FIELDS}):[ \t]*(.+?)(?=\s+(?:{_FIELDS}):|\s*\*{{3}}|\n|$)", re.I)
_EBOOK_OF = re.compile(
    r"Project Gutenberg(?:'s)? E-?(?:Book|Text)(?: of)?,?\s+(.+?)(?:,\s+by\s+(.+?))?\s*(?:\n|This e-?book|$)", re.I
)
HEADER_CHARS = 20_000
"""Where the header and the start mark are looked for: a few hundred characters into the file."""
LICENCE_WORDS = 8_000
"""The licence after the end mark is about 3,500 words. More than this after an "end" is more
book (two volumes in one file, a book that quotes the mark), and nothing is cut there."""


def unwrap(blocks: list[Block]) -> list[Block]:
    """The book without the distributor's header, licence and credits. A text without the marks,
    or with nothing to read between them, is returned as it is. Linear in the blocks."""
    head = _leading(b.text for b in blocks)
    start = next((i for i in range(head) if _mark_of(blocks[i].text) == "START"), None)
    if start is None:
        return blocks
    end = _end(len(blocks), start + 1, lambda i: blocks[i].text)
    body = blocks[start + 1 : end]
    while body and _CREDIT.search(body[0].text) and len(body[0].text.split()) <= CREDIT_WORDS:
        body = body[1:]
    return body if any(b.kind == "paragraph" for b in body) else blocks


def book_text(text: str) -> str:
    """A plain text file's book: the lines between the marks, without the credit that opens it.
    Done on the lines, before they are healed into paragraphs, since healing can take the short
    header lines for a title page or a table of contents. Linear in the text."""
    if _MARK.search(text[:HEADER_CHARS]) is None:
        return text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = _leading(lines)
    start = next((i for i in range(head) if _mark_of(lines[i]) == "START"), None)
    if start is None:
        return text
    end = _end(len(lines), start + 1, lines.__getitem__)
    paragraphs = "\n".join(lines[start + 1 : end]).strip("\n").split("\n\n")
    while paragraphs and _CREDIT.search(paragraphs[0]) and len(paragraphs[0].split()) <= CREDIT_WORDS:
        paragraphs = paragraphs[1:]
    book = "\n\n".join(paragraphs)
    return book if book.strip() else text


def _end(count: int, first: int, text_at: Callable[[int], str]) -> int:
    """Where the book stops: the first end mark (or "End of the Project Gutenberg EBook" line)
    after the start that has no more than a licence after it; else the end of the text. One
    pass backwards, counting the words after each line."""
    end, words_after = count, 0
    for i in range(count - 1, first - 1, -1):
        line = text_at(i)
        if words_after <= LICENCE_WORDS and (_mark_of(line) == "END" or _END_LINE.match(line)):
            end = i
        words_after += len(line.split())
    return end


def _leading(texts: Iterable[str]) -> int:
    """How many of the first lines or blocks lie within HEADER_CHARS of the start (reads no further)."""
    seen = taken = 0
    for text in texts:
        taken += 1
        seen += len(text) + 1
        if seen > HEADER_CHARS:
            break
    return taken


def header_facts(text: str) -> dict[str, object]:
    """Title and author as the distributor's header states them, from the text before the start
    mark (its first `HEADER_CHARS` characters at most); empty when there is no such header."""
    head = text[:HEADER_CHARS]
    mark = _MARK.search(head)
    if mark is None or (mark.group(1) or mark.group(2)) != "START":
        return {}
    head = head[: mark.start()]
    fields = {name.casefold(): " ".join(value.split()) for name, value in _FIELD.findall(head)}
    facts: dict[str, object] = {}
    title = fields.get("title")
    author = fields.get("author") or fields.get("authors")
    if not title or not author:
        named = _EBOOK_OF.search(head)
        if named:
            title = title or named.group(1)
            author = author or named.group(2)
    if title:
        facts["title"] = title.strip(" ,.")
    if author and author.casefold() not in ("various", "anonymous", "unknown"):
        facts["author"] = author.strip(" ,.")
    language = fields.get("language", "").casefold()
    if language == "english":
        facts["language"] = "en"
    return facts


def _mark_of(text: str) -> str | None:
    found = _MARK.search(text)
    return (found.group(1) or found.group(2)) if found else None
