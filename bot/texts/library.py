"""A library of texts: adding files to it, and finding a text or passage by what a reader types."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from bot.errors import InputFileError, NotFoundError, StoreError, StudyError
from bot.models import StoredPassage, Text
from bot.store import Store, ingest_turn
from bot.texts import fetch, sources
from bot.texts import files as corpus
from bot.texts.disk import TEXT_SUFFIXES
from bot.texts.hands import APPARATUS, MAX_FRONT_PASSAGES, Hand, hand_of, set_apart_front_matter
from bot.texts.names import printable
from bot.texts.progress import IngestProgress
from bot.texts.segment import Pace, segment
from bot.texts.sources import Source

IngestStatus = Literal["added", "updated", "unchanged", "failed"]
MERGED_AT_MOST = 3
"""Up to this many files, each text is merged into search's term lists as it is stored (what it
costs follows the text); more, and the lists are built once at the end instead (what it costs
follows the library: 10-20 s at 50 MB, less than merging hundreds of texts one by one)."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOutcome:
    path: Source
    status: IngestStatus
    slug: str = ""
    passages: int = 0
    words: int = 0
    message: str = ""
    """Why it failed; or, when its name was another text's, which slug it got instead."""

    @property
    def name(self) -> str:
        """The path as given, printable whatever bytes its name holds."""
        return printable(self.path)


def ingest(
    store: Store,
    paths: Sequence[Source],
    pace: Pace = Pace(),
    *,
    replace: bool = False,
    policy: fetch.FetchPolicy | None = None,
    progress: IngestProgress | None = None,
    guild_id: int | None = None,
) -> list[IngestOutcome]:
    """Read, heal, segment and store each file or web page (folders: the files they hold), and
    say what became of each: to `progress` as it happens, and in the list returned. `policy`
    bounds fetching. The texts go to the shared library, or to one server's own (`guild_id`),
    which only that server sees.

    Every file gets its outcome whatever happens to the others: a file that cannot be read, or
    breaks anything on the way, is reported with the reason and stored nowhere. A file's text is
    stored whole or not at all. Only the same file (same absolute path) updates a text, or any
    file with `replace`, which updates the text its name gives; otherwise a file whose name is
    another text's becomes a text of its own ("name-2"). One ingest runs at a time per database:
    `progress.waiting` is told if this one has to wait for another.
    """
    progress = progress or IngestProgress()
    outcomes: list[IngestOutcome] = []
    work: list[tuple[Source, str | None]] = []  # each file or address, or why a path gave none
    for given in paths:
        try:
            work.extend((found, None) for found in sources.expand([given]))
        except InputFileError as error:
            work.append((given, str(error)))
    progress.begin([source for source, _ in work])
    many = len(work) > MERGED_AT_MOST
    with ingest_turn(store.path, progress.waiting):
        for source, problem in work:
            if problem is not None:
                outcome = IngestOutcome(source, "failed", message=problem)
            else:
                where = Destination(guild_id, many)
                outcome = _ingest_one(store, source, pace, replace, policy, progress, where)
            outcomes.append(outcome)
            progress.finished(outcome)
        if many and any(o.status in ("added", "updated") for o in outcomes):
            progress.indexing()
            store.refresh_term_lists()  # search's per-term best paragraphs, built once for them all
    return outcomes


@dataclass(frozen=True)
class Destination:
    """Which library a file goes to (None: the shared one), and whether the term lists are
    rebuilt once at the end (`lists_later`) instead of taking in each text as it is stored."""

    guild_id: int | None
    lists_later: bool


def _ingest_one(
    store: Store,
    source: Source,
    pace: Pace,
    replace: bool,
    policy: fetch.FetchPolicy | None,
    progress: IngestProgress,
    where: Destination,
) -> IngestOutcome:
    """One file's or page's outcome; nothing it does escapes as an exception, bar the database's
    own trouble (a full disk, a damaged file: a StoreError), which ends the ingest in one
    sentence, the texts stored before it kept, and KeyboardInterrupt."""
    try:
        return _store_source(store, source, pace, replace, policy, progress, where)
    except StoreError:
        raise  # not this file's fault: every file after it would fail the same way
    except StudyError as error:
        return IngestOutcome(source, "failed", message=str(error))
    except Exception as error:  # a bug or the machine (memory, disk): this file only
        log.debug("ingest of %s failed", printable(source), exc_info=True)  # shown with --verbose
        return IngestOutcome(
            source,
            "failed",
            message=f"{_short_name(source)} could not be stored ({type(error).__name__}); nothing of it was kept.",
        )


def _short_name(source: Source) -> str:
    return printable(source if isinstance(source, str) else source.name)


