"""The assessment store: a directory of TOML files, written safely.

- directories 0700, files 0600; filenames are a slug plus a short unique id;
- saves are atomic (temp file, fsync, replace, fsync the directory) and locked with
  a separate lock file, so concurrent read-modify-write cycles lose nothing;
- a file changed on disk since it was read is never silently overwritten;
- delete moves a file to the trash folder; import never modifies the source.

Housekeeping lives in ``.socwizard/`` inside the store (locks, trash, backups),
with its own ``.gitignore`` so a store can be a shared git checkout.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socwizard.core.errors import AssessmentError, ConflictError, Problem, StoreError, display_path
from socwizard.core.index import Entry as Entry
from socwizard.core.index import Index, stamp_of
from socwizard.core.private import check_inner, check_private, make_private_dir, sweep_temps
from socwizard.core.text import one_line, slugify
from socwizard.core.tomlsafe import MAX_ASSESSMENT_BYTES, FileProblems, read_bytes

if TYPE_CHECKING:
    from socwizard.core.assessment import Assessment, Loaded
    from socwizard.core.bank.models import Bank
    from socwizard.core.recommendation import Result
    from socwizard.core.register import StoredRow

if sys.platform != "win32":
    import fcntl

# The assessment models (pydantic) are imported where a file is read or written, not
# here: a warm listing (``list``, ``register``, ``show ID``'s lookup) never needs them.

HOUSEKEEPING = ".socwizard"
SUFFIX = ".toml"
LOCK_TIMEOUT_S = 10.0
MAX_HOUSEKEEPING_BYTES = 4_000_000
# taplo (Even Better TOML) settings under which its formatter keeps socwizard's layout
# (multi-line arrays, four-space indents): the two never rewrite each other's files.
TAPLO_CONFIG = """\
# Written by socwizard: taplo / Even Better TOML format assessments as socwizard does.
exclude = [".socwizard/**"]

