"""A library of texts: adding files to it, and finding a text or passage by what a reader types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from bot.errors import InputFileError, NotFoundError
from bot.models import StoredPassage, Text
from bot.store import Store
from bot.texts import sources
from bot.texts.fetch import FetchPolicy
from bot.texts.progress import IngestProgress
from bot.texts.segment import Pace, segment
from bot.texts.sources import Source

IngestStatus = Literal["added", "updated", "unchanged", "failed"]
MERGED_AT_MOST = 3
"""Up to this many files, each text is merged into search's term lists as it is stored (what it
costs follows the text); more, and the lists are built once at the end instead (what it costs
follows the library: 10-20 s at 50 MB, less than merging hundreds of texts one by one)."""


@dataclass(frozen=True)
class IngestOutcome:
    path: Source
    status: IngestStatus
    slug: str = ""
    passages: int = 0
    words: int = 0
    message: str = ""


def ingest(
    store: Store,
    paths: Sequence[Source],
    pace: Pace = Pace(),
    *,
    policy: FetchPolicy | None = None,
    progress: IngestProgress | None = None,
    guild_id: int | None = None,
) -> list[IngestOutcome]:
    """Read, heal, segment and store each file or web page; unchanged ones (same content hash)
    are skipped. `policy` bounds fetching; `progress` is told of each step. The texts go to the
    shared library, or to one server's own (`guild_id`), which only that server sees.

    One bad file does not stop the others: it is reported with the reason and stored nowhere.
    """
    progress = progress or IngestProgress()
    outcomes: list[IngestOutcome] = []
    items = sources.expand(paths)
    progress.begin(items)
    for path in items:
        slug = sources.slug_of(path)
        try:
            source = sources.read_source(path, partial(progress.reading, path), policy)
        except InputFileError as error:
            outcomes.append(IngestOutcome(path, "failed", slug, message=str(error)))
            progress.finished(outcomes[-1])
            continue
        previous_hash = store.current_text_hash(source.slug, guild_id)
        if previous_hash == source.content_hash:
            text = _current_text(store, source.slug, guild_id)
            outcomes.append(IngestOutcome(path, "unchanged", slug, text.passage_count, text.word_count))
            progress.finished(outcomes[-1])
            continue
        passages = segment(source.blocks, pace)
        many = len(items) > MERGED_AT_MOST
        if not many:
            progress.indexing()
        store.replace_text(source.slug, str(path), source.meta, source.content_hash, passages, guild_id, many)
        outcomes.append(
            IngestOutcome(
                path,
                "added" if previous_hash is None else "updated",
                slug,
                len(passages),
                sum(p.word_count for p in passages),
            )
        )
        progress.finished(outcomes[-1])
    if len(items) > MERGED_AT_MOST and any(o.status in ("added", "updated") for o in outcomes):
        progress.indexing()
        store.refresh_term_lists()  # search's per-term best paragraphs, built once for them all
    return outcomes


def _current_text(store: Store, slug: str, guild_id: int | None) -> Text:
    return next(t for t in store.view(guild_id).texts() if t.slug == slug and t.guild_id == guild_id)


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
    """The texts `ref` names: exactly (slug or title), else any whose slug, title or author
    contains it. For autocomplete, every text when `ref` is empty."""
    needle = ref.strip().lower()
    exact = [t for t in texts if t.slug == needle or t.meta.title.lower() == needle]
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
