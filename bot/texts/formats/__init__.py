"""Books and pages in other formats: an EPUB, a PDF or an HTML page becomes the same blocks
(headings and paragraphs) that a .txt file becomes, plus the facts its file states.

Each reader is a pure function from bytes (and a name for messages) to a `Document`; it never
touches the file system or the network. Whatever is wrong with a file becomes an `InputFileError`
with one sentence. The readers: `epub` (zip + defusedxml + lxml), `pdf` (pdfminer.six, in a
bounded child process), `html` (trafilatura).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from bot.models import Block

Progress = Callable[[int, int], None]
"""Called as a long read goes on: (done, total) in the reader's own units (chapters, pages)."""

READABLE = "studybot reads .txt, .md, .epub, .pdf and .html files"
KINDS = {".epub": "epub", ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html"}
UNIT = {"epub": "chapter", "pdf": "page", "html": "page"}
"""What a reader's progress counts, for messages like "Reading chapter 7 of 21"."""


@dataclass(frozen=True)
class Document:
    """A book or page read: its blocks, and the facts its file states (title, author, year,
    language), only those it states."""

    blocks: list[Block]
    facts: dict[str, object] = field(default_factory=dict)


def kind_of(name: str) -> str | None:
    """ "epub", "pdf" or "html" for a file name this package reads, else None."""
    return KINDS.get(PurePosixPath(name).suffix.lower())


def read_document(
    data: bytes,
    name: str,
    kind: str,
    progress: Progress | None = None,
    *,
    charset: str | None = None,
    url: str | None = None,
) -> Document:
    """Read `data` as `kind` ("epub", "pdf" or "html"); `name` is only for messages. A page
    fetched from the web comes with the `charset` its server declared and its `url`.

    The readers are imported here, not at the top: trafilatura and pdfminer take a quarter of a
    second to import, which every `studybot` command and the bot's start-up would otherwise pay."""
    if kind == "epub":
        from bot.texts.formats import epub

        return epub.read_epub(data, name, progress)
    if kind == "pdf":
        from bot.texts.formats import pdf

        return pdf.read_pdf(data, name, progress)
    if kind == "html":
        from bot.texts.formats import html

        return html.read_html(data, name, charset=charset, url=url)
    raise ValueError(f"unknown document kind {kind!r}")
