"""Specifications for block quotations: another writer's words set apart (an indented block in a
plain-text e-text, a <blockquote> in HTML) are stored marked with "> " and are never asked about as
the author's own claims. Every text here is written for the test."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot import texts
from bot.questions.analysis.tokens import read_passage
from bot.questions.generate import generate_questions
from bot.store import Store
from bot.texts.heal import heal
from bot.texts.segment import Pace

QUOTE = (
    "If your seas wash only inaccessible rocks, let the people be barbarous and eat fish; "
    "they will live more quietly, perhaps better, and certainly more happily."
)
QUOTE_WORDS = ("inaccessible rocks", "be barbarous", "eat fish", "more happily")

AUTHOR = (
    "The legislator must respect the industry of the people, for no lawgiver made it and none can "
    "remake it at will. Liberty is the condition of every improvement in the arts of life. "
    "Whoever takes from the farmer the fruit of his field takes away the reason he has to sow it."
)


def plain_text(quote_lead_in: str) -> str:
    """A plain-text e-text, hard-wrapped, with the quotation indented five spaces."""
    return (
        "THE LEGISLATOR\n\nby Ann Wetherby\n\n\n"
        f"{AUTHOR[:93]}\n{AUTHOR[93:]}\n\n"
        f"{quote_lead_in}\n\n"
        f"     {QUOTE[:60]}\n     {QUOTE[60:]}\n\n"
        "Such is the legislator of the philosophers: a mechanic who invents\n"
        "the machine of society, while the people are only its clay. Property\n"
        "is prior to law; the law exists because property exists, and not the\n"
        "other way round. A government that forgets this makes itself the master\n"
        "of the very people it was set up to serve.\n"
    )


def stored(tmp_path: Path, name: str, content: str):
    store = Store(tmp_path / "library.db")
    path = tmp_path / name
    path.write_text(content)
    assert texts.ingest(store, [path], pace=Pace(20, 2000))[0].status == "added"
    [text] = texts.list_texts(store)
    return store, texts.passage(store, text, 1)


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def test_an_indented_quotation_in_plain_text_is_stored_as_a_marked_paragraph_of_its_own(tmp_path: Path):
    store, passage = stored(tmp_path, "legislator.txt", plain_text("Rousseau, whom I quote to answer, says this:"))
    store.close()
    [quote] = [p for p in paragraphs(passage.body) if "inaccessible rocks" in p]
    assert quote == "> " + QUOTE
    assert sum(p.startswith("> ") for p in paragraphs(passage.body)) == 1


def test_a_blockquote_in_html_is_stored_as_a_marked_paragraph(tmp_path: Path):
    html = (
        "<html><head><title>The Legislator</title></head><body><article><h1>The Legislator</h1>"
        f"<p>{AUTHOR}</p><p>Rousseau, whom I quote to answer, says this:</p>"
        f"<blockquote><p>{QUOTE}</p></blockquote>"
        "<p>Such is the legislator of the philosophers: a mechanic who invents the machine of society, "
        "while the people are only its clay to be shaped as he pleases.</p></article></body></html>"
    )
    store, passage = stored(tmp_path, "legislator.html", html)
    store.close()
    assert "> " + QUOTE in paragraphs(passage.body)
    assert [p for p in paragraphs(passage.body) if p.startswith("> ")] == ["> " + QUOTE]


def test_a_text_whose_every_paragraph_is_indented_has_no_block_quotations():
    raw = "\n\n".join(
        f"    Paragraph {i} of a text set indented throughout,\n    wrapped over two lines." for i in range(6)
    )
    blocks = heal(raw)
    assert len(blocks) == 6
    assert not any(b.text.startswith(">") for b in blocks)


def test_a_first_line_indent_is_no_block_quotation():
    raw = "\n\n".join(
        f"     Paragraph {i} opens indented, as printed books set it,\nand runs on flush left." for i in range(4)
    )
    assert not any(b.text.startswith(">") for b in heal(raw))


def test_the_quote_mark_is_no_word_of_the_passage():
    read = read_passage(f"{AUTHOR}\n\n> {QUOTE}")
    assert ">" not in read.plain
    assert all(not t.text.startswith(">") for t in read.tokens)
    quoted = [s for s in read.sentences if "inaccessible" in s.text]
    assert quoted and all(s.quoted for s in quoted)
    assert not any(s.quoted for s in read.sentences if "legislator" in s.text)


def test_a_block_quotation_is_never_asked_about_as_the_authors_claim(tmp_path: Path):
    """The author's own sentences here are few, so that the quotation's would be quoted if they
    counted as hers (they were: "Wetherby also holds: 'If your seas wash only inaccessible rocks...'")."""
    lean = plain_text("A philosopher once put the opposite case, and put it thus:").replace(
        f"{AUTHOR[:93]}\n{AUTHOR[93:]}", "Some hold the legislator to be the maker of the people."
    )
    page = (
        "<html><head><title>The Legislator</title></head><body><article><h1>The Legislator</h1>"
        "<p>Some hold the legislator to be the maker of the people, and a philosopher once put the case thus:</p>"
        f"<blockquote><p>{QUOTE}</p></blockquote>"
        "<p>Property is prior to law; the law exists because property exists, and not the other way round. "
        "A government that forgets this makes itself the master of the very people it was set up to serve.</p>"
        "</article></body></html>"
    )
    for name, content in (("plain.txt", lean), ("page.html", page)):
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        store, passage = stored(folder, name, content)
        try:
            questions = generate_questions(store, passage)
        finally:
            store.close()
        assert questions, name
        assert not any(words in q.text for q in questions for words in QUOTE_WORDS), [q.text for q in questions]


def test_a_passage_mostly_block_quoted_gives_the_words_to_the_writer_its_lead_in_names(tmp_path: Path):
    long_quote = " ".join([QUOTE] * 2 + ["Let the legislator shape the people as the potter shapes the clay."])
    raw = (
        "THE LEGISLATOR\n\nby Ann Wetherby\n\n\n"
        "Hear now what Rousseau says of the lawgiver:\n\n"
        + "\n".join("     " + line for line in textwrap.wrap(long_quote, 70))
        + "\n"
    )
    store, passage = stored(tmp_path, "legislator.txt", raw)
    try:
        questions = generate_questions(store, passage)
    finally:
        store.close()
    assert questions
    for q in questions:
        if any(words in q.text for words in QUOTE_WORDS):
            assert "Rousseau" in q.text, q.text
            assert "Wetherby" not in q.text.split("Rousseau")[0] or "quote" in q.text, q.text


def test_a_part_set_indented_from_its_heading_on_is_no_block_quotation():
    """A dedication or a letter printed indented as a whole is the author's own voice; so is an
    editor's indented footnote, and an indented contents list is no prose at all."""
    margin = "The body of the book is set at the margin,\nas ordinary paragraphs are.\n\n"
    raw = (
        "DEDICATION\n\n"
        "     Those who strive to obtain the good graces of a prince are\n"
        "     accustomed to come before him with such things as they hold.\n\n"
        f"{margin * 4}"
        "     (*) Duke Lodovico was Lodovico Moro, a son of Francesco\n"
        "     Sforza, who married Beatrice d'Este.\n\n"
        f"{margin}"
        "     I   The Subject of the first Book\n"
        "     II   The first Societies\n\n"
        f"{margin * 3}"
    )
    assert not any(b.text.startswith(">") for b in heal(raw)), heal(raw)


