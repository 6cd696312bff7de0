"""Segmentation invariants, on every text in corpus/ and on generated texts; and the shape of
the tiny library the logic tests read."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Block
from bot.texts.files import read_text
from bot.texts.segment import EMBED_DESCRIPTION_LIMIT, Pace, segment
from bot.textutil import count_words, split_sentences, words
from tests.conftest import CORPUS_FILES
from tests.helpers import SOIL, SOIL_PASSAGES, TINY_LIBRARY

PACE = Pace()


@pytest.fixture(scope="module", params=CORPUS_FILES, ids=lambda p: p.stem)
def healed_and_passages(request):
    source = read_text(request.param)
    return source.blocks, segment(source.blocks, PACE)


def body_paragraphs(blocks):
    return [b.text for b in blocks if b.kind == "paragraph"]


def test_every_word_of_the_body_is_in_exactly_one_passage_in_order(healed_and_passages):
    blocks, passages = healed_and_passages
    body_words = [w for p in body_paragraphs(blocks) for w in words(p)]
    passage_words = [w for passage in passages for para in passage.paragraphs for w in words(para.body)]
    assert passage_words == body_words


def test_no_passage_is_cut_mid_sentence(healed_and_passages):
    blocks, passages = healed_and_passages
    pieces = [para.body for passage in passages for para in passage.paragraphs]
    for paragraph in body_paragraphs(blocks):
        # The pieces that make up this paragraph, consumed in order.
        rebuilt = []
        while " ".join(rebuilt) != paragraph:
            assert pieces, "ran out of pieces"
            rebuilt.append(pieces.pop(0))
            assert paragraph.startswith(" ".join(rebuilt))
        if len(rebuilt) > 1:
            sentences = split_sentences(paragraph)
            for piece in rebuilt[:-1]:
                assert any(piece.endswith(s) for s in sentences), piece[-80:]


def test_passages_fit_the_pace_and_one_embed(healed_and_passages):
    _, passages = healed_and_passages
    for passage in passages:
        assert passage.word_count <= PACE.max_words
        assert len(passage.body) <= EMBED_DESCRIPTION_LIMIT
    # "About 250-600": all but the shortest text's last passage are within the pace.
    assert sum(1 for p in passages if p.word_count < PACE.min_words) <= 1


def test_passages_are_numbered_from_one_without_gaps(healed_and_passages):
    _, passages = healed_and_passages
    assert [p.ordinal for p in passages] == list(range(1, len(passages) + 1))


def test_no_paragraph_after_a_paragraph_starts_in_lower_case(healed_and_passages):
    """A lower-case start after a paragraph means a page-break split was not healed."""
    blocks, _ = healed_and_passages
    for previous, block in zip(blocks, blocks[1:]):
        if previous.kind == block.kind == "paragraph":
            first = next(c for c in block.text if c.isalpha())
            assert not first.islower(), block.text[:60]


def test_footnote_markers_never_reach_the_index(healed_and_passages):
    _, passages = healed_and_passages
    for passage in passages:
        for para in passage.paragraphs:
            assert not re.search(r"\[\d+\]", para.plain)
            assert "*" not in para.plain


def test_section_titles_come_from_headings(healed_and_passages):
    blocks, passages = healed_and_passages
    headings = {b.text for b in blocks if b.kind == "heading"} | {""}
    assert {p.section for p in passages} <= headings


sentence = st.lists(
    st.sampled_from("the party state class lenin power revolution workers of a".split()), min_size=3, max_size=40
).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=60).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(paragraph, paragraph, st.text(min_size=3, max_size=30).map(lambda t: "#" + t)),
        min_size=1,
        max_size=25,
    ),
    st.integers(20, 200),
    st.integers(0, 400),
)
def test_generated_texts_keep_every_word_and_the_limits(items, min_words, extra):
    pace = Pace(min_words=min_words, max_words=min_words + extra)
    blocks = [Block("heading", i[1:]) if i.startswith("#") else Block("paragraph", i) for i in items]
    passages = segment(blocks, pace)
    expected = [w for b in blocks if b.kind == "paragraph" for w in words(b.text)]
    assert [w for p in passages for para in p.paragraphs for w in words(para.body)] == expected
    for p in passages:
        assert count_words(p.body) <= pace.max_words or len(p.paragraphs) == 1
        assert len(p.body) <= pace.max_chars


def test_a_paragraph_without_spaces_is_cut_to_fit_one_embed():
    passages = segment([Block("paragraph", "字" * 9000)], PACE)
    assert "".join(p.body for p in passages) == "字" * 9000
    assert all(len(p.body) <= PACE.max_chars for p in passages)


def test_the_tiny_library_of_the_logic_tests_has_one_passage_per_paragraph(tiny_store):
    """tests/helpers.py promises it, and the logic tests count passages by it."""
    stored = {t.slug: t for t in tiny_store.texts()}
    for name, content in TINY_LIBRARY.items():
        body = content.split("---\n", 2)[2]
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith("#")]
        text = stored[name.rsplit(".", 1)[0]]
        assert [p.body for p in tiny_store.passages_of(text.id)] == paragraphs
    assert stored[SOIL].passage_count == SOIL_PASSAGES
