"""Read text files from disk: decoding, metadata (catalog.toml or front matter), and healing.

This is the only core module that touches the file system for texts. Whatever is wrong with a
file becomes an `InputFileError` with one sentence saying what to do.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.errors import InputFileError
from bot.models import Block, TextMeta
from bot.texts.formats import KINDS, READABLE
from bot.texts.heal import heal

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
READ_SUFFIXES = TEXT_SUFFIXES + tuple(KINDS)  # EPUB, PDF and HTML are read by bot/texts/formats
CATALOG_NAME = "catalog.toml"
MAX_FILE_BYTES = 50 * 1024 * 1024
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?)\n\1[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True)
class SourceText:
    """A text file read and healed, ready to segment."""

    slug: str
    path: Path | str
    """The file, or the web address it was fetched from."""
    meta: TextMeta
    blocks: list[Block]
    content_hash: str


def find_text_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the text files they hold; a missing path is an error, not a no-op."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputFileError(f"{path} does not exist; give a file or a folder of them ({READABLE}).")
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in READ_SUFFIXES))
        else:
            files.append(path)
    return files


def read_text(path: Path) -> SourceText:
    """Read, decode and heal one file, with its metadata."""
    raw_bytes = _read_bytes(path)
    raw = decode(raw_bytes, path)
    front, body = split_front_matter(raw, path)
    catalog = load_catalog(path.parent).get(path.name, {})
    if not isinstance(catalog, dict):
        raise InputFileError(
            f"The entry for {path.name} in {CATALOG_NAME} must be a table of facts (title = ..., author = ...); fix it."
        )
    markdown = path.suffix.lower() in (".md", ".markdown")
    blocks = heal(body, markdown=markdown)
    if not any(b.kind == "paragraph" for b in blocks):
        raise InputFileError(f"{path.name} has no paragraphs of text; add some prose or remove the file.")
    meta = _meta(path, {**catalog, **front}, blocks)
    blocks = [_mark_title(b, meta.title) for b in blocks]
    return SourceText(
        slug=slug_for(path),
        path=path,
        meta=meta,
        blocks=blocks,
        content_hash=hashlib.sha256(raw_bytes).hexdigest(),
    )


def slug_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "text"


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputFileError(f"{path.name} cannot be read: {READABLE}; convert it to one of those.")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputFileError(
                f"{path.name} is {size // (1024 * 1024)} MB; split texts larger than "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB into several files."
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputFileError(f"{path} cannot be read ({error.strerror}); check its permissions.") from error
    if not data.strip():
        raise InputFileError(f"{path.name} is empty; put the text in it or remove it.")
    return data


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252; never binary data."""
    binary = InputFileError(f"{path.name} looks like a binary file, not text; export it as .txt or .md.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), binary)
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data[:4096]:
        raise binary
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return _checked(data.decode(encoding), binary)
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"{path.name} is neither UTF-8 nor Windows-1252 text; re-save it as UTF-8 and ingest again.")


def _checked(text: str, binary: InputFileError) -> str:
    if not _looks_like_text(text):
        raise binary
    return text


def _looks_like_text(text: str) -> bool:
    return len(_CONTROL_CHARS.findall(text)) <= len(text) / 1000


def split_front_matter(raw: str, path: Path) -> tuple[dict, str]:
    """A leading `---` YAML or `+++` TOML block, parsed, and the text after it."""
    match = _FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if not match:
        return {}, raw
    fence, content = match.groups()
    try:
        data = tomllib.loads(content) if fence == "+++" else yaml.safe_load(content)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise InputFileError(
            f"The front matter of {path.name} is not valid {'TOML' if fence == '+++' else 'YAML'} "
            f"({str(error).splitlines()[0]}); fix it or remove it."
        ) from error
    if not isinstance(data, dict):
        if fence == "---" and data is None:
            return {}, raw[match.end() :]
        raise InputFileError(f"The front matter of {path.name} must be key: value pairs; fix it or remove it.")
    return data, raw[match.end() :]


def load_catalog(folder: Path) -> dict[str, dict]:
    """catalog.toml beside the texts: one table per file name. Parsed once per version of the
    file, not once per text (a folder of a thousand texts would parse it a thousand times)."""
    path = folder / CATALOG_NAME
    try:
        stat = path.stat()
    except OSError:
        return {}
    if not path.is_file():
        return {}
    return _parse_catalog(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _parse_catalog(path: str, mtime_ns: int, size: int) -> dict[str, dict]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputFileError(f"{path} cannot be read ({error.strerror}); check its permissions.") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputFileError(f"{path} is not valid TOML ({error}); fix it and ingest again.") from error


def _mark_title(block: Block, title: str) -> Block:
    """A heading that repeats the text's title (or its first part, before a subtitle) is the
    title, not a section."""
    heading, whole = " ".join(block.text.split()).casefold(), " ".join(title.split()).casefold()
    if block.kind == "heading" and (
        heading == whole or whole.startswith(heading + " (") or whole.startswith(heading + ":")
    ):
        return Block("title", block.text)
    return block


def _meta(path: Path, facts: dict, blocks: list[Block]) -> TextMeta:
    first_heading = next((b.text for b in blocks[:1] if b.kind == "heading"), None)
    title = str(facts.get("title") or first_heading or path.stem.replace("-", " ").replace("_", " ").title())
    year = facts.get("year")
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    return TextMeta(
        title=title,
        author=str(facts.get("author") or "Unknown"),
        year=year,
        source=str(facts.get("source") or ""),
        language=str(facts.get("language") or "en"),
        questions=_questions(facts.get("questions"), path),
    )


def _questions(value, path: Path) -> dict[str, list[str]]:
    """Curated questions: a table keyed by passage number or section title, each a list."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(isinstance(q, str) for q in v) for v in value.values()
    ):
        raise InputFileError(
            f"'questions' for {path.name} must map a passage number or section title to a list "
            "of questions; fix the catalog entry or front matter."
        )
    return {str(k): [q.strip() for q in v if q.strip()] for k, v in value.items()}
