"""`studybot console`: the bot's commands in a terminal, no token, time moved by hand."""

import os
import re
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime

import pytest

from bot.console import run_console
from tests.conftest import ROOT
from tests.helpers import studybot

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def session(store, *lines) -> str:
    out: list[str] = []
    run_console(store, MONDAY_NOON, lines=list(lines) + ["/quit"], echo=out.append)
    return "\n".join(out)


def test_a_newcomer_reads_today_searches_and_sees_progress(store):
    output = session(store, "/today", "/search Kronstadt", "/progress")
    assert "A demo group reads" in output
    assert "passage 1 of" in output  # posted at once: the post time had passed today
    assert "FOR DISCUSSION" in output
    assert "**Kronstadt**" in output
    assert re.search(r"\b1 of \d+ passages posted", output)


@pytest.mark.parametrize("hour", [0, 3, 8])
def test_a_console_started_before_nine_still_shows_a_post_at_once(store, hour):
    out: list[str] = []
    run_console(store, MONDAY_NOON.replace(hour=hour, minute=47), lines=["/today", "/quit"], echo=out.append)
    output = "\n".join(out)
    assert f"posting daily at {hour:02d}:47 UTC" in output
    assert "passage 1 of" in output and "FOR DISCUSSION" in output


def test_advancing_the_clock_makes_one_post_per_day_at_the_post_time(store):
    output = session(store, "/advance 2d", "/time")
    posts = [line for line in output.splitlines() if line.startswith("=== Daily post")]
    assert posts == [
        "=== Daily post, Mon 23 Nov 12:00 UTC ===",
        "=== Daily post, Tue 24 Nov 09:00 UTC ===",
        "=== Daily post, Wed 25 Nov 09:00 UTC ===",
    ]
    assert "Wed 25 Nov 12:00 UTC" in output


def test_marking_read_counts_in_progress_and_catchup(store):
    output = session(store, "/advance 1d", "/read", "/catchup", "/progress")
    assert "Marked as read: passage 2" in output
    assert "passage 1" in output.split("TO CATCH UP")[1]
    assert "Read 1 of 2 posted passages" in output


def test_mistakes_get_one_sentence_and_the_session_goes_on(store):
    output = session(store, "/passage x", "/bogus", "/study start nothing 25:00 Mars/Base", "/passage 999", "/texts")
    assert "Could not read that" in output
    assert "No command /bogus" in output
    assert "No text matches 'nothing'" in output
    assert "has passages 1 to" in output
    assert "TEXTS" in output and "Traceback" not in output


def test_the_console_works_on_a_copy_and_leaves_the_database_alone(store):
    session(store, "/advance 3d", "/read")
    assert store.query("SELECT count(*) FROM groups")[0][0] == 0
    assert store.query("SELECT count(*) FROM deliveries")[0][0] == 0


