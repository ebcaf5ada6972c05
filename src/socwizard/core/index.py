"""A listing cache: one small JSON file keyed by each file's name, mtime and size.

Parsing 10,000 assessment files takes seconds; reading this index takes milliseconds.
The index is only a cache — any doubt (missing, corrupt, stale entry) falls back to
reading the file itself, so it can never show something a file does not say.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

INDEX_VERSION = 1
MAX_INDEX_BYTES = 64_000_000


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, Path):
        return str(value)
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "$dt" in value:
        return dt.datetime.fromisoformat(str(value["$dt"]))
    if isinstance(value, dict) and "$d" in value:
        return dt.date.fromisoformat(str(value["$d"]))
    return value


def load_index(path: Path) -> dict[str, Any]:
    """The cached rows by filename (empty on any problem; a symlink or FIFO is never read)."""
    from socwizard.core.tomlsafe import FileProblems, read_bytes

    try:
        data = json.loads(read_bytes(path, max_bytes=MAX_INDEX_BYTES, allow_symlink=False))
    except (FileProblems, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return {}
    rows = data.get("rows")
    return rows if isinstance(rows, dict) else {}


def cached_rows(
    files: list[os.DirEntry[str]],
    index_path: Path,
    read_row: Callable[[Path], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Rows for ``files``: from the index when name, mtime and size match, else read.

    ``read_row`` returns a JSON-able dict (dates allowed). The index is rewritten
    (atomically, best effort) when anything changed.
    """
    old = load_index(index_path)
    new: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    changed = len(old) != len(files)
    root = Path(files[0].path).parent if files else None
    for item in files:
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        key = [info.st_mtime_ns, info.st_size]
        cached = old.get(item.name)
        if isinstance(cached, dict) and cached.get("key") == key and isinstance(cached.get("row"), dict):
            row = {k: _decode_value(v) if type(v) is dict else v for k, v in cached["row"].items()}
            stored = cached
        else:
            row = read_row(Path(item.path))
            stored = {"key": key, "row": {k: _encode(v) for k, v in row.items()}}
            changed = True
        row["path"] = root / item.name if root is not None else Path(item.path)
        new[item.name] = stored
        rows.append(row)
    if changed:
        _write(index_path, {"version": INDEX_VERSION, "rows": new})
    return rows


def _write(path: Path, data: dict[str, Any]) -> None:
    from socwizard.core.errors import SocwizardError
    from socwizard.core.private import check_inner, make_private_dir

    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if not check_inner(path.parent, directory=True):
            make_private_dir(path.parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(temp, flags, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(temp, path)
    except (OSError, SocwizardError):
        with contextlib.suppress(OSError):
            os.unlink(temp)
