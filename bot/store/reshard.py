"""Copying servers' rows from one database into another (`studybot reshard`).

A server's rows are those naming it (its groups, its own texts, its curated questions and
suggestions) and those hanging off them (a group's posts, reads, members' reminders, catch-ups,
thread posts, digests, polls, options; a text's passages, paragraphs, words and index terms, the
model's questions cached for them). `SERVER_ROWS` says, once, how to find each table's rows of
a server: copying reads them by it, and the check after counts them by it on both sides.

Ids: a group's, a post's, a suggestion's and a reminder's id are kept when the target has it
free, so the buttons on posts already made (Mark as read names its post) keep working. A target
merging two sources numbers a clashing row anew, above the largest id of its table in ANY source
(`id_ceilings`), so a renumbered row never takes an id that an old button names: the old buttons
of a renumbered post name a row of another source's server, which Mark as read and Suggest refuse
(the post must be their channel's, and the message pressed the post's own message). Texts get the
target's ids (its shared library has its own), found by slug and content for the shared
library's texts.

Every source table is read once, each row routed to its server's new database (`copy_servers`):
linear in the rows copied, whatever the number of new databases, plus the shared library once
into each new database; one text's paragraphs in memory at a time.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bot.store.statistics import change_word_counts, count_library_change
from bot.terms.variants import TOKEN


def _by_group(table: str) -> str:
    return f"SELECT x.*, g.guild_id AS server FROM {table} x JOIN groups g ON g.id = x.group_id"


def _by_text(table: str) -> str:
    return (
        f"SELECT x.*, t.guild_id AS server FROM {table} x JOIN texts t ON t.id = x.text_id WHERE t.guild_id IS NOT NULL"
    )


def _own(table: str, where: str = "") -> str:
    return f"SELECT x.*, x.guild_id AS server FROM {table} x{where}"


SERVER_ROWS: dict[str, str] = {
    "texts": _own("texts", " WHERE x.guild_id IS NOT NULL"),
    "passages": _by_text("passages"),
    "paragraphs": _by_text("paragraphs"),
    "text_words": _by_text("text_words"),
    "text_terms": _by_text("text_terms"),
    "llm_questions": (
        "SELECT x.*, t.guild_id AS server FROM llm_questions x JOIN passages p ON p.id = x.passage_id "
        "JOIN texts t ON t.id = p.text_id WHERE t.guild_id IS NOT NULL"
    ),
    "groups": _own("groups"),
    "group_options": _by_group("group_options"),
    "deliveries": _by_group("deliveries"),
    "reads": _by_group("reads"),
    "thread_posts": (
        "SELECT x.*, g.guild_id AS server FROM thread_posts x JOIN deliveries d ON d.id = x.delivery_id "
        "JOIN groups g ON g.id = d.group_id"
    ),
    "question_suggestions": _own("question_suggestions"),
    "server_question_sets": _own("server_question_sets"),
    "server_questions": _own("server_questions"),
    "reminder_settings": _by_group("reminder_settings"),
    "reminders": _by_group("reminders"),
    "catchup_plans": _by_group("catchup_plans"),
    "digests": _by_group("digests"),
    "text_polls": _by_group("text_polls"),
}
"""Each table's rows that are a server's, each with its server (`server`): read in one pass
(never a query per server: linear in the rows). A new table keyed by server or group must be
added here (and below, with the ids it names): tests/test_reshard.py fails for one missing."""

TEXT_TABLES = ("texts", "passages", "paragraphs", "text_words", "text_terms", "llm_questions")
"""Copied with their text (ServerCopy.text); the rest of SERVER_ROWS by NAMES."""

NAMES: dict[str, dict[str, str]] = {
    "groups": {"text_id": "texts"},
    "group_options": {"group_id": "groups"},
    "deliveries": {"group_id": "groups"},
    "reads": {"group_id": "groups", "passage_id": "passages"},
    "thread_posts": {"delivery_id": "deliveries"},
    "question_suggestions": {"group_id": "groups", "delivery_id": "deliveries", "text_id": "texts"},
    "server_question_sets": {"text_id": "texts"},
    "server_questions": {"text_id": "texts"},
    "reminder_settings": {"group_id": "groups"},
    "reminders": {"group_id": "groups", "delivery_id": "deliveries"},
    "catchup_plans": {"group_id": "groups"},
    "digests": {"group_id": "groups"},
    "text_polls": {"group_id": "groups"},
}
"""For each table of a server's rows after its texts (in copying order): which of its columns
name a row of which table (given the target's id)."""

KEPT_IDS = {"groups", "deliveries", "question_suggestions", "reminders"}
"""Tables whose ids buttons and messages name: kept when free in the target."""

SHARED_REFERENCES = (
    "SELECT text_id, guild_id FROM groups",
    "SELECT text_id, guild_id FROM question_suggestions",
    "SELECT text_id, guild_id FROM server_question_sets",
)
"""The texts a server's rows name (the shared library's among them)."""


def server_row_counts(conn: sqlite3.Connection) -> dict[str, Counter]:
    """How many rows of each table each server has (the check after copying): a pass a table."""
    return {
        table: Counter(dict(conn.execute(f"SELECT server, count(*) FROM ({query}) GROUP BY server").fetchall()))
        for table, query in SERVER_ROWS.items()
    }


def id_ceilings(sources: Iterable[sqlite3.Connection]) -> dict[str, int]:
    """The largest id of each KEPT_IDS table in any source: renumbered rows are given ids above
    it (one indexed lookup a table and source)."""
    ceilings = dict.fromkeys(KEPT_IDS, 0)
    for conn in sources:
        for table in KEPT_IDS:
            ceilings[table] = max(ceilings[table], conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0)
    return ceilings


def shared_texts(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(slug, content hash) of every version of the shared library's texts (clusters re-ingest
    the bundled library at start, so their versions drift apart)."""
    return [(r[0], r[1]) for r in conn.execute("SELECT slug, content_hash FROM texts WHERE guild_id IS NULL")]


def make_newest_current(target: sqlite3.Connection, sources: Iterable[sqlite3.Connection]) -> None:
    """Of the shared texts' versions current in some source, the newest is the target's current
    one: one no source replaced (holds as an older version) before one some source did, then
    the last ingested. Each server's groups keep the version they read (by id)."""
    current: list[tuple] = []
    replaced: set[tuple] = set()
    for conn in sources:
        for is_current, ingested_at, *version in conn.execute(
            "SELECT is_current, ingested_at, slug, content_hash, passage_count, word_count FROM texts "
            "WHERE guild_id IS NULL"
        ):
            if is_current:
                current.append((ingested_at, tuple(version)))
            else:
                replaced.add(tuple(version))
    newest: dict[str, tuple] = {}
    for ingested_at, version in current:
        rank = (version not in replaced, ingested_at)
        if version[0] not in newest or rank > newest[version[0]][0]:
            newest[version[0]] = (rank, version)
    for slug, (_, version) in newest.items():
        target.execute(
            "UPDATE texts SET is_current = 0 WHERE guild_id IS NULL AND slug = ? AND is_current = 1", (slug,)
        )
        target.execute(
            """UPDATE texts SET is_current = 1 WHERE id = (SELECT id FROM texts WHERE guild_id IS NULL AND slug = ?
               AND content_hash = ? AND passage_count = ? AND word_count = ? ORDER BY id LIMIT 1)""",
            version,
        )


class ServerCopy:
    """Copies from one source connection into one target connection (inside the caller's
    transaction on the target), remembering the ids it gave: a source's shared texts are
    copied or found once, whichever servers use them."""

    def __init__(self, source: sqlite3.Connection, target: sqlite3.Connection, next_ids: dict[str, int]):
        """`next_ids`: for each KEPT_IDS table, the id a renumbered row gets next, above every
        source's ids (`id_ceilings`); shared by the copies into one target, which advance it."""
        self.source, self.target = source, target
        self.next_ids = next_ids
        self.ids: dict[str, dict[int, int]] = {"texts": {}, "passages": {}}
        self.renumbered = 0
        """Rows whose kept id was taken in the target (a merge of two sources): numbered anew."""

    # -- texts ----------------------------------------------------------------------------------

    def shared_library(self) -> int:
        """Every version of the source's shared texts, into the target unless it has it (which
        is current: `make_newest_current`, once every source is copied); how many were copied."""
        copied = 0
        for (text_id,) in self.source.execute("SELECT id FROM texts WHERE guild_id IS NULL ORDER BY id").fetchall():
            if self.text(text_id, copy_all=False):
                copied += 1
        return copied

    def text(self, text_id: int, copy_all: bool = True) -> bool:
        """Map a source text to the target's: a shared text found by slug, content and passages
        (one file cut at another pace is another version), else
        copied (a server's own texts always are, with `copy_all`). True when copied."""
        if text_id in self.ids["texts"]:
            return False
        row = self.source.execute("SELECT * FROM texts WHERE id = ?", (text_id,)).fetchone()
        if row["guild_id"] is None:
            found = self.target.execute(
                """SELECT id FROM texts WHERE guild_id IS NULL AND slug = ? AND content_hash = ?
                   AND passage_count = ? AND word_count = ? ORDER BY is_current DESC""",
                (row["slug"], row["content_hash"], row["passage_count"], row["word_count"]),
            ).fetchone()
            if found is not None:
                self._map_text(text_id, found[0])
                self._copy_cached_questions(text_id)
                return False
        elif not copy_all:
            return False
        self._copy_text(row)
        return True

    def _copy_text(self, row: sqlite3.Row) -> None:
        values = dict(row)
        source_id = values.pop("id")
        if values["is_current"]:
            taken = self.target.execute(
                "SELECT 1 FROM texts WHERE slug = ? AND guild_id IS ? AND is_current = 1",
                (values["slug"], values["guild_id"]),
            ).fetchone()
            values["is_current"] = 0 if taken else 1  # the target's own current version stays current
        text_id = insert(self.target, "texts", values)
        self.ids["texts"][source_id] = text_id
        words: Counter = Counter()
        for passage in self.source.execute("SELECT * FROM passages WHERE text_id = ? ORDER BY ordinal", (source_id,)):
            passage_values = dict(passage)
            passage_values.update(id=None, text_id=text_id)
            passage_id = insert(self.target, "passages", passage_values)
            self.ids["passages"][passage["id"]] = passage_id
            paragraphs = []
            for paragraph in self.source.execute(
                "SELECT * FROM paragraphs WHERE passage_id = ? ORDER BY ordinal", (passage["id"],)
            ):
                paragraph_values = dict(paragraph)
                paragraph_values.update(id=None, text_id=text_id, passage_id=passage_id)
                words.update(TOKEN.findall(paragraph["search"]))
                paragraphs.append(paragraph_values)
            insert_many(self.target, "paragraphs", paragraphs)  # the index follows, by trigger
        change_word_counts(self.target, words, Counter())
        for table in ("text_words", "text_terms"):
            rows = [
                dict(r) | {"text_id": text_id}
                for r in self.source.execute(f"SELECT * FROM {table} WHERE text_id = ?", (source_id,))
            ]
            insert_many(self.target, table, rows)
        self._copy_cached_questions(source_id)
        count_library_change(self.target)

    def _map_text(self, source_id: int, target_id: int) -> None:
        self.ids["texts"][source_id] = target_id
        theirs = dict(
            self.target.execute("SELECT ordinal, id FROM passages WHERE text_id = ?", (target_id,)).fetchall()
        )
        for passage_id, ordinal in self.source.execute(
            "SELECT id, ordinal FROM passages WHERE text_id = ?", (source_id,)
        ):
            self.ids["passages"][passage_id] = theirs[ordinal]

    def _copy_cached_questions(self, source_id: int) -> None:
        rows = self.source.execute(
            "SELECT * FROM llm_questions WHERE passage_id IN (SELECT id FROM passages WHERE text_id = ?)", (source_id,)
        )
        insert_many(
            self.target,
            "llm_questions",
            [dict(r) | {"passage_id": self.ids["passages"][r["passage_id"]]} for r in rows],
            or_ignore=True,
        )

    # -- servers ------------------------------------------------------------------------------

    def put(self, table: str, values: dict) -> None:
        """One row of a server's (`server` popped) into the target, the ids it names given."""
        for column, named in NAMES[table].items():
            if values[column] is not None:
                values[column] = self.ids[named][values[column]]
        if table == "text_polls":
            values["answers"] = json.dumps([self.ids["texts"][t] for t in json.loads(values["answers"])])
        if table not in KEPT_IDS:
            insert(self.target, table, values)
            return
        source_id = values["id"]
        if self.target.execute(f"SELECT 1 FROM {table} WHERE id = ?", (source_id,)).fetchone():
            values["id"] = self.next_ids[table]  # above every source's: no old button names it
            self.next_ids[table] += 1
            self.renumbered += 1
        self.ids.setdefault(table, {})[source_id] = insert(self.target, table, values)


def copy_servers(source: sqlite3.Connection, copies: Sequence[ServerCopy], route: Callable[[int], int]) -> None:
    """Every server's rows of one source into the target `route` gives it (an index into
    `copies`, each copying from `source`): its own texts first, then the shared texts it names,
    then each table in turn. Each source table is read once, whatever the number of targets:
    linear in the source's rows."""
    for text_id, guild_id in source.execute(
        "SELECT id, guild_id FROM texts WHERE guild_id IS NOT NULL ORDER BY id"
    ).fetchall():
        copies[route(guild_id)].text(text_id)
    named: list[set[int]] = [set() for _ in copies]
    for query in SHARED_REFERENCES:
        for text_id, guild_id in source.execute(query):
            named[route(guild_id)].add(text_id)
    for row in source.execute(SERVER_ROWS["text_polls"]):
        named[route(row["server"])].update(json.loads(row["answers"]))
    for copy, text_ids in zip(copies, named, strict=True):
        for text_id in sorted(text_ids):
            copy.text(text_id)
    for table in NAMES:
        for row in source.execute(SERVER_ROWS[table]):
            values = dict(row)
            copies[route(values.pop("server"))].put(table, values)


def settle(path: str | Path) -> None:
    """Leave a finished file whole: the last connection to close folds the WAL in and removes
    it (a reader's, like the checks', cannot)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT count(*) FROM meta").fetchone()
    finally:
        conn.close()


def insert(conn: sqlite3.Connection, table: str, values: dict) -> int:
    columns = list(values)
    cursor = conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [values[c] for c in columns],
    )
    return cursor.lastrowid or 0


def insert_many(conn: sqlite3.Connection, table: str, rows: Iterable[dict], or_ignore: bool = False) -> None:
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    conn.executemany(
        f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [[r[c] for c in columns] for r in rows],
    )
