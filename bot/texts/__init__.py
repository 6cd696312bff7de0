"""Texts: a file becomes passages (decode, read its facts, heal, segment) and joins the library.

Public API: `ingest` files and web pages (telling an `IngestProgress` as it goes); find a text with
`resolve_text`, `resolve_texts`, `texts_matching`; list them with `list_texts`; read `passages` and
a `passage`. The modules: `files` (a text file to a source, through `disk` (safe, bounded reads),
`encoding` (bytes to text), `facts` (front matter and catalog.toml) and `names` (slugs, printable
names)), `formats` (EPUB, PDF and HTML to the same blocks), `fetch` (a web page, safely),
`sources` (which reader a file or address goes to), `heal` (raw text to headings and paragraphs),
`segment` (paragraphs to passages), `library` (the verbs above).
"""

from bot.texts.library import (
    IngestOutcome,
    ingest,
    list_texts,
    passage,
    passages,
    resolve_text,
    resolve_texts,
    texts_matching,
)
from bot.texts.progress import IngestProgress
from bot.texts.segment import Pace

__all__ = [
    "IngestOutcome",
    "IngestProgress",
    "Pace",
    "ingest",
    "list_texts",
    "passage",
    "passages",
    "resolve_text",
    "resolve_texts",
    "texts_matching",
]
