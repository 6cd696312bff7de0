"""deploy/: the systemd unit and the Dockerfile a host starts studybot with.

The unit is verified by `systemd-analyze verify` where that command exists (with ExecStart
pointed at this checkout's `studybot`, since verify wants the program to exist), and its fields
are checked either way; where the command is missing the test says, as a warning, that the unit
was not verified. The Dockerfile is built by `docker build` only where a Docker engine answers;
everywhere it is parsed and checked: it installs the package, runs `studybot run` as a user that
is not root, checks health with `studybot health`, and sends no token or database to the build.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

from tests.conftest import ROOT
from tests.deploy_files import DOCKERFILE, UNIT, dockerignore_patterns, ignored, instructions, unit_sections

# -- the systemd unit ----------------------------------------------------------------------------


def test_the_systemd_unit_runs_studybot_as_a_user_restarts_it_on_failure_and_verifies(tmp_path, record_property):
    unit = unit_sections(UNIT.read_text())
    service = unit["Service"]
    assert service["ExecStart"].startswith("/") and service["ExecStart"].endswith("/studybot run --standby")
    assert service["User"] not in ("root", "0") and service["Group"]
    assert service["Restart"] == "on-failure" and service["Type"] in ("simple", "exec")
    environment = dict(pair.split("=", 1) for pair in service["Environment"].split())
    assert environment["STUDYBOT_DB"].startswith(f"/var/lib/{service['StateDirectory']}/")
    assert environment["STUDYBOT_HEALTH_FILE"].startswith(f"/run/{service['RuntimeDirectory']}/")
    assert service["EnvironmentFile"].startswith("/etc/")  # the token, outside the unit
    assert "network-online.target" in unit["Unit"]["After"] and "network-online.target" in unit["Unit"]["Wants"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        record_property("systemd_unit", "fields checked; not verified: systemd-analyze is not installed")
        warnings.warn("deploy/studybot.service was not verified: systemd-analyze is not installed here", stacklevel=1)
        return
    here = tmp_path / "studybot.service"
    here.write_text(
        UNIT.read_text().replace(service["ExecStart"].split()[0], str(Path(sys.executable).parent / "studybot"))
    )
    result = subprocess.run([analyze, "verify", str(here)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and (result.stdout + result.stderr).strip() == "", result.stdout + result.stderr
    record_property("systemd_unit", "verified by systemd-analyze verify")


# -- the Dockerfile --------------------------------------------------------------------------------


def test_the_dockerfile_installs_the_package_and_runs_studybot_as_a_user_not_root(record_property):
    steps = instructions(DOCKERFILE.read_text())
    kinds = [k for k, _ in steps]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    base = steps[0][1]
    assert steps[0][0] == "FROM" and base.startswith("python:3.")
    minor = int(base.split(":")[1].split(".")[1].split("-")[0])
    assert project["requires-python"] == ">=3.11" and minor >= 11  # a Python the package supports

    patterns = dockerignore_patterns()
    for _, args in (s for s in steps if s[0] == "COPY"):
        *sources, _ = args.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
            assert not ignored(source.rstrip("/"), patterns), f"COPY {source}: left out by .dockerignore"
    runs = " && ".join(args for kind, args in steps if kind == "RUN")
    assert "pip install ." in runs  # the package itself, with its dependencies
    assert "studybot" in project["scripts"]

    user = [args for kind, args in steps if kind == "USER"][-1]
    assert (
        user not in ("root", "0")
        and "useradd" in runs
        and runs.split("useradd", 1)[1].split("&&")[0].strip().endswith(user)
    )
    assert kinds.index("USER") > max(i for i, k in enumerate(kinds) if k == "RUN")  # nothing runs as root after
    command = json.loads(dict(steps)["CMD"])
    assert command[:2] == ["studybot", "run"]
    health = dict(steps)["HEALTHCHECK"]
    assert json.loads(health.split("CMD", 1)[1]) == ["studybot", "health"]
    env = " ".join(args for kind, args in steps if kind == "ENV")
    volume = json.loads(dict(steps)["VOLUME"])[0]
    assert f"STUDYBOT_DB={volume}/" in env and "STUDYBOT_HEALTH_FILE=" in env

    engine = (
        shutil.which("docker") and subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0
    )
    if not engine:
        record_property("dockerfile", "parsed and checked; not built: no Docker engine runs here")
        warnings.warn("deploy/Dockerfile was not built: no Docker engine runs here (parsed and checked)", stacklevel=1)
        return
    result = subprocess.run(
        ["docker", "build", "-f", str(DOCKERFILE), "-t", "studybot-test", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    record_property("dockerfile", "built by docker build")


def test_the_build_context_carries_the_package_and_never_a_token_or_a_database():
    patterns = dockerignore_patterns()
    for needed in [
        "pyproject.toml",
        "README.md",
        "bot/cli/__init__.py",
        "bot/data/corpus",
        "corpus/catalog.toml",
        "prompts/questions.toml",
    ]:
        assert not ignored(needed, patterns), needed
    for secret in [
        ".env",
        "bot/.env",
        "studybot.db",
        "data/studybot.db-wal",
        ".venv/bin/python",
        ".git/config",
        "tests/e2e/conftest.py",
        "bot/__pycache__/cli.cpython-311.pyc",
    ]:
        assert ignored(secret, patterns), secret
