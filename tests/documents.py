"""Real documents for the format tests, written here: EPUBs (zip + OPF + NCX + XHTML), PDFs
(fpdf2: text at exact positions, so columns, running heads and hyphenation are known), and web
pages. Also the publisher's EPUB kept as source files in tests/fixtures."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from fpdf import FPDF

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>
<body>{body}</body></html>"""


def zip_epub(files: dict[str, str | bytes], opf_path: str = "OEBPS/content.opf", container: str | None = None) -> bytes:
    """An EPUB archive: the uncompressed mimetype first, the container, then `files`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml", container if container is not None else CONTAINER.format(opf=opf_path)
        )
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def manifesto_epub() -> bytes:
    """The Standard Ebooks EPUB of The Communist Manifesto, zipped from its source files."""
    root = FIXTURES / "se-communist-manifesto"
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "epub").rglob("*")) if p.is_file()}
    return zip_epub(files, opf_path="epub/content.opf")


PROSE = (
    "The councils met every evening in the hall of the old exchange, and the delegates argued late "
    "into the night about bread, rents and the defence of the city. "
)


def paragraphs(topic: str, count: int, words: int = 60) -> str:
    sentence = f"{topic} was debated again by the assembly, and the delegates voted on it. "
    return "".join(f"<p>{(sentence * (words // 14 + 1))[: words * 7].rsplit(' ', 1)[0]}.</p>" for _ in range(count))


def councils_epub(**replace: str) -> bytes:
    """An EPUB 2 book that marks nothing: a cover, a title page, a copyright page, a contents
    page, two chapters (the second without a heading), footnotes, endnotes in their own file,
    and a non-linear page. `replace` swaps any file's text."""
    chapter1 = XHTML.format(
        title="Chapter One",
        body=(
            "<h1>Chapter One<br/>The Councils</h1>"
            f"<p>{PROSE}The first council was elected in March.<sup><a href='#fn1' id='r1'>1</a></sup> "
            "It sat in the exchange.</p>"
            f"<p>{PROSE}Its decrees were printed and posted on every wall.<a href='notes.xhtml#en1'>[2]</a></p>"
            + paragraphs("The bread ration", 4)
            + "<div class='footnotes'><p id='fn1'><a href='#r1'>1</a> FOOTNOTE-TEXT about the March election.</p></div>"
        ),
    )
    chapter2 = XHTML.format(
        title="",
        body=f"<p>{PROSE}The parties came later, and they came divided.</p>" + paragraphs("The party question", 5),
    )
    files = {
        "OEBPS/content.opf": """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
  <dc:title>Councils and Parties</dc:title>
  <dc:creator opf:role="aut" opf:file-as="Lovelace, Ada">Ada Lovelace</dc:creator>
  <dc:creator opf:role="ill">Ivy Illustrator</dc:creator>
  <dc:date opf:event="publication">2020-05-01</dc:date>
  <dc:date opf:event="original-publication">1921</dc:date>
  <dc:language>en-US</dc:language>
  <dc:identifier id="id">urn:uuid:12345</dc:identifier>
 </metadata>
 <manifest>
  <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
  <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
  <item id="title" href="Text/title_page.xhtml" media-type="application/xhtml+xml"/>
  <item id="copy" href="Text/part0002.xhtml" media-type="application/xhtml+xml"/>
  <item id="contents" href="Text/part0003.xhtml" media-type="application/xhtml+xml"/>
  <item id="c1" href="Text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
  <item id="c2" href="Text/chapter2.xhtml" media-type="application/xhtml+xml"/>
  <item id="ad" href="Text/advert.xhtml" media-type="application/xhtml+xml"/>
  <item id="notes" href="Text/notes.xhtml" media-type="application/xhtml+xml"/>
  <item id="img" href="Images/cover.jpg" media-type="image/jpeg"/>
 </manifest>
 <spine toc="ncx">
  <itemref idref="cover"/><itemref idref="title"/><itemref idref="copy"/><itemref idref="contents"/>
  <itemref idref="c1"/><itemref idref="c2"/><itemref idref="ad" linear="no"/><itemref idref="notes"/>
 </spine>
 <guide><reference type="cover" title="Cover" href="cover.xhtml"/></guide>
</package>""",
        "OEBPS/toc.ncx": """<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>Councils and Parties</text></docTitle>
<navMap>
 <navPoint id="n1" playOrder="1"><navLabel><text>Chapter One: The Councils</text></navLabel><content src="Text/chapter%201.xhtml"/></navPoint>
 <navPoint id="n2" playOrder="2"><navLabel><text>Chapter Two: The Parties</text></navLabel><content src="Text/chapter2.xhtml#start"/></navPoint>
</navMap></ncx>""",
        "OEBPS/cover.xhtml": XHTML.format(title="Cover", body="<div><img src='Images/cover.jpg' alt='Cover'/></div>"),
        "OEBPS/Text/title_page.xhtml": XHTML.format(
            title="Title", body="<h1>Councils and Parties</h1><p>Ada Lovelace</p><p>Red Press, London</p>"
        ),
        "OEBPS/Text/part0002.xhtml": XHTML.format(
            title="",
            body="<p>Copyright © 2020 Red Press. All rights reserved.</p><p>ISBN 978-0-00-000000-0</p>"
            "<p>First published in 1921. Typeset in Garamond by the IMPRINT-PAGE people.</p>",
        ),
        "OEBPS/Text/part0003.xhtml": XHTML.format(
            title="Contents",
            body="<h2>Contents</h2><p><a href='chapter%201.xhtml'>Chapter One: The Councils</a></p>"
            "<p><a href='chapter2.xhtml'>Chapter Two: The Parties</a></p><p><a href='notes.xhtml'>Notes</a></p>",
        ),
        "OEBPS/Text/chapter 1.xhtml": chapter1,
        "OEBPS/Text/chapter2.xhtml": chapter2,
        "OEBPS/Text/advert.xhtml": XHTML.format(title="", body="<p>ADVERT-PAGE: more books from Red Press.</p>"),
        "OEBPS/Text/notes.xhtml": XHTML.format(
            title="Notes",
            body="<h2>Notes</h2><p id='en1'><a href='chapter%201.xhtml'>2.</a> ENDNOTE-TEXT on the printed decrees, "
            + "which were posted by night. " * 20
            + "</p>",
        ),
        "OEBPS/Images/cover.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
    }
    files.update({f"OEBPS/{name}": text for name, text in replace.items()})
    return zip_epub(files)


