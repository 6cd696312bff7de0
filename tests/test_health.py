"""The health file and `studybot health`: a supervisor's exit code 0 or 1, with the reasons in
one line. Moments are given, not waited for: `problems(health, now)` judges a status at `now`,
and the CLI tests write files dated in the past."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import StudyError
from bot.service.health import Health, problems, read_health, write_health
from tests.helpers import studybot

NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def well(now: datetime = NOW, **changes) -> Health:
    status = Health(
        written_at=now - timedelta(seconds=4),
        pid=4242,
        connected=True,
        connected_since=now - timedelta(hours=5),
        lease="held",
        last_tick_at=now - timedelta(seconds=20),
        last_post_at=now - timedelta(hours=1),
        posts=12,
        loop_lag_ms=3.5,
        started_at=now - timedelta(hours=6),
    )
    return dataclasses.replace(status, **changes)


def test_a_bot_that_writes_its_status_connected_and_ticking_is_well():
    assert problems(well(), NOW) == []


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"written_at": NOW - timedelta(seconds=61)}, "the status is 61 s old: the bot (pid 4242) has stopped or hung"),
        ({"connected": False, "connected_since": NOW - timedelta(minutes=3)}, "not connected to Discord for 3 min"),
        ({"lease": "lost"}, "another studybot took the database over"),
        ({"last_tick_at": NOW - timedelta(minutes=16)}, "the daily-post loop has not finished a tick for 16 min"),
        ({"loop_lag_ms": 12_000.0}, "the event loop was held for 12.0 s"),
        ({"connected": False, "connected_since": None, "started_at": NOW - timedelta(minutes=5)}, "not connected"),
    ],
    ids=["stale", "disconnected", "lease lost", "loop stuck", "loop held", "never connected"],
)
def test_each_way_of_being_unwell_is_named(changes, says):
    found = problems(well(**changes), NOW)
    assert len(found) == 1 and found[0].startswith(says), found


def test_a_short_disconnection_while_discord_py_reconnects_is_not_a_problem():
    assert problems(well(connected=False, connected_since=NOW - timedelta(seconds=30)), NOW) == []


def test_a_bot_just_started_has_not_ticked_or_posted_and_is_well():
    fresh = well(last_tick_at=None, last_post_at=None, posts=0, started_at=NOW - timedelta(seconds=30))
    assert problems(fresh, NOW) == []


def test_the_file_is_read_back_as_written(tmp_path):
    path = tmp_path / "health.json"
    write_health(path, well())
    assert read_health(path) == well()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["health.json"]  # nothing left aside


@pytest.mark.parametrize(
    "content, says",
    [
        (b"{not json", "is not one studybot wrote"),
        (json.dumps({"pid": 1}).encode(), "is not one studybot wrote"),
        (b" " * 100_000, "is not one studybot wrote"),
    ],
    ids=["not JSON", "fields missing", "too long"],
)
def test_a_file_studybot_did_not_write_is_said(tmp_path, content, says):
    path = tmp_path / "health.json"
    path.write_bytes(content)
    with pytest.raises(StudyError, match=says):
        read_health(path)


def test_health_exits_0_with_the_state_when_well(tmp_path):
    path = tmp_path / "health.json"
    write_health(path, well(datetime.now(UTC)))
    result = studybot("health", folder=tmp_path, env={"STUDYBOT_HEALTH_FILE": str(path)})
    assert result.exit_code == 0, result.output
    line = result.output.strip()
    assert line.startswith("healthy: connected, lease held, last tick ") and "12 posts since" in line
    assert "\n" not in line


def test_health_exits_1_with_the_reasons_when_not(tmp_path):
    path = tmp_path / "health.json"
    write_health(path, well(datetime.now(UTC) - timedelta(seconds=20)))
    result = studybot("health", "--file", str(path), "--max-age", "10", folder=tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("unhealthy: the status is 2") and "has stopped or hung" in result.output


def test_health_without_a_file_says_what_to_set(tmp_path):
    result = studybot("health", folder=tmp_path)
    assert result.exit_code == 1 and "STUDYBOT_HEALTH_FILE" in str(result.exception)
    result = studybot("health", "--file", str(tmp_path / "none.json"), folder=tmp_path)
    assert result.exit_code == 1 and "There is no health file at" in str(result.exception)
