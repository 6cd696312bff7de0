"""Markup to blocks: the XHTML of an EPUB chapter, or an HTML page, as headings and paragraphs.

Works on lxml.html trees (lxml's HTML parser reads XHTML too, named entities and all, and never
expands entities a document declares). Footnote references are taken out of the text, and the
notes they point to out of the reading; scripts, navigation and hidden parts are never read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lxml import etree
from lxml import html as lxml_html

from bot.models import Block, BlockKind
from bot.textutil import block_quoted, count_words

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "html", "li",
    "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
} | HEADINGS  # fmt: skip
NEVER_READ = {
    "script", "style", "noscript", "template", "svg", "math", "nav", "head", "iframe", "object",
    "embed", "form", "button", "select", "textarea", "input", "img", "video", "audio", "canvas", "map",
}  # fmt: skip
EMPHASIS = {"i", "em", "cite"}
NOTE_REF = {"noteref", "doc-noteref"}
NOTES = {
    "footnote", "footnotes", "endnote", "endnotes", "rearnote", "rearnotes", "note", "notes",
    "doc-footnote", "doc-endnote", "doc-endnotes",
}  # fmt: skip
HIDDEN = {"pagebreak", "doc-pagebreak", "pagelist", "doc-pagelist"}
"""Page-break markers often carry the printed page number as text."""
_PAGE_NUMBER_CLASS = re.compile(r"\bpage-?(?:num|no)|\bpg-?num", re.I)
"""The classes e-text producers give a printed page's number set in the running text (Project
Gutenberg's HTML: <span class="pagenum">p. 8</span>; also "pageno", "page-number", "pgnum")."""
_PAGE_NUMBER_TEXT = re.compile(r"^\s*[\[{(]?\s*(?:(?:pg|page|p)\.?\s*)?(?:\d{1,4}|[ivxlcdm]{1,8})\s*[\]})]?\s*$", re.I)
_NOTE_CLASSES = ("footnote", "endnote", "fnref", "fnanchor", "noteref", "note-ref")
_REF_TEXT = re.compile(r"^\s*[\[(]?(?:\d{1,4}|[a-z]|[ivxlc]{1,6}|[*†‡§¶#]{1,3})[\])]?\s*$", re.I)
_BRACKETED = re.compile(r"^\s*[\[(]\w{1,4}[\])]\s*$")
_FOOTNOTE_MARK = re.compile(r"\s?\[(?:\d{1,3}|\^\w+)\]")
_ORDINAL = re.compile(
    r"^(?:(?:chapter|chap\.|part|book|section|canto|letter|act|scene|lecture|article)\s+)?"
    r"(?:[ivxlcdm]{1,8}|\d{1,4}|[a-z]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|first|second|third|last)[.:]?$",
    re.I,
)
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff]")
MAX_DEPTH = 200
"""Deeper than this, a subtree is read as one paragraph: bounds the walk's recursion."""


def parse(text: str | bytes) -> lxml_html.HtmlElement:
    """An HTML or XHTML document as a tree. A leading XML declaration is dropped, since lxml
    refuses one on a decoded string."""
    if isinstance(text, str):
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    return lxml_html.document_fromstring(text)


def tag(el: etree._Element) -> str:
    """The element's local tag name in lower case; "" for comments and processing instructions."""
    if not isinstance(el.tag, str):
        return ""
    return el.tag.rsplit("}", 1)[-1].lower()


def semantics(el: etree._Element) -> set[str]:
    """The element's epub:type and ARIA role tokens, lower case."""
    found: set[str] = set()
    for key, value in el.attrib.items():
        if key == "role" or key == "epub:type" or key.endswith("}type"):
            found.update(value.lower().split())
    return found


