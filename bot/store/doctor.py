"""`studybot doctor`: check a database file, and rebuild what can be derived again.

The stored texts, passages, paragraphs, groups, posts and reads are the record; the search
index (FTS5 table, its vocabulary, the triggers that feed it), each paragraph's canonical
spelling, the word counts and the term lists are all derived from the stored paragraphs, so a
damaged or dropped index can always be rebuilt. A check only reads; a repair writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.errors import DamagedDatabaseError, NotFoundError
from bot.store.database import (
    Store,
    could_not_share,
    count_words,
    reading_uri,
    rebuild_search_index,
    wal_holds_anything,
)
from bot.store.health import LATEST_VERSION, missing_objects, newer, reference_schema
from bot.store.index import term_lists_stamp
from bot.store.texts import LIBRARY_FINGERPRINT_SQL
from bot.terms.variants import SPELLING_RULES_VERSION

INDEX = "paragraphs_fts"
INTEGRITY_LINES = 10
"""Problems SQLite's integrity check lists at most (it stops there: a bound on its work)."""


@dataclass(frozen=True)
class Finding:
    ok: bool
    subject: str
    detail: str


@dataclass(frozen=True)
class Checkup:
    path: str
    findings: tuple[Finding, ...]
    advice: str
    """One sentence: what to do next (nothing, when all is well)."""

    @property
    def healthy(self) -> bool:
        return all(f.ok for f in self.findings)


def derived_objects() -> list[str]:
    """The schema objects rebuilt from the paragraphs: the index, what reads it (its vocabulary)
    and what feeds it (triggers), in the order the migrations make them; shadow tables of the
    index (paragraphs_fts_data, ...) come and go with it."""
    return [name for name, (_, sql) in reference_schema().items() if INDEX in sql and not _is_shadow(name)]


def _is_shadow(name: str) -> bool:
    return name.startswith(INDEX + "_")


def check(path: str | Path) -> Checkup:
    """Look at the file without writing to it: schema version, SQLite's integrity check, the
    schema's objects, the search index against the paragraphs, the derived tables."""
    path = str(path)
    if not Path(path).is_file():
        raise NotFoundError(f"There is no database at {path}; check --db or STUDYBOT_DB.")
    conn = sqlite3.connect(reading_uri(path), uri=True)
    try:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if not could_not_share(error) or wal_holds_anything(path):
                finding = Finding(False, "file", f"not a database SQLite can read ({error})")
                return Checkup(path, (finding,), "Check the path given by --db or STUDYBOT_DB, or restore a backup.")
            conn.close()  # a full disk: no room for the -shm file, as for any reader (Store)
            conn = sqlite3.connect(reading_uri(path, immutable=True), uri=True)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > LATEST_VERSION:
            finding = Finding(False, "schema", f"version {version}, newer than this studybot's {LATEST_VERSION}")
            return Checkup(path, (finding,), str(newer(path, version)))
        findings = [_version_finding(version), _integrity(conn)]
        if version == LATEST_VERSION:
            findings += [_schema(conn), _index(conn), _word_counts(conn), _derived_state(conn)]
    finally:
        conn.close()
    return Checkup(path, tuple(findings), _advice(findings, repaired=False))


def repair(path: str | Path) -> Checkup:
    """Bring the schema up to date, rebuild every derived object and table from the stored
    paragraphs in one transaction, then check again. A file from a newer studybot is refused."""
    path = str(path)
    if any(f.subject == "file" for f in check(path).findings):
        raise DamagedDatabaseError(
            f"{path} is not a database SQLite can read, so there is nothing to repair; check the path given by "
            "--db or STUDYBOT_DB, or restore a backup."
        )
    store = Store(path, maintain=False)  # migrations only: the rest may be what is broken
    try:
        surgery = False
        try:
            _rebuild(store)
        except DamagedDatabaseError:
            _cut_out_index(store)  # the index is too damaged to drop: remove it from the schema
            surgery = True
        if surgery:
            store.close()
            store = Store(path, maintain=False)
            _rebuild(store)
            store.conn.execute("VACUUM")  # frees the pages the damaged index held
    finally:
        store.close()
    try:
        Store(path).close()  # a writer's open builds the term lists
    except DamagedDatabaseError:
        pass  # reported by the check below
    after = check(path)
    return Checkup(after.path, after.findings, _advice(list(after.findings), repaired=True))


def _rebuild(store: Store) -> None:
    derived = derived_objects()
    reference = reference_schema()
    with store.transaction() as conn:
        for name in reversed(derived):  # triggers first, the index last
            kind = reference[name][0]
            conn.execute(f"DROP {kind.upper()} IF EXISTS {name}")
        for name in missing_objects(conn):  # the derived ones, and anything else dropped
            if not _is_shadow(name):
                conn.execute(reference[name][1])
        rebuild_search_index(conn)
        conn.execute("DELETE FROM term_lists")
        conn.execute("DELETE FROM meta WHERE key = 'term_lists'")


