"""Project Gutenberg's wrapper: a book brought as .txt or HTML is read without the distributor's
header, licence and credits, takes its title and author from the header, and an HTML book keeps
its chapter headings."""

from __future__ import annotations

from bot import texts
from bot.models import Block
from bot.texts.distributor import book_text, header_facts, unwrap

PACE = texts.Pace(min_words=20, max_words=120)
CHAPTER_ONE = (
    "The first chapter argues that every government rests on opinion, and that the many obey the few "
    "only because they believe they must. "
) * 3
CHAPTER_TWO = (
    "The second chapter turns to property and asks by what right a man fences the common land and calls it his. "
) * 3
LICENCE = (
    "Redistribution is subject to the trademark license, including paying royalties for use of the trademark. " * 4
)

GUTENBERG_TXT = f"""The Project Gutenberg EBook of On Opinion, by Jane Roe

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.

Title: On Opinion
       A Study of Obedience

Author: Jane Roe

Release Date: May, 2001 [EBook #9999]

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK ON OPINION ***

Produced by A. Volunteer and the Online Distributed Proofreading Team

CHAPTER I

{CHAPTER_ONE}

CHAPTER II

{CHAPTER_TWO}

End of the Project Gutenberg EBook of On Opinion, by Jane Roe

*** END OF THIS PROJECT GUTENBERG EBOOK ON OPINION ***

{LICENCE}
"""


def _paragraphs(text: str, count: int) -> str:
    """Enough paragraphs for trafilatura to read the page as loose paragraphs, which is where it
    loses the headings of a plain HTML book."""
    return "\n".join(f"<P>\nIn its {n}th paragraph: {text}\n</P>\n<BR>" for n in range(count))


