"""An HTML file or web page: the main text, without navigation, scripts, comments or adverts;
headings as sections; title, author and date from the page's meta tags.

trafilatura finds the main content (it scores blocks by text and link density, and knows the
usual names of menus, sidebars, comment sections and adverts) and reads the metadata (meta tags,
Open Graph, JSON-LD). Before it sees the page, footnote references and the notes they point to
are taken out, as for an EPUB.
"""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml import etree

from bot.errors import InputFileError
from bot.models import Block
from bot.texts.formats import Document, markup
from bot.textutil import block_quoted

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 16 * 1024 * 1024
"""A page larger than this is not an article; a whole book in one HTML file is about 3 MB."""
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
_EMPHASIS = {"#i", "#em"}


def read_html(data: bytes, name: str, charset: str | None = None, url: str | None = None) -> Document:
    """The main text of a page. `charset` is what the server said, if it said; `url` helps
    trafilatura resolve the page's own metadata."""
    if len(data) > MAX_HTML_BYTES:
        raise InputFileError(
            f"{name} is {len(data) // 2**20} MB of HTML, more than {MAX_HTML_BYTES // 2**20} MB; save the article's text on its own."
        )
    text = decode(data, charset)
    try:
        tree = markup.parse(text)
    except (etree.ParserError, ValueError) as error:
        raise InputFileError(f"{name} is not an HTML page that can be read ({error}); save the page again.") from error
    html_lang = (tree.get("lang") or "").split("-")[0].lower()
    body = tree.find(".//body")  # not the head: its meta tags are for trafilatura to read
    markup.drop_unread(body if body is not None else tree)  # scripts, <noscript>, forms, hidden parts
    note_ids = {href.split("#", 1)[1] for href in markup.drop_note_refs(tree) if "#" in href}
    markup.drop_notes(tree, note_ids)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=True,
        deduplicate=False,
    )
    if document is None or isinstance(document, dict) or document.body is None:  # a dict only if asked for one
        blocks = []
    else:
        blocks = _blocks(document.body)
        if body is not None and _is_book(body, blocks):
            blocks = _book_span(markup.blocks_of(body), blocks)
    if document is None or isinstance(document, dict) or not any(b.kind == "paragraph" for b in blocks):
        raise InputFileError(
            f"{name} has no readable text (only scripts, menus or too little prose; a page that needs "
            "JavaScript to show its text cannot be read); save the article's text as a file and ingest that."
        )
    facts: dict[str, object] = {}
    if document.title:
        facts["title"] = markup.clean(document.title)
    if document.author:
        facts["author"] = markup.clean(document.author).replace("; ", " and ")
    year = re.match(r"(\d{4})", document.date or "")
    if year:
        facts["year"] = int(year.group(1))
    language = (document.language or html_lang or "").split("-")[0].lower()
    if language:
        facts["language"] = language
    return Document(blocks=blocks, facts=facts)


def decode(data: bytes, charset: str | None = None) -> str:
    """The server's charset, a byte-order mark, the page's <meta charset>, UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    meta = _META_CHARSET.search(data[:4096])
    for encoding in (charset, meta.group(1).decode("ascii") if meta else None):
        if encoding:
            try:
                return data.decode(encoding, errors="replace")
            except LookupError:
                continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _blocks(body: etree._Element) -> list[Block]:
    """trafilatura's output (head, p, list/item, quote) as blocks."""
    out: list[Block] = []
    for el in body.iter():
        name = markup.tag(el)
        if name == "head":
            text = _text(el).replace("*", "")
            if text:
                out.append(Block("heading", text))
        elif name in ("p", "item", "quote", "code") and not _inside(el, ("p", "item", "quote", "code")):
            text = _text(el)
            if any(ch.isalnum() for ch in text):
                out.append(Block("paragraph", block_quoted(text) if name == "quote" else text))
    return out


BOOK_SHARE = 0.8
"""A page of which trafilatura kept this share of the paragraph text is the text itself, with no
site around it to strip."""


def _is_book(body: etree._Element, extracted: list[Block]) -> bool:
    """Whether a page is a book or long text in plain HTML (Project Gutenberg's, a thesis, a
    pamphlet) that trafilatura read without its headings: it falls back to reading loose
    paragraphs on such pages and drops every chapter title. Then the page is read as it stands,
    headings included. Linear in the page."""
    headings = sum(1 for el in body.iter() if markup.tag(el) in markup.HEADINGS)
    if headings < 2 or sum(b.kind == "heading" for b in extracted) * 2 >= headings:
        return False
    page_words = sum(len(markup.inline_text(el).split()) for el in body.iter() if markup.tag(el) == "p")
    kept_words = sum(len(b.text.split()) for b in extracted if b.kind == "paragraph")
    return page_words > 0 and kept_words >= BOOK_SHARE * page_words


def _book_span(own: list[Block], extracted: list[Block]) -> list[Block]:
    """The page read as it stands, from the headings just before the first paragraph trafilatura
    kept to the last one it kept: a sidebar, a list of related links or a footer before or after
    the text stays out, as trafilatura left it out. Linear in the blocks."""
    kept = [_key(b.text) for b in extracted if b.kind == "paragraph"]
    keys = [_key(b.text) for b in own]
    first = next((i for i, key in enumerate(keys) if key == kept[0]), None) if kept else None
    last = next((i for i in range(len(keys) - 1, -1, -1) if keys[i] == kept[-1]), None) if kept else None
    if first is None or last is None or last < first:
        return extracted
    while first > 0 and own[first - 1].kind != "paragraph":
        first -= 1
    return own[first : last + 1]


def _key(text: str) -> str:
    """A paragraph as both readers give it, whatever their spacing and emphasis marks."""
    return re.sub(r"\W+", "", text.casefold())[:80]


def _inside(el: etree._Element, names: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if markup.tag(parent) in names:
            return True
        parent = parent.getparent()
    return False


def _text(el: etree._Element) -> str:
    """Text with trafilatura's <hi rend="#i"> as *emphasis*, and <lb/> as a space."""
    parts = [markup.literal(el.text)]
    for child in el:
        name = markup.tag(child)
        inner = " " if name == "lb" else _text(child)
        if name == "hi" and child.get("rend", "") in _EMPHASIS:
            inner = markup.emphasise(inner)
        parts.append(inner)
        parts.append(markup.literal(child.tail))
    return markup.clean("".join(parts))
