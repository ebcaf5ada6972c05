"""The register as it was last built, kept so the TUI can show it before the store is read.

Listing 50,000 assessments and grouping them into 10,000 vendors takes a second or more
(BENCHMARKS.md, figure 11); the register screen paints the rows it last built at once,
from ``.socwizard/register.json``, and replaces them with the rows built from the files
as soon as the listing is done (a store changed behind socwizard's back shows its changes
then). The file is a cache, never a source of truth: it holds only what the register
*shows* (no answers), is read only when it is a regular private file of a private store,
and anything unexpected in it — another version, a damaged row, an oversized field — makes
the whole file ignored (the register then waits for the listing, as it did before).

No bank, no pydantic, no textual: this module is read before any of them is imported.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from socwizard.core.register import VendorRow

FILE_NAME = "register.json"
HOUSEKEEPING = ".socwizard"
"""The store's own folder (:data:`socwizard.core.store.HOUSEKEEPING`; a test keeps them equal)."""
FORMAT = 1
"""Bumped whenever a row's fields change; a file of another format is ignored."""
MAX_BYTES = 64_000_000
MAX_ROWS = 500_000
MAX_TEXT = 1_000
OUTCOME_IDS: tuple[str, ...] = ("soc1.level", "soc1.type", "soc2.level", "soc2.type")
"""The outcomes a register row shows besides tier and verdict."""
_LEVEL = re.compile(r"[a-z0-9_]{0,40}")
_FIELDS = 16


class CachedRow(NamedTuple):
    """One vendor as the register last showed it (the fields :class:`VendorRow` shows).

    A named tuple: 10,000 of them are made while the first frames are painted.
    """

    key: str
    vendor: str
    tier: str
    verdict: str
    outcomes: dict[str, str]
    """The outcomes of :data:`OUTCOME_IDS` that the standing assessment has."""
    last_reviewed: dt.date | None
    next_review: dt.date | None
    assessor: str
    status: str
    assessments: int
    """How many assessments the vendor has."""
    latest_title: str
    latest_name: str
    """The newest assessment's file name."""
    broken: bool

    def outcome(self, outcome_id: str) -> str:
        """A level of the standing assessment ('' when unknown)."""
        if outcome_id == "tier":
            return self.tier
        if outcome_id == "evidence.verdict":
            return self.verdict
        return self.outcomes.get(outcome_id, "")

    def days_left(self, today: dt.date) -> int | None:
        """Days until the next review (negative when overdue; None without a date)."""
        return None if self.next_review is None else (self.next_review - today).days

    def overdue(self, today: dt.date) -> bool:
        """True when the next review date has passed."""
        days = self.days_left(today)
        return days is not None and days < 0


def path_for(housekeeping: Path) -> Path:
    """Where a store keeps its register cache (its ``.socwizard/`` folder)."""
    return housekeeping / FILE_NAME


def _version() -> str:
    from socwizard import __version__

    return __version__


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def encode(rows: Sequence[VendorRow]) -> bytes:
    """The rows as the cache file's bytes (compact JSON, one list per vendor)."""
    out = []
    for row in rows:
        latest = row.latest
        out.append(
            [
                row.key,
                row.vendor,
                row.tier,
                row.verdict,
                *(row.outcome(o) for o in OUTCOME_IDS),
                _date(row.last_reviewed),
                _date(row.next_review),
                row.assessor,
                row.status,
                len(row.history),
                latest.title,
                latest.path.name,
                row.broken,
            ]
        )
    data = {"socwizard_register": FORMAT, "version": _version(), "rows": out}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Checker:
    """Validates a file's fields, each distinct level and date checked (and parsed) once."""

    def __init__(self) -> None:
        self.levels: set[str] = set()
        self.days: dict[str | None, dt.date | None] = {None: None}

    def text(self, value: Any) -> str:
        if type(value) is not str or len(value) > MAX_TEXT:
            raise ValueError("not a short text")
        return value

    def level(self, value: Any) -> str:
        if value not in self.levels:
            if type(value) is not str or _LEVEL.fullmatch(value) is None:
                raise ValueError("not a level")
            self.levels.add(value)
        return value  # type: ignore[no-any-return]

    def day(self, value: Any) -> dt.date | None:
        found = self.days.get(value, False) if type(value) is str or value is None else False
        if found is False:
            if type(value) is not str or len(value) != 10:
                raise ValueError("not a date")
            found = self.days[value] = dt.date.fromisoformat(value)
        return found  # type: ignore[return-value]

    def row(self, item: Any) -> CachedRow:
        if type(item) is not list or len(item) != _FIELDS:
            raise ValueError("not a row")
        count = item[12]
        if type(count) is not int or not 0 < count <= MAX_ROWS * 100 or type(item[15]) is not bool:
            raise ValueError("not a row")
        level = self.level
        outcomes = {}
        for outcome_id, value in zip(OUTCOME_IDS, item[4:8], strict=True):
            if level(value):
                outcomes[outcome_id] = value
        text = self.text
        return CachedRow(
            text(item[0]),
            text(item[1]),
            level(item[2]),
            level(item[3]),
            outcomes,
            self.day(item[8]),
            self.day(item[9]),
            text(item[10]),
            level(item[11]),
            count,
            text(item[13]),
            text(item[14]),
            item[15],
        )


def decode(data: bytes) -> list[CachedRow] | None:
    """The rows of a cache file's bytes, or None when anything in it is unexpected."""
    try:
        parsed = json.loads(data)
        if (
            type(parsed) is not dict
            or parsed.get("socwizard_register") != FORMAT
            or parsed.get("version") != _version()
            or type(parsed.get("rows")) is not list
            or len(parsed["rows"]) > MAX_ROWS
        ):
            return None
        row = _Checker().row
        return [row(item) for item in parsed["rows"]]
    except (ValueError, TypeError, RecursionError):
        return None


def _read(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file of ours, private and not too large."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_size > MAX_BYTES
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            or (hasattr(os, "geteuid") and info.st_uid != os.geteuid())
        ):
            return None
        chunks = []
        remaining = MAX_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= MAX_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def load(store_root: Path) -> list[CachedRow] | None:
    """The register last built for the store at ``store_root``, or None (no usable cache).

    The store folder must pass the store's own safety check (private, ours) and its
    ``.socwizard/`` must be a real folder: a cache in a store socwizard would refuse to
    open is never shown.
    """
    from socwizard.core.errors import SocwizardError
    from socwizard.core.private import check_inner, check_private

    housekeeping = store_root / HOUSEKEEPING
    try:  # Store.check(), without importing the store's writing machinery
        check_private(store_root, "store folder")
        if not check_inner(housekeeping, directory=True):
            return None
    except SocwizardError:
        return None
    data = _read(path_for(housekeeping))
    return None if data is None else decode(data)


def save(housekeeping: Path, rows: Sequence[VendorRow]) -> bool:
    """Keep the rows for the next start (atomic, 0600); True when the file was written.

    Best effort: a read-only disk, a full disk or a symlink in the way leaves the cache
    as it was (the register is then built from the listing next time, as without one).
    """
    from socwizard.core.errors import SocwizardError
    from socwizard.core.private import check_inner
    from socwizard.core.store import write_private

    target = path_for(housekeeping)
    data = encode(rows)
    with contextlib.suppress(OSError, SocwizardError):
        if not check_inner(housekeeping, directory=True):
            return False
        if check_inner(target, directory=False) and _read(target) == data:
            return False
        write_private(target, data)
        return True
    return False
