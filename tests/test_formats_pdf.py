"""PDF: columns in reading order, running heads and page numbers out, hyphenation and page breaks
healed, sections from headings; scans, locks, damage, bombs and 2,000 pages refused."""

from __future__ import annotations

from collections import Counter

import pytest
from fpdf.enums import AccessPermission, EncryptionMethod

from bot import texts
from bot.errors import InputFileError
from bot.texts import sources
from bot.texts.formats import pdf
from bot.texts.formats.pdf import Box, Line, Page
from tests.documents import FIXTURES, article_pdf, flate_bomb_pdf, locked_pdf, pages_pdf, raw_pdf, scanned_pdf

SPEC = FIXTURES / "shared-mime-info-spec" / "shared-mime-info-spec.pdf"


def test_two_column_article_reads_in_order_without_running_heads(empty_store, tmp_path):
    path = tmp_path / "councils-1917.pdf"
    path.write_bytes(article_pdf())
    [outcome] = texts.ingest(empty_store, [path], texts.Pace(min_words=20, max_words=80))
    assert outcome.status == "added", outcome.message
    [text] = empty_store.texts()
    assert (text.meta.title, text.meta.author) == ("Councils and Parties in 1917", "Ada Lovelace")
    passages = empty_store.passages_of(text.id)
    assert list(dict.fromkeys(p.section for p in passages)) == [
        "1. Introduction",
        "2. The Parties",
        "3. Conclusion",
        "4. Afterword",
    ]
    body = "\n".join(p.body for p in passages)
    order = ["The soviets of workers", "COLUMN-TWO-MARKER", "PAGE-TWO-CONTINUES", "PAGE-TWO-LEFT-MARKER"]
    order += ["PAGE-TWO-RIGHT-MARKER", "PAGE-THREE-MARKER"]
    assert [body.index(marker) for marker in order] == sorted(body.index(marker) for marker in order)
    assert "the revolutionary people of the capital" in body  # hyphenated at a line end, made whole
    assert "the coalition and its promises. PAGE-TWO-CONTINUES" in body  # one paragraph across the page break
    for running in ("Journal of Council Studies", "Ada Lovelace: Councils", "Councils and Parties in 1917"):
        assert running not in body
    assert not any(line.strip().isdigit() for line in body.splitlines())


def test_a_real_pdf_article_keeps_its_sections_and_loses_its_running_heads():
    source = sources.read_source(SPEC)
    assert source.meta.title == "Shared MIME-info Database"
    headings = [b.text for b in source.blocks if b.kind == "heading"]
    for section in ("1. Introduction", "2. Unified system", "2.1. Directory layout", "2.4. The glob files"):
        assert section in headings
    # The running head repeats the title on every page but the first: only the title is left.
    assert Counter(b.text for b in source.blocks)["Shared MIME-info Database"] == 1
    assert [b.kind for b in source.blocks if b.text == "Shared MIME-info Database"] == ["title"]
    text = " ".join(b.text for b in source.blocks)
    assert "Many programs and desktops use the MIME system" in text
    assert "the correct MIME type for a file. This is generally done" in text  # a line wrap, healed


