"""Spelling variants fold to one form, both ways, without making different words equal."""

import pytest

from bot.terms.variants import canonical, canonical_text

SAME = [
    ("industrialise", "industrialize"),
    ("industrialisation", "industrialization"),
    ("organised", "organized"),
    ("realising", "realizing"),
    ("analyse", "analyze"),
    ("labour", "labor"),
    ("Labourers", "laborers"),
    ("favourite", "favorite"),
    ("honoured", "honored"),
    ("centre", "center"),
    ("theatre", "theater"),
    ("fibre", "fiber"),
    ("catalogue", "catalog"),
    ("defence", "defense"),
    ("programme", "program"),
    ("labelled", "labeled"),
    ("travelling", "traveling"),
    ("Kerenskii", "Kerensky"),
    ("Tomskii", "Tomsky"),
    ("Krupskaia", "Krupskaya"),
    ("Tseretelli", "Tzeretelli"),
    ("Yezhov", "Ezhov"),
    ("Iudenich", "Yudenich"),
    ("Pétain", "Petain"),
]
DIFFERENT = [
    ("filled", "filed"),
    ("four", "for"),
    ("hour", "or"),
    ("our", "or"),
    ("party", "parti"),
    ("called", "caled"),
    ("state", "states"),
    ("rise", "rice"),
]


@pytest.mark.parametrize("one, other", SAME)
def test_variants_share_one_spelling(one, other):
    assert canonical(one) == canonical(other)


@pytest.mark.parametrize("one, other", DIFFERENT)
def test_different_words_stay_different(one, other):
    assert canonical(one) != canonical(other)


def test_canonical_text_keeps_one_word_for_each_word():
    text = "The labour of Kerenskii’s centre — organised, 1917!"
    folded = canonical_text(text)
    assert folded == "the labor of kerensky’s center — organised, 1917!"
    assert len(folded.split()) == len(text.split())


def test_the_shortcut_for_words_no_rule_touches_changes_no_spelling(monkeypatch):
    """Every word of the bundled texts is spelled the same with and without the quick check."""
    import re

    from bot.terms import variants
    from tests.conftest import CORPUS_FILES

    words = {w for path in CORPUS_FILES for w in variants.TOKEN.findall(path.read_text())}
    quick = {w: variants.canonical.__wrapped__(w) for w in words}
    monkeypatch.setattr(variants, "_MAY_VARY", re.compile(""))
    assert {w: variants.canonical.__wrapped__(w) for w in words} == quick
