"""`studybot ingest` tells what it is doing: each file's line as it finishes, and on a terminal a
progress bar with files, megabytes, rate and time left; plain lines when not on a terminal."""

from __future__ import annotations

import io

from bot import texts
from bot.cli.progress import IngestReport
from tests.documents import article_pdf, councils_epub
from tests.helpers import studybot_process as studybot
from tests.test_ingest import PROSE


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _folder(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "a-essay.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "b-councils.epub").write_bytes(councils_epub())
    (tmp_path / "c-article.pdf").write_bytes(article_pdf())
    (tmp_path / "d-broken.epub").write_bytes(b"not a zip")
    return tmp_path


def test_on_a_terminal_a_bar_shows_files_megabytes_rate_and_what_is_being_read(empty_store, tmp_path, capsys):
    terminal = Terminal()
    report = IngestReport(bar_stream=terminal)
    outcomes = texts.ingest(empty_store, [_folder(tmp_path)], progress=report)
    report.close()
    bar = terminal.getvalue()
    assert "Reading" in bar and "100%" in bar
    assert "4/4 files" in bar and " KB of " in bar and "KB/s" in bar
    assert "chapter 5 of 8" in bar and "page 3 of 3" in bar  # inside the EPUB and the PDF
    assert "updating the search index" in bar
    printed = capsys.readouterr()
    assert [line.split()[0] for line in printed.out.splitlines()] == ["added", "added", "added"]
    assert printed.err.startswith("failed     ") and "d-broken.epub" in printed.err
    assert [o.status for o in outcomes] == ["added", "added", "added", "failed"]


def test_not_on_a_terminal_each_file_gets_a_plain_line_and_nothing_else(tmp_path):
    folder = _folder(tmp_path / "texts")
    result = studybot("ingest", str(folder), db=tmp_path / "plain.db")
    assert result.returncode == 1  # one file failed
    assert "\r" not in result.stdout + result.stderr and "KB/s" not in result.stdout + result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [
        ["added", "a-essay:"],
        ["added", "b-councils:"],
        ["added", "c-article:"],
    ]
    assert result.stderr.startswith("failed     ") and "is not a valid EPUB" in result.stderr
