"""Section headings as books bring them: title pages, tables of contents, chapter marks with
their titles on the next line, headings in capitals, place-and-date lines. Small inline texts
in the conventions of Project Gutenberg and of other printers; the words are made up."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.texts.files import read_text
from bot.texts.heal import heal
from bot.texts.segment import Pace, segment
from bot.textutil import words
from tests.conftest import CORPUS

PROSE = (
    "The river rose in the spring and the mills along its banks stood idle for a month,\n"
    "while the owners argued about who should pay for the new walls and the workers waited.\n"
)
OTHER = "Nobody in the valley remembered a flood like it, and the old records said nothing of one.\n"
SMALL = Pace(min_words=10, max_words=40)


def kinds(raw: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in heal(raw)]


def headings(raw: str) -> list[str]:
    return [b.text for b in heal(raw) if b.kind == "heading"]


def paragraphs(raw: str) -> list[str]:
    return [b.text for b in heal(raw) if b.kind == "paragraph"]


def sections(raw: str) -> list[str]:
    """The section of each passage, in order, one entry per change."""
    found: list[str] = []
    for passage in segment(heal(raw), SMALL):
        if not found or found[-1] != passage.section:
            found.append(passage.section)
    return found


GUTENBERG_BOOK = f"""THE MILLS

BY

JANE HOLLOWAY



SECOND EDITION

LONDON

SMITH, ELDER, AND CO.

1881




CONTENTS.




CHAPTER I. THE RIVER

CHAPTER II. THE OWNERS AND THE WORKERS

CHAPTER III. OF WHAT WAS DONE
AFTERWARDS




THE MILLS.




CHAPTER I.


THE RIVER.

{PROSE}
{OTHER}



CHAPTER II.


THE OWNERS AND THE WORKERS.

{PROSE}



CHAPTER III.


OF WHAT WAS DONE AFTERWARDS.

