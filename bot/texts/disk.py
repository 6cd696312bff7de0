"""Files on disk, read as hostile: only regular files, never more than a bound, and never a
file caught changing while it was read.

A path named like a text can be anything: a symlink to /dev/zero or /dev/urandom (endless), a
FIFO (blocks forever on open), a folder, a file another program is still writing. Only regular
files are opened (non-blocking, so a FIFO swapped in after the check cannot hang us), the limit
is enforced on the bytes actually read, not on the size the file claims, and a file whose size
or modification time moved during the read is read again, or refused: a text is never stored
cut short.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.errors import InputFileError
from bot.texts.formats import READABLE
from bot.texts.names import printable

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
MAX_FILE_BYTES = 50 * 1024 * 1024
"""The largest text: about 8 million words, a shelf of books. Larger ones are split by the host."""
READ_ATTEMPTS = 3
"""Reads of a file that keeps changing before it is refused."""
CHUNK_BYTES = 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def text_files(path: Path, suffixes: tuple[str, ...] = TEXT_SUFFIXES) -> list[Path]:
    """The file as given, or the files with these suffixes a folder holds, by name; a missing
    path is an error."""
    try:
        is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        if not is_folder:
            return [path]
        return sorted(p for p in path.iterdir() if p.suffix.lower() in suffixes)
    except FileNotFoundError:
        raise InputFileError(
            f"{printable(path)} does not exist; give a file or a folder of them ({READABLE})."
        ) from None
    except OSError as error:
        raise InputFileError(f"{printable(path)} cannot be read ({error.strerror}); check its permissions.") from None


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, read whole while it stood still."""
    name = printable(path.name)
    for _ in range(READ_ATTEMPTS):
        try:
            _require_regular(os.stat(path), name)  # before opening: opening a device can do things
            fd = os.open(path, _OPEN_FLAGS)
        except OSError as error:
            raise InputFileError(
                f"{printable(path)} cannot be read ({error.strerror}); check its permissions."
            ) from None
        try:
            before = os.fstat(fd)
            _require_regular(before, name)  # it may have been swapped since the check
            if before.st_size > limit:
                raise _too_large(name, limit)
            data = _read_at_most(fd, limit + 1)
            after = os.fstat(fd)
        except OSError as error:
            raise InputFileError(
                f"{printable(path)} cannot be read ({error.strerror}); check its permissions."
            ) from None
        finally:
            os.close(fd)
        if len(data) > limit:
            raise _too_large(name, limit)
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) and len(data) == after.st_size:
            return data
    raise InputFileError(f"{name} kept changing while it was read; ingest it again once it is saved.")


def _require_regular(status: os.stat_result, name: str) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a file")
        raise InputFileError(f"{name} is {kind}, not a regular file; only ordinary text files are read.")


def _read_at_most(fd: int, count: int) -> bytes:
    chunks, total = [], 0
    while total < count:
        chunk = os.read(fd, min(CHUNK_BYTES, count - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _too_large(name: str, limit: int) -> InputFileError:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return InputFileError(f"{name} is over {size}; split it into several files.")
