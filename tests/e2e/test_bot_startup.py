"""`studybot run` as a host runs it: a rejected token, and a token that never reaches the log."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.conftest import run_bot_process as run_bot

pytestmark = pytest.mark.bot_process


@pytest.fixture
def db_path(corpus_db, tmp_path):
    path = tmp_path / "bot.db"
    shutil.copy(corpus_db, path)
    return path


async def test_a_rejected_token_ends_run_with_one_sentence_and_no_traceback(fake, db_path):
    code, output = await run_bot(fake, db_path, DISCORD_TOKEN="not-the-token")
    assert code == 1
    assert "Discord rejected the token" in output and "Reset Token" in output
    assert "Traceback" not in output
    assert "not-the-token" not in output


async def test_the_token_never_reaches_the_log_even_at_debug_level(fake, db_path):
    code, output = await run_bot(fake, db_path, STUDYBOT_LOG_LEVEL="DEBUG")
    assert code is None, output  # it was running, connected, until stopped
    assert fake.identify_count >= 1
    assert "logging in" in output and fake.token not in output
    assert "voice will NOT be supported" not in output