def test_a_block_quotation_cut_by_a_page_break_stays_one_quoted_paragraph():
    raw = (
        f"{AUTHOR[:93]}\n{AUTHOR[93:]}\n\nThe philosopher puts it thus:\n\n"
        "     If your seas wash only inaccessible rocks, let the people\n"
        "     be barbarous and eat fish; they will\n\n\n{27}\n\n"
        "live more quietly, perhaps better, and certainly more\nhappily.\n\n"
        "Such is the legislator of the philosophers, and such\nthe people he imagines.\n"
    )
    texts_ = [b.text for b in heal(raw)]
    assert "> " + QUOTE in texts_
    assert texts_[-1] == "Such is the legislator of the philosophers, and such the people he imagines."


def test_each_paragraph_of_a_blockquote_in_an_epub_chapter_is_marked():
    from bot.texts.formats import markup

    root = markup.parse(
        "<html><body><h2>Chapter One</h2><p>The author speaks here, at some length.</p>"
        "<blockquote><p>First paragraph of the quoted writer.</p><p>Second paragraph of it.</p></blockquote>"
        "<p>The author answers.</p></body></html>"
    )
    assert [b.text for b in markup.blocks_of(root)] == [
        "Chapter One",
        "The author speaks here, at some length.",
        "> First paragraph of the quoted writer.",
        "> Second paragraph of it.",
        "The author answers.",
    ]


def test_a_markdown_quotation_is_kept_as_a_quote_with_its_lazy_continuation():
    from bot.texts.heal import heal

    blocks = heal(
        "The author sets out the view she answers:\n\n"
        "> Property is theft, says the other writer, and all of it must go.\n"
        "a line the quotation runs on to without its mark.\n\n"
        "And then the author replies at length.\n",
        markdown=True,
    )
    assert [b.text for b in blocks] == [
        "The author sets out the view she answers:",
        "> Property is theft, says the other writer, and all of it must go. a line the quotation runs on to "
        "without its mark.",
        "And then the author replies at length.",
    ]
