"""A text's facts (title, author, year, ...) from its front matter and from catalog.toml.

Both are written by whoever supplies the file, so both are parsed as hostile: YAML aliases
(the "billion laughs", a few hundred bytes that expand to gigabytes) are refused, nesting deep
enough to exhaust the parser's stack is refused, sizes are bounded, and every fact must have
the type it is used as (a year is a whole number a calendar can hold, a title is text).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InputFileError
from bot.models import Block, TextMeta
from bot.texts.headings import title_page_author
from bot.texts.names import printable

CATALOG_NAME = "catalog.toml"
MAX_FRONT_MATTER_CHARS = 64 * 1024
"""A front matter holds a few facts and perhaps curated questions: 64 KB is ample."""
MAX_CATALOG_BYTES = 4 * 1024 * 1024
"""catalog.toml: a table per text, with its questions; 4 MB holds thousands of texts."""
MAX_KEY_DEPTH = 32
"""Dots in one TOML key (`a.b.c = 1`): a catalog needs two or three. Thousands of them cost the
TOML parser memory quadratic in their number (20,000 took over a gigabyte)."""
MAX_FACT_CHARS = 1000
"""A title, author, source or question longer than this is not one."""
YEARS = range(-9999, 10000)

_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?)\n\1[ \t]*(?:\n|\Z)", re.S)
_WHOLE_NUMBER = re.compile(r"[+-]?\d{1,5}")


class _FrontMatterLoader(yaml.SafeLoader):
    """safe_load without aliases: an alias repeats a node, and nine levels of nine repeats are
    387 million strings once anything walks the result. Facts never need one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


def split_front_matter(raw: str, name: str) -> tuple[dict, str]:
    """A leading `---` YAML or `+++` TOML block, parsed, and the text after it."""
    match = _FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if not match:
        return {}, raw
    fence, content = match.groups()
    language = "TOML" if fence == "+++" else "YAML"
    if len(content) > MAX_FRONT_MATTER_CHARS:
        raise InputFileError(
            f"The front matter of {name} is over {MAX_FRONT_MATTER_CHARS // 1024} KB; keep it to the text's facts."
        )
    data = _parse(
        tomllib.loads if fence == "+++" else lambda text: yaml.load(text, Loader=_FrontMatterLoader),  # noqa: S506
        content,
        f"The front matter of {name} is not valid {language}",
        "fix it or remove it",
    )
    if data is None and fence == "---":
        return {}, raw[match.end() :]
    if not isinstance(data, dict):
        raise InputFileError(f"The front matter of {name} must be key: value pairs; fix it or remove it.")
    return data, raw[match.end() :]


def _parse(parse: Callable[[str], Any], content: str, problem: str, fix: str) -> Any:
    if parse is tomllib.loads and _deepest_key(content) > MAX_KEY_DEPTH:
        raise InputFileError(f"{problem}: a key has more than {MAX_KEY_DEPTH} dotted parts; {fix}.")
    try:
        return parse(content)
    except RecursionError:
        raise InputFileError(f"{problem}: it is nested too deeply; {fix}.") from None
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputFileError(f"{problem} ({first_line}); {fix}.") from None


def _deepest_key(toml: str) -> int:
    """The most dots in a key (before a line's `=`, or in a `[table]` line): an upper bound on
    how deep a key nests, in one pass (dots inside quoted keys count too: that only errs safe)."""
    deepest = 0
    for line in toml.splitlines():
        key = line.split("=", 1)[0] if "=" in line else line if line.lstrip().startswith("[") else ""
        deepest = max(deepest, key.count("."))
    return deepest


def catalog_entry(folder: Path, file_name: str, read: Callable[[Path, int], bytes]) -> dict:
    """The table for `file_name` in the folder's catalog.toml ({} when there is none)."""
    path = folder / CATALOG_NAME
    try:
        stat = path.stat()
    except OSError:
        return {}
    catalog = _parse_catalog(path, stat.st_mtime_ns, stat.st_size, read)
    if isinstance(catalog, InputFileError):
        raise InputFileError(str(catalog))  # a new one each time: a raised error keeps its traceback
    entry = catalog.get(file_name, {})
    if not isinstance(entry, dict):
        raise InputFileError(
            f"The entry for {printable(file_name)} in {CATALOG_NAME} must be a table of facts "
            "(title = ..., author = ...); fix it."
        )
    return entry


@lru_cache(maxsize=16)
def _parse_catalog(
    path: Path, mtime_ns: int, size: int, read: Callable[[Path, int], bytes]
) -> dict[str, Any] | InputFileError:
    """Parsed once per version of the file, not once per text (a folder of a thousand texts would
    parse it a thousand times); a broken catalog's error is kept too, for the same reason."""
    try:
        data = read(path, MAX_CATALOG_BYTES)
        text = data.decode("utf-8-sig")
    except InputFileError as error:
        return error
    except UnicodeDecodeError:
        return InputFileError(f"{printable(path)} is not UTF-8; re-save it as UTF-8 and ingest again.")
    try:
        return _parse(tomllib.loads, text, f"{printable(path)} is not valid TOML", "fix it and ingest again")
    except InputFileError as error:
        return error


def meta_for(stem: str, name: str, facts: dict, blocks: list[Block]) -> TextMeta:
    """The text's facts: those given (front matter over catalog), else what the title page
    says, else defaults."""
    first_heading = next((b.text for b in blocks[:1] if b.kind == "heading"), None)
    title = _text_fact(facts, "title", name) or first_heading or stem.replace("-", " ").replace("_", " ").title()
    return TextMeta(
        title=title,
        author=_text_fact(facts, "author", name) or title_page_author(blocks) or "Unknown",
        year=_year(facts.get("year"), name),
        source=_text_fact(facts, "source", name),
        language=_text_fact(facts, "language", name) or "en",
        questions=_questions(facts.get("questions"), name),
    )


def _text_fact(facts: dict, key: str, name: str) -> str:
    value = facts.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple | set):
        raise InputFileError(
            f"The {key} of {name} must be text, not a list or table; fix its front matter or catalog entry."
        )
    return _bounded_text(value, f"The {key} of {name}")


def _bounded_text(value: object, what: str) -> str:
    text = str(value).strip()
    if len(text) > MAX_FACT_CHARS:
        raise InputFileError(f"{what} is over {MAX_FACT_CHARS} characters; shorten it.")
    # YAML's "\ud800" escapes make lone surrogates, which no file or database can hold.
    return text.encode("utf-8", "replace").decode("utf-8")


def _year(value: object, name: str) -> int | None:
    """A year is a whole number a calendar holds (1917, "1917", -44); anything else (.inf, 1e300,
    a date, 10**30) is refused rather than overflowing the database or silently dropped."""
    if value is None or value == "":
        return None
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, float) and value.is_integer() and abs(value) < YEARS.stop:
        year = int(value)
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        year = int(value.strip())
    if year is None or year not in YEARS:
        raise InputFileError(
            f"The year of {name} must be a whole number such as 1917; fix its front matter or catalog entry."
        )
    return year


def _questions(value: object, name: str) -> dict[str, list[str]]:
    """Curated questions: a table keyed by passage number or section title, each a list."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(isinstance(q, str) for q in v) for v in value.values()
    ):
        raise InputFileError(
            f"'questions' for {name} must map a passage number or section title to a list "
            "of questions; fix the catalog entry or front matter."
        )
    return {
        _bounded_text(k, f"A question key of {name}"): [
            q for q in (_bounded_text(q, f"A question for {name}") for q in v) if q
        ]
        for k, v in value.items()
    }