def classes(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def drop_note_refs(root: etree._Element) -> set[str]:
    """Remove footnote references (superscript numbers linking to a note) from the text; return
    the hrefs they pointed to, so the notes themselves can be left out of the reading."""
    targets: set[str] = set()
    for a in list(root.iter("a", "{http://www.w3.org/1999/xhtml}a")):
        if not _is_note_ref(a):
            continue
        targets.add(a.get("href") or "")
        parent = a.getparent()
        wrapper = parent if parent is not None and tag(parent) == "sup" and _only_child(parent, a) else a
        wrapper.drop_tree()
    for sup in list(root.iter("sup")):  # numbers in <sup> without a link, in a note-ref class
        if _REF_TEXT.match(sup.text_content() or "") and any(c in classes(sup) for c in _NOTE_CLASSES):
            sup.drop_tree()
    return targets


def _is_note_ref(a: etree._Element) -> bool:
    if semantics(a) & NOTE_REF:
        return True
    href = a.get("href") or ""
    text = a.text_content() or ""
    if "#" not in href or not _REF_TEXT.match(text):
        return False
    parent = a.getparent()
    in_sup = parent is not None and tag(parent) == "sup" or any(tag(c) == "sup" for c in a)
    hinted = any(c in classes(a) or (parent is not None and c in classes(parent)) for c in _NOTE_CLASSES)
    return in_sup or hinted or bool(_BRACKETED.match(text))


def _only_child(parent: etree._Element, child: etree._Element) -> bool:
    return len(parent) == 1 and not (parent.text or "").strip() and not (child.tail or "").strip()


def drop_notes(root: etree._Element, note_ids: set[str]) -> int:
    """Remove the notes: elements marked as notes, and the ones whose id a note reference
    points to (with the paragraph or list item that holds them). Returns how many."""
    doomed: list[etree._Element] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if semantics(el) & NOTES or tag(el) in ("aside", "div", "section", "ol", "li") and _note_class(el):
            doomed.append(el)
        elif note_ids and el.get("id") in note_ids:
            doomed.append(_note_container(el))
    removed = 0
    for el in doomed:
        if el.getparent() is not None and _attached(el, root):
            el.drop_tree()
            removed += 1
    return removed


def _note_class(el: etree._Element) -> bool:
    tokens = set(re.split(r"[\s_-]+", classes(el)))
    return bool(tokens & {"footnote", "footnotes", "endnote", "endnotes"})


def _note_container(el: etree._Element) -> etree._Element:
    """The note an anchor stands in: itself if it is a block, else its paragraph or list item."""
    node: etree._Element | None = el
    while node is not None and tag(node) not in ("p", "li", "dd", "dt", "aside", "div", "body"):
        node = node.getparent()
    if node is None or tag(node) == "body":
        return el
    if tag(node) == "div" and len(node) > 3:  # a large division: only the paragraph
        inner = el
        while inner.getparent() is not None and inner.getparent() is not node:
            inner = inner.getparent()
        return inner
    return node


def _attached(el: etree._Element, root: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def drop_unread(root: etree._Element) -> None:
    """Remove what a reader never sees: scripts, styles, navigation, forms, hidden parts, page
    numbers, comments."""
    doomed = []
    for el in root.iter():
        name = tag(el)
        if not name:  # comments and processing instructions
            doomed.append(el)
        elif (
            name in NEVER_READ
            or el.get("hidden") is not None
            or (el.get("aria-hidden") or "").lower() == "true"
            or re.search(r"display\s*:\s*none", el.get("style") or "")
            or semantics(el) & HIDDEN
            or _is_page_number(el)
        ):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            if isinstance(el.tag, str):
                el.drop_tree()
            else:  # a comment: keep its tail
                _remove_keeping_tail(el)


def _is_page_number(el: etree._Element) -> bool:
    """A printed page's number inside the text ("p. 2and so to realise" when read as text):
    marked by its class, and nothing but a page number, so a real paragraph is never lost."""
    return bool(_PAGE_NUMBER_CLASS.search(classes(el))) and bool(_PAGE_NUMBER_TEXT.match("".join(el.itertext())))


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def blocks_of(root: etree._Element) -> list[Block]:
    """The headings and paragraphs of a (cleaned) tree, in document order."""
    body = root.find(".//body") if tag(root) != "body" else root
    out: list[Block] = []
    _walk(body if body is not None else root, out, 0)
    return out


def _walk(el: etree._Element, out: list[Block], depth: int) -> None:
    if tag(el) != "blockquote":
        _walk_block(el, out, depth)
        return
    start = len(out)  # another writer's words: each paragraph marked as a block quotation
    _walk_block(el, out, depth)
    out[start:] = [Block(b.kind, block_quoted(b.text)) if b.kind == "paragraph" else b for b in out[start:]]


def _walk_block(el: etree._Element, out: list[Block], depth: int) -> None:
    name = tag(el)
    if name in HEADINGS or name == "hgroup":
        _emit(out, "heading", heading_text(el))
        return
    if name == "tr":
        _emit(out, "paragraph", "; ".join(t for t in (inline_text(c) for c in el) if t))
        return
    if depth >= MAX_DEPTH or not any(tag(c) in BLOCK_TAGS for c in el):
        _emit(out, "paragraph", inline_text(el))
        return
    run = [literal(el.text)]
    for child in el:
        if tag(child) in BLOCK_TAGS:
            _emit(out, "paragraph", clean("".join(run)))
            run = []
            _walk(child, out, depth + 1)
        else:
            run.append(_inline(child, depth + 1))
        run.append(literal(child.tail))
    _emit(out, "paragraph", clean("".join(run)))


def _emit(out: list[Block], kind: BlockKind, text: str) -> None:
    if any(ch.isalnum() for ch in text):  # not a scene break ("* * *") or a rule
        out.append(Block(kind, text))


def inline_text(el: etree._Element) -> str:
    """An element's text as one line, with emphasis kept as *x*."""
    return clean(literal(el.text) + "".join(_inline(c, 0) + literal(c.tail) for c in el))


def _inline(el: etree._Element, depth: int) -> str:
    name = tag(el)
    if name == "br":
        return " "
    if depth >= MAX_DEPTH:
        return el.text_content()
    inner = literal(el.text) + "".join(_inline(c, depth + 1) + literal(c.tail) for c in el)
    if name in EMPHASIS:
        return emphasise(inner)
    if name in BLOCK_TAGS:  # a block inside an inline element, or a cell: keep words apart
        return f" {inner} "
    return inner


def literal(text: str | None) -> str:
    """Text as it stands: a literal asterisk would read as an emphasis mark later."""
    return (text or "").replace("*", "∗")


def emphasise(inner: str) -> str:
    """*inner*, as segmenting and search expect emphasis, with the spaces around it kept outside."""
    stripped = inner.strip()
    if not stripped or "*" in stripped:
        return inner
    return inner[: len(inner) - len(inner.lstrip())] + f"*{stripped}*" + inner[len(inner.rstrip()) :]


def heading_text(el: etree._Element) -> str:
    """A heading as one line. Parts set on lines of their own (an ordinal and a title, as in
    <h2><span>I</span><span>Bourgeois and Proletarians</span></h2>, or an hgroup) are joined
    as "I: Bourgeois and Proletarians"."""
    parts = _heading_parts(el)
    if len(parts) > 1 and _ORDINAL.match(parts[0]):
        return clean(parts[0].rstrip(".:") + ": " + " ".join(parts[1:])).replace("*", "")
    return clean(" ".join(parts)).replace("*", "")


def _heading_parts(el: etree._Element) -> list[str]:
    children = [c for c in el if tag(c)]
    loose_text = (el.text or "").strip() or any((c.tail or "").strip() for c in children)
    if tag(el) == "hgroup" or (len(children) > 1 and not loose_text and all(tag(c) != "br" for c in children)):
        return [t for t in (inline_text(c) for c in children) if t]
    if any(tag(c) == "br" for c in children):
        parts, current = [], [literal(el.text)]
        for c in children:
            if tag(c) == "br":
                parts.append(clean("".join(current)))
                current = []
            else:
                current.append(_inline(c, 0))
            current.append(literal(c.tail))
        parts.append(clean("".join(current)))
        return [p for p in parts if p]
    return [inline_text(el)]


def clean(text: str) -> str:
    """One line of text: composed Unicode, no invisible characters, no [3]-style note marks,
    single spaces."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _FOOTNOTE_MARK.sub("", text.replace("\u00a0", " "))
    return _SPACE.sub(" ", text).strip()


def words_in(blocks: Iterable[Block]) -> int:
    return sum(count_words(b.text) for b in blocks if b.kind == "paragraph")
