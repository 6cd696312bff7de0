"""EPUB: the spine in reading order, chapters as sections, front and back matter and notes left
out, facts from the package; and every kind of bad EPUB refused with one sentence."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from bot import search, texts
from bot.errors import InputFileError
from bot.texts.formats import epub
from tests.documents import XHTML, councils_epub, manifesto_epub, zip_epub


def test_publisher_epub_becomes_a_text_with_its_title_authors_and_chapters(empty_store, tmp_path):
    path = tmp_path / "communist-manifesto.epub"
    path.write_bytes(manifesto_epub())
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "added", outcome.message
    [text] = empty_store.texts()
    assert (text.meta.title, text.meta.author, text.meta.language) == (
        "The Communist Manifesto",
        "Karl Marx and Friedrich Engels",
        "en",
    )
    passages = empty_store.passages_of(text.id)
    assert list(dict.fromkeys(p.section for p in passages)) == [
        "Preface",
        "Introduction",  # the chapter has no heading: its name in the table of contents
        "I: Bourgeois and Proletarians",
        "IV: Position of the Communists in Relation to the Various Existing Opposition Parties",
    ]
    body = "\n".join(p.body for p in passages)
    assert body.startswith("The *Manifesto* was published as the platform")
    assert passages[-1].body.endswith("Workingmen of all countries unite!")
    # Title page, imprint, half title, endnotes, colophon and uncopyright are not the text.
    for matter in ("Standard Ebooks", "Uncopyright", "Colophon", "Guildmaster, that is a full member", "CC0"):
        assert matter not in body
    # Footnote references are out of the text, and so out of the index.
    assert "hitherto existing society is the history of class struggles" in body
    assert "the Lassalleans in Germany" in body
    assert search.search(empty_store, '"society is the history of class struggles"').hits


def test_unmarked_epub2_leaves_out_cover_title_copyright_contents_notes_and_adverts():
    document = epub.read_epub(councils_epub(), "councils.epub")
    assert document.facts == {"title": "Councils and Parties", "author": "Ada Lovelace", "year": 1921, "language": "en"}
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == ["Chapter One: The Councils", "Chapter Two: The Parties"]
    text = " ".join(b.text for b in document.blocks)
    for absent in ("Red Press", "ISBN", "IMPRINT-PAGE", "ADVERT-PAGE", "ENDNOTE-TEXT", "FOOTNOTE-TEXT", "Contents"):
        assert absent not in text
    assert "elected in March. It sat in the exchange." in text  # the note reference is gone, the sentence whole
    assert "posted on every wall." in text and "[2]" not in text


def test_chapters_are_read_in_spine_order():
    reordered = _opf_with_spine('<itemref idref="c2"/><itemref idref="c1"/>')
    document = epub.read_epub(councils_epub(**{"content.opf": reordered}), "councils.epub")
    assert [b.text for b in document.blocks if b.kind == "heading"] == [
        "Chapter Two: The Parties",
        "Chapter One: The Councils",
    ]


def test_progress_counts_the_chapters():
    seen: list[tuple[int, int]] = []
    epub.read_epub(councils_epub(), "councils.epub", lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)


def _members(data: bytes, drop: tuple[str, ...] = ()) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    skip = ("mimetype", "META-INF/container.xml", *drop)
    return {name: archive.read(name) for name in archive.namelist() if name not in skip}


def _opf_with_spine(itemrefs: str) -> str:
    opf = _members(councils_epub())["OEBPS/content.opf"].decode()
    return re.sub(r'<spine toc="ncx">.*?</spine>', f'<spine toc="ncx">{itemrefs}</spine>', opf, flags=re.S)


def _billion_laughs(root: str) -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]><{root}>&lol9;</{root}>'


EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE container [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf">&secret;</rootfile></rootfiles></container>'
)
DRM = (
    '<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
    'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
    '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
    '<enc:CipherData><enc:CipherReference URI="OEBPS/Text/chapter2.xhtml"/></enc:CipherData>'
    "</enc:EncryptedData></encryption>"
)


def _bad_epubs():
    without_container = io.BytesIO()
    with zipfile.ZipFile(without_container, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("chapter.xhtml", XHTML.format(title="", body="<p>Text.</p>"))
    return [
        ("not-a-zip", b"PK\x03\x04 this is not really a zip archive", "not a valid EPUB"),
        ("no-container", without_container.getvalue(), "no META-INF/container.xml"),
        ("billion-laughs", councils_epub(**{"content.opf": _billion_laughs("package")}), "declares XML entities"),
        ("external-entity", zip_epub(_members(councils_epub()), container=EXTERNAL_ENTITY), "declares XML entities"),
        (
            "entity-in-chapter",
            councils_epub(**{"Text/chapter2.xhtml": _billion_laughs("html")}),
            "declares XML entities",
        ),
        ("zip-bomb", councils_epub(**{"Text/chapter2.xhtml": b" " * (20 * 1024 * 1024)}), "zip bomb"),
        ("missing-chapter", zip_epub(_members(councils_epub(), ("OEBPS/Text/chapter2.xhtml",))), "does not contain it"),
        ("broken-opf", councils_epub(**{"content.opf": "<package><metadata>"}), "not valid XML"),
        ("empty-spine", councils_epub(**{"content.opf": _opf_with_spine("")}), "spine lists no chapters"),
        ("drm", zip_epub({**_members(councils_epub()), "META-INF/encryption.xml": DRM}), "protected by DRM"),
        (
            "only-front-matter",
            councils_epub(**{"content.opf": _opf_with_spine('<itemref idref="cover"/><itemref idref="title"/>')}),
            "no chapters of text",
        ),
    ]


@pytest.mark.parametrize("name, data, message", _bad_epubs(), ids=[case[0] for case in _bad_epubs()])
def test_bad_epub_is_refused_in_one_sentence_and_nothing_is_stored(empty_store, tmp_path, name, data, message):
    path = tmp_path / f"{name}.epub"
    path.write_bytes(data)
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "failed"
    assert message in outcome.message
    assert "\n" not in outcome.message and outcome.message.endswith(".")
    assert empty_store.texts() == []


def test_a_chapter_larger_than_the_cap_is_never_unpacked_whole(monkeypatch):
    monkeypatch.setattr(epub, "MAX_MEMBER_BYTES", 1024 * 1024)
    huge = councils_epub(**{"Text/chapter2.xhtml": XHTML.format(title="", body="<p>word </p>" * 200_000)})
    with pytest.raises(InputFileError, match="zip bomb"):
        epub.read_epub(huge, "huge.epub")


def test_a_book_of_short_poems_keeps_every_poem_and_loses_its_title_page():
    poems = {
        f"Text/poem{n}.xhtml": XHTML.format(
            title="", body=f"<h2>Poem {word}</h2>" + "<p>A short line of verse here,</p>" * 6
        )
        for n, word in enumerate(["One", "Two", "Three", "Four"], start=1)
    }
    title = XHTML.format(title="", body="<h1>Councils and Parties</h1><p>Ada Lovelace</p>")
    items = "".join(
        f'<item id="p{n}" href="Text/poem{n}.xhtml" media-type="application/xhtml+xml"/>' for n in range(1, 5)
    )
    refs = "".join(f'<itemref idref="p{n}"/>' for n in range(1, 5))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Councils and Parties</dc:title></metadata>'
        f'<manifest><item id="t" href="Text/front.xhtml" media-type="application/xhtml+xml"/>{items}</manifest>'
        f'<spine><itemref idref="t"/>{refs}</spine></package>'
    )
    files = {f"OEBPS/{k}": v for k, v in {**poems, "Text/front.xhtml": title, "content.opf": opf}.items()}
    document = epub.read_epub(zip_epub(files), "poems.epub")
    assert [b.text for b in document.blocks if b.kind == "heading"] == [
        "Poem One",
        "Poem Two",
        "Poem Three",
        "Poem Four",
    ]
    assert "Ada Lovelace" not in " ".join(b.text for b in document.blocks)
