"""A server's own library: texts its organisers add from Discord (a file or a web page), list,
rename and remove. Only that server sees them (Store.view); the shared library is the host's.

Bounds: an upload or page of at most `LibraryLimits.upload_bytes` (Discord's 25 MiB by
default), read by the same readers as `studybot ingest` (each with its own bounds: zip bombs,
entities, page counts, time); a server holds at most `server_texts` texts of at most
`server_bytes` of text in all. Whatever is wrong is one sentence, and the library is unchanged.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from bot.config import LibraryLimits
from bot.errors import InputFileError, InvalidSettingError, NotFoundError
from bot.models import Group, StoredPassage, Text
from bot.store import Store
from bot.texts import sources
from bot.texts.fetch import FetchPolicy, is_url
from bot.texts.library import texts_matching
from bot.texts.progress import IngestProgress
from bot.texts.segment import Pace, segment

MAX_TITLE_CHARS = 200
MAX_AUTHOR_CHARS = 120
MIB = 1024 * 1024
_adding = threading.Lock()
"""Additions take turns for their last step (quota, name, store): two at once could both fit a
quota that has room for one."""


class QuotaError(InvalidSettingError):
    """A server's library is full."""


@dataclass(frozen=True)
class Upload:
    """A file an organiser attached: its name as they gave it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class AddedText:
    text: Text
    first: StoredPassage
    sections: int


@dataclass(frozen=True)
class ServerLibrary:
    """What /library list shows."""

    texts: tuple[Text, ...]
    leaving: tuple[tuple[Text, tuple[Group, ...]], ...]
    """Removed texts a plan still reads, with those plans."""
    used_texts: int
    used_bytes: int
    limits: LibraryLimits


class ProgressLine(IngestProgress):
    """The step an addition is at, as one line ("Reading chapter 7 of 21 …"): a front end shows
    it when it likes (Discord edits its reply at most every 2 s). Safe to read from another thread."""

    def __init__(self, line: str = "Reading the file …"):
        self.line = line  # one reference, replaced whole: reading it needs no lock

    def reading(self, source, done: int, total: int, unit: str) -> None:
        self.line = f"Reading {unit} {min(done + 1, total)} of {total} …"

    def say(self, line: str) -> None:
        self.line = line

    def indexing(self) -> None:
        self.line = "Adding it to the search index …"


def add_text(
    store: Store,
    guild_id: int,
    source: Upload | str,
    *,
    limits: LibraryLimits,
    title: str | None = None,
    author: str | None = None,
    pace: Pace = Pace(),
    progress: IngestProgress | None = None,
) -> AddedText:
    """Read an uploaded file or a web page into the server's own library, under a name no
    text it sees has; `title` and `author` override the file's. Nothing is stored unless all
    of it could be read and it fits the server's quota."""
    progress = progress or IngestProgress()
    title, author = _clean(title, "title", MAX_TITLE_CHARS), _clean(author, "author", MAX_AUTHOR_CHARS)
    _check_room(store, guild_id, limits, adding=0)
    if isinstance(progress, ProgressLine):
        progress.say("Reading the file …")
    try:
        read = _read(source, limits, progress)
    except InputFileError as error:
        raise InputFileError(for_organisers(str(error))) from error
    seen = next((t for t in store.view(guild_id).texts() if t.content_hash == read.content_hash), None)
    if seen is not None:
        where = "this server's library" if seen.guild_id is not None else "the shared library"
        raise InputFileError(f"That is already in {where}, as {seen.meta.title} ({seen.slug}); nothing was added.")
    meta = dataclasses.replace(read.meta, title=title or read.meta.title, author=author or read.meta.author)
    if isinstance(progress, ProgressLine):
        progress.say("Cutting it into passages …")
    passages = segment(read.blocks, pace)
    size = sum(len(p.body.encode("utf-8")) for passage in passages for p in passage.paragraphs)
    progress.indexing()
    with _adding:
        _check_room(store, guild_id, limits, adding=size)
        slug = store.free_slug(read.slug, guild_id)
        text_id = store.replace_text(slug, _origin(source), meta, read.content_hash, passages, guild_id)
    text = store.get_text(text_id)
    first = store.passage(text_id, 1)
    assert first is not None  # a text has at least one passage (segment makes one per paragraph or more)
    return AddedText(text, first, len({p.section for p in passages}))


WORDING = (
    ("download it and ingest the file", "download it and add the file"),
    ("and ingest that", "and add that"),
    ("and ingest again", "and add it again"),
)
"""The readers' sentences speak to the host at a terminal (`studybot ingest`); organisers add."""


