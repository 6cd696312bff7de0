"""Fixtures that build a real database from the real corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import texts
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PROMPTS = ROOT / "prompts"
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))


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
