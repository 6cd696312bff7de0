"""Where a text comes from: a .txt or .md file (bot/texts/files.py), an EPUB, PDF or HTML file,
or a web address. Each becomes a `SourceText` ready to segment, with the facts its file states
(catalog.toml beside the file wins over them), or fails with one sentence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bot.errors import InputFileError
from bot.models import Block, TextMeta
from bot.texts import fetch, formats
from bot.texts import files as corpus
from bot.texts.disk import read_regular_file
from bot.texts.distributor import header_facts, unwrap
from bot.texts.facts import catalog_entry, meta_for
from bot.texts.headings import without_contents_table
from bot.texts.names import printable, slug_for

Reading = Callable[[int, int, str], None]
"""Told (done, total, unit) as a book is read: (7, 21, "chapter")."""

Source = Path | str
"""A file or folder, or a web address."""

KIND_BY_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/epub+zip": "epub",
}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""An EPUB, PDF or HTML file on disk: read no more than this."""


def expand(sources: Sequence[Source]) -> list[Source]:
    """Folders become the files they hold that studybot reads; web addresses stay as they are."""
    out: list[Source] = []
    for source in sources:
        if isinstance(source, str) and fetch.is_url(source):
            out.append(source)
        else:
            out.extend(corpus.find_text_files(Path(source)))
    return out


def slug_of(source: Source) -> str:
    if isinstance(source, str):
        parts = urlsplit(source)
        last = PurePosixPath(unquote(parts.path)).name
        return slug_for(PurePosixPath(last).stem or PurePosixPath(parts.hostname or "page").stem)
    return slug_for(source.stem)


HEADER_BLOCKS = 40
"""A distributor's header is the first few blocks of a document; its facts are looked for there."""


def size_of(source: Source) -> int:
    """Bytes on disk, for progress; 0 for a web address (not known until fetched) or an unreadable file."""
    if isinstance(source, str):
        return 0
    try:
        return source.stat().st_size
    except OSError:
        return 0


def read_source(
    source: Source, progress: Reading | None = None, policy: fetch.FetchPolicy | None = None
) -> corpus.SourceText:
    """Read one file or page; `progress` hears of chapters or pages as they are read."""
    if isinstance(source, str):
        return read_url(source, progress, policy or fetch.FetchPolicy())
    kind = formats.kind_of(source.name)
    if kind is None:
        return corpus.read_text(source)
    data = _read_limited(source)
    document = formats.read_document(data, source.name, kind, _in_units(progress, kind))
    catalog = catalog_entry(source.parent, source.name, read_regular_file)
    return _source_text(slug_for(source.stem), source, Path(source.name), document, catalog, data)


def read_url(url: str, progress: Reading | None, policy: fetch.FetchPolicy) -> corpus.SourceText:
    fetched = fetch.fetch(url, policy)
    name = PurePosixPath(unquote(urlsplit(fetched.url).path)).name or urlsplit(fetched.url).hostname or "page"
    kind = KIND_BY_TYPE.get(fetched.content_type) or (
        formats.kind_of(name) if fetched.content_type in ("", "application/octet-stream") else None
    )
    if kind is None:
        raise InputFileError(
            f"{url} is {fetched.content_type or 'of no stated type'}, not a web page, PDF or EPUB; "
            f"download it and ingest the file ({formats.READABLE})."
        )
    document = formats.read_document(
        fetched.data, name, kind, _in_units(progress, kind), charset=fetched.charset, url=fetched.url
    )
    facts = {"source": fetched.url}
    return _source_text(slug_of(url), url, Path(name), document, facts, fetched.data)


def _in_units(progress: Reading | None, kind: str) -> formats.Progress | None:
    if progress is None:
        return None
    unit = formats.UNIT[kind]
    return lambda done, total: progress(done, total, unit)


def _read_limited(path: Path) -> bytes:
    """A regular file's bytes, no more than MAX_DOCUMENT_BYTES of them, read while it stood still."""
    data = read_regular_file(path, MAX_DOCUMENT_BYTES)
    if not data.strip():
        raise InputFileError(f"{printable(path.name)} is empty; put the text in it or remove it.")
    return data


def _source_text(
    slug: str, origin: Source, named: Path, document: formats.Document, overrides: dict, data: bytes
) -> corpus.SourceText:
    """The document without a distributor's wrapper, with its facts (the file's, then the
    distributor header's, then `overrides`), its title and byline marked."""
    header = header_facts("\n".join(b.text for b in document.blocks[:HEADER_BLOCKS]))
    if header:  # the file's date is then the distributor's posting date, not the work's
        document_facts = {key: value for key, value in document.facts.items() if key != "year"}
    else:
        document_facts = document.facts
    facts = {**document_facts, **header, **overrides}
    book = without_contents_table(unwrap(document.blocks))
    meta = meta_for(printable(named.stem), printable(named.name), facts, book)
    first = next((i for i, b in enumerate(book) if b.kind == "paragraph"), len(book))
    blocks = [corpus._mark_title(b, meta.title) for b in book]
    blocks = [_mark_byline(b, meta) if i < first else b for i, b in enumerate(blocks)]
    return corpus.SourceText(
        slug=slug, path=origin, meta=meta, blocks=blocks, content_hash=hashlib.sha256(data).hexdigest()
    )


def _mark_byline(block: Block, meta: TextMeta) -> Block:
    """A heading before the first paragraph that names the author is a byline, not a section."""
    text = " ".join(block.text.split()).casefold().removeprefix("by ")
    if block.kind == "heading" and meta.author != "Unknown" and text.startswith(meta.author.casefold()):
        return Block("title", block.text)
    return block
