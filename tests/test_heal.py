"""Healing raw text: wraps, page breaks, hyphenation, footnotes, headings, emphasis."""

from bot.texts.files import read_text
from bot.texts.heal import heal
from bot.textutil import split_sentences, strip_markup
from tests.conftest import CORPUS


def paragraphs(raw: str, markdown: bool = False) -> list[str]:
    return [b.text for b in heal(raw, markdown) if b.kind == "paragraph"]


def headings(raw: str, markdown: bool = False) -> list[str]:
    return [b.text for b in heal(raw, markdown) if b.kind == "heading"]


def test_hard_wrapped_lines_join_into_one_paragraph():
    raw = "The first line\nruns on here\nand ends here.\n\nA second paragraph."
    assert paragraphs(raw) == ["The first line runs on here and ends here.", "A second paragraph."]


def test_page_break_before_lower_case_line_continues_the_paragraph():
    raw = (
        "Against this view it was argued, at some length and\nwith some heat, by the\n\n\n\n"
        "majority that the line was right.\n\nNext one."
    )
    assert paragraphs(raw) == [
        "Against this view it was argued, at some length and with some heat, by the majority that the line was right.",
        "Next one.",
    ]


def test_page_break_after_unfinished_sentence_continues_even_before_capital():
    raw = (
        "In those years, as everyone who lived through them knows,\nthe party was led by\n\n\n\n"
        "Lenin and his colleagues.\n\nAnother."
    )
    assert paragraphs(raw)[0].endswith("the party was led by Lenin and his colleagues.")


def test_single_blank_line_between_full_sentences_keeps_paragraphs_apart():
    raw = "One paragraph ends.\n\nAnother Begins here."
    assert len(paragraphs(raw)) == 2


def test_word_hyphenated_across_a_page_break_is_made_whole_when_the_text_knows_it():
    raw = "A revolutionary party is rare, as this history shows; the revolution-\n\n\n\nary party grew."
    assert paragraphs(raw) == ["A revolutionary party is rare, as this history shows; the revolutionary party grew."]


def test_real_compound_hyphen_across_a_break_is_kept():
    raw = "Through all these struggles of the years before the war, the working class-\n\n\n\nconsciousness grew."
    assert paragraphs(raw) == [
        "Through all these struggles of the years before the war, the working class-consciousness grew."
    ]


def test_footnote_markers_are_removed():
    raw = "Lenin said so. [3] And then [12] again."
    assert paragraphs(raw) == ["Lenin said so. And then again."]


def test_short_line_without_full_stop_is_a_heading():
    raw = "Some text ends.\n\nUnanswered questions\n\nIs this right?"
    assert headings(raw) == ["Unanswered questions"]


def test_heading_wrapped_over_two_lines_is_one_heading():
    raw = "Text.\n\nThe vanguard organisation and the\nworking class: another link\n\nBody follows."
    assert headings(raw) == ["The vanguard organisation and the working class: another link"]


def test_numbered_heading_run_into_its_paragraph_is_split_off():
    raw = "2. The Degeneration of the Bolshevik Party. The Bolshevik party prepared the victory."
    blocks = heal(raw)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "2. The Degeneration of the Bolshevik Party"),
        ("paragraph", "The Bolshevik party prepared the victory."),
    ]


def test_numbered_heading_with_ellipsis_is_split_off():
    blocks = heal("1. Why Stalin Triumphed … A political struggle is a struggle.")
    assert blocks[0].text == "1. Why Stalin Triumphed"
    assert blocks[1].text == "A political struggle is a struggle."


def test_numbered_sentence_is_not_mistaken_for_a_heading():
    blocks = heal("1. the first point was made by everyone. It stands.")
    assert [b.kind for b in blocks] == ["paragraph"]


def test_emphasis_is_kept_for_display_and_removed_for_the_index():
    [text] = paragraphs("More and more its *class character* shows.")
    assert text == "More and more its *class character* shows."
    assert strip_markup(text) == "More and more its class character shows."


def test_markdown_headings_lists_links_and_bold():
    raw = "# Title\n\nSome **bold** and a [link](http://x).\n\n## Part two\n\n- item one\n- item two"
    blocks = heal(raw, markdown=True)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Title"),
        ("paragraph", "Some *bold* and a link."),
        ("heading", "Part two"),
        ("paragraph", "item one"),
        ("paragraph", "item two"),
    ]


def test_control_characters_and_windows_newlines_are_cleaned():
    assert paragraphs("A line\r\nwrapped\x07 here.\r\n") == ["A line wrapped here."]


def test_sentences_do_not_split_after_abbreviations_and_initials():
    text = "As V. I. Lenin wrote (op. cit. p. 33), it was so. Then Mr. Smith left! Did he?"
    assert split_sentences(text) == [
        "As V. I. Lenin wrote (op. cit. p. 33), it was so.",
        "Then Mr. Smith left!",
        "Did he?",
    ]


def test_mandel_page_breaks_are_healed():
    text = " ".join(paragraphs((CORPUS / "mandel-liebman-and-leninism-1975.txt").read_text()))
    assert "traditions of the persons involved – in other words" in text
    assert "that he had already understood that the bureaucracy had become the Enemy Number One" in text
    assert "[1]" not in text and "[17]" not in text


def test_mandel_section_headings_are_found():
    found = headings((CORPUS / "mandel-liebman-and-leninism-1975.txt").read_text())
    assert "Unanswered questions" in found
    assert "Impossibility of, or delay in, the world revolution" in found
    assert "The workers’ state and bureaucratic degeneration" in found


def test_trotsky_selections_page_break_splits_are_healed():
    text = (CORPUS / "trotsky-selections.txt").read_text()
    healed = paragraphs(text)
    assert not any(p[0].islower() for p in healed[1:])
    assert any("economic power to t" in p and "economically powerless while" in p for p in healed) or any(
        "economically powerless while the revolutionary government" in p and not p.startswith("economically")
        for p in healed
    )


def test_thermidor_run_in_headings_become_sections_and_its_title_is_no_section():
    source = read_text(CORPUS / "trotsky-soviet-thermidor-1936.txt")
    found = [b.text for b in source.blocks if b.kind == "heading"]
    assert found == [
        "1. Why Stalin Triumphed",
        "2. The Degeneration of the Bolshevik Party",
        "3. The Social Roots of Thermidor",
    ]


def test_page_numbers_on_lines_of_their_own_are_page_breaks_not_text():
    raw = (
        "FOREWORD\n\n{v}\n\nThe foreword says what the essay is for, and why it matters to the\n"
        "reader today. It is by\n\n{2}\n\nthe application of our faculties that we live.\n\n"
        "[Pg 3]\n\nA new paragraph starts here with a capital and goes on for a while.\n"
    )
    blocks = heal(raw)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph"]
    assert blocks[0].text == "FOREWORD"
    assert blocks[1].text.endswith("It is by the application of our faculties that we live.")
    assert not any(mark in b.text for b in blocks for mark in ("{", "Pg 3"))


def test_numbers_in_braces_inside_a_line_are_kept():
    [block] = heal("The set {1} is written with braces in this sentence about sets and their members.\n")
    assert "{1}" in block.text