def _cut_out_index(store: Store) -> None:
    """Delete the index's entries from the schema table itself: DROP must read a table's pages to
    free them, which a damaged index does not allow. The pages are reclaimed by VACUUM."""
    names = derived_objects() + [n for n in reference_schema() if _is_shadow(n)]
    marks = ",".join("?" * len(names))
    with store.transaction() as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(f"DELETE FROM sqlite_master WHERE name IN ({marks})", names)
        conn.execute("PRAGMA writable_schema = OFF")


# -- the findings ----------------------------------------------------------------------------------


def _version_finding(version: int) -> Finding:
    if version == LATEST_VERSION:
        return Finding(True, "schema", f"version {version}, as this studybot writes")
    return Finding(False, "schema", f"version {version}, older than this studybot's {LATEST_VERSION}")


def _integrity(conn: sqlite3.Connection) -> Finding:
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({INTEGRITY_LINES})")]
    except sqlite3.DatabaseError as error:
        return Finding(False, "integrity", str(error))
    if rows == ["ok"]:
        return Finding(True, "integrity", "SQLite finds every page and index sound")
    lines = [line for row in rows for line in row.splitlines() if not line.startswith("***")]
    return Finding(False, "integrity", "; ".join(lines[:INTEGRITY_LINES]))


def _schema(conn: sqlite3.Connection) -> Finding:
    try:
        missing = missing_objects(conn)
    except sqlite3.DatabaseError as error:
        return Finding(False, "tables", str(error))
    if missing:
        return Finding(False, "tables", "missing " + ", ".join(missing))
    return Finding(True, "tables", "every table, index and trigger is there")


def _index(conn: sqlite3.Connection) -> Finding:
    """Every paragraph is in the index once, and every page of the index can be read (the
    vocabulary scan walks all of it)."""
    try:
        paragraphs = conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
        indexed = conn.execute(f"SELECT count(*) FROM {INDEX}_docsize").fetchone()[0]
        conn.execute("SELECT count(*), sum(cnt) FROM paragraphs_vocab").fetchone()
    except sqlite3.DatabaseError as error:
        return Finding(False, "search index", str(error))
    if indexed != paragraphs:
        return Finding(False, "search index", f"holds {indexed} paragraphs of {paragraphs}")
    return Finding(True, "search index", f"all {paragraphs} paragraphs, readable")


def _word_counts(conn: sqlite3.Connection) -> Finding:
    """The `words` table (spelling suggestions) equals a count made afresh from the paragraphs."""
    try:
        counts = count_words(conn)
        stored = dict(conn.execute("SELECT word, count FROM words").fetchall())
    except sqlite3.DatabaseError as error:
        return Finding(False, "word counts", str(error))
    if stored != dict(counts):
        wrong = sum(1 for w in counts.keys() | stored.keys() if counts.get(w) != stored.get(w))
        return Finding(False, "word counts", f"{wrong} of {len(counts)} words counted wrong")
    return Finding(True, "word counts", f"{len(counts)} words, as the paragraphs hold them")


def _derived_state(conn: sqlite3.Connection) -> Finding:
    """Spelling rules and term lists out of date are not damage: the next writer (an ingest,
    `studybot run`) brings them up to date, and search does without stale lists meanwhile."""
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        fingerprint = tuple(conn.execute(LIBRARY_FINGERPRINT_SQL).fetchone())
    except sqlite3.DatabaseError as error:
        return Finding(False, "derived tables", str(error))
    stale = []
    if meta.get("spelling_rules") != SPELLING_RULES_VERSION:
        stale.append("the index's spelling")
    if meta.get("term_lists") != term_lists_stamp(fingerprint):
        stale.append("the term lists")
    if stale:
        return Finding(
            True, "derived tables", f"{' and '.join(stale)} out of date; the next ingest or run rebuilds them"
        )
    return Finding(True, "derived tables", "up to date")


def _advice(findings: list[Finding], repaired: bool) -> str:
    if all(f.ok for f in findings):
        return "The database is sound." if not repaired else "The database is sound again."
    if not repaired:
        upgrade = (
            "bring the schema up to date and " if any(f.subject == "schema" and not f.ok for f in findings) else ""
        )
        return (
            f"Run `studybot doctor --repair` (with the bot stopped) to {upgrade}rebuild the search index from the "
            "stored paragraphs."
        )
    return (
        "The stored texts or groups are damaged as well, which a rebuild cannot mend: restore a backup of the "
        "database file, or salvage what can be read with `sqlite3 FILE .recover`."
    )
