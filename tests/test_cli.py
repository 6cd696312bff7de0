"""The studybot command as a user runs it: real database, one sentence for every mistake.

Commands run in this process through click's CliRunner; what only a real process shows (main()
turning an error into one line with no traceback, settings read from .env at start-up) runs as
one.
"""

import json
import re
import shutil

import click
import pytest

from bot.cli import cli
from bot.errors import NotFoundError
from tests.conftest import CORPUS_SLUGS, ROOT
from tests.helpers import studybot, studybot_process


def test_search_prints_cited_excerpts(store, tmp_path):
    result = studybot("search", "Kronstadt", db=store.path, folder=tmp_path)
    assert result.exit_code == 0, result.output
    assert "**Kronstadt**" in result.stdout
    assert "passage" in result.stdout and "Trotsky" in result.stdout


def test_search_json_carries_the_whole_paragraph(store, tmp_path):
    result = studybot("search", "Kronstadt", "--json", "--limit", "3", db=store.path, folder=tmp_path)
    data = json.loads(result.stdout)
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert "Kronstadt" in hit["paragraph"] and len(hit["paragraph"]) >= len(hit["excerpt"]) - 10
        assert hit["citation"] and hit["passage"] >= 1


@pytest.mark.parametrize("query", ['"', "NEAR(", "(((", "🙂", "a" * 5000, "-x", "\x01"])
def test_hostile_queries_are_answered_not_failed(store, tmp_path, query):
    result = studybot("search", query, db=store.path, folder=tmp_path)
    assert result.exit_code == 0 and result.exception is None
    assert result.stdout.strip()


def test_excluded_word_is_not_taken_for_an_option(store, tmp_path):
    result = studybot("search", "Stalin", "-Trotsky", "--limit", "5", db=store.path, folder=tmp_path)
    assert result.exit_code == 0 and result.stdout.count("passage") >= 1


def test_texts_and_passages(store, tmp_path):
    listed = studybot("texts", "--json", db=store.path, folder=tmp_path)
    assert sorted(t["text"] for t in json.loads(listed.stdout)) == sorted(CORPUS_SLUGS)
    shown = studybot("passages", "thermidor", "--show", "1", db=store.path, folder=tmp_path)
    assert shown.exit_code == 0 and "Why Stalin Triumphed" in shown.stdout


def test_passage_out_of_range_says_the_range(tiny_store, tmp_path):
    result = studybot("passages", "soil", "--show", "11", db=tiny_store.path, folder=tmp_path)
    assert isinstance(result.exception, NotFoundError) and "passages 1 to 10" in str(result.exception)


def test_ingest_of_a_missing_path_and_of_a_bad_file(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    missing = studybot("ingest", str(tmp_path / "nope.txt"), db=tmp_path / "x.db", folder=tmp_path)
    assert missing.exit_code == 1 and "does not exist" in missing.stderr  # a line of its own, like any file
    bad = studybot("ingest", str(tmp_path / "empty.txt"), db=tmp_path / "x.db", folder=tmp_path)
    assert bad.exit_code == 1 and "is empty" in bad.stderr


def test_every_command_and_option_says_what_it_does(tmp_path):
    listing = studybot("--help", folder=tmp_path)
    assert listing.exit_code == 0
    for name, command in cli.commands.items():
        assert command.help and command.get_short_help_str(), f"studybot {name} has no help"
        assert re.search(rf"^  {re.escape(name)} +\w", listing.stdout, re.M), f"studybot --help lists {name} bare"
        own = studybot(name, "--help", folder=tmp_path)
        assert own.exit_code == 0 and " ".join(command.help.split()[:8]) in " ".join(own.stdout.split())
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"studybot {name} {param.opts[0]} has no help"


# -- as a process: start-up and main()'s one-line errors ------------------------------------------


def test_database_path_that_cannot_be_opened(tmp_path):
    (tmp_path / "notadb").write_bytes(b"this is not sqlite" * 100)
    result = studybot_process("texts", db=tmp_path / "notadb")
    assert result.returncode == 1 and "Cannot open the database" in result.stderr
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_a_mistake_is_one_line_on_stderr_with_no_traceback(tiny_store):
    result = studybot_process("passages", "soil", "--show", "11", db=tiny_store.path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "Error: Notes on Soil has passages 1 to 10; pick a number in that range.\n"


def test_db_path_comes_from_dotenv(tmp_path, corpus_db):
    shutil.copy(corpus_db, tmp_path / "from-env.db")
    (tmp_path / ".env").write_text("STUDYBOT_DB=from-env.db\n")
    result = studybot_process("texts", cwd=tmp_path, env_extra={"PYTHONPATH": str(ROOT)})
    assert "trotsky-selections" in result.stdout
