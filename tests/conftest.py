"""Fixtures that build a real database: from the bundled corpus, or from the tiny library written
inline in tests/helpers.py (for tests about logic, whose numbers should not move when the bundled
texts change)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import texts
from bot.store import Store
from tests.helpers import TINY_PACE, write_tiny_library

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PROMPTS = ROOT / "prompts"
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))
CORPUS_SLUGS = [p.stem for p in CORPUS_FILES]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """The bundled corpus ingested once per test session; tests get copies."""
    path = tmp_path_factory.mktemp("corpus-db") / "studybot.db"
    store = Store(path)
    outcomes = texts.ingest(store, [CORPUS])
    assert {o.status for o in outcomes} == {"added"}
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture(scope="module")
def library(corpus_db, tmp_path_factory) -> Store:
    """The bundled corpus, shared by a module's read-only tests (cheaper than `store`)."""
    path = tmp_path_factory.mktemp("library") / "studybot.db"
    shutil.copy(corpus_db, path)
    opened = Store(path)
    yield opened
    opened.close()


@pytest.fixture
def store(corpus_db, tmp_path) -> Store:
    """A writable store holding the bundled corpus."""
    path = tmp_path / "studybot.db"
    shutil.copy(corpus_db, path)
    opened = Store(path)
    yield opened
    opened.close()


@pytest.fixture
def empty_store(tmp_path) -> Store:
    opened = Store(tmp_path / "empty.db")
    yield opened
    opened.close()


@pytest.fixture
def tiny_store(tmp_path) -> Store:
    """A writable store holding only the tiny library: three short texts, one passage a paragraph."""
    opened = Store(tmp_path / "tiny.db")
    outcomes = texts.ingest(opened, [write_tiny_library(tmp_path / "tiny")], TINY_PACE)
    assert {o.status for o in outcomes} == {"added"}
    yield opened
    opened.close()
