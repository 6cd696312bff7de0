"""deploy/ started for real: the systemd unit's ExecStart and the Dockerfile's CMD, each with the
environment its file sets (paths moved under a temporary folder, the program taken from this
checkout), against the fake Discord. Each posts a due plan, reports itself well to the check a
supervisor runs (`studybot health`, the Dockerfile's HEALTHCHECK), and stops cleanly on SIGTERM
(systemd's stop, `docker stop`), giving the database's lease up. What neither can show here:
systemd's own sandboxing (the unit is verified by tests/test_deploy.py) and the image build.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.service.health import read_health
from tests.deploy_files import docker_launch, relocated, unit_launch
from tests.e2e.conftest import add_channels, bot_process_env, kill, make_fanout_db, wait_for_posts

pytestmark = pytest.mark.bot_process

PROGRAMS = Path(sys.executable).parent


@pytest.mark.parametrize("launch", [unit_launch, docker_launch], ids=["systemd unit", "Dockerfile"])
async def test_the_deploy_command_starts_the_bot_is_well_and_stops_on_sigterm(fake, corpus_db, tmp_path, launch):
    how = relocated(launch(), tmp_path / "root", PROGRAMS)
    db, health = Path(how.env["STUDYBOT_DB"]), Path(how.env["STUDYBOT_HEALTH_FILE"])
    channels = add_channels(fake, 2)
    make_fanout_db(corpus_db, db, fake.world.guild_id, channels)
    env = {**bot_process_env(fake, db), **how.env, "PATH": f"{PROGRAMS}{os.pathsep}{os.environ['PATH']}"}
    log = tmp_path / "bot.log"
    with open(log, "wb") as out:
        process = await asyncio.create_subprocess_exec(
            *how.argv, cwd=how.workdir, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out
        )
    try:
        await wait_for_posts(fake, channels, at_least=len(channels), timeout=60, process=process)
        await fake.wait_for(lambda: health.exists() and read_health(health).posts == len(channels), 30, "health")
        check = await asyncio.create_subprocess_exec(
            *(how.health or ["studybot", "health"]), env=env, stdout=asyncio.subprocess.PIPE
        )
        said, _ = await check.communicate()
        assert check.returncode == 0 and said.decode().startswith("healthy: connected, lease held"), said
        assert await kill(process, signal.SIGTERM) == -signal.SIGTERM  # within the 10 s kill() allows
    except BaseException as error:
        raise AssertionError(f"{error}\n{log.read_text(errors='replace')[-3000:]}") from error
    finally:
        if process.returncode is None:
            await kill(process)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM writer_lease").fetchone()[0] == 0
    assert "Traceback" not in log.read_text(errors="replace")
