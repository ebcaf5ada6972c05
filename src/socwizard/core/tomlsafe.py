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
        key = _duplicated_key(text, line) if message.startswith("Cannot overwrite") else ""
        if key:
            problem = Problem(file=name, message="is given twice (invalid TOML)", key=key, line=line)
            raise FileProblems([problem]) from None
        raise _fail(name, f"invalid TOML: {message}", line=line) from None
    except RecursionError:
        raise _fail(name, "invalid TOML: nested too deeply") from None
    except (ValueError, OverflowError, MemoryError) as exc:
        raise _fail(name, f"invalid TOML: {type(exc).__name__}") from None


_BARE_KEY = re.compile(r"^\s*([A-Za-z0-9_-]{1,64})\s*=")


def _duplicated_key(text: str, line: int | None) -> str:
    """The bare key a "cannot overwrite" error's line sets (empty when it is not plain)."""
    if line is None or line < 1:
        return ""
    lines = text.split("\n", line)
    if len(lines) < line:
        return ""
    match = _BARE_KEY.match(lines[line - 1][:200])
    return match.group(1) if match else ""


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
    """Finds the line of a key in a TOML text, only when it is unambiguous.

    The text is scanned once, lazily, into an index of table headers and ``key =``
    lines, so looking up 10,000 keys is linear in the file, not quadratic (issue 9:
    2,000 unknown answer ids took 148 s). Lines that start inside a multi-line string
    are never taken for a header or a key: a ``[[questions]]`` line inside a
    ``\"\"\"…\"\"\"`` text does not shift the line numbers of what follows.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # TOML lines end at "\n" only; splitlines() would also split at U+2028, U+0085,
        # form feeds… inside strings and report wrong line numbers.
        self.lines = text.split("\n")
        self._arrays: dict[str, list[int]] | None = None
        self._keys: dict[tuple[str | None, str], list[int]] = {}

    def _index(self) -> dict[str, list[int]]:
        if self._arrays is not None:
            return self._arrays
        arrays: dict[str, list[int]] = {}
        keys = self._keys
        current: str | None = None
        inside = lines_inside_strings(self.lines)
        for n, line in enumerate(self.lines, 1):
            if n in inside:
                continue
            array = _ARRAY_HEADER.match(line)
            if array:
                current = array.group(1)
                arrays.setdefault(current, []).append(n)
                continue
            if _HEADER.match(line):
                current = line.strip().strip("[]").strip()
                continue
            key = _KEY.match(line)
            if key:
                name = next(g for g in key.groups() if g is not None)
                keys.setdefault((current, name), []).append(n)
        self._arrays = arrays
        return arrays

    def array_item(self, array: str, index: int) -> int | None:
        """Line of the ``index``-th ``[[array]]`` header, if headers are countable."""
        hits = self._index().get(array, [])
        return hits[index] if 0 <= index < len(hits) else None

    def key_in_table(self, table: str | None, key: str) -> int | None:
        """Line of ``key = …`` directly under ``[table]`` (or at top level), if unique."""
        self._index()
        hits = self._keys.get((table, key), [])
        return hits[0] if len(hits) == 1 else None


_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\]]*?)\s*\]\]\s*(?:#.*)?$")
_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"""^\s*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')\s*=""")
_STRING_TOKEN = re.compile("\"\"\"|'''|\"|'|#")


def lines_inside_strings(lines: list[str]) -> set[int]:
    """Numbers (1-based) of the lines that start inside a multi-line string.

    A small scanner of TOML's four string forms and comments; linear in the text.
    """
    inside: set[int] = set()
    state: str | None = None  # the open multi-line delimiter
    for n, line in enumerate(lines, 1):
        if state is not None:
            inside.add(n)
        pos = 0
        while pos <= len(line):
            if state is not None:
                end = _close(line, pos, state)
                if end < 0:
                    break
                state, pos = None, end
                continue
            match = _STRING_TOKEN.search(line, pos)
            if match is None or match.group() == "#":
                break
            token = match.group()
            if token in ('"""', "'''"):
                state, pos = token, match.end()
            else:  # a one-line string: skip to its closing quote
                pos = _close(line, match.end(), token)
                if pos < 0:
                    break
    return inside


def _close(line: str, pos: int, delimiter: str) -> int:
    """Index after the closing ``delimiter`` from ``pos`` on this line, or -1."""
    escapes = delimiter[0] == '"'
    i = pos
    while i < len(line):
        char = line[i]
        if escapes and char == "\\":
            i += 2
            continue
        if line.startswith(delimiter, i):
            end = i + len(delimiter)
            # """a"""" : up to two more quotes belong to the content, the last three close
            while len(delimiter) == 3 and end < len(line) and line[end] == delimiter[0] and end - i < 5:
                end += 1
            return end
        i += 1
    return -1
