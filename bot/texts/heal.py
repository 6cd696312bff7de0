"""Heal a raw text into blocks: section headings and whole paragraphs.

Texts arrive hard-wrapped, split by page breaks, with footnote markers and run-in headings. This
module undoes that, so that segmentation only ever sees whole paragraphs. It works on strings
and knows nothing about files or the store.
"""

from __future__ import annotations

import re
import unicodedata

from bot.models import Block, BlockKind
from bot.texts.headings import heading_text, is_byline, is_marker, long_title_case_heading, outline, unstack_contents
from bot.texts.headings import is_title_case as _is_title_case
from bot.textutil import WORD_RE

_FOOTNOTE = re.compile(r"\s?\[(?:\d{1,3}|\^\w+)\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
_TERMINAL = tuple(".!?…:;\"”’')]")
_RUN_IN_HEADING = re.compile(
    r"^(?P<heading>\d{1,2}\.\s+[^.?!…]{3,90}?)\s*(?:…|\.\s)\s*(?P<rest>[\"“‘'(]?[A-Z].*)$", re.S
)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)

MAX_HEADING_CHARS = 100
MAX_HEADING_WORDS = 14
MAX_CONTINUED_HEADING_CHARS = 200


def heal(raw: str, markdown: bool = False) -> list[Block]:
    """Turn raw text into headings and paragraphs, undoing wraps, page breaks and markers."""
    text = _normalise(raw)
    if markdown:
        text = _HTML_COMMENT.sub("", text)
    vocabulary = {w.lower() for w in WORD_RE.findall(text)}
    chunks = _chunks(text) if markdown else unstack_contents(_chunks(text))
    blocks: list[Block] = []
    seen_paragraph = False
    for gap, lines in chunks:
        if markdown:
            produced = _markdown_blocks(lines)
        else:
            produced = [_plain_block(lines, front=not seen_paragraph)]
        for kind, body in produced:
            body = _FOOTNOTE.sub("", body).strip()
            if not body:
                continue
            previous = blocks[-1] if blocks else None
            if markdown:  # Markdown marks its structure; there is nothing to guess
                blocks.append(Block(kind, body))
                continue
            if (
                previous
                and previous.kind == "heading"
                and _starts_lower(body)
                and kind == "paragraph"
                and not is_marker(previous.text)
            ):
                # A heading broken over blank lines: the rest of it, or it was a paragraph after all.
                joined = _join(previous.text, body, vocabulary)
                blocks[-1] = Block("heading" if len(joined) <= MAX_CONTINUED_HEADING_CHARS else "paragraph", joined)
                continue
            if (
                kind == "paragraph"
                and previous
                and previous.kind == "paragraph"
                and _continues(previous.text, body, page_break=gap >= 2)
            ):
                blocks[-1] = Block("paragraph", _join(previous.text, body, vocabulary))
                continue
            if kind == "paragraph":
                blocks.extend(_split_run_in_heading(body))
                seen_paragraph = True
            else:
                blocks.append(Block(kind, body))
    return blocks if markdown else outline(blocks)


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n\n")
    text = text.replace("\t", " ").replace("\u00a0", " ").replace("\u00ad", "")
    return _CONTROL.sub("", text)


def _chunks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated chunks, each with the number of blank lines before it."""
    chunks: list[tuple[int, list[str]]] = []
    gap, lines = 0, []
    for line in text.split("\n"):
        if line.strip():
            lines.append(line.strip())
            continue
        if lines:
            chunks.append((gap, lines))
            gap, lines = 0, []
        gap += 1
    if lines:
        chunks.append((gap, lines))
    return chunks


def _plain_block(lines: list[str], front: bool) -> tuple[BlockKind, str]:
    joined = " ".join(lines) if len(lines) == 1 else _join_lines(lines)
    if front and len(lines) == 1 and _starts_lower(joined) and is_byline(joined):
        return ("title", joined)  # "by" under the title: not the rest of the title
    marked = heading_text(lines)
    if marked is not None:
        return ("heading", marked)
    if len(lines) == 1 and _looks_like_heading(joined):
        return ("heading", joined)
    if len(lines) <= 3 and _looks_like_heading(joined):
        return ("heading", joined)  # a heading wrapped over two or three lines
    if front and len(lines) <= 3 and all(_looks_like_heading(line) for line in lines):
        return ("title", " — ".join(lines))  # a title block: title, subtitle, byline
    long_heading = long_title_case_heading(lines)
    return ("heading", long_heading) if long_heading else ("paragraph", joined)


def _markdown_blocks(lines: list[str]) -> list[tuple[BlockKind, str]]:
    """Headings, list items and paragraphs of a Markdown chunk."""
    out: list[tuple[BlockKind, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(("paragraph", _MD_LINK.sub(r"\1", _join_lines(current))))
            current.clear()

    for i, line in enumerate(lines):
        line = re.sub(r"^(?:>\s?)+", "", line).strip()
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            out.append(("heading", _MD_LINK.sub(r"\1", heading.group(1))))
        elif _MD_SETEXT.match(line) and current and i > 0:
            title = current.pop()
            flush()
            out.append(("heading", title))
        elif _MD_RULE.match(line):
            flush()
        elif _MD_LIST_ITEM.match(line):
            flush()
            current.append(_MD_LIST_ITEM.sub("", line))
        elif line:
            current.append(line)
    flush()
    return [(kind, body.replace("**", "*").replace("__", "*")) for kind, body in out]


def _join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            text += line  # keep the hyphen inside a line-wrapped compound; _join decides across breaks
        else:
            text += " " + line
    return text


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


def _join(previous: str, body: str, vocabulary: set[str]) -> str:
    """Join two halves of a paragraph; a word hyphenated across the break is made whole."""
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha():
        head = WORD_RE.findall(previous[:-1])[-1] if WORD_RE.findall(previous[:-1]) else ""
        tail_words = WORD_RE.findall(body)
        tail = tail_words[0] if tail_words else ""
        if (head + tail).lower() in vocabulary and f"{head}-{tail}".lower() not in vocabulary:
            return previous[:-1] + body
        return previous + body
    return previous + " " + body


def _split_run_in_heading(paragraph: str) -> list[Block]:
    """'2. The Degeneration of the Party. The party prepared ...' -> heading + paragraph."""
    match = _RUN_IN_HEADING.match(paragraph)
    if not match or not _is_title_case(match.group("heading")):
        return [Block("paragraph", paragraph)]
    return [Block("heading", match.group("heading").strip()), Block("paragraph", match.group("rest"))]
