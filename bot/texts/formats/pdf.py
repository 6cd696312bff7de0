"""PDF with a text layer: running headers, footers and page numbers removed, columns read in
order, hyphenation and line wraps healed as for a .txt file.

pdfminer.six finds the characters, lines and text boxes of each page. It has no limits of its own
(a compressed stream may unpack to gigabytes, a page may hold millions of characters), so it runs
in a child process (pdf_worker) with a memory cap and a deadline, and answers in plain JSON.
The reading order, the running heads and the paragraphs are worked out here, in the parent, from
those lines (pure functions of the page layouts).
"""

from __future__ import annotations

import json
import logging
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from bot.errors import InputFileError
from bot.texts.formats import Document, Progress
from bot.texts.heal import heal
from bot.textutil import WORD_RE

log = logging.getLogger(__name__)

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PAGES = 1_000
"""A longer PDF is refused before a page is read: a reading group reads books, not archives."""
MAX_MEMORY = 1024 * 1024 * 1024
"""The child process's address space (RLIMIT_AS): decompression bombs and monster pages stop there."""
MAX_SECONDS = 300.0
"""Wall-clock time for one PDF: pdfminer lays out 5-15 pages a second (dense two-column pages are
the slowest; bench/ingest_formats.py), so a PDF of MAX_PAGES ordinary pages takes one to two minutes."""
MIN_CHARS_PER_PAGE = 20
"""Fewer characters than this per page on average: the pages are pictures (a scan)."""
MARGIN = 0.12
"""Running heads and page numbers live in the top and bottom 12% of a page."""


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Box:
    lines: tuple[Line, ...]

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines)

    @property
    def y0(self) -> float:
        return min(line.y0 for line in self.lines)

    @property
    def y1(self) -> float:
        return max(line.y1 for line in self.lines)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    boxes: tuple[Box, ...]


def read_pdf(data: bytes, name: str, progress: Progress | None = None) -> Document:
    if len(data) > MAX_PDF_BYTES:
        raise InputFileError(
            f"{name} is {len(data) // 2**20} MB; studybot reads PDFs of up to {MAX_PDF_BYTES // 2**20} MB."
        )
    if b"%PDF-" not in data[:1024]:
        raise InputFileError(f"{name} is not a PDF (it does not start like one); export it again as PDF.")
    info, pages = _extract_bounded(data, name, progress)
    return document_from_pages(pages, info, name)


def document_from_pages(pages: list[Page], info: dict[str, str], name: str) -> Document:
    """The text of the laid-out pages, healed: the pure half of reading a PDF."""
    chars = sum(len(line.text) for page in pages for box in page.boxes for line in box.lines)
    if chars < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise InputFileError(
            f"{name} has no text layer (its pages are pictures, as in a scan); run it through OCR first, or find a text edition."
        )
    raw, title = layout_text(pages)
    if raw.count("(cid:") * 20 > len(raw.split()):
        raise InputFileError(
            f"{name} uses fonts whose letters cannot be decoded into text; export it again with its fonts embedded as Unicode."
        )
    blocks = heal(raw)
    facts: dict[str, object] = {}
    title = _sane(info.get("Title", "")) or title
    if title:
        facts["title"] = title
    author = _sane(info.get("Author", ""))
    if author:
        facts["author"] = author
    if not any(b.kind == "paragraph" for b in blocks):
        raise InputFileError(f"{name} has no paragraphs of text; check that it is the article and not only its cover.")
    return Document(blocks=blocks, facts=facts)


# -- the child process ---------------------------------------------------------------------