# -- PDFs ------------------------------------------------------------------------------------

LEFT, RIGHT, COLUMN, LINE = 15.0, 110.0, 85.0, 4.2
ARTICLE_PAGES = [
    [  # each page: its left column, then its right; "#" starts a heading, "|" forces a line break
        "# 1. Introduction",
        "The soviets of workers and soldiers appeared in Petrograd within days of the fall of the monarchy. "
        "They met in the Tauride Palace, in the same building as the Duma committee, and from the first they "
        "claimed the right to approve its orders.",
        "Historians have called this arrangement dual power. The phrase is Lenin's, and it names a situation "
        "that neither side could bear for long, since each claimed to speak for the revolu-|tionary people of "
        "the capital and of the front, and each had armed men to back its claim.",
        "&",
        "The COLUMN-TWO-MARKER paragraph begins the second column of the first page and continues the "
        "argument about the councils and their authority in the capital during the spring.",
        "# 2. The Parties",
        "The Mensheviks and the Socialist Revolutionaries led the soviets at first, and their leaders joined "
        "the government in May. The Bolsheviks grew in the factories and in the garrison, and by the summer "
        "they were the party of those who had lost patience with the coalition and its",
    ],
    [
        "promises. PAGE-TWO-CONTINUES the sentence that the first page left unfinished, as a paragraph "
        "running over a page break does.",
        "By September the Bolsheviks held majorities in the soviets of both capitals, and the question of "
        "power was posed again, this time by the councils themselves.",
        "The PAGE-TWO-LEFT-MARKER closes the left column of the second page with a sentence that ends here.",
        "&",
        "# 3. Conclusion",
        "The PAGE-TWO-RIGHT-MARKER paragraph concludes the article: the councils were the form, and the "
        "parties fought over what the form would hold.",
    ],
    [
        "# 4. Afterword",
        "The PAGE-THREE-MARKER paragraph is a short afterword on the sources, which are the minutes of the "
        "Petrograd soviet and the newspapers of the parties.",
    ],
]


