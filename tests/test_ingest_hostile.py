"""Hostile files, ingested as a user would (`studybot ingest FOLDER`, a real process): each ends
with one line per file, one sentence for the bad one, the good files beside it stored, and no
process over its memory bound.

The deadline is a hang detector, not a speed test (bench/ingest_hostile.py measures speed): every
shape here takes a few seconds at most, and took minutes, hours or for ever before.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store
from tests.conftest import ROOT

MEMORY_BOUND = 1 << 30
"""Address space for the ingest process (its resident memory stays far below: see the bench)."""
DEADLINE = 60
PROSE = " ".join(f"Sentence number {i} says something about the party and the state." for i in range(80))
LAUGHS = "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 9)}]\n" for level in range(8)
)


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))


def studybot_ingest(db: Path, *paths: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "ingest", *map(str, paths)],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=DEADLINE,
        preexec_fn=_bounded,
    )


def folder_with(tmp_path: Path, name: str, make) -> Path:
    """a-good.txt, the hostile b-... file, c-good.txt."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a-good.txt").write_text(f"First good text.\n\n{PROSE}\n")
    (folder / "c-good.txt").write_text(f"Second good text.\n\n{PROSE}\n")
    path = folder / name
    if isinstance(make, str | bytes):
        path.write_bytes(make.encode() if isinstance(make, str) else make)
    else:
        make(path)
    return folder


def assert_ended_well(result: subprocess.CompletedProcess, db: Path, bad_name: str, bad_slug: str) -> None:
    """No traceback; the good files stored; the bad one stored too, or refused in one sentence."""
    out, err = result.stdout.decode(), result.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in out + err and result.returncode in (0, 1), err
    slugs = stored_slugs(db)
    assert {"a-good", "c-good"} <= slugs, out + err
    if bad_slug not in slugs:
        [line] = [line for line in err.splitlines() if line.startswith("failed") and bad_name in line]
        reason = line.split(": ", 1)[1]
        assert reason.endswith(".") and reason.count(";") <= 1, line  # one sentence, what to do


def stored_slugs(db: Path) -> set[str]:
    store = Store(db)
    try:
        return {t.slug for t in store.texts()}
    finally:
        store.close()


SHAPES = {
    # Front matter and facts.
    "yaml-aliases": (
        "b-bad.md",
        f"---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n{LAUGHS}title: *i\n---\n{PROSE}\n",
    ),
    "yaml-nested-20000": ("b-bad.md", "---\ntitle: " + "[" * 20_000 + "]" * 20_000 + f"\n---\n{PROSE}\n"),
    "toml-nested-20000": ("b-bad.md", "+++\ntitle = " + "[" * 20_000 + "]" * 20_000 + f"\n+++\n{PROSE}\n"),
    "year-yaml-inf": ("b-bad.md", f"---\nyear: .inf\n---\n{PROSE}\n"),
    "year-toml-inf": ("b-bad.md", f"+++\nyear = inf\n+++\n{PROSE}\n"),
    "year-huge": ("b-bad.md", f"---\nyear: 99999999999999999999999\n---\n{PROSE}\n"),
    "year-1.5e300": ("b-bad.md", f"+++\nyear = 1.5e300\n+++\n{PROSE}\n"),
    # Not regular files.
    "symlink-dev-zero": ("b-bad.txt", lambda path: path.symlink_to("/dev/zero")),
    "symlink-dev-urandom": ("b-bad.txt", lambda path: path.symlink_to("/dev/urandom")),
    "fifo": ("b-bad.txt", lambda path: os.mkfifo(path)),
    "folder-named-like-a-text": ("b-bad.txt", lambda path: path.mkdir()),
    # Shapes of text that were quadratic (or worse) somewhere between healing and the index.
    "a-million-tiny-paragraphs": ("b-bad.txt", "Aa.\n\n" * 1_000_000),
    "hyphen-joins": ("b-bad.txt", "word-\n\n" * 50_000),
    "unclosed-comments": ("b-bad.md", "<!--\n" * 60_000 + PROSE),
    "one-long-line": ("b-bad.txt", "word " * 1_600_000),
    "abbreviations": ("b-bad.txt", "Mr. " * 250_000),
    "unclosed-brackets": ("b-bad.md", "[" * 200_000 + " " + "](" * 100_000 + PROSE),
    "unclosed-emphasis": ("b-bad.md", "_a " * 300_000),
    "heading-of-spaces": ("b-bad.md", "# " + " " * 2_000_000 + "x\n\n" + PROSE),
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_a_hostile_file_gets_one_line_and_the_folder_loads(tmp_path, shape):
    name, make = SHAPES[shape]
    result = studybot_ingest(tmp_path / "db.sqlite", folder_with(tmp_path, name, make))
    assert_ended_well(result, tmp_path / "db.sqlite", name, Path(name).stem)


def nested_catalog(path: Path) -> None:
    path.write_text('"b.txt" = { title = ' + "[" * 20_000 + "]" * 20_000 + " }\n")


def dotted_catalog(path: Path) -> None:
    path.write_text("a." * 20_000 + "b = 1\n")


@pytest.mark.parametrize("make_catalog", [nested_catalog, dotted_catalog, os.mkfifo], ids=["nested", "dotted", "fifo"])
def test_a_broken_catalog_fails_its_folder_with_a_sentence_and_other_folders_load(tmp_path, make_catalog):
    broken, good = tmp_path / "broken", tmp_path / "good"
    broken.mkdir()
    good.mkdir()
    make_catalog(broken / "catalog.toml")
    (broken / "b.txt").write_text(PROSE)
    (good / "a-good.txt").write_text(f"First good text.\n\n{PROSE}\n")
    (good / "c-good.txt").write_text(f"Second good text.\n\n{PROSE}\n")
    result = studybot_ingest(tmp_path / "db.sqlite", broken, good)
    assert_ended_well(result, tmp_path / "db.sqlite", "b.txt", "b")
    assert stored_slugs(tmp_path / "db.sqlite") == {"a-good", "c-good"}


def test_a_file_name_that_is_not_utf8_is_ingested_and_printed(tmp_path):
    folder = folder_with(tmp_path, "b-ok.txt", PROSE)
    os.rename(folder / "b-ok.txt", os.fsencode(folder) + b"/b-\xff\xfe.txt")
    result = studybot_ingest(tmp_path / "db.sqlite", folder)
    assert_ended_well(result, tmp_path / "db.sqlite", "b-\\xff\\xfe.txt", "b")
    assert stored_slugs(tmp_path / "db.sqlite") == {"a-good", "b", "c-good"}
    assert "from b-\\xff\\xfe.txt" in result.stdout.decode()


def test_output_to_a_terminal_that_cannot_show_the_name_is_escaped_not_a_crash(tmp_path):
    folder = folder_with(tmp_path, "Война и мир.txt", PROSE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_"))}
    env["PYTHONIOENCODING"] = "latin-1"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.sqlite"), "ingest", str(folder)],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=DEADLINE,
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"voyna-i-mir" in result.stdout and b"\\u0412" in result.stdout