def for_organisers(sentence: str) -> str:
    for host, organiser in WORDING:
        sentence = sentence.replace(host, organiser)
    return sentence


def _clean(value: str | None, what: str, limit: int) -> str | None:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise InvalidSettingError(f"That {what} is {len(value)} characters long; keep it under {limit}.")
    return value or None


def _check_room(store: Store, guild_id: int, limits: LibraryLimits, adding: int) -> None:
    texts, used = store.server_usage(guild_id)
    if texts >= limits.server_texts or used + adding > limits.server_bytes:
        full = (
            f"This server's library is full ({texts} of {limits.server_texts} texts, "
            f"{used / MIB:.1f} of {limits.server_bytes / MIB:.0f} MB of text)"
        )
        if adding and texts < limits.server_texts:
            full = f"This text ({adding / MIB:.1f} MB of text) does not fit in this server's library ({used / MIB:.1f} of {limits.server_bytes / MIB:.0f} MB used)"
        raise QuotaError(f"{full}; remove a text with /library remove to make room. Nothing was added.")


def _read(source: Upload | str, limits: LibraryLimits, progress: IngestProgress):
    """The upload or page read and healed: as `studybot ingest` reads a file or address."""
    if isinstance(source, str):
        url = source.strip()
        if not is_url(url):
            raise InputFileError(f"{url[:80]} is not a web address; give one as https://example.org/page.")
        policy = FetchPolicy(max_bytes=limits.upload_bytes, allow_hosts=limits.fetch_allow_hosts)
        return sources.read_source(url, lambda done, total, unit: progress.reading(url, done, total, unit), policy)
    if len(source.data) > limits.upload_bytes:
        raise InputFileError(
            f"{safe_name(source.name)} is {len(source.data) / MIB:.1f} MB; files up to "
            f"{limits.upload_bytes / MIB:.0f} MB can be added. Nothing was added."
        )
    with tempfile.TemporaryDirectory(prefix="studybot-upload-") as folder:
        path = Path(folder) / safe_name(source.name)
        path.write_bytes(source.data)
        return sources.read_source(path, lambda done, total, unit: progress.reading(path, done, total, unit))


def safe_name(name: str) -> str:
    """A file name of the upload's own, without folders or characters a file system minds:
    what it is read as (its suffix says its format) and named after."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")[:120]
    return base or "upload"


def _origin(source: Upload | str) -> str:
    return source.strip() if isinstance(source, str) else f"upload:{safe_name(source.name)}"


# -- the organisers' other verbs ------------------------------------------------------------------


def server_library(store: Store, guild_id: int, limits: LibraryLimits) -> ServerLibrary:
    used_texts, used_bytes = store.server_usage(guild_id)
    leaving = tuple((text, tuple(groups)) for text, groups in store.texts_leaving(guild_id))
    return ServerLibrary(tuple(store.server_texts(guild_id)), leaving, used_texts, used_bytes, limits)


def own_text(store: Store, guild_id: int, ref: str) -> Text:
    """One of the server's own texts, by any part of its name; a shared text is refused by name."""
    found = texts_matching(store.server_texts(guild_id), ref)
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(t.slug for t in found[:10])
        raise NotFoundError(f"'{ref}' matches {len(found)} of this server's texts ({names}); be more specific.")
    shared = texts_matching(store.view(None).texts(), ref)
    if shared:
        raise NotFoundError(
            f"{shared[0].meta.title} is in the shared library, which only the bot's host can change; "
            "/library list shows this server's own texts."
        )
    raise NotFoundError(f"This server's library has no text matching '{ref}'; /library list shows them.")


def remove_text(store: Store, guild_id: int, ref: str, now: datetime) -> tuple[Text, list[Group]]:
    """Take one of the server's texts out of its library; the plans still reading it, which keep
    it until they end, are returned."""
    text = own_text(store, guild_id, ref)
    return text, store.remove_text(text.id, now)


def finish_removals(store: Store) -> int:
    """Delete the removed texts whose last plan has ended (after a plan stops)."""
    return store.finish_removals()


def rename_text(store: Store, guild_id: int, ref: str, title: str, author: str | None = None) -> Text:
    text = own_text(store, guild_id, ref)
    new_title = _clean(title, "title", MAX_TITLE_CHARS)
    if new_title is None:
        raise InvalidSettingError("Give the text a title of a few words.")
    store.rename_text(text.id, new_title, _clean(author, "author", MAX_AUTHOR_CHARS))
    return store.get_text(text.id)
