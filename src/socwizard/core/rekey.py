"""Give a vendor's assessments a new vendor key: its whole history, all or nothing.

The vendor key groups a vendor's assessments into its history (the register). A key
changed on one assessment alone would split that history; :func:`rekey_files` rewrites
the key of every file given, in the store only:

- each file must be a regular file directly inside the store (never a symlink, never a
  path that leaves it); all their locks are held while any is rewritten;
- only the ``vendor_key`` line changes: every other byte (comments, layout, answers, the
  ``[result]`` snapshot, ``updated``) stays, and the rewritten text is read back and
  checked to mean exactly the old assessment with the new key (else the canonical form
  is written, checked the same way);
- each write is atomic (temp file, fsync, replace) and the previous version goes to
  ``.socwizard/backups/`` as any save does; if a write fails, the files already
  rewritten get their old bytes back and nothing is left half-done.

Pure core: no textual.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from socwizard.core.errors import AssessmentError, Problem, StoreError, display_path
from socwizard.core.store import write_private

if TYPE_CHECKING:
    from socwizard.core.assessment import Assessment
    from socwizard.core.store import Entry, Store

_KEY_LINE = re.compile(r"^[ \t]*vendor_key[ \t]*=")
_TABLE_LINE = re.compile(r"^[ \t]*\[")
_VENDOR_LINE = re.compile(r"^[ \t]*vendor[ \t]*=")


@dataclass(frozen=True)
class Rekeyed:
    """What :func:`rekey_files` did."""

    changed: tuple[Path, ...]
    """The files rewritten (those that already had the key are left as they are)."""
    unchanged: tuple[Path, ...]


def history_paths(entries: Iterable[Entry], key: str) -> list[Path]:
    """The readable files of the store listing whose assessments share ``key``."""
    return [e.path for e in entries if e.vendor_key == key and not e.error]


def with_key(data: bytes, name: str, key: str) -> bytes:
    """The file's bytes with ``key`` as its vendor key, everything else kept.

    Raises :class:`AssessmentError` for a file that is not a valid assessment. The result
    is read back and must be the same assessment with the new key: the ``vendor_key``
    line is replaced (or one is added before the first table); failing that, the
    assessment is written in socwizard's canonical form.
    """
    from socwizard.core.assessment import read_assessment_bytes, to_toml

    before, _ = read_assessment_bytes(data, name)
    wanted = before.model_copy(update={"vendor_key": key})
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    patched = _patch(data[len(bom) :].decode("utf-8"), key)
    if patched is not None and _means(bom + patched.encode("utf-8"), name, wanted):
        return bom + patched.encode("utf-8")
    canonical = to_toml(wanted).encode("utf-8")
    if not _means(canonical, name, wanted):  # pragma: no cover - to_toml round-trips by contract
        raise StoreError(Problem(name, "could not be given the new vendor key; nothing was changed"))
    return canonical


def _means(data: bytes, name: str, wanted: Assessment) -> bool:
    from socwizard.core.assessment import read_assessment_bytes

    try:
        after, _ = read_assessment_bytes(data, name)
    except AssessmentError:
        return False
    return after.model_dump() == wanted.model_dump()


def _patch(text: str, key: str) -> str | None:
    """The text with its top-level ``vendor_key`` line replaced or added (None: not safely)."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    new_line = f'vendor_key = "{key}"{newline}'
    end = next((n for n, line in enumerate(lines) if _TABLE_LINE.match(line)), len(lines))
    found = [n for n in range(end) if _KEY_LINE.match(lines[n])]
    if len(found) > 1:
        return None
    if found:
        lines[found[0]] = new_line
        return "".join(lines)
    vendor = next((n for n in range(end) if _VENDOR_LINE.match(lines[n])), None)
    at = vendor + 1 if vendor is not None else end
    if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.insert(at, new_line)
    return "".join(lines)


