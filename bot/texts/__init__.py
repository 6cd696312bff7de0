"""Texts: a file becomes passages (decode, read its facts, heal, segment) and joins the library.

Public API: `ingest` files and web pages (telling an `IngestProgress` as it goes); find a text with
`resolve_text`, `resolve_texts`, `texts_matching`; list them with `list_texts`; read `passages` and
a `passage`. The modules: `files` (a text file to a source, through `disk` (safe, bounded reads),
`encoding` (bytes to text), `facts` (front matter and catalog.toml) and `names` (slugs, printable
names)), `formats` (EPUB, PDF and HTML to the same blocks), `fetch` (a web page, safely),
`sources` (which reader a file or address goes to), `heal` (raw text to headings and paragraphs),
`segment` (paragraphs to passages), `hands` (whose words a passage is: the author's, another
hand's, or apparatus), `library` (the verbs above).
"""

from bot.texts.hands import APPARATUS, AUTHOR, OTHER, Hand
from bot.texts.library import (
    IngestOutcome,
    first_reading_passage,
    ingest,
    list_texts,
    passage,
    passage_hand,
    passages,
    resolve_text,
    resolve_texts,
    texts_matching,
)
from bot.texts.progress import IngestProgress
from bot.texts.segment import Pace

__all__ = [
    "APPARATUS",
    "AUTHOR",
    "OTHER",
    "Hand",
    "IngestOutcome",
    "IngestProgress",
    "Pace",
    "first_reading_passage",
    "ingest",
    "list_texts",
    "passage",
    "passage_hand",
    "passages",
    "resolve_text",
    "resolve_texts",
    "texts_matching",
]
