"""Decoding: what can be read confidently is read right, the rest is refused, never mojibake;
and a file caught changing while it is read is never stored cut short."""

import os
from pathlib import Path

import pytest

from bot import texts
from bot.texts import disk, files
from tests.conftest import CORPUS

CHINESE = "工人阶级的历史使命是建立社会主义社会，这是马克思主义的基本观点。资本主义生产方式的矛盾决定了它必然灭亡。"
RUSSIAN = "Война и мир - роман Льва Николаевича Толстого, описывающий русское общество в эпоху войн против Наполеона."
POLISH = "Właściwie każdy śląski robotnik wiedział, że łódź płynęła szybko przez rzekę. Świat się zmienia, a ludzie żyją dłużej."
ENGLISH = " ".join(f"Sentence number {i} says something about the party and the state." for i in range(80))


def ingest_bytes(store, folder: Path, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)
    [outcome] = texts.ingest(store, [path])
    return outcome


def stored_body(store, slug: str) -> str:
    text = texts.resolve_text(store, slug)
    return "\n\n".join(p.body for p in texts.passages(store, text))


@pytest.mark.parametrize(
    "encoding, prose",
    [
        ("gb18030", CHINESE),
        ("cp1251", RUSSIAN),
        ("koi8-r", RUSSIAN),
        ("cp1250", POLISH),
        ("cp1252", "Lenin’s “party” grew — naïve résumés in the café. " + ENGLISH),
    ],
)
def test_a_text_in_a_legacy_encoding_is_read_in_that_encoding(empty_store, tmp_path, encoding, prose):
    body = "\n\n".join([prose] * 12)
    outcome = ingest_bytes(empty_store, tmp_path, "legacy.txt", body.encode(encoding))
    assert outcome.status == "added", outcome.message
    assert stored_body(empty_store, "legacy").startswith(prose[:40])


def test_english_in_windows_1252_reads_as_it_does_in_utf8(empty_store, tmp_path):
    """The detector alone takes English Windows-1252 for cp775 or cp1250: 1252 is preferred."""
    source = (CORPUS / "trotsky-selections.txt").read_text(encoding="utf-8")
    (tmp_path / "utf8").mkdir()
    (tmp_path / "cp1252").mkdir()
    ingest_bytes(empty_store, tmp_path / "utf8", "a.txt", source.encode("utf-8"))
    ingest_bytes(empty_store, tmp_path / "cp1252", "b.txt", source.encode("cp1252"))
    assert stored_body(empty_store, "b") == stored_body(empty_store, "a")


@pytest.mark.parametrize(
    "bom, codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xff\xfe\x00\x00", "utf-32-le")]
)
def test_a_byte_order_mark_names_the_encoding(empty_store, tmp_path, bom, codec):
    outcome = ingest_bytes(empty_store, tmp_path, "marked.txt", bom + f"{RUSSIAN}\n\n{ENGLISH}".encode(codec))
    assert outcome.status == "added", outcome.message
    assert stored_body(empty_store, "marked").startswith(RUSSIAN[:40])


@pytest.mark.parametrize(
    "data",
    [bytes(range(128, 256)) * 40, "工人。".encode("gb18030") * 2 + b"\x81\x30\x81", b"\x81\x8d\x8f\x90\x9d" * 20],
    ids=["high-bytes", "short-chinese-cut", "undefined-in-1252"],
)
def test_what_cannot_be_decoded_confidently_is_refused(empty_store, tmp_path, data):
    outcome = ingest_bytes(empty_store, tmp_path, "unknown.txt", data)
    assert outcome.status == "failed" and "re-save it as UTF-8" in outcome.message
    assert empty_store.texts() == []


def test_chinese_is_never_stored_as_mojibake(empty_store, tmp_path):
    """GB18030 used to be read as Windows-1252: '¹¤ÈË½×¼¶...'. Short or long, it is read right or refused."""
    for count in (1, 3, 30):
        outcome = ingest_bytes(empty_store, tmp_path, f"zh{count}.txt", (CHINESE * count).encode("gb18030"))
        if outcome.status == "added":
            assert stored_body(empty_store, f"zh{count}").startswith(CHINESE[:10])
        else:
            assert "re-save it as UTF-8" in outcome.message


def append_after_first_chunk(monkeypatch, path: Path, times: int) -> None:
    """A writer appends to `path` just after each of the first `times` readings of it begins."""
    real_read, appended = os.read, []

    def read(fd: int, count: int) -> bytes:
        first = os.lseek(fd, 0, os.SEEK_CUR) == 0
        chunk = real_read(fd, count)
        if first and os.fstat(fd).st_ino == path.stat().st_ino and len(appended) < times:
            appended.append(True)
            with path.open("ab") as writer:
                writer.write(b"\n\nA paragraph written while the file was being read.")
        return chunk

    monkeypatch.setattr(os, "read", read)
    monkeypatch.setattr(disk, "CHUNK_BYTES", 4096)


def test_a_file_that_changed_while_read_is_read_again_whole(empty_store, tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_text("\n\n".join([ENGLISH] * 4))
    append_after_first_chunk(monkeypatch, path, times=1)
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "added"
    assert stored_body(empty_store, "growing").endswith("A paragraph written while the file was being read.")


def test_a_file_that_keeps_changing_is_refused_not_stored_cut_short(empty_store, tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_text("\n\n".join([ENGLISH] * 4))
    append_after_first_chunk(monkeypatch, path, times=100)
    [outcome] = texts.ingest(empty_store, [path])
    assert outcome.status == "failed" and "kept changing while it was read" in outcome.message
    assert empty_store.texts() == []


def test_the_size_limit_holds_on_the_bytes_read_not_the_size_claimed(empty_store, tmp_path, monkeypatch):
    """/proc files claim to be empty and are not: the limit counts what is read."""
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    (tmp_path / "status.txt").symlink_to("/proc/self/status")
    assert (tmp_path / "status.txt").stat().st_size == 0
    [outcome] = texts.ingest(empty_store, [tmp_path / "status.txt"])
    assert (
        outcome.status == "failed" and outcome.message == "status.txt is over 100 bytes; split it into several files."
    )