{OTHER}
"""


def test_a_table_of_contents_is_not_a_run_of_sections():
    assert sections(GUTENBERG_BOOK) == [
        "CHAPTER I. THE RIVER",
        "CHAPTER II. THE OWNERS AND THE WORKERS",
        "CHAPTER III. OF WHAT WAS DONE AFTERWARDS",
    ]


def test_contents_and_title_page_never_reach_a_passage():
    text = " ".join(p.body for p in segment(heal(GUTENBERG_BOOK), SMALL))
    assert text.startswith("The river rose")
    for front in ("CONTENTS", "HOLLOWAY", "EDITION", "LONDON", "1881", "CHAPTER", "THE MILLS"):
        assert front not in text


def test_a_title_page_is_front_matter_and_its_first_line_the_title(tmp_path):
    path = tmp_path / "the-mills.txt"
    path.write_text(GUTENBERG_BOOK)
    source = read_text(path)
    assert source.meta.title == "THE MILLS"
    assert [b.kind for b in source.blocks[:9]] == ["title"] * 9
    assert segment(source.blocks)[0].section == "CHAPTER I. THE RIVER"


@pytest.mark.parametrize(
    "title_page",
    [
        "The Mills\n\nby\n\nJane Holloway",
        "The Mills\n\nby Jane Holloway",
        "The Mills\n\nBy Jane Holloway",
        "THE MILLS\n\n\nBY\n\nJANE HOLLOWAY",
    ],
    ids=["by-alone", "by-name", "By-name", "capitals"],
)
def test_a_byline_is_neither_part_of_the_title_nor_a_section(tmp_path, title_page):
    path = tmp_path / "mills.txt"
    path.write_text(f"{title_page}\n\n\n\n{PROSE}\n{OTHER}")
    source = read_text(path)
    assert source.meta.title.casefold() == "the mills"
    assert {p.section for p in segment(source.blocks, SMALL)} == {""}
    assert [b.kind for b in source.blocks if b.kind != "title"] == ["paragraph", "paragraph"]


def test_a_first_line_that_starts_with_by_is_still_the_title(tmp_path):
    path = tmp_path / "land.txt"
    path.write_text(f"By Land and Sea\n\n{PROSE}")
    assert read_text(path).meta.title == "By Land and Sea"


def test_a_chapter_mark_and_the_title_line_under_it_are_one_heading():
    raw = f"CHAPTER II.\n\n\nWHAT THE RIVER DID.\n\n{PROSE}\nChapter 3\n\nThe Owners Reply.\n\n{OTHER}"
    assert kinds(raw) == [
        ("heading", "CHAPTER II. WHAT THE RIVER DID"),
        ("paragraph", " ".join(PROSE.split())),
        ("heading", "Chapter 3. The Owners Reply"),
        ("paragraph", OTHER.strip()),
    ]


def test_a_chapter_mark_and_its_title_on_consecutive_lines_are_one_heading():
    assert headings(f"{OTHER}\nBOOK IV\nTHE FLOOD\n\n{PROSE}") == ["BOOK IV. THE FLOOD"]


@pytest.mark.parametrize(
    "raw",
    [
        f"CHAPTER II.\n\n{PROSE}",  # the text straight after the mark
        f"CHAPTER II.\n{PROSE}",  # not even a blank line between
        f"CHAPTER II.\n\nIt rained.\n\n{PROSE}",  # a short first sentence is no title
    ],
    ids=["blank-line", "same-chunk", "short-sentence"],
)
def test_a_chapter_mark_is_never_part_of_a_paragraph(raw):
    blocks = heal(raw)
    assert (blocks[0].kind, blocks[0].text) == ("heading", "CHAPTER II")
    assert all(not b.text.startswith("CHAPTER") for b in blocks if b.kind == "paragraph")
    assert blocks[-1].text.endswith("the workers waited.")


def test_a_numbered_heading_is_not_glued_to_a_paragraph_that_starts_in_lower_case():
    """OCR often loses the first capital of a section ("he river rose")."""
    blocks = heal(f"2. The Flood Years\n\nhe river rose in the spring and the mills stood idle.\n\n{OTHER}")
    assert blocks[0] == heal("2. The Flood Years")[0]
    assert blocks[0].kind == "heading" and blocks[1].text.startswith("he river rose")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (f"PART ONE\n\n\nCHAPTER 1\n\nThe Spring\n\n{PROSE}", ["PART ONE", "CHAPTER 1. The Spring"]),
        (f"BOOK I.\n\nCHAPTER I.\n\nOf Rivers.\n\n{PROSE}", ["BOOK I", "CHAPTER I. Of Rivers"]),
        (f"SECTION 3\n\n{PROSE}", ["SECTION 3"]),
        (f"Chapter 1: The Spring\n\n{PROSE}", ["Chapter 1: The Spring"]),
        (f"# Chapter 1\n\n{PROSE}\n## The Owners\n\n{OTHER}", ["Chapter 1", "The Owners"]),
        (f"The Spring\n==========\n\n{PROSE}", ["The Spring"]),
        (f"IV.\n\nOF PROPERTY.\n\n{PROSE}", ["IV. OF PROPERTY"]),
        (f"{OTHER}\nXII\n\n{PROSE}", ["XII"]),
        (f"PART THE SECOND\n\n{PROSE}", ["PART THE SECOND"]),
        (f"{OTHER}\nPREFACE.\n\n{PROSE}", ["PREFACE"]),
        (f"{OTHER}\n2. Rivers\n\n2.1 The Spring\n\n{PROSE}", ["2. Rivers", "2.1 The Spring"]),
    ],
    ids=[
        "part-chapter",
        "book-chapter-title",
        "section",
        "colon",
        "markdown",
        "setext",
        "roman-title",
        "roman-alone",
        "ordinal",
        "capitals-full-stop",
        "numbered-levels",
    ],
)
def test_printers_conventions_for_headings(raw, expected):
    assert headings(raw) == expected
    assert paragraphs(raw)[-1].endswith(("the workers waited.", "said nothing of one."))


@pytest.mark.parametrize(
    "line",
    [
        "Part of the problem was that nobody came.",
        "I think the walls were too low.",
        "Book two of the accounts was lost.",
        "(*The Times*, April 4, 1936)",
    ],
)
def test_lines_shaped_like_headings_that_are_text_stay_text(line):
    assert paragraphs(f"{PROSE}\n{line}\n\n{OTHER}")[1] == line


def test_several_headings_in_a_row_with_no_text_between_are_a_contents_list():
    raw = f"{PROSE}\nChapter 1. The River\n\nChapter 2. The Owners\n\nChapter 3. The Walls\n\nChapter 1. The River\n\n{OTHER}"
    assert headings(raw) == ["Chapter 1. The River"]
    assert len(paragraphs(raw)) == 2


def test_a_contents_set_one_entry_a_line_is_left_out():
    entries = "\n".join(f"  CHAPTER {n}. THE PART {n}" for n in ("I", "II", "III", "IV", "V"))
    raw = f"PREFACE\n\n{PROSE}\n\nCONTENTS\n\n{entries}\n\n\n\nCHAPTER I.\n\nTHE RIVER.\n\n{OTHER}"
    assert sections(raw) == ["PREFACE", "CHAPTER I. THE RIVER"]
    assert not any("PART" in p for p in paragraphs(raw))


def test_a_poem_after_a_contents_line_is_not_taken_for_entries():
    poem = "The Water Comes\nThe Water Goes\nThe Mills Stand Still\nAnd Nobody Knows"
    raw = f"CONTENTS\n\n  I. THE RIVER\n  II. THE MILLS\n\n\n\nI.\n\nTHE RIVER.\n\n{poem}\n\n{PROSE}"
    assert headings(raw) == ["I. THE RIVER"]
    assert paragraphs(raw)[0] == " ".join(poem.split("\n"))


def test_a_place_and_date_under_a_preface_closes_it_and_is_no_section():
    raw = (
        f"PREFACE\n\n{PROSE}\nPhiladelphia, March 3, 1790\n\n\n\n\n"
        "OF THE ORIGIN AND PROGRESS OF THE MILLS ALONG THE RIVER, WITH SOME\n"
        "  REMARKS ON THE WALLS BUILT BY THE OWNERS IN THE YEAR OF THE GREAT FLOOD\n\n\n"
        f"{OTHER}"
    )
    assert kinds(raw) == [
        ("heading", "PREFACE"),
        ("paragraph", " ".join(PROSE.split())),
        ("paragraph", "Philadelphia, March 3, 1790"),
        (
            "heading",
            "OF THE ORIGIN AND PROGRESS OF THE MILLS ALONG THE RIVER, WITH SOME "
            "REMARKS ON THE WALLS BUILT BY THE OWNERS IN THE YEAR OF THE GREAT FLOOD",
        ),
        ("paragraph", OTHER.strip()),
    ]


def test_a_long_heading_in_title_case_is_a_heading():
    heading = "Of the Origin and Progress of the Mills along the River, with Some Remarks on the Walls"
    assert headings(f"{PROSE}\n{heading}\n\n{OTHER}") == [heading]


def test_a_place_and_date_that_heads_text_stays_a_heading():
    assert headings(f"{PROSE}\nPetrograd, 1917\n\n{OTHER}") == ["Petrograd, 1917"]


def test_rows_of_asterisks_are_no_paragraph():
    assert paragraphs(f"{PROSE}\n*       *       *       *       *\n\n{OTHER}") == [
        " ".join(PROSE.split()),
        OTHER.strip(),
    ]


def test_a_picture_placeholder_is_no_text_and_does_not_end_the_title_page():
    raw = f"THE MILLS\n\nby\n\nJANE HOLLOWAY\n\nRiver Press\n\n[Illustration: JANE HOLLOWAY]\n\nPreface\n\n{PROSE}"
    assert sections(raw) == ["Preface"]
    assert not any("Illustration" in p for p in paragraphs(raw))


def test_the_end_and_the_notes_after_it():
    raw = f"{PROSE}\n\nTHE END.\n\nFOOTNOTES:\n\n[Footnote A: The walls were built in 1790.]\n"
    assert sections(raw) == ["", "FOOTNOTES"]


def test_trotsky_selections_first_part_is_a_section_of_its_own():
    source = read_text(CORPUS / "trotsky-selections.txt")
    passages = segment(source.blocks)
    assert passages[0].section == "1. The Prospect of Revolution"
    assert not passages[0].body.startswith("1.")


heading_lines = st.sampled_from(
    [
        "CHAPTER IV.",
        "WHAT THE RIVER DID.",
        "CONTENTS",
        "PART ONE",
        "Philadelphia, March 3, 1790",
        "IV.",
        "The Owners Reply",
        "*   *   *",
        "THE END.",
        "Chapter 2: The Walls",
    ]
)
prose_paragraphs = st.lists(
    st.sampled_from("the river rose and mills stood idle while owners argued about walls".split()),
    min_size=12,
    max_size=40,
).map(lambda ws: (" ".join(ws).capitalize() + ".").replace(" idle ", " idle,\n"))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(heading_lines, prose_paragraphs), min_size=1, max_size=30))
def test_headings_never_take_a_word_of_the_prose(items):
    """Whatever headings surround it, every word of every prose paragraph stays in the text,
    in order (front matter, contents and marks are dropped; prose never is)."""
    raw = "\n\n\n".join(items)
    prose = [w for item in items if item.endswith(".") and "\n" in item for w in words(item)]
    kept = [w for p in paragraphs(raw) for w in words(p)]
    position = 0
    for word in kept:
        if position < len(prose) and word == prose[position]:
            position += 1
    assert position == len(prose)


NOTED_TITLE_PAGE = """Note: Images of the original pages are available from the library that scanned them.