[formatting]
array_auto_collapse = false
indent_string = "    "
"""
_INNER = ("locks", "trash", "backups")


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when it was read: detects changes by others."""

    sha256: str

    @classmethod
    def of(cls, data: bytes) -> Fingerprint:
        """Fingerprint of some bytes."""
        import hashlib  # here: OpenSSL's load is a cost a listing would pay for nothing

        return cls(hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Opened:
    """An assessment opened from the store, ready to be edited and saved back."""

    path: Path
    loaded: Loaded
    fingerprint: Fingerprint | None

    @property
    def assessment(self) -> Assessment:
        """The assessment."""
        return self.loaded.assessment

    @property
    def result(self) -> Result:
        """The recomputed result."""
        return self.loaded.result


class Store:
    """A directory of assessment files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._schema_installed = ""
        self.notices: list[str] = []
        """What the last listing said about the index (rebuilt, bypassed), one line each."""

    # --- layout ---------------------------------------------------------------------

    @property
    def housekeeping(self) -> Path:
        """The store's own folder (locks, trash, backups)."""
        return self.root / HOUSEKEEPING

    @property
    def trash(self) -> Path:
        """Where deleted assessments go."""
        return self.housekeeping / "trash"

    def check(self) -> None:
        """Refuse a store another user owns or can write, or whose ``.socwizard/`` is a link.

        Raises :class:`~socwizard.core.private.UnsafeFolder` (one line naming the fix).
        """
        check_private(self.root, "store folder")
        check_inner(self.housekeeping, directory=True)

    def inner_dir(self, name: str) -> Path:
        """A folder of ``.socwizard/`` (created 0700), never a symlink or special file."""
        directory = self.housekeeping / name
        if not check_inner(directory, directory=True):
            make_private_dir(directory)
        return directory

    def ensure(self, bank: Bank | None = None) -> None:
        """Create the store (0700, parents too, whatever the umask) and its housekeeping folder.

        With ``bank``, ``.socwizard/assessment.schema.json`` becomes that bank's schema.
        """
        self.check()
        created = not os.path.lexists(self.root)
        make_private_dir(self.root)
        if not check_inner(self.housekeeping, directory=True):
            make_private_dir(self.housekeeping)
        for name in ("locks", "trash", "backups"):
            self.inner_dir(name)
        ignore = self.housekeeping / ".gitignore"
        if not check_inner(ignore, directory=False):
            _atomic_write(ignore, b"# socwizard housekeeping: local only\n*\n")
        self._install_schema(bank)
        if created:
            # Only in a store socwizard creates: a folder that exists (a team's git
            # checkout) gets no file it did not ask for (git status stays clean).
            _atomic_write(self.root / ".taplo.toml", TAPLO_CONFIG.encode("utf-8"))
        self._sweep_temps()

    def _install_schema(self, bank: Bank | None) -> None:
        """Keep ``.socwizard/assessment.schema.json`` the schema of the bank in use.

        The ``#:schema`` line of every saved file points there, so editors validate
        and complete assessments: with a bank, each question id is a property typed
        by its question (:mod:`socwizard.core.answer_schema`); without one (nothing
        loaded yet), the generic schema is installed only if there is none.
        """
        from socwizard.core.answer_schema import assessment_schema_for
        from socwizard.paths import schemas_dir

        target = self.housekeeping / "assessment.schema.json"
        exists = check_inner(target, directory=False)
        if bank is not None and self._schema_installed == bank.content_hash:
            return
        try:  # the committed schema (a test keeps it equal to the models): no generation cost
            source = read_bytes(schemas_dir() / "assessment.schema.json", max_bytes=MAX_HOUSEKEEPING_BYTES)
            generic = json.loads(source)
        except (FileProblems, ValueError):
            return
        if bank is None:
            if exists:
                return
            wanted = source
        else:
            wanted = (json.dumps(assessment_schema_for(generic, bank), indent=2) + "\n").encode("utf-8")
        with contextlib.suppress(OSError, FileProblems):
            current = (
                read_bytes(target, max_bytes=MAX_HOUSEKEEPING_BYTES, allow_symlink=False) if exists else None
            )
            if current != wanted:
                _atomic_write(target, wanted)
            if bank is not None:
                self._schema_installed = bank.content_hash

    def _sweep_temps(self) -> None:
        """Remove stale temp files in every folder the store writes (not only its root)."""
        for directory in (self.root, self.housekeeping, *(self.housekeeping / n for n in _INNER)):
            sweep_temps(directory)

    def new_path(self, assessment: Assessment) -> Path:
        """A fresh filename: slug of vendor/title plus a short unique id."""
        from socwizard.core.assessment import new_id

        slug = slugify(assessment.vendor or assessment.title or "assessment")
        while True:
            path = self.root / f"{slug}-{new_id()[:8]}{SUFFIX}"
            if not path.exists():
                return path

    def inside(self, path: Path) -> Path:
        """``path`` resolved, or StoreError if it leaves the store."""
        resolved = path.resolve()
        root = self.root.resolve()
        if resolved.parent != root:
            raise StoreError(Problem(display_path(path), "is outside the store " + display_path(root)))
        return resolved

    def files(self) -> list[Path]:
        """Assessment files in the store (not hidden files, not symlinks)."""
        return [Path(item.path) for item in self._dir_entries()]

    def _dir_entries(self) -> list[os.DirEntry[str]]:
        if not self.root.is_dir():
            return []
        with os.scandir(self.root) as entries:
            found = [
                item
                for item in entries
                if item.name.endswith(SUFFIX)
                and not item.name.startswith(".")
                and item.is_file(follow_symlinks=False)
            ]
        return sorted(found, key=lambda item: item.name)

    def _taken_names(self, entries: list[Entry] | None = None) -> set[str]:
        """Every id and every name ``find_by_id`` would resolve, in this store."""
        listed = self.list() if entries is None else entries
        taken = {entry.id for entry in listed}
        for entry in listed:
            taken |= _names_of(entry.path.stem)
        return taken

    def find_by_id(self, assessment_id: str) -> Path | None:
        """The file holding the assessment with this id (or filename stem, or short id).

        The index answers first; its answer is used only when the file's stamp still
        matches (a file changed behind socwizard's back is looked up again after a listing).
        """
        self.notices = []
        self.check()
        index = Index(self.root, self.housekeeping)
        for name, file_stamp in index.lookup(assessment_id):
            path = self.root / name
            if stamp_of(path) == file_stamp:
                return path
        entries = self.list()
        for entry in entries:
            if entry.path.stem == assessment_id or entry.path.stem.endswith("-" + assessment_id):
                return entry.path
        for entry in entries:
            if entry.id == assessment_id:
                return entry.path
        return None

    # --- reading --------------------------------------------------------------------

    def open(self, path: Path, bank: Bank, *, allow_symlink: bool = True) -> Opened:
        """Read and evaluate an assessment; remember its fingerprint for a safe save."""
        from socwizard.core.assessment import evaluate_assessment, read_assessment_bytes

        name = display_path(path)
        raw = _read_capped(path, allow_symlink=allow_symlink)
        assessment, lines = read_assessment_bytes(raw, name)
        loaded = evaluate_assessment(assessment, bank, name, lines)
        return Opened(path, loaded, Fingerprint.of(raw))

    def list(self) -> list[Entry]:
        """Every assessment's summary, from its header and snapshot (no bank needed).

        Rows come from the SQLite index in ``.socwizard/`` when a file's stamp (mtime_ns,
        size) is unchanged; anything the index cannot answer is read from the files. Why
        the index was rebuilt or bypassed, if it was, is in ``self.notices`` (one line each).
        """
        self.check()
        if not self.housekeeping.exists() and self.root.is_dir():
            with contextlib.suppress(OSError):
                self.ensure()
        index = Index(self.root, self.housekeeping)
        entries = index.entries(self.entry)
        self.notices = index.notices
        return entries

    def vendor_rows(
        self, *, history: bool = False
    ) -> tuple[builtins.list[StoredRow], builtins.list[str]] | None:
        """The register's rows from the index's vendor table, and the broken files' errors.

        None unless the index answers for every file as it is now (same stamps, nothing
        added or deleted behind socwizard's back) — then :meth:`list` and
        :func:`socwizard.core.register.build` give the same rows, which the caller uses.
        ``history``: with each vendor's history (``register --format json`` lists it).
        """
        self.notices = []
        self.check()
        return Index(self.root, self.housekeeping).vendors(history=history)

    def entry(self, path: Path) -> Entry:
        """One file's summary; a broken file gives an entry with ``error`` set."""
        from socwizard.core.assessment import read_assessment_bytes

        try:
            assessment, _ = read_assessment_bytes(_read_capped(path), display_path(path))
        except AssessmentError as exc:
            return Entry(
                path,
                path.stem,
                path.name,
                "",
                None,
                "broken",
                None,
                "",
                {},
                None,
                error=exc.first_line,
                vendor_key="file-" + path.stem[:59],
            )
        snapshot = assessment.result or {}
        outcomes = snapshot.get("outcomes", {})
        next_review = snapshot.get("next_review")
        return Entry(
            path=path,
            id=assessment.id or path.stem,
            title=assessment.display_title,
            vendor=assessment.vendor,
            reviewed_on=assessment.reviewed_on,
            status=assessment.status,
            updated=assessment.updated,
            headline=one_line(str(snapshot.get("headline", "")), 200),
            outcomes=_snapshot_outcomes(outcomes),
            next_review=next_review if type(next_review) is dt.date else None,
            vendor_key=_vendor_key(assessment, path),
            assessor=assessment.assessor,
            created=assessment.created,
            previous=assessment.previous or "",
        )

    # --- writing --------------------------------------------------------------------

    def save(
        self,
        assessment: Assessment,
        bank: Bank,
        result: Result,
        path: Path | None = None,
        expected: Fingerprint | None = None,
        *,
        keep_bank: bool = False,
    ) -> tuple[Path, Assessment, Fingerprint]:
        """Stamp and write an assessment atomically under its lock.

        ``expected`` is the fingerprint the caller read; if the file changed since,
        :class:`ConflictError` is raised and nothing is written. A new assessment
        (``path`` None) gets a fresh filename. ``keep_bank`` keeps the assessment's bank
        reference (a re-assessment: the interview then queues what the bank changed since).
        """
        from socwizard.core.assessment import stamp, to_toml

        self.ensure(bank)
        stamped = stamp(assessment, bank, result)
        if keep_bank and assessment.bank.hash:
            stamped = stamped.model_copy(update={"bank": assessment.bank})
        target = self.new_path(stamped) if path is None else self.inside(path)
        data = to_toml(stamped, result).encode("utf-8")
        with self.lock(target):
            current = _read_if_exists(target)
            changed = current is not None and expected is not None and Fingerprint.of(current) != expected
            if path is not None and changed:
                raise ConflictError(
                    Problem(
                        display_path(target),
                        "changed on disk since it was opened (another window or a sync tool?); "
                        "nothing was overwritten — reopen it to see the other changes",
                    )
                )
            if path is not None and current is None and expected is not None:
                raise ConflictError(Problem(display_path(target), "was deleted or moved since it was opened"))
            if current != data:
                if current is not None:
                    self._keep_previous(target, current)
                _atomic_write(target, data)
        return target, stamped, Fingerprint.of(data)

    def _keep_previous(self, target: Path, current: bytes) -> None:
        """Keep the version about to be replaced in ``.socwizard/backups/`` (best effort).

        A hard link costs no copy and no fsync: the replace that follows gives the
        target a new inode, and the link keeps the old one.
        """
        backups = self.inner_dir("backups")
        staging = backups / f".{target.name}.{os.getpid()}.tmp"
        try:
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()
            os.link(target, staging)
            os.replace(staging, backups / target.name)
        except OSError:
            with contextlib.suppress(OSError):
                staging.unlink()
            with contextlib.suppress(OSError):
                _atomic_write(backups / target.name, current)

    @contextlib.contextmanager
    def lock(self, target: Path) -> Iterator[None]:
        """Hold the lock file of ``target`` (a separate file: replace swaps inodes)."""
        lock_dir = self.inner_dir("locks")
        lock = lock_dir / (target.name + ".lock")
        check_inner(lock, directory=False)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            _acquire(fd, target)
            yield
        finally:
            os.close(fd)

    def delete(self, path: Path) -> Path:
        """Move an assessment to the trash folder; return where it went."""
        from socwizard.core.assessment import utc_now

        self.ensure()
        source = self.inside(path)
        stamp_ = utc_now().strftime("%Y%m%dT%H%M%SZ")
        destination = self.trash / f"{source.stem}.{stamp_}{SUFFIX}"
        with self.lock(source):
            os.replace(source, destination)
            _fsync_dir(self.root)
        return destination

    def import_file(self, source: Path, bank: Bank) -> tuple[Path, Loaded]:
        """Validate a colleague's file and copy it in under a new name (source untouched).

        The copy gets a new id when its id is missing or already used in the store.
        """
        from socwizard.core.assessment import (
            Loaded,
            evaluate_assessment,
            new_id,
            read_assessment_bytes,
            vendor_key_for,
        )

        name = display_path(source)
        raw = _read_capped(source, allow_symlink=False)
        assessment, lines = read_assessment_bytes(raw, name)
        loaded = evaluate_assessment(assessment, bank, name, lines)
        imported = loaded.assessment
        # Unique across ids *and* file names: ``show ID`` looks up file stems (and
        # their ``-suffix``) first, so an id equal to another file's name would open
        # that file instead (issue 9).
        entries = self.list()
        taken = self._taken_names(entries)
        if imported.id is None or imported.id in taken:
            imported = imported.model_copy(update={"id": new_id()})
        warnings = list(loaded.warnings)
        key = imported.vendor_key
        if key is not None:
            other = next((e for e in entries if e.vendor_key == key and not e.error), None)
            if other is not None and _same_name(other.vendor, imported.vendor) is False:
                fresh = vendor_key_for(imported.vendor)
                if fresh == key or any(e.vendor_key == fresh for e in entries if e.vendor != imported.vendor):
                    fresh = "vendor-" + new_id()
                imported = imported.model_copy(update={"vendor_key": fresh})
                warnings.append(
                    Problem(
                        name,
                        f"vendor_key {key!r} is already used by {one_line(other.vendor, 60)!r} in the "
                        f"store: the copy was given {fresh!r} (set vendor_key to join that vendor)",
                        key="vendor_key",
                    )
                )
        path, stamped, _ = self.save(imported, bank, loaded.result)
        return path, Loaded(stamped, loaded.result, tuple(warnings))


def _vendor_key(assessment: Assessment, path: Path) -> str:
    """The vendor key a file says, else one derived from the vendor's name, else its own."""
    from socwizard.core.assessment import vendor_key_for

    if assessment.vendor_key:
        return assessment.vendor_key
    if assessment.vendor.strip():
        return vendor_key_for(assessment.vendor)
    return "file-" + (assessment.id or path.stem)[:59]


def _same_name(a: str, b: str) -> bool | None:
    """Whether two vendor names are the same (case and spacing aside); None if one is empty."""
    a, b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return None if not a or not b else a == b


_OUTCOME_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_OUTCOME_LEVEL = re.compile(r"[a-z][a-z0-9_]*")


def _snapshot_outcomes(outcomes: object) -> dict[str, str]:
    """The ``[result.outcomes]`` snapshot, validated: ids and level ids only, else nothing.

    The snapshot is written by socwizard but never trusted (issue 9: a hand-made one
    carried U+202E and U+009B into ``list --json``). A value that is no level id makes
    the whole snapshot unusable: the listing shows no outcomes rather than a forged one.
    """
    if not isinstance(outcomes, dict) or len(outcomes) > 200:
        return {}
    checked: dict[str, str] = {}
    for key, value in outcomes.items():
        if not (isinstance(key, str) and isinstance(value, str)):
            return {}
        if len(key) > 80 or len(value) > 64:
            return {}
        if not (_OUTCOME_KEY.fullmatch(key) and _OUTCOME_LEVEL.fullmatch(value)):
            return {}
        checked[key] = value
    return checked


def _names_of(stem: str) -> set[str]:
    """The names ``find_by_id`` answers to for a file stem: itself and each ``-suffix``."""
    parts = stem.split("-")
    return {stem} | {"-".join(parts[i:]) for i in range(1, len(parts))}


def _acquire(fd: int, target: Path) -> None:
    import time

    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise StoreError(
                    Problem(display_path(target), "is locked by another socwizard; try again")
                ) from None
            time.sleep(0.01)


def _read_capped(path: Path, *, allow_symlink: bool = True) -> bytes:
    try:
        return read_bytes(path, max_bytes=MAX_ASSESSMENT_BYTES, allow_symlink=allow_symlink)
    except FileProblems as exc:
        raise AssessmentError(exc.problems) from None


def _read_if_exists(path: Path) -> bytes | None:
    """A store file's bytes (regular files only, size-capped), or None if it is gone."""
    if not os.path.lexists(path):
        return None
    try:
        return read_bytes(path, max_bytes=MAX_ASSESSMENT_BYTES)
    except FileProblems as exc:
        raise StoreError(exc.problems) from None


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_beside(target: Path) -> tuple[int, str]:
    """A new temp file next to ``target`` (tempfile is imported only to write: a listing never does)."""
    import tempfile

    return tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")


def _atomic_write(target: Path, data: bytes, *, mkdir: bool = False) -> None:
    """Temp file in the same directory, fsync, replace, fsync the directory; mode 0600."""
    if mkdir:
        make_private_dir(target.parent)
    sweep_temps(target.parent, prefix=f".{target.name}.")
    fd, temp = _temp_beside(target)
    try:
        os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(target.parent)


def write_private(target: Path, data: bytes) -> None:
    """Public atomic write (used by exports): 0600, temp + fsync + replace."""
    _atomic_write(target, data)


def write_new(target: Path, data: bytes, *, numbered: bool = True) -> Path:
    """Write a file that did not exist, never replacing one (0600, fsynced).

    The content is written to a temp file first and then hard-linked to its name,
    which fails if the name exists — no gap between checking and writing. With
    ``numbered``, ``name-2.ext``, ``name-3.ext``… are tried; otherwise
    FileExistsError is raised.
    """
    sweep_temps(target.parent, prefix=f".{target.name}.")
    fd, temp = _temp_beside(target)
    try:
        os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        candidate, n = target, 2
        while True:
            try:
                os.link(temp, candidate)
                break
            except FileExistsError:
                if not numbered:
                    raise
                candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
                n += 1
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _fsync_dir(target.parent)
    return candidate


def summarise(entries: list[Entry]) -> list[dict[str, Any]]:
    """Entries as JSON-ready dicts (``socwizard list --json``); print with :func:`safe_json`."""
    return [
        {
            "id": e.id,
            "file": str(e.path),
            "title": e.title,
            "vendor": e.vendor,
            "vendor_key": e.vendor_key,
            "assessor": e.assessor,
            "reviewed_on": e.reviewed_on.isoformat() if e.reviewed_on else None,
            "status": e.status,
            "updated": e.updated.isoformat().replace("+00:00", "Z") if e.updated else None,
            "headline": e.headline,
            "outcomes": e.outcomes,
            "next_review": e.next_review.isoformat() if e.next_review else None,
            "previous": e.previous or None,
            "error": e.error or None,
        }
        for e in entries
    ]


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def safe_json(data: Any) -> str:
    """JSON text with no raw control character (``socwizard list --json``).

    ``json.dumps`` escapes C0 controls but writes DEL, C1 controls (U+009B is CSI) and
    bidi overrides (U+202E) raw with ``ensure_ascii=False``; here they become
    JSON escapes: the same JSON value, nothing a terminal acts on.
    """
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
