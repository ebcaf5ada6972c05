"""Reading untrusted TOML: size cap, regular files only, BOM, strict UTF-8, tomli.

Every failure becomes a :class:`Problem` naming the file and, where the parser
really knows it, the line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import tomli

from socwizard.core.errors import Problem, display_path

MAX_ASSESSMENT_BYTES = 1_000_000
MAX_BANK_FILE_BYTES = 4_000_000
_BOM = "\ufeff"


def read_text(path: Path, *, max_bytes: int, allow_symlink: bool = True) -> str:
    """Read a small regular file as UTF-8 (one BOM allowed) or raise a Problem list."""
    return decode(read_bytes(path, max_bytes=max_bytes, allow_symlink=allow_symlink), display_path(path))


def read_bytes(path: Path, *, max_bytes: int, allow_symlink: bool = True) -> bytes:
    """Read a small regular file's bytes: size cap via fstat, optionally refusing symlinks."""
    name = display_path(path)
    # O_NONBLOCK: opening a FIFO (named pipe) must not hang until a writer appears;
    # it is then refused as "not a regular file". No effect on regular files.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) * (not allow_symlink)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _fail(name, "file not found") from None
    except IsADirectoryError:
        raise _fail(name, "is a directory, not a file") from None
    except PermissionError:
        raise _fail(name, "permission denied") from None
    except OSError as exc:
        if not allow_symlink and path.is_symlink():
            raise _fail(name, "is a symbolic link; copy the real file instead") from None
        raise _fail(name, f"cannot open: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _fail(name, "is not a regular file")
        if info.st_size > max_bytes:
            raise _fail(name, f"is too large ({info.st_size:,} bytes; the limit is {max_bytes:,})")
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise _fail(name, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise _fail(name, f"is too large (more than {max_bytes:,} bytes)")
    return data


def decode(data: bytes, name: str) -> str:
    """Decode strict UTF-8, dropping one leading BOM."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(name, f"is not valid UTF-8 (byte {exc.start})", line=line) from None
    return text.removeprefix(_BOM)


def parse(text: str, name: str) -> dict[str, Any]:
    """Parse TOML text with tomli; map every parser failure to one Problem."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = getattr(exc, "msg", str(exc))
        line = getattr(exc, "lineno", None)
        raise _fail(name, f"invalid TOML: {message}", line=line) from None
    except RecursionError:
        raise _fail(name, "invalid TOML: nested too deeply") from None
    except (ValueError, OverflowError, MemoryError) as exc:
        raise _fail(name, f"invalid TOML: {type(exc).__name__}") from None


def load(path: Path, *, max_bytes: int, allow_symlink: bool = True) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file; return the data and its text (for line lookup)."""
    text = read_text(path, max_bytes=max_bytes, allow_symlink=allow_symlink)
    return parse(text, display_path(path)), text


class FileProblems(Exception):
    """Carries problems out of the low-level readers."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _fail(name: str, message: str, line: int | None = None) -> FileProblems:
    return FileProblems([Problem(file=name, message=message, line=line)])


class LineFinder:
    """Finds the line of a key in a TOML text, only when it is unambiguous."""

    def __init__(self, text: str) -> None:
        self.text = text
        # TOML lines end at "\n" only; splitlines() would also split at U+2028, U+0085,
        # form feeds… inside strings and report wrong line numbers.
        self.lines = text.split("\n")
        self._headers: dict[str, list[int]] = {}

    def array_item(self, array: str, index: int) -> int | None:
        """Line of the ``index``-th ``[[array]]`` header, if headers are countable."""
        hits = self._headers.get(array)
        if hits is None:
            pattern = re.compile(rf"^\s*\[\[\s*{re.escape(array)}\s*\]\]\s*(#.*)?$")
            hits = [n for n, line in enumerate(self.lines, 1) if pattern.match(line)]
            self._headers[array] = hits
        return hits[index] if index < len(hits) else None

    def key_in_table(self, table: str | None, key: str) -> int | None:
        """Line of ``key = …`` directly under ``[table]`` (or at top level), if unique."""
        bare = re.escape(key)
        key_re = re.compile(rf"""^\s*(?:{bare}|"{bare}"|'{bare}')\s*=""")
        header_re = re.compile(r"^\s*\[")
        current: str | None = None
        hits: list[int] = []
        for n, line in enumerate(self.lines, 1):
            if header_re.match(line):
                current = line.strip().strip("[]").strip()
                continue
            if current == table and key_re.match(line):
                hits.append(n)
        return hits[0] if len(hits) == 1 else None