def test_progress_counts_the_pages():
    seen: list[tuple[int, int]] = []
    pdf.read_pdf(article_pdf(), "article.pdf", lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


BAD_PDFS = [
    ("scanned", scanned_pdf, "has no text layer"),
    ("locked", lambda: locked_pdf(owner_password="o", user_password="u"), "locked with a password"),
    (
        "no-copying",
        lambda: locked_pdf(
            owner_password="o", permissions=AccessPermission.none(), encryption_method=EncryptionMethod.RC4
        ),
        "forbids copying its text",
    ),
    ("damaged", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer garbage", "damaged"),
    ("not-a-pdf", lambda: b"<html>this is a web page saved with the wrong name</html>", "is not a PDF"),
    ("2000-pages", lambda: pages_pdf(2000), "has 2000 pages"),
    ("flate-bomb", flate_bomb_pdf, "needs more than 1024 MB"),
]


@pytest.mark.parametrize("name, make, message", BAD_PDFS, ids=[case[0] for case in BAD_PDFS])
def test_bad_pdf_is_refused_in_one_sentence_and_nothing_is_stored(empty_store, tmp_path, name, make, message):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(make())
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "failed"
    assert message in outcome.message
    assert "\n" not in outcome.message and outcome.message.endswith(".")
    assert empty_store.texts() == []


def test_a_pdf_that_opens_without_a_password_and_allows_copying_is_read():
    data = locked_pdf(owner_password="owner-only", encryption_method=EncryptionMethod.RC4)
    assert "confidential report" in pdf.read_pdf(data, "report.pdf").blocks[0].text


def test_a_pdf_that_never_answers_is_stopped_at_the_deadline(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.05)
    with pytest.raises(InputFileError, match="took more than"):
        pdf.read_pdf(article_pdf(), "slow.pdf")


def test_a_pdf_with_no_pages_has_no_text_layer():
    empty = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>")
    with pytest.raises(InputFileError, match="no text layer"):
        pdf.read_pdf(empty, "empty.pdf")


# -- the layout rules, on hand-made pages ------------------------------------------------------


def line(text: str, x0: float, y1: float, width: float = 200, size: float = 10, bold: bool = False) -> Line:
    return Line(text, x0, x0 + width, y1 - size, y1, size, bold)


def test_a_box_spanning_both_columns_splits_the_page_into_bands():
    title = Box((line("Title across the page", 50, 780, width=500, size=18),))
    left_top = Box((line("left one", 50, 700), line("left two", 50, 688)))
    right_top = Box((line("right one", 320, 700), line("right two", 320, 688)))
    middle = Box((line("A figure caption across both columns", 50, 600, width=500),))
    left_low = Box((line("left three", 50, 500),))
    right_low = Box((line("right three", 320, 500),))
    page = Page(612, 792, (right_low, middle, left_top, title, right_top, left_low))
    runs = list(pdf._columns(page, list(page.boxes)))
    assert [[ln.text for box in run for ln in box.lines] for run in runs] == [
        ["Title across the page"],
        ["left one", "left two"],
        ["right one", "right two"],
        ["A figure caption across both columns"],
        ["left three"],
        ["right three"],
    ]


def test_a_hyphen_at_a_line_end_joins_a_word_but_keeps_a_compound():
    counts = Counter({"self": 3, "governing": 2, "self-governing": 0, "revolu": 1, "tionary": 1})
    assert pdf._join([line("the self-", 0, 100), line("governing councils", 0, 88)], counts) == (
        "the self-governing councils"
    )
    assert pdf._join([line("the revolu-", 0, 100), line("tionary people", 0, 88)], counts) == (
        "the revolutionary people"
    )


def test_a_junk_title_in_the_metadata_gives_way_to_the_first_page():
    assert pdf._sane("Microsoft Word - draft3.docx") == ""
    assert pdf._sane("untitled") == ""
    assert pdf._sane("Councils and Parties") == "Councils and Parties"


def test_a_running_head_in_body_type_on_two_pages_goes_but_a_repeated_body_line_stays():
    def page(*lines: Line) -> Page:
        return Page(612, 792, tuple(Box((ln,)) for ln in lines))

    head = "Chapter 2: Dual Power"
    pages = [page(line(f"Body text of page {n}.", 50, 700)) for n in range(6)]
    pages[2] = page(line(head, 50, 760), line("3", 550, 760), line("Notes and queries", 50, 740, width=100))
    pages[3] = page(line(head, 50, 760), line("4", 550, 760), line("Notes and queries", 50, 740, width=100))
    running = pdf._running_lines(pages, body_size=10)
    assert {ln.text for _, ln in running} == {head, "3", "4"}
