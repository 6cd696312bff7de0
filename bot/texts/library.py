"""A library of texts: adding files to it, and finding a text or passage by what a reader types."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputFileError, NotFoundError, StudyError
from bot.models import StoredPassage, Text
from bot.store import Store, ingest_turn
from bot.texts import files as corpus
from bot.texts.names import printable, slug_for
from bot.texts.segment import Pace, segment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOutcome:
    path: Path
    status: str  # "added" | "updated" | "unchanged" | "failed"
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
    paths: Sequence[Path],
    pace: Pace = Pace(),
    *,
    replace: bool = False,
    report: Callable[[IngestOutcome], None] | None = None,
    waiting: Callable[[], None] | None = None,
) -> list[IngestOutcome]:
    """Read, heal, segment and store each file (folders: the text files they hold), and say what
    became of each, to `report` as it happens and in the list returned.

    Every file gets its outcome whatever happens to the others: a file that cannot be read, or
    breaks anything on the way, is reported with the reason and stored nowhere. A file's text is
    stored whole or not at all. Only the same file (same absolute path) updates a text, or any
    file with `replace`, which updates the text its name gives; otherwise a file whose name is
    another text's becomes a text of its own ("name-2"). One ingest runs at a time per database:
    `waiting` is called if this one has to wait for another.
    """
    outcomes: list[IngestOutcome] = []

    def record(outcome: IngestOutcome) -> None:
        outcomes.append(outcome)
        if report is not None:
            report(outcome)

    with ingest_turn(store.path, waiting):
        for given in paths:
            try:
                files = corpus.text_files(given)
            except InputFileError as error:
                record(IngestOutcome(given, "failed", message=str(error)))
                continue
            for path in files:
                record(_ingest_file(store, path, pace, replace))
        if any(o.status in ("added", "updated") for o in outcomes):
            store.refresh_term_lists()  # search's per-term best paragraphs, for the changed library
    return outcomes


def _ingest_file(store: Store, path: Path, pace: Pace, replace: bool) -> IngestOutcome:
    """One file's outcome; nothing it does escapes as an exception (bar KeyboardInterrupt)."""
    try:
        return _store_file(store, path, pace, replace)
    except StudyError as error:
        return IngestOutcome(path, "failed", message=str(error))
    except Exception as error:  # a bug or the machine (memory, disk): this file only
        log.debug("ingest of %s failed", printable(path), exc_info=True)  # shown with --verbose
        return IngestOutcome(
            path,
            "failed",
            message=f"{printable(path.name)} could not be stored ({type(error).__name__}); nothing of it was kept.",
        )


def _store_file(store: Store, path: Path, pace: Pace, replace: bool) -> IngestOutcome:
    raw = corpus.read_raw(path)
    source = corpus.source_key(path)
    slug = slug_for(path.stem)
    same = (store.current_text_named(slug) if replace else None) or _same_file(store, source, slug)
    if same is None:
        copy = store.current_text_named(slug)
        if copy is not None and copy.content_hash == raw.content_hash:
            store.move_text(copy.id, source)  # the same text from a moved folder: not a new one
            same = copy
    if same is not None and same.content_hash == raw.content_hash:
        return IngestOutcome(path, "unchanged", same.slug, same.passage_count, same.word_count)
    text = corpus.prepare(raw)
    del raw  # one form of a 50 MB text at a time keeps memory bounded: the bytes are done with,
    passages = segment(text.blocks, pace)
    meta, content_hash = text.meta, text.content_hash
    del text  # and so are the healed blocks (the passages hold their paragraphs)
    stored, status = store.save_text(
        source, same.slug if same else slug, meta, content_hash, passages, update=bool(same)
    )
    renamed = status == "added" and stored.slug != slug
    note = f"'{slug}' is another file's text, so this one is '{stored.slug}'" if renamed else ""
    return IngestOutcome(path, status, stored.slug, stored.passage_count, stored.word_count, note)


def _same_file(store: Store, source: str, slug: str) -> Text | None:
    """The current text stored from this file. Databases from before sources were absolute
    paths hold the path as it was typed: a relative one that leads here counts too."""
    found = store.current_text_from(source)
    if found is not None:
        return found
    named = store.current_text_named(slug)
    if named is None:
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
