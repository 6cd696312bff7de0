"""The health file: what a supervisor (Docker's HEALTHCHECK, systemd, monit, a Kubernetes probe)
checks to know the bot is well. `studybot run` with STUDYBOT_HEALTH_FILE set rewrites it every
few seconds with a JSON status; `studybot health` reads it and exits 0 (well) or 1 (not, with
the reasons in one line).

A file, not an HTTP endpoint: nothing to listen on, to secure or to keep in a firewall, and a
supervisor on the same machine or in the same container reads it for free. A hung process
stops rewriting it, so its age alone says "hung or dead".
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.errors import StudyError

WRITE_SECONDS = 10.0
"""How often the running bot rewrites the file."""
MAX_AGE_SECONDS = 60.0
"""A file older than this means the bot stopped or hung (six writes missed)."""
DISCONNECTED_LIMIT = timedelta(minutes=2)
"""discord.py reconnects by itself; only a longer outage is a problem."""
TICK_LIMIT = timedelta(minutes=15)
"""The daily loop finishes a tick every 30 s, or when a fan-out is out (minutes for thousands of groups)."""
LAG_LIMIT_MS = 10_000.0
"""An event loop held this long misses Discord's 3 s answers and heartbeats."""
MAX_FILE_BYTES = 64 * 1024
"""What `studybot health` reads at most (the file is a few hundred bytes)."""


@dataclass(frozen=True)
class Health:
    written_at: datetime
    pid: int
    connected: bool
    """Connected to Discord's gateway now."""
    connected_since: datetime | None
    """When the connection last came up (connected) or went down (not connected); None before the first."""
    lease: str
    """'held', 'lost' (another studybot took the database over) or 'none' (run without one)."""
    last_tick_at: datetime | None
    """When the daily-post loop last finished a tick."""
    last_post_at: datetime | None
    posts: int
    """Posts made since the process started."""
    loop_lag_ms: float
    """The longest the event loop was held since the previous write."""
    started_at: datetime


def write_health(path: str | Path, health: Health) -> None:
    """Replace the file whole (written aside, then renamed): a reader never sees half of it."""
    path = Path(path)
    data = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(health).items()}
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as f:
            json.dump(data, f, indent=1)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def read_health(path: str | Path) -> Health:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as error:
        raise StudyError(
            f"There is no health file at {path}: is `studybot run` running, with STUDYBOT_HEALTH_FILE set to it?"
        ) from error
    except OSError as error:
        raise StudyError(f"Cannot read the health file {path} ({error.strerror}).") from error
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError("too long")
        data = json.loads(raw)
        return Health(
            written_at=datetime.fromisoformat(data["written_at"]),
            pid=int(data["pid"]),
            connected=bool(data["connected"]),
            connected_since=_moment(data["connected_since"]),
            lease=str(data["lease"]),
            last_tick_at=_moment(data["last_tick_at"]),
            last_post_at=_moment(data["last_post_at"]),
            posts=int(data["posts"]),
            loop_lag_ms=float(data["loop_lag_ms"]),
            started_at=datetime.fromisoformat(data["started_at"]),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise StudyError(f"The health file {path} is not one studybot wrote ({error}).") from error


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def problems(health: Health, now: datetime, max_age: float = MAX_AGE_SECONDS) -> list[str]:
    """What is wrong, each in a few words; none when the bot is well."""
    found = []
    age = (now - health.written_at).total_seconds()
    if age > max_age:
        return [f"the status is {age:.0f} s old: the bot (pid {health.pid}) has stopped or hung"]
    if not health.connected:
        down = now - (health.connected_since or health.started_at)
        if down > DISCONNECTED_LIMIT:
            found.append(f"not connected to Discord for {_span(down)}")
    if health.lease == "lost":
        found.append("another studybot took the database over")
    ticked = health.last_tick_at or health.started_at
    if now - ticked > TICK_LIMIT:
        found.append(f"the daily-post loop has not finished a tick for {_span(now - ticked)}")
    if health.loop_lag_ms > LAG_LIMIT_MS:
        found.append(f"the event loop was held for {health.loop_lag_ms / 1000:.1f} s")
    return found


def summary(health: Health, now: datetime) -> str:
    """The state in one line, for a person reading the supervisor's log."""
    parts = [
        "connected" if health.connected else "disconnected",
        f"lease {health.lease}",
        f"last tick {_ago(health.last_tick_at, now)}",
        f"last post {_ago(health.last_post_at, now)}",
        f"{health.posts} posts since {health.started_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        f"loop lag {health.loop_lag_ms:.0f} ms",
        f"written {_ago(health.written_at, now)}",
    ]
    return ", ".join(parts)


def _ago(moment: datetime | None, now: datetime) -> str:
    return "never" if moment is None else f"{_span(now - moment)} ago"


def _span(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"
