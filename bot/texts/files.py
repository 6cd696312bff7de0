"""A text file becomes a source: its bytes read safely (disk), decoded (encoding), its facts
gathered (facts) and its text healed (heal).

This and `disk` are the only core modules that touch the file system for texts. Whatever is
wrong with a file becomes an `InputFileError` with one sentence saying what to do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputFileError
from bot.models import Block, TextMeta
from bot.texts.disk import MAX_FILE_BYTES, TEXT_SUFFIXES, read_regular_file, text_files
from bot.texts.distributor import book_text, header_facts
from bot.texts.encoding import decode
from bot.texts.facts import CATALOG_NAME, catalog_entry, meta_for, split_front_matter
from bot.texts.formats import KINDS, READABLE
from bot.texts.heal import TooManyBlocks, heal
from bot.texts.names import printable, slug_for

READ_SUFFIXES = TEXT_SUFFIXES + tuple(KINDS)  # EPUB, PDF and HTML are read by bot/texts/formats

__all__ = [
    "CATALOG_NAME",
    "MAX_FILE_BYTES",
    "READ_SUFFIXES",
    "RawFile",
    "SourceText",
    "read_raw",
    "read_text",
    "find_text_files",
    "source_key",
    "text_files",
]


@dataclass(frozen=True)
class RawFile:
    """A text file's bytes, read whole, and what identifies it."""

    path: Path
    data: bytes
    content_hash: str

    @property
    def name(self) -> str:
        """The file name, printable whatever bytes it holds."""
        return printable(self.path.name)


@dataclass(frozen=True)
class SourceText:
    """A text file read and healed, ready to segment."""

    slug: str
    """The slug its name suggests; the store may add "-2" to keep texts apart."""
    path: Path | str
    """The file, or the web address it was fetched from."""
    meta: TextMeta
    blocks: list[Block]
    content_hash: str


def find_text_files(path: Path) -> list[Path]:
    """The file as given, or the files a folder holds that studybot reads; a missing path is an error."""
    return text_files(path, READ_SUFFIXES)


def read_raw(path: Path) -> RawFile:
    """A text file's bytes (regular files only, bounded, not caught changing) and their hash."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputFileError(f"{printable(path.name)} cannot be read: {READABLE}; convert it to one of those.")
    data = read_regular_file(path, MAX_FILE_BYTES)
    if not data.strip():
        raise InputFileError(f"{printable(path.name)} is empty; put the text in it or remove it.")
    return RawFile(path, data, hashlib.sha256(data).hexdigest())


def read_text(path: Path) -> SourceText:
    """Read, decode and heal one file, with its metadata."""
    return prepare(read_raw(path))


def prepare(raw: RawFile) -> SourceText:
    """Decode and heal a file's bytes, with the facts from its front matter and catalog (over those
    of a distributor's header, whose licence and credits are no part of the text)."""
    path, name = raw.path, raw.name
    front, body = split_front_matter(decode(raw.data, name), name)
    catalog = catalog_entry(path.parent, path.name, read_regular_file)
    try:
        blocks = heal(book_text(body), markdown=path.suffix.lower() in (".md", ".markdown"))
    except TooManyBlocks as error:
        raise InputFileError(
            f"{name} has more than {error.args[0]:,} paragraphs and headings; split it into several files."
        ) from None
    if not any(b.kind == "paragraph" for b in blocks):
        raise InputFileError(f"{name} has no paragraphs of text; add some prose or remove the file.")
    meta = meta_for(printable(path.stem), name, {**header_facts(body), **catalog, **front}, blocks)
    return SourceText(
        slug=slug_for(path.stem),
        path=path,
        meta=meta,
        blocks=[_mark_title(b, meta.title) for b in blocks],
        content_hash=raw.content_hash,
    )


def source_key(path: Path) -> str:
    """What identifies a file across ingests: its real absolute path, printable (only the same path
    updates a text; another file of the same name is another text)."""
    return printable(path.resolve())


def _mark_title(block: Block, title: str) -> Block:
    """A heading that repeats the text's title (or its first part, before a subtitle) is the
    title, not a section."""
    if block.kind != "heading":
        return block
    heading, whole = " ".join(block.text.split()).casefold(), " ".join(title.split()).casefold()
    if heading == whole or whole.startswith(heading + " (") or whole.startswith(heading + ":"):
        return Block("title", block.text)
    return block