def test_studybot_console_runs_from_the_command_line(store, tmp_path):
    result = studybot("console", db=store.path, folder=tmp_path, input="/today\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "studybot console" in result.stdout and "FOR DISCUSSION" in result.stdout


def test_advancing_past_the_end_of_the_text_returns(corpus_db, tmp_path):
    """A real process: a console that never returned would hang this test until its timeout."""
    db = tmp_path / "c.db"
    db.write_bytes(corpus_db.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "console"],
        input="/study skip 100\n/advance 2d\n/time\n/quit\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "finished" in result.stdout  # and it came back: a hang would have hit the timeout


def test_an_organiser_edits_the_next_posts_questions_from_the_console(store):
    output = session(
        store,
        "/study edit",
        '/study edit "Is Clark fair to Trotsky here?" "why does the date of the theory matter?"',
        '/study edit 2 "Not a question"',
        "/advance 1d",
    )
    assert 'Questions for passage 2; to change them type:\n/study edit 2 "' in output
    assert "Saved 2 questions for passage 2" in output
    assert "Question 1 does not end with a question mark; nothing was saved." in output
    tuesday = output.split("=== Daily post, Tue 24 Nov 09:00 UTC ===")[1]
    assert "1. Is Clark fair to Trotsky here?\n2. Why does the date of the theory matter?" in tuesday


def test_a_suggestion_is_made_listed_and_approved_from_the_console(store):
    output = session(
        store,
        "/suggest Would Lenin have agreed with this?",
        "/study questions 1",
        "/study approve 1",
        "/study decline 1",
        "/study questions 1",
    )
    assert "[in the post's thread, for everyone]" in output
    assert "[Approve: /study approve 1]  [Decline: /study decline 1]" in output
    assert "Suggestions waiting (1)" in output
    assert "Approved: later groups on this server" in output
    assert "[in the post's thread, the message now reads]" in output and "Approved by <@1>" in output
    assert "This suggestion was already approved by <@1>." in output
    listed = output.split("QUESTIONS FOR PASSAGE 1")[-1]
    assert "Would Lenin have agreed with this?\n*suggested by <@1>, approved by <@1>*" in listed


@pytest.mark.parametrize(
    "line, said",
    [
        ("/advance 3000000d", "Advance the clock by at most 3660d"),
        ("/advance 99999999999999999999m", "Advance the clock by at most 3660d"),
        ("/passage 99999999999999999999", "has passages 1 to"),
        ("/passage 9223372036854775808 thermidor", "has passages 1 to 15"),
        ("/passage -9223372036854775809 thermidor", "has passages 1 to 15"),
    ],
)
def test_numbers_beyond_any_calendar_or_text_get_one_sentence(store, line, said):
    output = session(store, line, "/time")
    assert said in output
    assert "Mon 23 Nov 12:00 UTC" in output.splitlines()[-1]  # the session went on


def test_a_session_leaves_no_copy_of_the_database_behind(store, tmp_path, monkeypatch):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    session(store, "/advance 1d", "/read")

    def breaks():
        yield "/today"
        raise RuntimeError("the terminal went away")

    with pytest.raises(RuntimeError):
        run_console(store, MONDAY_NOON, lines=breaks(), echo=lambda text: None)
    assert list(temporary.iterdir()) == []


def console_process(db, tmp_path) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "PYTHONUNBUFFERED": "1"}
    (tmp_path / "tmp").mkdir()
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(db), "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.parametrize("ending", ["end of input", "Ctrl-C"])
def test_the_console_leaves_nothing_in_the_temporary_folder_however_it_ends(corpus_db, tmp_path, ending):
    db = tmp_path / "c.db"
    db.write_bytes(corpus_db.read_bytes())
    process = console_process(db, tmp_path)
    process.stdin.write("/today\n")
    process.stdin.flush()
    for line in process.stdout:  # wait until the session is under way
        if "FOR DISCUSSION" in line:
            break
    if ending == "Ctrl-C":
        process.send_signal(signal.SIGINT)
    else:
        process.stdin.close()
    process.wait(timeout=30)
    assert "Traceback" not in process.stderr.read()
    assert process.returncode in (0, 130)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_reminder_shows_as_a_direct_message_at_its_time_and_not_once_read(store):
    output = session(store, "/remind at 20:00", "/advance 1d", "/read", "/advance 1d", "/remind off", "/remind snooze")
    dms = [line for line in output.splitlines() if line.startswith("=== Direct message")]
    assert dms == ["=== Direct message to you, Mon 23 Nov 20:00 UTC ==="]  # Tuesday's post was read
    assert "passage 1 of 15" in output and "Reminders at 20:00 UTC, daily" in output
    assert "Reminders are off" in output and "You have no reminders here to snooze" in output


def test_catching_up_from_the_console_pages_through_todays_portion(store):
    output = session(
        store, "/advance 3d", "/catchup", "/catchup me 2", "/catchup read", "/catchup next", "/catchup next"
    )
    assert "[Catch me up (2 a day): /catchup me]" in output
    assert "CATCH-UP, DAY 1 · 1 OF 2 TODAY" in output and "CATCH-UP, DAY 1 · 1 OF 1 TODAY" in output  # one read
    assert "Marked as read: passage 1." in output
    assert "THAT IS TODAY'S CATCH-UP" in output


def test_study_settings_in_the_console_shows_what_discord_shows(store):
    output = session(store, "/study settings")
    for field in ("Daily post mentions", "Streak leaderboard", "Weekly digest"):
        assert field.upper() in output.upper()
