"""The child process that runs pdfminer.six on one PDF, within limits: `python -m
bot.texts.formats.pdf_worker NAME` reads the PDF from stdin and writes one JSON object a line
to stdout: {"page": ..., "of": N} for each page laid out, then {"info": {...}} or {"error": "..."}.
"""

from __future__ import annotations

import io
import json
import re
import statistics
import sys
from collections.abc import Callable
from itertools import islice

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from bot.errors import InputFileError
from bot.texts.formats.pdf import MAX_MEMORY, MAX_PAGES, MAX_PDF_BYTES, MAX_SECONDS


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "the PDF"
    _limit_resources()
    send = _sender(sys.stdout)
    try:
        data = sys.stdin.buffer.read(MAX_PDF_BYTES + 1)
        info = extract(data, name, lambda page, of: send({"page": page, "of": of}))
        send({"info": info})
    except InputFileError as error:
        send({"error": str(error)})
    except MemoryError:
        send(
            {
                "error": f"{name} needs more than {MAX_MEMORY // 2**20} MB to read (it may hide a decompression bomb); studybot will not read it."
            }
        )
    except RecursionError:
        send({"error": f"{name} is damaged (its structure loops or nests too deeply); export it again as PDF."})
    except Exception as error:  # pdfminer raises many kinds of error on a damaged file
        send(
            {
                "error": f"{name} is damaged or not a PDF studybot can read ({type(error).__name__}); export it again as PDF."
            }
        )


def _limit_resources() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (int(MAX_SECONDS) + 5, int(MAX_SECONDS) + 10))
    except (ImportError, ValueError, OSError):  # not on this platform: the parent's deadline still holds
        pass


def _sender(stream) -> Callable[[dict], None]:
    def send(message: dict) -> None:
        stream.write(json.dumps(message, ensure_ascii=False) + "\n")
        stream.flush()

    return send


def extract(data: bytes, name: str, on_page: Callable[[dict, int], None]) -> dict[str, str]:
    """Lay out each page (its text boxes and their lines), passing each to `on_page`; return the
    document information (title, author)."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise InputFileError(f"{name} is locked with a password; save an unlocked copy and ingest that.") from None
    except PDFEncryptionError:
        raise InputFileError(
            f"{name} is encrypted in a way studybot cannot open; save an unencrypted copy and ingest that."
        ) from None
    if not document.is_extractable:
        raise InputFileError(
            f"{name} is encrypted and its owner forbids copying its text, so studybot will not read it."
        )
    count = _page_count(document)
    if count > MAX_PAGES:
        raise InputFileError(f"{name} has {count} pages; studybot reads PDFs of up to {MAX_PAGES} pages, so split it.")
    manager = PDFResourceManager(caching=True)
    # boxes_flow=None: pdfminer's own ordering of boxes is skipped (it can put a right column
    # first); the parent orders columns itself.
    device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(manager, device)
    for page in islice(PDFPage.create_pages(document), MAX_PAGES):
        interpreter.process_page(page)
        layout = device.get_result()
        boxes = [box for box in (_lines(item) for item in layout if isinstance(item, LTTextBox)) if box]
        on_page({"w": layout.width, "h": layout.height, "boxes": boxes}, count)
    return _info(document)


def _page_count(document: PDFDocument) -> int:
    try:
        count = resolve1(resolve1(document.catalog["Pages"]).get("Count"))
        if isinstance(count, int) and count >= 0:
            return count
    except Exception:  # a damaged page tree: count by walking it, as far as the limit
        pass
    return sum(1 for _ in islice(PDFPage.create_pages(document), MAX_PAGES + 1))


def _lines(box: LTTextBox) -> list[list]:
    """Each line as [text, x0, x1, y0, y1, size, bold]."""
    lines = []
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        text = " ".join(line.get_text().split())
        if not text:
            continue
        chars = [c for c in line if isinstance(c, LTChar)]
        size = statistics.median(c.size for c in chars) if chars else line.height
        bold = bool(chars) and sum(1 for c in chars if _is_bold(c.fontname)) * 2 > len(chars)
        lines.append([text, line.x0, line.x1, line.y0, line.y1, round(size, 1), bold])
    return lines


def _is_bold(font: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demi|,b$", font, re.I))


def _info(document: PDFDocument) -> dict[str, str]:
    facts: dict[str, str] = {}
    for info in document.info[:1]:
        for key in ("Title", "Author"):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                facts[key] = decode_text(value)
            elif isinstance(value, PSLiteral):
                facts[key] = str(value.name)
            elif isinstance(value, str):
                facts[key] = value
    return facts


if __name__ == "__main__":
    main()
