"""`studybot` and each server's library: the host adds a text to one server with `ingest
--server ID` (or to the shared library without it) and looks at the library as a server sees it."""

from __future__ import annotations

import json

from tests.helpers import studybot
from tests.test_server_library import ledger

HOME, AWAY = "101", "202"


def test_ingest_with_server_adds_to_that_servers_library_only(tiny_store, tmp_path):
    book = tmp_path / "ledger.md"
    book.write_bytes(ledger())
    tiny_store.close()
    db = tiny_store.path
    added = studybot("ingest", str(book), "--server", HOME, db=db, folder=tmp_path)
    assert added.exit_code == 0, added.output
    assert "added      ledger:" in added.output

    listed = json.loads(studybot("texts", "--json", db=db, folder=tmp_path).output)
    assert {t["text"]: t["server"] for t in listed}["ledger"] == int(HOME)
    assert "[server 101]" in studybot("texts", db=db, folder=tmp_path).output
    assert "ledger" not in studybot("texts", "--server", AWAY, db=db, folder=tmp_path).output

    home = studybot("search", "zorblax", "--server", HOME, "--json", db=db, folder=tmp_path)
    away = studybot("search", "zorblax", "--server", AWAY, "--json", db=db, folder=tmp_path)
    assert json.loads(home.output)["hits"] and json.loads(away.output)["hits"] == []
    refused = studybot("passages", "ledger", "--server", AWAY, db=db, folder=tmp_path)
    assert refused.exit_code != 0 and "No text matches 'ledger'" in str(refused.exception)

    again = studybot("ingest", str(book), db=db, folder=tmp_path)  # the same file, now shared
    assert "added      ledger:" in again.output
    both = json.loads(studybot("texts", "--json", db=db, folder=tmp_path).output)
    assert {t["server"] for t in both if t["text"] == "ledger"} == {None, int(HOME)}


def test_a_server_id_must_be_a_positive_number(tmp_path):
    result = studybot("ingest", "x.md", "--server", "-3", db=tmp_path / "s.db", folder=tmp_path)
    assert result.exit_code == 2 and "--server" in result.output
