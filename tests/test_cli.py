"""The studybot command as a user runs it: real process, real database, no tracebacks."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def studybot(*args, db=None, cwd=None, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    env.update(env_extra or {})
    command = [sys.executable, "-m", "bot"] + (["--db", str(db)] if db else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=60)


@pytest.fixture
def db(corpus_db, tmp_path):
    path = tmp_path / "cli.db"
    shutil.copy(corpus_db, path)
    return path


def test_search_prints_cited_excerpts(db):
    result = studybot("search", "Kronstadt", db=db)
    assert result.returncode == 0, result.stderr
    assert "**Kronstadt**" in result.stdout
    assert "passage" in result.stdout and "Trotsky" in result.stdout


def test_search_json_carries_the_whole_paragraph(db):
    result = studybot("search", "Kronstadt", "--json", "--limit", "3", db=db)
    data = json.loads(result.stdout)
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert "Kronstadt" in hit["paragraph"] and len(hit["paragraph"]) >= len(hit["excerpt"]) - 10
        assert hit["citation"] and hit["passage"] >= 1


@pytest.mark.parametrize("query", ['"', "NEAR(", "(((", "🙂", "a" * 5000, "-x", "\x01"])
def test_hostile_queries_never_print_a_traceback(db, query):
    result = studybot("search", query, db=db)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.strip()


def test_excluded_word_is_not_taken_for_an_option(db):
    result = studybot("search", "Stalin", "-Trotsky", "--limit", "5", db=db)
    assert result.returncode == 0 and result.stdout.count("passage") >= 1


def test_texts_and_passages(db):
    texts = studybot("texts", "--json", db=db)
    slugs = [t["text"] for t in json.loads(texts.stdout)]
    assert "trotsky-soviet-thermidor-1936" in slugs and len(slugs) == 5
    shown = studybot("passages", "thermidor", "--show", "1", db=db)
    assert shown.returncode == 0 and "Why Stalin Triumphed" in shown.stdout


def test_passage_out_of_range_says_the_range(db):
    result = studybot("passages", "thermidor", "--show", "999", db=db)
    assert result.returncode == 1
    assert "passages 1 to 15" in result.stderr and "Traceback" not in result.stderr


def test_ingest_of_missing_path_and_bad_files(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    missing = studybot("ingest", str(tmp_path / "nope.txt"), db=tmp_path / "x.db")
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    bad = studybot("ingest", str(tmp_path / "empty.txt"), db=tmp_path / "x.db")
    assert bad.returncode == 1 and "is empty" in bad.stderr
    assert "Traceback" not in missing.stderr + bad.stderr


def test_database_path_that_cannot_be_opened(tmp_path):
    (tmp_path / "notadb").write_bytes(b"this is not sqlite" * 100)
    result = studybot("texts", db=tmp_path / "notadb")
    assert result.returncode == 1 and "Cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_path_comes_from_dotenv(tmp_path, corpus_db):
    shutil.copy(corpus_db, tmp_path / "from-env.db")
    (tmp_path / ".env").write_text("STUDYBOT_DB=from-env.db\n")
    result = studybot("texts", cwd=tmp_path, env_extra={"PYTHONPATH": str(ROOT)})
    assert "trotsky-selections" in result.stdout
