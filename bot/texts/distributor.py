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

from bot.models import Block

__all__ = ["book_text", "header_facts", "unwrap"]

_MARK = re.compile(
    r"(?:^|\s)\W{0,6}(START|END) OF (?:THE |THIS )?PROJECT GUTENBERG(?: E-?BOOK| E-?TEXT)?\b[^\n]*?(?:\W{2,6}|$)", re.I
)
"""The start and end marks. Old files say "E-text" or nothing; HTML files may print the stars as
other characters ("∗∗∗"). Searched, not matched, because an HTML header can reach the reader as
one paragraph that ends in the start mark."""
_END_LINE = re.compile(r"^\W*End of (?:the |this )?Project Gutenberg", re.I)
"""The line just before the end mark ("End of the Project Gutenberg EBook of ..."), which some
files print without the mark itself."""
_CREDIT = re.compile(
    r"^\W*(?:produced|prepared|transcribed|scanned|e-?text prepared|html version) by\b"
    r"|distributed proofread|pgdp\.net|^\W*(?:updated editions|this e-?book was produced)",
    re.I,
)
"""The volunteers' credit that follows the start mark: the distributor's, not the author's."""
CREDIT_WORDS = 60
"""A credit is a line or two; a longer paragraph after the mark is the book."""
_FIELDS = "Title|Author|Authors|Editor|Translator|Illustrator|Release Date|Posting Date|Last Updated|Language|Character set encoding|Produced by|Credits|Most recently updated|Original publication"
_FIELD = re.compile(rf"(?:^|\s)({_FIELDS}):[ \t]*(.+?)(?=\s+(?:{_FIELDS}):|\s*\*{{3}}|\n|$)", re.I)
_EBOOK_OF = re.compile(
    r"Project Gutenberg(?:'s)? E-?(?:Book|Text)(?: of)?,?\s+(.+?)(?:,\s+by\s+(.+?))?\s*(?:\n|This e-?book|$)", re.I
)
HEADER_CHARS = 20_000
"""Where the header is looked for: it is a few hundred characters before the start mark."""


def unwrap(blocks: list[Block]) -> list[Block]:
    """The book without the distributor's header, licence and credits. A text without the marks,
    or with nothing to read between them, is returned as it is. Linear in the blocks."""
    starts = [i for i, b in enumerate(blocks) if _mark(b) == "START"]
    if not starts:
        return blocks
    start = starts[0] + 1
    end = next(
        (i for i in range(start, len(blocks)) if _mark(blocks[i]) == "END" or _END_LINE.match(blocks[i].text)),
        len(blocks),
    )
    body = blocks[start:end]
    while body and _CREDIT.search(body[0].text) and len(body[0].text.split()) <= CREDIT_WORDS:
        body = body[1:]
    return body if any(b.kind == "paragraph" for b in body) else blocks


def book_text(text: str) -> str:
    """A plain text file's book: the lines between the marks, without the credit that opens it.
    Done on the lines, before they are healed into paragraphs, since healing can take the short
    header lines for a title page or a table of contents. Linear in the text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if _mark_of(line) == "START"), None)
    if start is None:
        return text
    end = next(
        (i for i in range(start + 1, len(lines)) if _mark_of(lines[i]) == "END" or _END_LINE.match(lines[i])),
        len(lines),
    )
    paragraphs = "\n".join(lines[start + 1 : end]).strip("\n").split("\n\n")
    while paragraphs and _CREDIT.search(paragraphs[0]) and len(paragraphs[0].split()) <= CREDIT_WORDS:
        paragraphs = paragraphs[1:]
    book = "\n\n".join(paragraphs)
    return book if book.strip() else text


def header_facts(text: str) -> dict[str, object]:
    """Title and author as the distributor's header states them, from the text before the start
    mark (its first `HEADER_CHARS` characters at most); empty when there is no such header."""
    head = text[:HEADER_CHARS]
    mark = _MARK.search(head)
    if mark is None or mark.group(1).upper() != "START":
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


def _mark(block: Block) -> str | None:
    return _mark_of(block.text)


def _mark_of(text: str) -> str | None:
    found = _MARK.search(text)
    return found.group(1).upper() if found else None
