"""How fast each format is read: MB/s of input from bytes to healed blocks (the reader, healing
and metadata; not segmenting or storing, which are the same for every format).

    python bench/ingest_formats.py            # about a minute on 2 cores
    python bench/ingest_formats.py --scale 4  # larger generated books

Inputs: the bundled corpus as .txt; the same texts as an EPUB (one chapter per text), as a
two-column PDF (fpdf2, from the dev extra) and as one long HTML page; plus the real files the
tests use (the Standard Ebooks EPUB, the shared-mime-info PDF, the test web page).
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fpdf import FPDF  # noqa: E402

from bot.texts import sources  # noqa: E402
from tests.documents import FIXTURES, _wrap, article_html, manifesto_epub, zip_epub  # noqa: E402

CORPUS = sorted((ROOT / "corpus").glob("*.txt"))


def corpus_paragraphs(scale: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) for each corpus text, repeated `scale` times."""
    books = []
    for path in CORPUS:
        paragraphs = [p.strip().replace("\n", " ") for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        books.append((path.stem.replace("-", " ").title(), paragraphs))
    return books * scale


def make_epub(books: list[tuple[str, list[str]]]) -> bytes:
    files = {}
    items, refs = [], []
    for n, (title, paragraphs) in enumerate(books, start=1):
        body = f"<h1>{html.escape(title)}</h1>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        files[f"OEBPS/c{n}.xhtml"] = (
            f'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>{n}</title></head><body>{body}</body></html>"
        )
        items.append(f'<item id="c{n}" href="c{n}.xhtml" media-type="application/xhtml+xml"/>')
        refs.append(f'<itemref idref="c{n}"/>')
    files["OEBPS/content.opf"] = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Corpus</dc:title>'
        "<dc:creator>Many</dc:creator><dc:language>en</dc:language></metadata>"
        f"<manifest>{''.join(items)}</manifest><spine>{''.join(refs)}</spine></package>"
    )
    return zip_epub(files)


def make_pdf(books: list[tuple[str, list[str]]], max_pages: int) -> bytes:
    """Two columns of 8-point text, a running head and a page number on each page."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pages, column, y = 0, 1, 300.0
    for title, paragraphs in books:
        for paragraph in [title, *paragraphs]:
            pdf.set_font("Helvetica", size=8)
            text = paragraph.encode("latin-1", "replace").decode("latin-1")
            for line in _wrap(pdf, text, 81, indent=4):
                if y > 280:
                    if column == 1:
                        if pages == max_pages:
                            return bytes(pdf.output())
                        pdf.add_page()
                        pages += 1
                        pdf.set_font("Helvetica", size=7)
                        pdf.text(15, 10, "The Corpus, Collected")
                        pdf.text(105, 290, str(pages))
                        pdf.set_font("Helvetica", size=8)
                    column = 1 - column
                    y = 20.0
                pdf.text(15 + column * 95, y, line)
                y += 3.6
            y += 1.5
    return bytes(pdf.output())


def make_html(books: list[tuple[str, list[str]]]) -> bytes:
    body = "".join(
        f"<h2>{html.escape(title)}</h2>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        for title, paragraphs in books
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Corpus</title>'
        '<meta name="author" content="Many"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Corpus</h1>{body}</article><footer>Footer</footer></body></html>"
    ).encode()


def time_read(path: Path, runs: int) -> tuple[float, int, int, int]:
    """Median seconds to read `path`; the units (chapters, pages) it reported, its blocks and words."""
    seconds = []
    source = None
    units = [0]
    for _ in range(runs):
        started = time.perf_counter()
        source = sources.read_source(path, lambda done, total, unit: units.__setitem__(0, total))
        seconds.append(time.perf_counter() - started)
    assert source is not None
    words = sum(len(b.text.split()) for b in source.blocks)
    return statistics.median(seconds), units[0], len(source.blocks), words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1, help="Repeat the corpus this many times in generated books.")
    parser.add_argument("--pdf-pages", type=int, default=200, help="Pages of the generated PDF (default 200).")
    parser.add_argument("--runs", type=int, default=3, help="Timed runs per file; the median is printed.")
    args = parser.parse_args()
    books = corpus_paragraphs(args.scale)
    work = Path(tempfile.mkdtemp(prefix="studybot-formats-"))
    inputs: list[tuple[str, str, Callable[[], bytes]]] = [
        ("txt", "corpus.txt", lambda: "\n\n".join("\n\n".join([t, *ps]) for t, ps in books).encode("utf-8")),
        ("epub", "corpus.epub", lambda: make_epub(books)),
        ("epub", "manifesto-se.epub", manifesto_epub),
        ("pdf", "corpus.pdf", lambda: make_pdf(books, args.pdf_pages)),
        (
            "pdf",
            "shared-mime-info-spec.pdf",
            lambda: (FIXTURES / "shared-mime-info-spec" / "shared-mime-info-spec.pdf").read_bytes(),
        ),
        ("html", "corpus.html", lambda: make_html(books)),
        ("html", "article.html", article_html),
    ]
    print(f"{'format':<6} {'file':<26} {'MB':>6} {'seconds':>8} {'MB/s':>6} {'words/s':>8} {'units':>6} {'words':>7}")
    for kind, name, make in inputs:
        path = work / name
        path.write_bytes(make())
        size = path.stat().st_size / 1e6
        seconds, units, _blocks, words = time_read(path, args.runs)
        print(
            f"{kind:<6} {name:<26} {size:6.2f} {seconds:8.3f} {size / seconds:6.2f} {words / seconds:8.0f} "
            f"{units:6d} {words:7d}"
        )
    print(f"(median of {args.runs} runs; units: chapters of an EPUB, pages of a PDF; a PDF's time includes")
    print(" starting the pdfminer child process, about 0.2 s)")


if __name__ == "__main__":
    main()