def _store_source(
    store: Store,
    source: Source,
    pace: Pace,
    replace: bool,
    policy: fetch.FetchPolicy | None,
    progress: IngestProgress,
    where: Destination,
) -> IngestOutcome:
    key = source if isinstance(source, str) else corpus.source_key(source)
    slug = sources.slug_of(source)
    raw: corpus.RawFile | None = None
    text: corpus.SourceText | None = None
    if isinstance(source, Path) and source.suffix.lower() in TEXT_SUFFIXES:
        # A text file's bytes are hashed before it is decoded and healed: an unchanged file costs a read.
        raw = corpus.read_raw(source)
        content_hash = raw.content_hash
    else:
        text = sources.read_source(source, partial(progress.reading, source), policy)
        content_hash = text.content_hash
    guild_id = where.guild_id
    same = (store.current_text_named(slug, guild_id) if replace else None) or _same_source(store, key, slug, guild_id)
    if same is None:
        copy = store.current_text_named(slug, guild_id)
        if copy is not None and copy.content_hash == content_hash:
            store.move_text(copy.id, key)  # the same text from a moved folder: not a new one
            same = copy
    if same is not None and same.content_hash == content_hash:
        return IngestOutcome(source, "unchanged", same.slug, same.passage_count, same.word_count)
    if raw is not None:
        text = corpus.prepare(raw)
        raw = None  # one form of a 50 MB text at a time keeps memory bounded: the bytes are done with,
    assert text is not None
    passages = segment(set_apart_front_matter(text.blocks), pace)
    meta = text.meta
    text = None  # and so are the healed blocks (the passages hold their paragraphs)
    if not where.lists_later:
        progress.indexing()
    stored, status = store.save_text(
        key,
        same.slug if same else slug,
        meta,
        content_hash,
        passages,
        update=bool(same),
        guild_id=guild_id,
        lists_later=where.lists_later,
    )
    renamed = status == "added" and stored.slug != slug
    note = f"'{slug}' is another file's text, so this one is '{stored.slug}'" if renamed else ""
    return IngestOutcome(source, status, stored.slug, stored.passage_count, stored.word_count, note)


def _same_source(store: Store, source: str, slug: str, guild_id: int | None) -> Text | None:
    """The current text stored from this file or address. Databases from before sources were
    absolute paths hold the path as it was typed: a relative one that leads here counts too."""
    found = store.current_text_from(source, guild_id)
    if found is not None:
        return found
    named = store.current_text_named(slug, guild_id)
    if named is None or fetch.is_url(source):
        return None
    stored = Path(store.text_source(named.id))
    return named if not stored.is_absolute() and corpus.source_key(stored) == source else None


def list_texts(store: Store) -> list[Text]:
    return store.texts()


def resolve_text(store: Store, ref: str) -> Text:
    """A text by slug, or by a unique part of its slug, title or author ("thermidor", "mandel")."""
    return resolve_texts(store, ref, unique=True)[0]


def resolve_texts(store: Store, ref: str, unique: bool = False) -> list[Text]:
    """Every current text whose slug, title or author contains `ref`, case-insensitively."""
    texts = store.texts()
    if not texts:
        raise NotFoundError("No texts are loaded yet; run `studybot ingest` first.")
    found = texts_matching(texts, ref)
    if not found:
        raise NotFoundError(f"No text matches '{ref}'; the texts are: {', '.join(t.slug for t in texts)}.")
    if unique and len(found) > 1:
        raise NotFoundError(
            f"'{ref}' matches {len(found)} texts ({', '.join(t.slug for t in found)}); be more specific."
        )
    return found


def texts_matching(texts: list[Text], ref: str) -> list[Text]:
    """The texts `ref` names: exactly (its slug, else its title), else any whose slug, title or
    author contains it. For autocomplete, every text when `ref` is empty. A slug names one text
    even when others share its title ("same-name" and "same-name-2", both "Same Name")."""
    needle = ref.strip().lower()
    for exact in ([t for t in texts if t.slug == needle], [t for t in texts if t.meta.title.lower() == needle]):
        if exact:
            return exact
    return [t for t in texts if needle in t.slug or needle in t.meta.title.lower() or needle in t.meta.author.lower()]


def passages(store: Store, text: Text) -> list[StoredPassage]:
    return store.passages_of(text.id)


def passage(store: Store, text: Text, ordinal: int) -> StoredPassage:
    found = store.passage(text.id, ordinal)
    if found is None:
        raise NotFoundError(f"{text.meta.title} has passages 1 to {text.passage_count}; pick a number in that range.")
    return found


def passage_hand(store: Store, found: StoredPassage) -> Hand:
    """Whose words the passage is: the author's, another hand's (an editor's preface), or
    apparatus (a note on the e-text): see bot/texts/hands.py."""

    def at(ordinal: int) -> tuple[str, str] | None:
        other = found if ordinal == found.ordinal else store.passage(found.text_id, ordinal)
        return (other.section, other.body) if other is not None else None

    return hand_of(found.author, found.ordinal, at)


def first_reading_passage(store: Store, text: Text) -> int:
    """Where a plan starts by default: the first passage that is reading matter, past any note
    on the e-text or contents list (at most MAX_FRONT_PASSAGES are looked at)."""
    for ordinal in range(1, min(text.passage_count, MAX_FRONT_PASSAGES) + 1):
        found = store.passage(text.id, ordinal)
        if found is None or passage_hand(store, found).kind != APPARATUS:
            return ordinal
    return 1
