"""A real install works: the wheel carries the templates and the bundled texts.

The wheel is built from this checkout, installed into a new virtual environment, and the CLI is
run from a folder outside the repository. The environment borrows the test environment's
dependencies through a .pth line (no network), but not its editable install of studybot: a
path named in a .pth file is added to sys.path without running the .pth files inside it.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `studybot` script of a fresh environment holding only the built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    wheels = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("studybot-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    dependencies = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    (purelib / "borrowed-dependencies.pth").write_text("\n".join(dict.fromkeys(dependencies)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(purelib), str(wheel)],
        check=True,
        capture_output=True,
    )
    (env_dir / "bin" / "studybot").write_text(f"#!{python}\nfrom bot.cli import main\nmain()\n")
    (env_dir / "bin" / "studybot").chmod(0o755)
    return env_dir / "bin"


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "PYTHON"))}
    return subprocess.run(
        [str(bin_dir / "studybot"), "--db", str(cwd / "studybot.db"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where
    assert str(installed.parent) in where


def test_the_wheel_ingests_searches_and_asks_questions_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    ingested = run(installed, tmp_path, "ingest")
    assert ingested.returncode == 0, ingested.stderr
    assert "thermidor" in ingested.stdout
    texts = json.loads(run(installed, tmp_path, "texts", "--json").stdout)
    assert len(texts) == len([p for p in (ROOT / "corpus").glob("*.txt")])

    found = run(installed, tmp_path, "search", "Kronstadt")
    assert found.returncode == 0, found.stderr
    assert "Kronstadt" in found.stdout

    asked = run(installed, tmp_path, "questions", "thermidor", "--passage", "1", "--json")
    assert asked.returncode == 0, asked.stderr
    questions = json.loads(asked.stdout)
    assert questions and all(q["text"].endswith("?") for p in questions for q in p["questions"])
