"""HTML: the article without navigation, scripts, comments, adverts, related links or notes;
headings as sections; title, author and year from the page."""

from __future__ import annotations

import pytest

from bot import texts
from bot.errors import InputFileError
from bot.texts.formats import html
from tests.documents import SCRIPTS_ONLY, article_html

NOISE = (
    "NAV-",
    "ADVERT-TEXT",
    "SCRIPT-TEXT",
    "COMMENT-TEXT",
    "COMMENT-SECTION-TEXT",
    "FOOTER-TEXT",
    "RELATED-",
    "FOOTNOTE-TEXT",
    "By Jane Roe",
)


def test_html_file_becomes_a_text_with_sections_and_no_page_furniture(empty_store, tmp_path):
    path = tmp_path / "on-the-commune.html"
    path.write_bytes(article_html())
    [outcome] = texts.ingest(empty_store, [path], texts.Pace(min_words=20, max_words=80))
    assert outcome.status == "added", outcome.message
    [text] = empty_store.texts()
    assert (text.meta.title, text.meta.author, text.meta.year) == ("On the Commune", "Jane Roe", 2021)
    passages = empty_store.passages_of(text.id)
    assert list(dict.fromkeys(p.section for p in passages)) == ["The first days", "The bloody week"]
    body = "\n".join(p.body for p in passages)
    assert body.startswith("The Commune of Paris lasted seventy-two days")
    assert "cemetery of Père Lachaise" in body
    assert "*essentially a working-class government*, the political form at last discovered." in body
    for noise in NOISE:
        assert noise not in body


def test_a_page_of_scripts_only_is_refused_and_nothing_is_stored(empty_store, tmp_path):
    path = tmp_path / "app.html"
    path.write_bytes(SCRIPTS_ONLY)
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "failed" and "has no readable text" in outcome.message
    assert "JavaScript" in outcome.message
    assert empty_store.texts() == []


@pytest.mark.parametrize(
    "data, declared, expected",
    [
        ("Père Lachaise".encode(), None, "Père Lachaise"),
        ("Père Lachaise".encode("cp1252"), None, "Père Lachaise"),
        ("Père Lachaise".encode("latin-1"), "iso-8859-1", "Père Lachaise"),
        (b'<meta charset="windows-1251">' + "Пётр".encode("cp1251"), None, "Пётр"),
        (b"\xef\xbb\xbf" + "Père".encode(), "iso-8859-1", "Père"),
    ],
)
def test_pages_are_decoded_by_bom_header_meta_or_utf8(data, declared, expected):
    assert expected in html.decode(data, declared)


def test_a_page_larger_than_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(html, "MAX_HTML_BYTES", 1000)
    with pytest.raises(InputFileError, match="more than"):
        html.read_html(article_html(), "big.html")


def test_entities_a_page_declares_are_never_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + article_html()
    )
    document = html.read_html(bomb, "bomb.html")
    assert "aaaaaaaaaa" not in " ".join(b.text for b in document.blocks)