THE RIGHTS OF CITIZENS

by

JANE HOLLOWAY



London
Printed for the Author


INTRODUCTION

The rights of citizens are older than any charter, and this book sets out to show why, chapter by
chapter, with the evidence of the old laws and the arguments of those who wrote them down.
"""


def test_a_short_note_before_the_title_page_leaves_it_a_title_page_naming_the_author(tmp_path):
    path = tmp_path / "rights.txt"
    path.write_text(NOTED_TITLE_PAGE)
    source = read_text(path)
    assert source.meta.author == "Jane Holloway"
    kept = [b.text for b in source.blocks if b.kind in ("heading", "title")]
    assert "JANE HOLLOWAY" in kept, "the title page is kept as such, not dropped as a table of contents"
    assert [b.text for b in source.blocks if b.kind == "heading"][-1] == "INTRODUCTION"


def test_a_byline_in_the_text_itself_names_no_author(tmp_path):
    path = tmp_path / "essay.txt"
    path.write_text(
        "The argument of this essay runs through many pages and many objections, and it is written "
        "out at length so that the reader can follow each step without help from anyone.\n\nby\n\nTHE WAY\n\n"
        "More prose follows here, long enough to be a paragraph of the essay in its own right, and more.\n"
    )
    assert read_text(path).meta.author == "Unknown"


@pytest.mark.parametrize("title_page", ["THE DAYS GONE BY\n\nCONTENTS", "Stand By\n\nChapter One"])
def test_a_title_ending_in_by_takes_no_heading_for_its_author(tmp_path, title_page):
    path = tmp_path / "book.txt"
    path.write_text(
        f"{title_page}\n\nThe first chapter begins with a long paragraph of prose that goes on about "
        "the days gone by and the people in them, long enough to be the text itself.\n"
    )
    assert read_text(path).meta.author == "Unknown"
