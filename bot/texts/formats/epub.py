"""EPUB 2 and 3: the spine in reading order, chapter headings as sections, front and back matter
and notes left out, and the title, author, year and language from the package metadata.

An EPUB is a zip of XML, and both can attack a reader. The zip is read with caps on what it may
unpack (zip bombs); the package, container and NCX files with defusedxml (billion laughs,
external entities); chapters with lxml's HTML parser, after refusing any that declare entities.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import statistics
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from bot.errors import InputFileError
from bot.models import Block
from bot.texts.distributor import unwrap
from bot.texts.formats import Document, Progress, markup
from bot.textutil import count_words

log = logging.getLogger(__name__)

MAX_ENTRIES = 10_000
"""Files in the archive: a real book has tens to a few thousand."""
MAX_MEMBER_BYTES = 16 * 1024 * 1024
"""One chapter or package file, unpacked."""
MAX_TEXT_BYTES = 64 * 1024 * 1024
"""All the files read, unpacked together (images and fonts are never unpacked)."""
MAX_RATIO = 100
"""Unpacked size over packed size for a file larger than a megabyte: XHTML packs 3-6 times."""
MAX_SPINE = 5_000

OPF_NS = "http://www.idpf.org/2007/opf"
SKIP_TYPES = {
    "cover", "titlepage", "halftitlepage", "title-page", "copyright-page", "imprint", "imprimatur",
    "colophon", "toc", "landmarks", "loi", "lot", "lov", "index", "dedication", "acknowledgments",
    "acknowledgements", "other-credits", "contributors", "errata", "seriespage", "frontispiece",
    "footnotes", "endnotes", "rearnotes", "bibliography", "copyright", "license", "licence",
    "doc-toc", "doc-colophon", "doc-credits", "doc-dedication", "doc-acknowledgments", "doc-index",
    "doc-endnotes", "doc-bibliography", "doc-cover", "doc-errata", "doc-pagelist",
}  # fmt: skip
"""epub:type and role values of documents that are not the text: title pages, imprints,
colophons, tables of contents, licences, notes."""
SKIP_GUIDE = {
    "cover", "title-page", "copyright-page", "toc", "colophon", "dedication", "acknowledgements",
    "index", "loi", "lot", "notes", "bibliography",
}  # fmt: skip
"""EPUB 2 <guide> reference types of the same."""
SKIP_NAMES = {
    "cover", "title", "titlepage", "halftitle", "halftitlepage", "copyright", "imprint", "colophon",
    "toc", "contents", "nav", "license", "licence", "uncopyright", "dedication", "index", "endnotes",
    "footnotes", "notes", "acknowledgments", "acknowledgements", "about", "aboutthepublisher",
}  # fmt: skip
"""File names (letters only) of the same, for EPUBs that mark nothing."""
_IMPRINT = re.compile(
    r"copyright|©|all rights reserved|\bisbn\b|first published|published by|licen[cs]e|public domain|"
    r"creative commons|cover (?:design|image|art)|typeset",
    re.I,
)
_LICENCE = re.compile(r"licen[cs]e|copyright|creative commons|public domain|terms of use|warrant(?:y|ies)", re.I)
FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
BODY_WORDS = 300
"""A document with this many words is part of the text, unless it is marked otherwise."""


@dataclass
class _Part:
    """One spine document, read."""

    path: str
    blocks: list[Block]
    types: set[str] = field(default_factory=set)
    guide: str = ""
    links: int = 0
    link_ratio: float = 0.0
    skipped: str = ""

    @property
    def words(self) -> int:
        return markup.words_in(self.blocks)

    @property
    def longest(self) -> int:
        return max((count_words(b.text) for b in self.blocks if b.kind == "paragraph"), default=0)

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks)


def read_epub(data: bytes, name: str, progress: Progress | None = None) -> Document:
    archive = _Archive(data, name)
    opf_path = archive.rootfile()
    package = archive.xml(opf_path)
    base = posixpath.dirname(opf_path)
    manifest = {
        item.get("id", ""): (
            _resolve(base, item.get("href", "")),
            item.get("media-type", ""),
            item.get("properties", ""),
        )
        for item in _all(package, "item")
    }
    spine = _spine(package, manifest, name)
    archive.refuse_drm({path for path, _ in spine})
    guide = {
        _resolve(base, urldefrag(r.get("href", "")).url): r.get("type", "").lower() for r in _all(package, "reference")
    }
    labels = _toc_labels(archive, package, manifest)
    nav_paths = {path for path, _, props in manifest.values() if "nav" in props.split()}
    parts: list[_Part] = []
    note_ids: dict[str, set[str]] = defaultdict(set)
    for number, (path, linear) in enumerate(spine, start=1):
        if progress:
            progress(number - 1, len(spine))
        part = _read_part(archive, path, note_ids, labels.get(path, ""))
        part.guide = guide.get(path, "")
        if not linear:
            part.skipped = "not in the linear reading order"
        elif path in nav_paths:
            part.skipped = "the table of contents"
        parts.append(part)
    if progress:
        progress(len(spine), len(spine))
    facts = _facts(package)
    blocks = _text_blocks(parts, str(facts.get("title", "")))
    if not any(b.kind == "paragraph" for b in blocks):
        raise InputFileError(
            f"{name} has no chapters of text (only a cover, title pages or notes); check it opens in an e-reader."
        )
    return Document(blocks=blocks, facts=facts)


class _Archive:
    """The zip, read with bounds: entries, size per file, ratio, and total unpacked."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        self.read_total = 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
            raise InputFileError(
                f"{name} is not a valid EPUB (it is not a zip archive); export it again from the app that made it."
            ) from error
        if len(infos) > MAX_ENTRIES:
            raise InputFileError(
                f"{name} holds {len(infos)} files, more than any book needs ({MAX_ENTRIES}); it is not a usable EPUB."
            )
        self.names = {info.filename: info for info in infos}
        self.folded = {info.filename.lower(): info for info in infos}

    def has(self, path: str) -> bool:
        return path in self.names or path.lower() in self.folded

    def read(self, path: str) -> bytes:
        info = self.names.get(path) or self.folded.get(path.lower())
        if info is None:
            raise InputFileError(f"{self.name} is damaged: it lists {path} but does not contain it; export it again.")
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise self._bomb()
        try:
            with self.zip.open(info) as member:
                data = member.read(MAX_MEMBER_BYTES + 1)  # the header may lie: never unpack more
        except RuntimeError as error:  # zipfile's word for an encrypted member
            raise InputFileError(
                f"{self.name} is encrypted; studybot can only read EPUBs without a password or DRM."
            ) from error
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
            raise InputFileError(f"{self.name} is damaged ({path} cannot be unpacked); export it again.") from error
        self.read_total += len(data)
        if len(data) > MAX_MEMBER_BYTES or self.read_total > MAX_TEXT_BYTES:
            raise self._bomb()
        return data

    def _bomb(self) -> InputFileError:
        return InputFileError(
            f"{self.name} unpacks to far more than it holds (more than {MAX_TEXT_BYTES // 2**20} MB of text, "
            "or a file packed over 100 times): it looks like a zip bomb, so studybot will not read it."
        )

    def xml(self, path: str) -> Element:
        """A package-level XML file, parsed by defusedxml: no entities, no external references."""
        try:
            return safe_xml.fromstring(self.read(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as error:
            raise _entities(self.name) from error
        except ParseError as error:
            raise InputFileError(
                f"{self.name} is damaged: {posixpath.basename(path)} is not valid XML ({error}); export it again."
            ) from error

    def rootfile(self) -> str:
        if not self.has("META-INF/container.xml"):
            raise InputFileError(
                f"{self.name} is not a valid EPUB (it has no META-INF/container.xml); export it again from the app that made it."
            )
        for rootfile in _all(self.xml("META-INF/container.xml"), "rootfile"):
            path = unquote(rootfile.get("full-path", ""))
            if path and self.has(path):
                return path
        raise InputFileError(f"{self.name} is damaged: its container names no package file it holds; export it again.")

    def refuse_drm(self, spine_paths: set[str]) -> None:
        if not self.has("META-INF/encryption.xml"):
            return
        encryption = self.xml("META-INF/encryption.xml")
        for data in _all(encryption, "EncryptedData"):
            method = next(iter(_all(data, "EncryptionMethod")), None)
            if method is not None and method.get("Algorithm") in FONT_OBFUSCATION:
                continue  # fonts obfuscated as the spec allows: the text is plain
            for ref in _all(data, "CipherReference"):
                if unquote(ref.get("URI", "")) in spine_paths:
                    raise InputFileError(
                        f"{self.name} is protected by DRM, so its text cannot be read; use a DRM-free copy of the book."
                    )


def _entities(name: str) -> InputFileError:
    return InputFileError(
        f"{name} declares XML entities (a trick used to attack readers), so studybot will not read it; export it again."
    )


def _all(root: Element, local: str) -> list[Element]:
    """Elements by local name, whatever namespace prefix the producer chose."""
    return [el for el in root.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == local]


def _resolve(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(href))) if href else ""


def _spine(package: Element, manifest: dict[str, tuple[str, str, str]], name: str) -> list[tuple[str, bool]]:
    spine = []
    for ref in _all(package, "itemref"):
        item = manifest.get(ref.get("idref", ""))
        if item is None or "html" not in item[1]:  # images or SVG pages carry no text to read
            continue
        spine.append((item[0], ref.get("linear", "yes") != "no"))
    if not spine:
        raise InputFileError(f"{name} is damaged: its spine lists no chapters; export it again.")
    if len(spine) > MAX_SPINE:
        raise InputFileError(f"{name} has {len(spine)} chapters, more than {MAX_SPINE}; split it into several books.")
    return spine


def _read_part(archive: _Archive, path: str, note_ids: dict[str, set[str]], label: str) -> _Part:
    root = _xhtml(archive, path)
    body = root.find(".//body")
    if body is None:
        return _Part(path, [], skipped="no body")
    types = markup.semantics(body)
    for child in body:
        if markup.tag(child) in ("section", "div", "nav", "article", "aside", "header"):
            types |= markup.semantics(child)
    linked = sum(len(a.text_content() or "") for a in body.iter("a") if a.get("href"))
    total = len(body.text_content() or "")
    links = sum(1 for a in body.iter("a") if a.get("href"))
    markup.drop_unread(root)
    for href in markup.drop_note_refs(root):
        target, fragment = urldefrag(href)
        note_ids[_resolve(posixpath.dirname(path), target) if target else path].add(fragment)
    for el in list(root.iter()):
        if isinstance(el.tag, str) and "boilerplate" in markup.classes(el):  # a distributor's licence block
            el.drop_tree()
    markup.drop_notes(root, note_ids.get(path, set()))
    blocks = unwrap(markup.blocks_of(root))
    first_text = next((b for b in blocks if b.kind == "paragraph"), None)
    if label and first_text is not None and not any(b.kind == "heading" for b in blocks[: blocks.index(first_text)]):
        blocks.insert(0, Block("heading", label))  # a chapter without a heading: its name in the TOC
    return _Part(path, blocks, types=types, links=links, link_ratio=linked / total if total else 0.0)


def _xhtml(archive: _Archive, path: str):
    raw = archive.read(path)
    if b"<!ENTITY" in raw:
        raise _entities(archive.name)
    return markup.parse(_decode(raw))


def _decode(raw: bytes) -> str:
    """XHTML in an EPUB is UTF-8 or UTF-16; an old one may declare another encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    declared = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w.:-]+)[\"']", raw)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return raw.decode(encoding, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _toc_labels(archive: _Archive, package: Element, manifest: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Each document's first name in the table of contents (EPUB 3 nav, else EPUB 2 NCX)."""
    labels: dict[str, str] = {}
    nav = next((path for path, _, props in manifest.values() if "nav" in props.split()), None)
    if nav and archive.has(nav):
        root = _xhtml(archive, nav)
        navs = list(root.iter("nav"))
        toc = next((n for n in navs if markup.semantics(n) & {"toc", "doc-toc"}), navs[0] if navs else None)
        for a in toc.iter("a") if toc is not None else []:
            target = urldefrag(a.get("href") or "").url
            if target:
                labels.setdefault(_resolve(posixpath.dirname(nav), target), markup.inline_text(a).replace("*", ""))
        return labels
    spine = next(iter(_all(package, "spine")), None)
    ncx_item = manifest.get(spine.get("toc", "") if spine is not None else "")
    ncx = ncx_item[0] if ncx_item else next((p for p, media, _ in manifest.values() if "ncx" in media), None)
    if ncx and archive.has(ncx):
        for point in _all(archive.xml(ncx), "navPoint"):
            text = next((t.text for t in _all(point, "text") if t.text), "")
            content = next(iter(_all(point, "content")), None)
            target = urldefrag(content.get("src", "")).url if content is not None else ""
            if target and text:
                labels.setdefault(_resolve(posixpath.dirname(ncx), target), markup.clean(text))
    return labels


def _text_blocks(parts: list[_Part], title: str) -> list[Block]:
    """The documents that are the text, in spine order: marked or named front and back matter,
    tables of contents, licences and notes are left out; so are pages before the first and after
    the last document of the text that are short and untitled (a title page, a dedication) or
    that are an imprint."""
    for part in parts:
        if part.skipped:
            continue
        name = re.sub(r"[^a-z]", "", posixpath.splitext(posixpath.basename(part.path))[0].lower())
        licence_words = len(_LICENCE.findall(part.text))
        if part.types & SKIP_TYPES:
            part.skipped = "marked " + ", ".join(sorted(part.types & SKIP_TYPES))
        elif part.guide in SKIP_GUIDE:
            part.skipped = f"the guide's {part.guide}"
        elif name in SKIP_NAMES:
            part.skipped = f"named {name}"
        elif part.links >= 3 and part.link_ratio >= 0.5:
            part.skipped = "mostly links: a table of contents"
        elif not any(b.kind == "paragraph" for b in part.blocks):
            part.skipped = "no paragraphs"
        elif licence_words >= 5 and licence_words * 1000 >= 5 * part.words:
            part.skipped = "a licence"
    kept = [part.words for part in parts if not part.skipped]
    # A document of the text is a long one; in a book of short pieces (poems), an ordinary one.
    threshold = min(BODY_WORDS, statistics.median(kept)) if kept else BODY_WORDS
    body = [i for i, part in enumerate(parts) if not part.skipped and part.words >= threshold]
    first, last = (body[0], body[-1]) if body else (len(parts), -1)
    for i, part in enumerate(parts):
        if part.skipped or first <= i <= last:
            continue
        titled = any(b.kind == "heading" and not _names_the_book(b.text, title) for b in part.blocks)
        if part.words < 150 and part.longest < 30 and not titled:
            part.skipped = "a short page before or after the text (title page, dedication)"
        elif part.words < 600 and _IMPRINT.search(part.text):
            part.skipped = "an imprint or copyright page"
    for part in parts:
        if part.skipped:
            log.debug("left out %s: %s", part.path, part.skipped)
    return [block for part in parts if not part.skipped for block in part.blocks]


def _names_the_book(heading: str, title: str) -> bool:
    return bool(title) and heading.casefold().strip() in (title.casefold(), title.casefold().split(":")[0].strip())


def _facts(package: Element) -> dict[str, object]:
    """Title, author(s), year and language from the OPF metadata, as far as it states them."""
    refines: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for meta in _all(package, "meta"):
        target, prop = meta.get("refines", "").lstrip("#"), meta.get("property", "")
        if target and prop and meta.text:
            refines[target][prop].append(meta.text.strip())
    facts: dict[str, object] = {}
    titles = [t for t in _all(package, "title") if (t.text or "").strip()]
    main = next((t for t in titles if "main" in refines[t.get("id", "")]["title-type"]), titles[0] if titles else None)
    if main is not None:
        facts["title"] = markup.clean(main.text or "")
    creators = [c for c in _all(package, "creator") if (c.text or "").strip()]
    roles = {
        id(c): (c.get(f"{{{OPF_NS}}}role") or "").lower() or " ".join(refines[c.get("id", "")]["role"])
        for c in creators
    }
    authors = [c for c in creators if not roles[id(c)] or "aut" in roles[id(c)].split()] or creators
    if authors:
        facts["author"] = _names([markup.clean(c.text or "") for c in authors])
    dates = _all(package, "date")
    original = [d for d in dates if (d.get(f"{{{OPF_NS}}}event") or "").lower() == "original-publication"]
    for date in original + dates:
        year = re.search(r"\b(\d{4})\b", date.text or "")
        if year:
            facts["year"] = int(year.group(1))
            break
    language = next((lang.text or "" for lang in _all(package, "language") if (lang.text or "").strip()), "").strip()
    if language:
        facts["language"] = language.split("-")[0].lower()
    return facts


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
