"""Texts: a file becomes passages (decode, read its facts, heal, segment) and joins the library.

Public API: `ingest` files; find a text with `resolve_text`, `resolve_texts`, `texts_matching`;
list them with `list_texts`; read `passages` and a `passage`. The modules: `files` (a file to a
source, through `disk` (safe, bounded reads), `encoding` (bytes to text), `facts` (front matter
and catalog.toml) and `names` (slugs, printable names)), `heal` (raw text to headings and
paragraphs), `segment` (paragraphs to passages), `library` (the verbs above).
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
from bot.texts.segment import Pace

__all__ = [
    "IngestOutcome",
    "Pace",
    "ingest",
    "list_texts",
    "passage",
    "passages",
    "resolve_text",
    "resolve_texts",
    "texts_matching",
]