GUTENBERG_HTML = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML><HEAD>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
<TITLE>The Project Gutenberg E-text of On Opinion, by Jane Roe</TITLE>
<STYLE TYPE="text/css">P {{text-indent: 4% }}</STYLE>
</HEAD><BODY>
<pre>
The Project Gutenberg EBook of On Opinion, by Jane Roe
Title: On Opinion
Author: Jane Roe
Posting Date: March 1, 2009 [EBook #9999]
*** START OF THIS PROJECT GUTENBERG EBOOK ON OPINION ***
Produced by Eva.  HTML version by Al Haines.
</pre>
<BR><BR>
<H1 ALIGN="center">ON OPINION</H1>
<A NAME="one"></A>
<H3 ALIGN="center">CHAPTER ONE: GOVERNMENT</H3>
<BR>
{_paragraphs(CHAPTER_ONE, 12)}
<A NAME="two"></A>
<H3 ALIGN="center">CHAPTER TWO: PROPERTY</H3>
<BR>
{_paragraphs(CHAPTER_TWO, 12)}
<pre>
*** END OF THIS PROJECT GUTENBERG EBOOK ON OPINION ***
{LICENCE}
</pre>
</BODY></HTML>
"""


def _ingested(store, path):
    [outcome] = texts.ingest(store, [path], PACE)
    assert outcome.status == "added", outcome.message
    [text] = store.texts()
    return text, store.passages_of(text.id)


def test_a_gutenberg_text_file_is_the_book_alone_with_the_header_title_and_author(empty_store, tmp_path):
    path = tmp_path / "pg9999.txt"
    path.write_text(GUTENBERG_TXT)
    text, passages = _ingested(empty_store, path)
    assert (text.meta.title, text.meta.author) == ("On Opinion", "Jane Roe")
    body = "\n".join(p.body for p in passages)
    assert passages[0].body.startswith("The first chapter argues")
    for wrapper in ("Project Gutenberg", "Produced by", "royalties", "Release Date"):
        assert wrapper not in body
    assert [p.section for p in passages][0] == "CHAPTER I"
    assert "CHAPTER II" in {p.section for p in passages}


def test_a_gutenberg_html_book_keeps_its_chapter_headings_and_loses_its_wrapper(empty_store, tmp_path):
    path = tmp_path / "pg9999-h.htm"
    path.write_bytes(GUTENBERG_HTML.encode("latin-1"))
    text, passages = _ingested(empty_store, path)
    assert (text.meta.title, text.meta.author, text.meta.year) == ("On Opinion", "Jane Roe", None)
    assert list(dict.fromkeys(p.section for p in passages)) == ["CHAPTER ONE: GOVERNMENT", "CHAPTER TWO: PROPERTY"]
    body = "\n".join(p.body for p in passages)
    for wrapper in ("Project Gutenberg", "Al Haines", "royalties", "Posting Date"):
        assert wrapper not in body


def test_front_matter_facts_win_over_the_distributor_header(empty_store, tmp_path):
    path = tmp_path / "pg9999.txt"
    path.write_text('---\ntitle: "Opinion and Obedience"\nauthor: "J. Roe"\nyear: 1850\n---\n' + GUTENBERG_TXT)
    text, _ = _ingested(empty_store, path)
    assert (text.meta.title, text.meta.author, text.meta.year) == ("Opinion and Obedience", "J. Roe", 1850)


def test_the_header_names_title_and_author_even_when_run_into_one_line():
    run_together = (
        "The Project Gutenberg EBook of Anarchy, by A. Writer This eBook is for the use of anyone "
        "Title: Anarchy and Order Author: A. Writer Posting Date: March 1, 2009 Language: English "
        "∗∗∗ START OF THIS PROJECT GUTENBERG EBOOK ANARCHY ∗∗∗ Produced by Eva."
    )
    assert header_facts(run_together) == {"title": "Anarchy and Order", "author": "A. Writer", "language": "en"}


def test_a_header_without_fields_still_names_the_book_from_its_first_line():
    header = "The Project Gutenberg EBook of The Rights of Man, by Thomas Paine\n\n*** START OF THIS PROJECT GUTENBERG EBOOK ***"
    assert header_facts(header) == {"title": "The Rights of Man", "author": "Thomas Paine"}


def test_a_text_that_only_mentions_the_distributor_is_left_whole():
    blocks = [
        Block("paragraph", "We owe this text to Project Gutenberg and its volunteers."),
        Block("paragraph", "Text."),
    ]
    assert unwrap(blocks) == blocks
    assert header_facts("We owe this text to Project Gutenberg.") == {}


def test_marks_with_nothing_to_read_between_them_leave_the_text_as_it_is():
    blocks = [
        Block("paragraph", "*** START OF THIS PROJECT GUTENBERG EBOOK X ***"),
        Block("paragraph", "*** END OF THIS PROJECT GUTENBERG EBOOK X ***"),
        Block("paragraph", "A paragraph after the end."),
    ]
    assert unwrap(blocks) == blocks


def test_prose_that_mentions_the_project_cuts_nothing(empty_store, tmp_path):
    paragraphs = [f"Paragraph {n} of the history tells what the volunteers did that year, and why." for n in range(40)]
    paragraphs[20] = "At the start of the Project Gutenberg venture, few believed books could be typed in by hand."
    paragraphs[30] = "By the end of the Project Gutenberg's first decade, thousands had been, one page at a time."
    path = tmp_path / "history.txt"
    path.write_text("\n\n".join(paragraphs) + "\n")
    _, passages = _ingested(empty_store, path)
    body = "\n".join(p.body for p in passages)
    assert "Paragraph 0 of" in body and "Paragraph 39 of" in body
    assert unwrap([Block("paragraph", p) for p in paragraphs]) == [Block("paragraph", p) for p in paragraphs]


def test_an_end_mark_with_more_than_a_licence_after_it_is_not_the_end():
    book = "\n\n".join(f"Volume one, paragraph {n}, goes on about the argument at hand." for n in range(5))
    more = "\n\n".join(f"Volume two, paragraph {n}, takes the argument further still. " * 20 for n in range(60))
    text = (
        "Title: Two Volumes\n\n*** START OF THE PROJECT GUTENBERG EBOOK TWO ***\n\n"
        f"{book}\n\n*** END OF THE PROJECT GUTENBERG EBOOK TWO ***\n\n{more}\n"
    )
    kept = book_text(text)
    assert "Volume one, paragraph 0" in kept and "Volume two, paragraph 59" in kept


def test_an_article_page_read_as_a_book_keeps_its_sidebar_and_footer_out(tmp_path):
    from bot.texts.formats.html import read_html

    paragraphs = "".join(
        f"<p>In its {n}th paragraph the article argues at some length about the state and the law. It goes on.</p>"
        for n in range(12)
    )
    related = "".join(f"<h3><a href='/story/{n}'>Related story number {n}</a></h3>" for n in range(15))
    page = (
        f"<html><body><h1>The Article</h1><h2>First part</h2>{paragraphs}<h2>Second part</h2>{paragraphs}"
        f"<div class='related'>{related}</div><div class='footer'><p>Copyright 2024. Subscribe to our newsletter.</p>"
        "</div></body></html>"
    )
    blocks = read_html(page.encode(), "article.html").blocks
    assert [b.text for b in blocks if b.kind == "heading"] == ["The Article", "First part", "Second part"]
    assert not any("Subscribe" in b.text or "Related story" in b.text for b in blocks)


def test_printed_page_numbers_set_in_an_html_book_are_not_read_into_its_words(empty_store, tmp_path):
    page = (
        GUTENBERG_HTML.replace(
            "Produced by Eva.  HTML version by Al Haines.\n</pre>",
            "</pre>\n<p>Transcribed from the 1909 A. L. Humphreys edition by Eva, email eva@example.org</p>",
        )
        .replace('<H3 ALIGN="center">CHAPTER ONE', '<H3 ALIGN="center"><span class="pagenum">p. 1</span>CHAPTER ONE')
        .replace("argues that every", 'argues <span class="pagenum">[Pg 2]</span>that every', 1)
    )
    path = tmp_path / "pg9999-h.htm"
    path.write_bytes(page.encode("latin-1"))
    _, passages = _ingested(empty_store, path)
    assert passages[0].section == "CHAPTER ONE: GOVERNMENT"
    body = "\n".join(p.body for p in passages)
    assert "chapter argues that every government" in body
    for furniture in ("p. 1", "Pg 2", "Transcribed", "Humphreys"):
        assert furniture not in body


def test_a_span_classed_as_a_page_number_that_holds_words_is_kept(empty_store, tmp_path):
    page = GUTENBERG_HTML.replace("argues that every", 'argues <span class="pagenum">that every</span>', 1)
    path = tmp_path / "pg9999-h.htm"
    path.write_bytes(page.encode("latin-1"))
    _, passages = _ingested(empty_store, path)
    assert "chapter argues that every government" in "\n".join(p.body for p in passages)


def test_a_table_of_contents_set_as_rows_is_left_out_and_the_first_chapter_opens_the_text(empty_store, tmp_path):
    rows = "".join(
        f'<TR><TD ALIGN="right">{mark}:&nbsp;</TD><TD><A HREF="#{anchor}">{title}</A></TD></TR>\n'
        for mark, anchor, title in (("I", "one", "Government"), ("II", "two", "Property"), ("III", "two", "Rent"))
    )
    page = GUTENBERG_HTML.replace(
        '<H1 ALIGN="center">ON OPINION</H1>',
        f'<H1 ALIGN="center">ON OPINION</H1>\n<H2 ALIGN="center">CONTENTS</H2>\n<TABLE>\n{rows}</TABLE>',
    )
    path = tmp_path / "pg9999-h.htm"
    path.write_bytes(page.encode("latin-1"))
    _, passages = _ingested(empty_store, path)
    assert passages[0].section == "CHAPTER ONE: GOVERNMENT"
    assert passages[0].body.startswith("In its 0th paragraph")
    body = "\n".join(p.body for p in passages)
    assert "CONTENTS" not in body and "I:" not in body