def article_pdf() -> bytes:
    """A three-page, two-column article: a title and byline in large type, running heads in small
    type (the journal's on odd pages, the author's on even ones), page numbers, bold section
    headings, first-line indents, a word hyphenated at a line end, and a paragraph running over
    a page break."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title("Councils and Parties in 1917")
    pdf.set_author("Ada Lovelace")
    pdf.set_auto_page_break(False)
    for number, page in enumerate(ARTICLE_PAGES, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=7)
        pdf.text(
            LEFT, 10, "Journal of Council Studies 12 (2021)" if number % 2 else "Ada Lovelace: Councils and Parties"
        )
        pdf.text(105, 287, str(number))
        top = 25.0
        if number == 1:
            pdf.set_font("Helvetica", "B", 16)
            pdf.text(LEFT, 24, "Councils and Parties in 1917")
            pdf.set_font("Helvetica", size=11)
            pdf.text(LEFT, 31, "Ada Lovelace")
            top = 42.0
        x, y = LEFT, top
        for item in page:
            if item == "&":
                x, y = RIGHT, top
                continue
            if item.startswith("# "):
                pdf.set_font("Helvetica", "B", 9)
                pdf.text(x, y + 2, item[2:])
                y += LINE + 3
                continue
            pdf.set_font("Helvetica", size=8)
            continues = item[0].islower()
            for i, line in enumerate(_wrap(pdf, item, COLUMN - 4, indent=0 if continues else 4)):
                pdf.text(x + (4 if i == 0 and not continues else 0), y, line)
                y += LINE
            y += 1
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, width: float, indent: float) -> list[str]:
    lines: list[str] = []
    for segment in text.split("|"):
        current = ""
        for word in segment.split():
            candidate = f"{current} {word}".strip()
            room = width - (indent if not lines else 0)
            if current and pdf.get_string_width(candidate) > room:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def pages_pdf(count: int) -> bytes:
    pdf = FPDF(format=(105, 148))
    pdf.set_font("Helvetica", size=8)
    for n in range(count):
        pdf.add_page()
        pdf.text(10, 20, f"Page {n + 1} of a very long report.")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """Pages that are pictures: shapes where the text would be, and no text layer."""
    pdf = FPDF(format="A4")
    for _ in range(3):
        pdf.add_page()
        for row in range(40):
            pdf.rect(20, 20 + row * 6, 170, 3, style="F")
    return bytes(pdf.output())


def locked_pdf(**encryption) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for row in range(20):
        pdf.text(20, 20 + row * 8, "A confidential report on the councils and the parties of the capital.")
    pdf.set_encryption(**encryption)
    return bytes(pdf.output())


# -- web pages -------------------------------------------------------------------------------

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>On the Commune | The Quarterly Review</title>
<meta name="author" content="Jane Roe">
<meta property="og:title" content="On the Commune">
<meta property="article:published_time" content="2021-03-18T09:00:00Z">
<script>var ads = ["SCRIPT-TEXT"]; document.write("SCRIPT-TEXT");</script>
<style>.ad {{ color: red }}</style></head>
<body>
<nav><ul><li><a href="/">NAV-HOME</a></li><li><a href="/about">NAV-ABOUT</a></li><li><a href="/archive">NAV-ARCHIVE</a></li></ul></nav>
<div class="ad advert sponsored">ADVERT-TEXT: cheap watches, click here now!</div>
<article>
<h1>On the Commune</h1>
<p class="byline">By Jane Roe</p>
<h2>The first days</h2>
<p>The Commune of Paris lasted seventy-two days in the spring of 1871, and in that short time it tried to govern a great city by the votes of its working people. Its decrees were few but telling: the separation of church and state, the remission of rents, the abolition of night work in the bakeries.</p>
<p>Historians have argued ever since about what it was. Some saw a patriotic revolt against a capitulating government; others, the first workers' state. Marx wrote that it was <em>essentially a working-class government</em>, the political form at last discovered.<sup><a href="#fn1" id="ref1">1</a></sup></p>
<!-- COMMENT-TEXT must not appear -->
<h2>The bloody week</h2>
<p>In the last week of May the army of Versailles entered the city. Barricade by barricade the districts of the east fell, and the reprisals that followed killed thousands, many of them shot without trial against the walls of the cemetery of P&egrave;re Lachaise.</p>
<p>The memory of that week shaped the politics of the French left for two generations, and its lessons were read and re-read by every revolutionary movement that came after it, from Petrograd to Barcelona.</p>
{extra}
<section class="footnotes"><ol><li id="fn1">FOOTNOTE-TEXT: The Civil War in France, 1871. <a href="#ref1">back</a></li></ol></section>
<aside class="related"><h3>Related articles</h3><ul><li><a href="/a">RELATED-ONE about Paris</a></li><li><a href="/b">RELATED-TWO on barricades</a></li></ul></aside>
</article>
<div id="comments" class="comments"><h3>Comments</h3><p>COMMENT-SECTION-TEXT: Great article, thanks! Bob</p></div>
<footer><p>FOOTER-TEXT Copyright 2024 The Quarterly Review. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
<script src="/tracker.js"></script>
</body></html>"""


def article_html(extra: str = "") -> bytes:
    return ARTICLE.format(extra=extra).encode("utf-8")


SCRIPTS_ONLY = b"""<!DOCTYPE html><html><head><title>App</title>
<script>window.__STATE__ = {"articles": []}; function boot() { document.body.innerHTML = "loaded"; }</script>
<script src="/bundle.js"></script></head><body><div id="root"></div><noscript>You need JavaScript.</noscript>
<script>boot();</script></body></html>"""


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written byte by byte: object 1 is the catalog; offsets in the xref table are exact."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def flate_bomb_pdf(unpacked_mb: int = 1200) -> bytes:
    """One page whose content stream is a megabyte packed and `unpacked_mb` MB unpacked. Each
    megabyte is packed after a full flush, so its packed bytes are the same every time and the
    stream is built by repetition, with the checksum of the whole."""
    block = b" " * (1024 * 1024)
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(unpacked_mb):
        checksum = zlib.adler32(block, checksum)
    stream = first + again * (unpacked_mb - 1) + packer.flush()[:-4] + struct.pack(">I", checksum)
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    )
