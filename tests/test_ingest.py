"""Ingestion: metadata, idempotence, changed texts, and every kind of bad file."""

from pathlib import Path

import pytest

from bot import search, texts
from bot.texts import library
from bot.texts.files import read_text
from tests.conftest import CORPUS, CORPUS_FILES
from tests.helpers import studybot_process

PROSE = " ".join(f"Sentence number {i} says something about the party and the state." for i in range(80))


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_every_bundled_text_has_catalog_metadata(path):
    meta = read_text(path).meta
    assert meta.title and meta.author != "Unknown" and meta.year and meta.language == "en"


def test_reingesting_unchanged_texts_touches_nothing(store):
    before = store.query("SELECT id, content_hash FROM texts ORDER BY id")
    outcomes = texts.ingest(store, [CORPUS])
    assert {o.status for o in outcomes} == {"unchanged"}
    assert store.query("SELECT id, content_hash FROM texts ORDER BY id") == before


def test_changed_text_becomes_a_new_version_and_search_sees_only_it(empty_store, tmp_path):
    path = write(tmp_path, "essay.txt", f"Kronstadt first version.\n\n{PROSE}")
    texts.ingest(empty_store, [path])
    write(tmp_path, "essay.txt", f"Thermidor second version.\n\n{PROSE}")
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "updated"
    assert len(empty_store.texts()) == 1
    assert not search.search(empty_store, "Kronstadt").hits
    assert search.search(empty_store, "Thermidor").hits
    # No group reads the old version, so it is gone, with its index rows.
    assert empty_store.query("SELECT count(*) FROM texts")[0][0] == 1
    assert empty_store.query("SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'kronstadt'")[0][0] == 0


def test_markdown_with_front_matter(empty_store, tmp_path):
    path = write(
        tmp_path, "notes.md", f"---\ntitle: My Notes\nauthor: A. Reader\nyear: 2020\n---\n# Part one\n\n{PROSE}\n"
    )
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "added"
    [text] = empty_store.texts()
    assert (text.meta.title, text.meta.author, text.meta.year) == ("My Notes", "A. Reader", 2020)
    assert empty_store.passages_of(text.id)[0].section == "Part one"


def test_text_without_metadata_gets_sensible_defaults(empty_store, tmp_path):
    path = write(tmp_path, "on_the_state.txt", PROSE)
    texts.ingest(empty_store, [path])
    [text] = empty_store.texts()
    assert (text.slug, text.meta.title, text.meta.author) == ("on-the-state", "On The State", "Unknown")


def test_windows_1252_text_is_decoded(empty_store, tmp_path):
    path = write(tmp_path, "old.txt", b"Lenin\x92s \x93party\x94 grew. " + PROSE.encode("cp1252"))
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "added"
    assert "Lenin’s “party”" in empty_store.passages_of(empty_store.texts()[0].id)[0].body


def test_utf16_text_with_bom_is_decoded(empty_store, tmp_path):
    path = write(tmp_path, "wide.txt", b"\xff\xfe" + PROSE.encode("utf-16-le"))
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "added"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", "", "is empty"),
        ("blank.txt", "\n\n   \n", "is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("noise.txt", bytes(range(1, 32)) * 50, "binary"),
        ("latin.txt", b"\x81\x8d\x8f\x90\x9d" * 20, "cannot be told with confidence"),
        ("headings.txt", "Just A Title\n\nAnother Title", "no paragraphs"),
        ("bad.md", "---\ntitle: [unclosed\n---\nText here.", "front matter"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "studybot reads .txt, .md, .epub, .pdf and .html files"),
    ],
)
def test_bad_files_are_reported_and_nothing_is_stored(empty_store, tmp_path, name, content, message):
    path = write(tmp_path, name, content)
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "failed" and message in outcome.message
    assert empty_store.texts() == []


def test_one_bad_file_does_not_stop_the_others(empty_store, tmp_path):
    write(tmp_path, "a.txt", PROSE)
    write(tmp_path, "b.txt", "")
    outcomes = {o.path.name: o.status for o in texts.ingest(empty_store, [tmp_path])}
    assert outcomes == {"a.txt": "added", "b.txt": "failed"}


