"""File names: the slug a text is known by, and a form of any name that can be printed.

A name in any script gets a readable slug: anyascii transliterates it ("Война и мир" ->
"voyna-i-mir", "日本語" -> "ri-ben-yu"), so two texts named in Russian or Japanese do not both
become "text". Slugs only suggest a name: the store makes each text's slug distinct.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from anyascii import anyascii

MAX_SLUG_CHARS = 80
"""Slugs are typed and autocompleted (Discord allows 100 characters a choice): room is left for
the "-2" that tells two texts of one name apart."""
FALLBACK_SLUG = "text"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_for(stem: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Same Name" and "same_name" give "same-name"."""
    slug = _NOT_SLUG.sub("-", _transliterate(stem).lower()).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[:MAX_SLUG_CHARS].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG_CHARS] else slug[:MAX_SLUG_CHARS]
    return slug or FALLBACK_SLUG


def _transliterate(name: str) -> str:
    """ASCII for any script. anyascii runs Chinese syllables together ("RiBenYu"): a space before
    each capitalised syllable of a wide character keeps them apart."""
    if name.isascii():
        return name
    parts = []
    for char in name:
        if char.isascii():
            parts.append(char)
            continue
        ascii_char = anyascii(char)  # a lone surrogate (an undecodable byte of the name) gives ""
        if ascii_char[:1].isupper() and unicodedata.east_asian_width(char) in ("W", "F"):
            ascii_char = " " + ascii_char
        parts.append(ascii_char)
    return "".join(parts)


def printable(path: Path | str) -> str:
    """The path as text that can always be printed and stored: a byte of the name that is not
    UTF-8 (the file system holds bytes) is shown as \\xNN instead of raising UnicodeEncodeError."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