def _extract_bounded(data: bytes, name: str, progress: Progress | None) -> tuple[dict[str, str], list[Page]]:
    """Run pdf_worker in a child process (its own memory cap) and stop it at MAX_SECONDS.

    A subprocess rather than multiprocessing: nothing of the parent (its threads, its __main__)
    is copied or re-imported, and the answer is JSON, not pickle."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.texts.formats.pdf_worker", name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    messages: queue.Queue[dict | None] = queue.Queue()
    threading.Thread(target=_feed, args=(child, data), daemon=True).start()
    threading.Thread(target=_listen, args=(child, messages), daemon=True).start()
    deadline = time.monotonic() + MAX_SECONDS
    pages: list[Page] = []
    try:
        while True:
            try:
                message = messages.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise InputFileError(
                    f"{name} took more than {MAX_SECONDS:.0f} s to read; split it into smaller PDFs."
                ) from None
            if message is None:  # the child ended without an answer
                code = child.wait(5)
                log.warning("PDF reader for %s ended with exit code %s", name, code)
                if code is not None and code < 0:  # killed: its memory or CPU limit
                    raise InputFileError(
                        f"{name} needs more than {MAX_MEMORY // 2**20} MB or {MAX_SECONDS:.0f} s to read "
                        "(it may hide a decompression bomb); studybot will not read it."
                    )
                raise InputFileError(f"{name} could not be read: the PDF reader stopped unexpectedly; try again.")
            if "page" in message:
                pages.append(_page(message["page"]))
                if progress:
                    progress(len(pages), message["of"])
            elif "error" in message:
                raise InputFileError(message["error"])
            elif "info" in message:
                return message["info"], pages
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(5)
        for stream in (child.stdin, child.stdout):
            if stream:
                stream.close()


def _feed(child: subprocess.Popen, data: bytes) -> None:
    try:
        assert child.stdin is not None
        child.stdin.write(data)
        child.stdin.close()
    except (BrokenPipeError, OSError, ValueError):  # the child stopped early; its answer says why
        pass


def _listen(child: subprocess.Popen, messages: queue.Queue) -> None:
    assert child.stdout is not None
    try:
        for line in child.stdout:
            messages.put(json.loads(line))
    except (ValueError, OSError):
        pass
    messages.put(None)


def _page(raw: dict) -> Page:
    return Page(raw["w"], raw["h"], tuple(Box(tuple(Line(*line) for line in box)) for box in raw["boxes"]))


# -- the parent: layout to text ----------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:page|p\.|seite)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?[\W_]*$", re.I
)
_LIST_ITEM = re.compile(r"^(?:[•◦▪▫●○■□‣⁃–—*·-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
_TERMINAL = tuple(".!?…:;\"”’')]")
_JUNK_TITLE = re.compile(
    r"^(?:microsoft\s+\w+\s+-|untitled|document\d*$)|\.(?:docx?|pdf|tex|dvi|indd|qxd|rtf|odt|ps)$", re.I
)


def layout_text(pages: list[Page]) -> tuple[str, str]:
    """The pages as raw text for `heal`: paragraphs apart by one blank line, columns and pages by
    two (so that a paragraph running on is joined). Also the title, if the first page sets one in
    large type."""
    lines = [line for page in pages for box in page.boxes for line in box.lines]
    body_size = _body_size(lines)
    running = _running_lines(pages, body_size)
    counts = Counter(w.lower() for line in lines for w in WORD_RE.findall(line.text))
    runs: list[str] = []
    for number, page in enumerate(pages):
        boxes = [Box(tuple(line for line in box.lines if (number, line) not in running)) for box in page.boxes]
        for column in _columns(page, [box for box in boxes if box.lines]):
            flow = sorted((line for box in column for line in box.lines), key=lambda line: (-line.y1, line.x0))
            paragraphs = (_join(paragraph, counts) for paragraph in _paragraphs(flow, body_size))
            runs.append("\n\n".join(p for p in paragraphs if any(ch.isalnum() for ch in p)))
    title = _first_page_title(pages[0], running, body_size) if pages else ""
    return "\n\n\n".join(run for run in runs if run), title


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _running_lines(pages: list[Page], body_size: float) -> set[tuple[int, Line]]:
    """Lines in a page's top or bottom margin that are page numbers, that recur (digits aside)
    on three pages, or on two as the page's outermost line, or that stand above everything else
    in smaller type than the body: running heads and feet. Never large type: a title on the
    first page may repeat as the running head of the others."""
    seen: dict[tuple[str, str], set[int]] = {}
    outermost: dict[tuple[str, str], set[int]] = {}
    marginal: list[tuple[int, Line, tuple[str, str]]] = []
    for number, page in enumerate(pages):
        for box in page.boxes:
            for line in box.lines:
                middle = (line.y0 + line.y1) / 2
                top, bottom = middle > page.height * (1 - MARGIN), middle < page.height * MARGIN
                if (top or bottom) and line.size <= body_size * 1.2:
                    key = ("top" if top else "bottom", re.sub(r"\d+", "#", line.text.casefold()))
                    seen.setdefault(key, set()).add(number)
                    if _outermost(page, line, top):
                        outermost.setdefault(key, set()).add(number)
                    marginal.append((number, line, key))
    repeats = 2 if len(pages) <= 4 else 3
    return {
        (number, line)
        for number, line, key in marginal
        if _PAGE_NUMBER.match(line.text)
        or len(seen[key]) >= repeats
        or len(outermost.get(key, ())) >= 2
        or (key[0] == "top" and line.size < body_size * 0.95 and number in outermost.get(key, ()))
    }


def _outermost(page: Page, line: Line, top: bool) -> bool:
    """Nothing on the page stands above (or, at the foot, below) this line: where running heads
    and feet sit."""
    others = (other for box in page.boxes for other in box.lines)
    if top:
        return all(other.y1 <= line.y1 + 0.5 for other in others)
    return all(other.y0 >= line.y0 - 0.5 for other in others)


def _columns(page: Page, boxes: list[Box]) -> Iterator[list[Box]]:
    """The boxes in reading order, as runs that each end where a column or the page ends.

    Columns are found from the page itself: gutters are vertical strips that the narrower boxes
    hardly cover. A box crossing a gutter (a title, an abstract) spans the columns and splits the page
    into bands; each band is read column by column, each column top to bottom.
    """
    if not boxes:
        return
    left, right = min(b.x0 for b in boxes), max(b.x1 for b in boxes)
    width = int(right - left) + 1
    cover = [0.0] * width
    for box in boxes:
        if box.x1 - box.x0 < 0.6 * width:  # a wide box spans columns: it does not make them
            for x in range(int(box.x0 - left), min(int(box.x1 - left) + 1, width)):
                cover[x] += box.y1 - box.y0
    peak = max(cover) or 1.0
    gutters = []
    x = 0
    while x < width:
        if cover[x] <= 0.05 * peak:
            start = x
            while x < width and cover[x] <= 0.05 * peak:
                x += 1
            if start > 0 and x < width and x - start >= 6:  # inside the text, at least 6 pt wide
                gutters.append((left + start, left + x))
        x += 1
    if not gutters:
        yield sorted(boxes, key=lambda b: (-b.y1, b.x0))
        return
    edges = [left] + [g for gutter in gutters for g in gutter] + [right]
    spans = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]

    def crosses(box: Box) -> bool:
        return any(box.x0 < g1 - 1 and box.x1 > g0 + 1 for g0, g1 in gutters)

    spanning = sorted((b for b in boxes if crosses(b)), key=lambda b: -b.y1)
    placed: dict[tuple[int, int], list[Box]] = {}
    for box in boxes:
        if crosses(box):
            continue
        middle_y, middle_x = (box.y0 + box.y1) / 2, (box.x0 + box.x1) / 2
        band = sum(1 for s in spanning if (s.y0 + s.y1) / 2 > middle_y)
        column = next((i for i, (a, b) in enumerate(spans) if middle_x <= b), len(spans) - 1)
        placed.setdefault((band, column), []).append(box)
    for band in range(len(spanning) + 1):
        if band > 0:
            yield [spanning[band - 1]]
        for column in range(len(spans)):
            run = placed.get((band, column))
            if run:
                yield sorted(run, key=lambda b: -b.y1)


def _paragraphs(lines: list[Line], body_size: float) -> list[list[Line]]:
    """A column's lines, top to bottom, split into paragraphs: at extra space between lines, at
    a list item, at a first-line indent (not the hanging indent of a list item), after a short
    line that ends a sentence, where the type changes size, and around a heading (larger or
    bold type)."""
    if not lines:
        return []
    left, right = min(line.x0 for line in lines), max(line.x1 for line in lines)
    gaps = [previous.y0 - line.y1 for previous, line in pairwise(lines)]
    usual = statistics.median(gaps) if gaps else 0.0
    paragraphs: list[list[Line]] = [[lines[0]]]
    for previous, line in pairwise(lines):
        em = max(line.size, 1.0)
        in_item = bool(_LIST_ITEM.match(paragraphs[-1][0].text))
        spaced = previous.y0 - line.y1 > usual + 0.45 * em
        indented = line.x0 - left > 0.8 * em and previous.x0 - left < 0.3 * em and not in_item
        ended = previous.x1 < right - 2 * em and previous.text.endswith(_TERMINAL)
        heading_edge = _heading(previous, body_size, right - left) != _heading(line, body_size, right - left)
        resized = abs(line.size - previous.size) > 0.15 * max(line.size, previous.size)
        if spaced or indented or ended or heading_edge or resized or _LIST_ITEM.match(line.text):
            paragraphs.append([])
        paragraphs[-1].append(line)
    return paragraphs


def _heading(line: Line, body_size: float, width: float) -> bool:
    return line.size >= body_size * 1.15 or (line.bold and line.x1 - line.x0 < 0.7 * width and len(line.text) < 100)


def _join(lines: list[Line], counts: Counter[str]) -> str:
    """A paragraph's lines as one. A word hyphenated at a line end is made whole, unless the
    hyphen belongs: the hyphenated form occurs elsewhere, or both halves are words used
    elsewhere in the document (self-governing)."""
    text = lines[0].text if lines else ""
    for line in lines[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line.text[:1].islower():
            head = (WORD_RE.findall(text[:-1])[-1:] or [""])[0].lower()
            tail = (WORD_RE.findall(line.text)[:1] or [""])[0].lower()
            compound = counts[f"{head}-{tail}"] > 0 or (
                counts[head + tail] == 0 and counts[head] > 1 and counts[tail] > 1
            )
            text = text + line.text if compound else text[:-1] + line.text
        else:
            text += " " + line.text
    return text


def _first_page_title(page: Page, running: set[tuple[int, Line]], body_size: float) -> str:
    """The first page's largest type, if well above the body's: the top run of lines in it."""
    lines = sorted(
        (line for box in page.boxes for line in box.lines if (0, line) not in running), key=lambda line: -line.y1
    )
    largest = max((line.size for line in lines), default=0.0)
    if largest < body_size * 1.3:
        return ""
    start = next(i for i, line in enumerate(lines) if line.size == largest)
    run = [lines[start]]
    for line in lines[start + 1 :]:
        if line.size != largest or run[-1].y0 - line.y1 > 2 * largest:
            break
        run.append(line)
    title = " ".join(line.text for line in run)
    return title if len(title.split()) <= 25 else ""


def _sane(value: str) -> str:
    """A metadata value worth showing: not empty, not a file name or a word processor's label."""
    value = " ".join(value.split())
    if len(value) < 3 or _JUNK_TITLE.search(value) or not re.search(r"[^\W\d_]", value):
        return ""
    return value