def test_a_missing_path_is_reported_and_the_others_still_load(empty_store, tmp_path):
    write(tmp_path, "a.txt", PROSE)
    missing, found = texts.ingest(empty_store, [tmp_path / "nowhere.txt", tmp_path / "a.txt"])
    assert missing.status == "failed" and "does not exist" in missing.message
    assert found.status == "added"


def test_failure_midway_leaves_no_half_written_text(empty_store, tmp_path, monkeypatch):
    path = write(tmp_path, "a.txt", PROSE)
    original = empty_store.conn

    class Exploding:
        def __init__(self, conn):
            self.conn, self.calls = conn, 0

        def execute(self, sql, *args):
            if sql.startswith("INSERT INTO paragraphs"):
                raise RuntimeError("disk full")
            return self.conn.execute(sql, *args)

        def executemany(self, sql, *args):
            if sql.startswith("INSERT INTO paragraphs"):
                raise RuntimeError("disk full")
            return self.conn.executemany(sql, *args)

    monkeypatch.setitem(empty_store._writers, "writer", Exploding(empty_store.writer_connection()))  # texts go there
    [outcome] = texts.ingest(empty_store, [path])
    monkeypatch.setattr(empty_store, "conn", original)
    assert outcome.status == "failed" and "could not be stored (RuntimeError)" in outcome.message
    assert empty_store.query("SELECT count(*) FROM texts")[0][0] == 0
    assert empty_store.query("SELECT count(*) FROM passages")[0][0] == 0


def test_a_catalog_entry_that_is_not_a_table_fails_that_file_only(empty_store, tmp_path):
    write(tmp_path, "catalog.toml", '"a.txt" = "Trotsky"\n')
    write(tmp_path, "a.txt", PROSE)
    write(tmp_path, "b.txt", PROSE)
    outcomes = {o.path.name: o for o in texts.ingest(empty_store, [tmp_path])}
    assert outcomes["a.txt"].status == "failed" and "must be a table" in outcomes["a.txt"].message
    assert outcomes["b.txt"].status == "added"


def test_a_short_heading_inside_the_title_is_still_a_section(empty_store, tmp_path):
    write(
        tmp_path,
        "betrayed.md",
        f"---\ntitle: The Revolution Betrayed\n---\n# The Revolution Betrayed\n\n## Betrayed\n\n{PROSE}\n",
    )
    texts.ingest(empty_store, [tmp_path / "betrayed.md"])
    [text] = empty_store.texts()
    assert empty_store.passages_of(text.id)[0].section == "Betrayed"


def test_every_file_gets_its_line_whatever_happens_to_the_others(tmp_path):
    """In a-good.txt, b-bad.md, c-good.txt only a-good used to be stored, and nothing said so."""
    write(tmp_path, "a-good.txt", PROSE)
    write(tmp_path, "b-bad.md", f"---\nyear: .inf\n---\n{PROSE}")
    write(tmp_path, "c-good.txt", PROSE)
    result = studybot_process("ingest", str(tmp_path), db=tmp_path / "db.sqlite")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "added      a-good: 2 passages, 880 words, from a-good.txt",
        "added      c-good: 2 passages, 880 words, from c-good.txt",
    ]
    assert result.stderr.splitlines() == [
        f"failed     {tmp_path / 'b-bad.md'}: The year of b-bad.md must be a whole number such as 1917; "
        "fix its front matter or catalog entry."
    ]


def test_a_bug_met_by_one_file_fails_that_file_only(empty_store, tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path, name, f"{name} here.\n\n{PROSE}")
    real_segment = library.segment

    def segment(blocks, pace):
        if blocks[0].text.startswith("b.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real_segment(blocks, pace)

    monkeypatch.setattr(library, "segment", segment)
    reported: list[texts.IngestOutcome] = []

    class Told(texts.IngestProgress):
        def finished(self, outcome: texts.IngestOutcome) -> None:
            reported.append(outcome)

    outcomes = texts.ingest(empty_store, [tmp_path], progress=Told())
    assert reported == outcomes
    assert [(o.path.name, o.status) for o in outcomes] == [("a.txt", "added"), ("b.txt", "failed"), ("c.txt", "added")]
    assert outcomes[1].message == "b.txt could not be stored (RecursionError); nothing of it was kept."
    assert [t.slug for t in empty_store.texts()] == ["a", "c"]
