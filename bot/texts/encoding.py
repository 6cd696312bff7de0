"""Bytes to text: UTF-8 and UTF-16/32 with a byte-order mark as they are, anything else only
when its encoding can be told with confidence.

Valid UTF-8 is taken as UTF-8 (other encodings are almost never valid UTF-8). For the rest,
charset-normalizer (a maintained detector that scores each candidate decoding for mess and for
how much it reads like a language) names the encoding; a file it cannot place confidently is
refused rather than stored as mojibake ("¹¤ÈË½×¼¶" for GB18030 Chinese read as Windows-1252).

Windows-1252 is preferred whenever the detector finds it as good as its first choice: Western
single-byte code pages decode English, French or German alike for most bytes, and the detector
picks among them almost at random (cp775 or cp1250 for English prose), while 1252 is what
Windows editors write. Polish in cp1250 still comes out as cp1250: there 1252 reads as mess.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from bot.errors import InputFileError

DETECTION_SAMPLE_BYTES = 1024 * 1024
"""The detector reads at most this much (about 50 ms); the whole file must then decode strictly
in the encoding it names. Bounds detection time whatever the file's size."""
MIN_COHERENCE = 0.1
"""Below this the detector recognised no language in its decoding: a guess, not a reading."""
PREFERENCE_MARGIN = 0.1
"""How much better (in coherence) another encoding must read for Windows-1252 to lose."""

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode(data: bytes, name: str) -> str:
    """The text of a file's bytes, or an InputFileError saying why it cannot be read as text."""
    binary = InputFileError(f"{name} looks like a binary file, not text; export it as .txt or .md.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), binary)
            except UnicodeDecodeError:
                raise InputFileError(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()}; "
                    "re-save it as UTF-8 and ingest again."
                ) from None
    if b"\x00" in data[:4096]:
        raise binary
    try:
        return _checked(data.decode("utf-8"), binary)
    except UnicodeDecodeError:
        pass
    detected = detect(data)
    if detected is None:
        raise InputFileError(
            f"{name} is not UTF-8 and its encoding cannot be told with confidence; re-save it as UTF-8 and ingest again."
        )
    try:
        return _checked(data.decode(detected), binary)
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"{name} reads as {detected} at first but not at byte {error.start}; re-save it as UTF-8 and ingest again."
        ) from None


def detect(data: bytes) -> str | None:
    """The encoding of bytes that are not UTF-8, if the detector is confident; else None."""
    sample = data[:DETECTION_SAMPLE_BYTES]
    if len(data) > len(sample) and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # never cut a multi-byte character in two
    best = from_bytes(sample).best()
    if best is None:
        return None
    western = from_bytes(sample, cp_isolation=["cp1252"]).best()
    if western is not None and western.coherence + PREFERENCE_MARGIN >= best.coherence:
        return "cp1252"
    if best.coherence < MIN_COHERENCE:
        return None
    return best.encoding


def _checked(text: str, binary: InputFileError) -> str:
    """Text has next to no control characters; stop counting as soon as there are too many (a
    list of every match of a binary file would take gigabytes)."""
    allowed = len(text) // 1000
    for count, _ in enumerate(_CONTROL_CHARS.finditer(text)):
        if count >= allowed:
            raise binary
    return text