def _checked_target(store: Store, path: Path) -> Path:
    """``path`` when it is a regular file directly inside the store (never a link)."""
    name = display_path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise StoreError(Problem(name, "was deleted or moved; no vendor key was changed")) from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise StoreError(Problem(name, "is not a regular file in the store; no vendor key was changed"))
    target = store.inside(path)
    if target.name.startswith(".") or target.suffix != ".toml":
        raise StoreError(Problem(name, "is not an assessment of the store; no vendor key was changed"))
    return target


def _read(target: Path) -> bytes:
    from socwizard.core.tomlsafe import MAX_ASSESSMENT_BYTES, FileProblems, read_bytes

    try:
        return read_bytes(target, max_bytes=MAX_ASSESSMENT_BYTES, allow_symlink=False)
    except FileProblems as exc:
        raise StoreError(exc.problems) from None


def rekey_files(store: Store, paths: Sequence[Path], key: str) -> Rekeyed:
    """Give every file in ``paths`` the vendor key ``key``: all of them, or none.

    Raises :class:`StoreError` (one line naming the file) when a file is missing, outside
    the store, a link, locked by another socwizard or not a valid assessment, or when a
    write fails; nothing is changed then. ``key`` must match the core's key pattern.
    """
    from socwizard.core.assessment import KEY_PATTERN

    if re.fullmatch(KEY_PATTERN, key) is None:
        raise StoreError(Problem("vendor_key", "takes letters, digits, - and _ only (at most 64)"))
    store.check()
    targets = sorted({_checked_target(store, p) for p in paths}, key=lambda p: p.name)
    changed: list[tuple[Path, bytes]] = []
    unchanged: list[Path] = []
    with contextlib.ExitStack() as locks:
        for target in targets:
            locks.enter_context(store.lock(target))
        plans: list[tuple[Path, bytes, bytes]] = []
        for target in targets:
            current = _read(target)
            try:
                new = with_key(current, display_path(target), key)
            except AssessmentError as exc:
                raise StoreError(exc.problems) from None
            if new == current:
                unchanged.append(target)
            else:
                plans.append((target, current, new))
        try:
            for target, current, new in plans:
                store._keep_previous(target, current)  # as every save does
                write_private(target, new)
                changed.append((target, current))
        except (OSError, StoreError) as exc:
            for target, old in reversed(changed):
                with contextlib.suppress(OSError):
                    write_private(target, old)
            if isinstance(exc, StoreError):
                raise
            raise StoreError(
                Problem(
                    display_path(exc.filename or targets[0]),
                    f"could not be rewritten ({exc.strerror or exc}); no vendor key was changed",
                )
            ) from None
    return Rekeyed(tuple(t for t, _ in changed), tuple(unchanged))


@dataclass(frozen=True)
class VendorRekeyed:
    """What :func:`rekey_vendor` did."""

    rekeyed: Rekeyed
    joined: tuple[str, ...]
    """The names of the other vendors already using the new key (their histories now merge)."""


def rekey_vendor(store: Store, old_key: str, new_key: str, *, moved: Path | None = None) -> VendorRekeyed:
    """Give every readable assessment of the store keyed ``old_key`` the key ``new_key``.

    ``moved``: an assessment of this vendor already given the new key (the one being
    edited), not counted as another vendor's. The store is listed first (its index), so
    a file added behind socwizard's back is included. Raises :class:`StoreError` as
    :func:`rekey_files` does (nothing changed).
    """
    entries = store.list()
    paths = history_paths(entries, old_key)
    moving = set(paths) | ({moved} if moved is not None else set())
    joined = {e.vendor or e.title for e in entries if e.vendor_key == new_key and e.path not in moving}
    return VendorRekeyed(rekey_files(store, paths, new_key), tuple(sorted(joined)))


def others_with_key(entries: Iterable[Entry], key: str, besides: Path | None) -> int:
    """How many readable assessments of the listing share ``key``, ``besides`` not counted."""
    return sum(1 for path in history_paths(entries, key) if path != besides)
