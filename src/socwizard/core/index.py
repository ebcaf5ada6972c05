"""The listing index: SQLite in the store's ``.socwizard/`` folder, rebuilt from the files.

The TOML files stay the only source of truth. Each file's row is keyed by its name,
``mtime_ns`` and size (its stamp): a file added, changed or deleted behind socwizard's
back (by git, a sync tool, an editor) is re-read, or dropped, on the next listing.

The index is a cache and is never trusted further than that: an index that is corrupt,
too large, a symlink or a special file, from a newer socwizard, locked by another
process, or on a read-only disk is rebuilt or bypassed (the files are read directly)
with a one-line notice — never a traceback, never a missing assessment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

INDEX_NAME = "index.sqlite"
SCHEMA_VERSION = 3
"""2: the outcome tables in their own table, shared by the rows (1 held one per row: 50,000
rows of ~1 KB spilled onto SQLite's overflow pages; a listing read ten times the pages).
3: a ``vendors`` table, one row per vendor key holding what the register shows of it, kept
in step with ``files`` whenever the index reconciles (``socwizard register`` reads 10,000
vendor rows instead of grouping 50,000 assessment rows)."""
APPLICATION_ID = 0x536F6349  # "SocI": tells our index from any other SQLite file
MAX_INDEX_BYTES = 1_000_000_000
BUSY_TIMEOUT_S = 2.0
MAX_OUTCOMES = 200
_SUFFIX = ".toml"


class Entry(NamedTuple):
    """One row of the store listing (read from the file's header and snapshot)."""

    path: Path
    id: str
    title: str
    vendor: str
    reviewed_on: dt.date | None
    status: str
    updated: dt.datetime | None
    headline: str
    outcomes: dict[str, str]
    next_review: dt.date | None
    error: str = ""
    vendor_key: str = ""
    assessor: str = ""
    created: dt.datetime | None = None
    previous: str = ""


Stamp = tuple[int, int]

_FILES = """
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    id TEXT NOT NULL, short TEXT NOT NULL, vendor_key TEXT NOT NULL, title TEXT NOT NULL,
    vendor TEXT NOT NULL, assessor TEXT NOT NULL, reviewed_on INTEGER, status TEXT NOT NULL,
    created TEXT, updated TEXT, headline TEXT NOT NULL, outcomes INTEGER NOT NULL,
    next_review INTEGER, previous TEXT NOT NULL, error TEXT NOT NULL
) STRICT, WITHOUT ROWID;
"""
_VENDORS = """
CREATE TABLE IF NOT EXISTS vendors (
    key TEXT PRIMARY KEY, vendor TEXT NOT NULL, tier TEXT NOT NULL, verdict TEXT NOT NULL,
    outcomes TEXT NOT NULL, last_reviewed INTEGER, next_review INTEGER, assessor TEXT NOT NULL,
    status TEXT NOT NULL, assessments INTEGER NOT NULL, latest_title TEXT NOT NULL,
    latest_name TEXT NOT NULL, broken INTEGER NOT NULL, latest_id TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS histories (key TEXT PRIMARY KEY, history TEXT NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS files_errors ON files(name) WHERE error != '';
"""
"""``state`` row ``vendors``: 1 when ``vendors`` (and ``histories``, read only for JSON) is in
step with ``files``, 0 when it must be built again from the next full listing (an index
migrated from schema 2); row ``stamps``: a digest of the folder scan ``files`` was last
written for (:func:`_stamps_digest`), so an unchanged folder is recognised without reading
every row's stamp."""
_CREATE = f"""
CREATE TABLE IF NOT EXISTS outcomes (oid INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT;
{_FILES}
{_VENDORS}
INSERT OR REPLACE INTO state (name, value) VALUES ('vendors', 1);
CREATE INDEX IF NOT EXISTS files_id ON files(id);
CREATE INDEX IF NOT EXISTS files_short ON files(short);
PRAGMA user_version = {SCHEMA_VERSION};
PRAGMA application_id = {APPLICATION_ID};
"""
# Version 1 -> 2 in place, one transaction (a 50,000-row index migrates in well under a
# second; rebuilding it from the files would parse every one of them again).
_MIGRATE_1 = (
    "CREATE TABLE outcomes (oid INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT",
    "INSERT INTO outcomes (text) SELECT DISTINCT outcomes FROM files",
    "DROP INDEX IF EXISTS files_id",  # else they follow the renamed table, and go with it
    "DROP INDEX IF EXISTS files_short",
    "ALTER TABLE files RENAME TO files_1",
    _FILES.strip().rstrip(";"),
    "INSERT INTO files SELECT name, mtime_ns, size, id, short, vendor_key, title, vendor, assessor, "
    "reviewed_on, status, created, updated, headline, "
    "(SELECT oid FROM outcomes WHERE text = files_1.outcomes), next_review, previous, error FROM files_1",
    "DROP TABLE files_1",
    "CREATE INDEX files_id ON files(id)",
    "CREATE INDEX files_short ON files(short)",
    "PRAGMA user_version = 2",
)
# Version 2 -> 3 in place: the vendor table is built from the next full listing (the
# entries it needs are all in hand then; no file is read again).
_MIGRATE_2 = (
    *(statement.strip() for statement in _VENDORS.split(";") if statement.strip()),
    "INSERT OR REPLACE INTO state (name, value) VALUES ('vendors', 0)",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
_COLUMNS = (
    "name, mtime_ns, size, id, short, vendor_key, title, vendor, assessor, reviewed_on, status, "
    "created, updated, headline, outcomes, next_review, previous, error"
)


class IndexUnusable(Exception):
    """The index cannot be used this time (the reason is the message, one line)."""


def short_id(name: str) -> str:
    """The part of a filename after its last '-' (``acme-1a2b3c4d.toml`` → ``1a2b3c4d``)."""
    stem = name.removesuffix(_SUFFIX)
    return stem.rsplit("-", 1)[-1]


def scan(root: Path) -> dict[str, Stamp]:
    """Assessment files of ``root`` (regular files, not hidden, not symlinks) and their stamps."""
    found: dict[str, Stamp] = {}
    # Listed through a descriptor of the folder: each entry's lstat is then relative to it
    # (fstatat), not a walk of the whole path again for each of 50,000 files.
    try:
        folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return found
    try:
        with os.scandir(folder) as entries:
            for item in entries:
                name = item.name
                if not name.endswith(_SUFFIX) or name.startswith("."):
                    continue
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found[name] = (info.st_mtime_ns, info.st_size)
    finally:
        os.close(folder)
    return found


# --- rows <-> entries -----------------------------------------------------------------


def _decode_outcomes(text: str) -> dict[str, str]:
    """An outcome table from its JSON text (ValueError when it is anything else)."""
    data = json.loads(text)
    if not isinstance(data, dict) or not all(type(k) is str and type(v) is str for k, v in data.items()):
        raise ValueError("outcomes are not a table of texts")
    return data


def _outcomes_text(outcomes: dict[str, str]) -> str:
    return json.dumps(dict(list(outcomes.items())[:MAX_OUTCOMES]), ensure_ascii=False, separators=(",", ":"))


def _child(root: Path) -> Callable[[str], Path]:
    """``root / name`` for plain file names, without re-parsing ``root`` 50,000 times."""
    fast = getattr(root, "_make_child_relpath", None)  # CPython's own, used by iterdir()
    if callable(fast):
        try:
            probe = fast("x.toml")
            if isinstance(probe, Path) and probe == root / "x.toml":
                return fast  # type: ignore[no-any-return]
        except Exception:  # pragma: no cover - another Python's pathlib
            pass
    return lambda name: root / name


def _entry(
    child: Callable[[str], Path], row: tuple[Any, ...], outcomes: dict[str, str], dates: _Dates
) -> Entry:
    """An Entry from a row (ValueError/TypeError/OverflowError when the row is damaged).

    ``outcomes`` is the row's decoded outcome table, shared with every row naming the
    same one, as ``dates`` shares equal dates (entries never mutate either).
    """
    created, updated = row[11], row[12]
    return Entry(
        child(row[0]),
        row[3],
        row[6],
        row[7],
        dates[row[9]],
        row[10],
        None if updated is None else _fromisoformat(updated),
        row[13],
        outcomes,
        dates[row[15]],
        row[17],
        row[5],
        row[8],
        None if created is None else _fromisoformat(created),
        row[16],
    )


_fromisoformat = dt.datetime.fromisoformat


class _Dates(dict[Any, "dt.date | None"]):
    """Day ordinal -> date, each made once (50,000 rows hold a few thousand distinct days)."""

    def __missing__(self, ordinal: int | None) -> dt.date | None:
        day = None if ordinal is None else dt.date.fromordinal(ordinal)
        self[ordinal] = day
        return day


def _row(name: str, file_stamp: Stamp, entry: Entry, outcomes_id: int) -> tuple[Any, ...]:
    return (
        name,
        file_stamp[0],
        file_stamp[1],
        entry.id,
        short_id(name),
        entry.vendor_key,
        entry.title,
        entry.vendor,
        entry.assessor,
        entry.reviewed_on.toordinal() if entry.reviewed_on else None,
        entry.status,
        entry.created.isoformat() if entry.created else None,
        entry.updated.isoformat() if entry.updated else None,
        entry.headline,
        outcomes_id,
        entry.next_review.toordinal() if entry.next_review else None,
        entry.previous,
        entry.error,
    )


# --- the database ---------------------------------------------------------------------


def _check_path(path: Path) -> bool:
    """True when ``path`` exists as a regular file of a sane size; False when absent.

    Raises IndexUnusable for a symlink, a special file or an oversized file (lstat: a
    symlink is never followed).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise IndexUnusable(f"{path.name}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise IndexUnusable(f"{path.name} is not a regular file")
    if info.st_size > MAX_INDEX_BYTES:
        raise IndexUnusable(f"{path.name} is larger than {MAX_INDEX_BYTES // 1_000_000} MB")
    return True


class Index:
    """The SQLite listing index of one store."""

    def __init__(self, root: Path, housekeeping: Path) -> None:
        self.root = root
        self.housekeeping = housekeeping
        self.path = housekeeping / INDEX_NAME
        self.notices: list[str] = []

    # --- opening ------------------------------------------------------------------------

    def _check_folder(self) -> None:
        try:
            info = os.lstat(self.housekeeping)
        except OSError as exc:
            raise IndexUnusable(f"{self.housekeeping.name}/: {exc.strerror or exc}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise IndexUnusable(f"{self.housekeeping.name} is not a folder (a symlink?)")
        for suffix in ("-journal", "-wal", "-shm"):
            _check_path(self.path.with_name(self.path.name + suffix))

    @contextlib.contextmanager
    def _connect(self, *, create: bool) -> Iterator[Any]:
        """An open connection to a checked index (IndexUnusable when it cannot be used)."""
        import sqlite3

        self._check_folder()
        exists = _check_path(self.path)
        if not exists:
            if not create:
                raise IndexUnusable("no index yet")
            try:  # created 0600, never through a symlink; SQLite gives its journal the same mode
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise IndexUnusable(f"cannot create {self.path.name}: {exc.strerror or exc}") from None
            with contextlib.suppress(OSError):  # the JSON index of socwizard 0.1
                if stat.S_ISREG(os.lstat(self.housekeeping / "index.json").st_mode):
                    os.unlink(self.housekeeping / "index.json")
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise IndexUnusable(f"{self.path.name}: {exc}") from None
        try:
            yield conn
        finally:
            conn.close()

    def _prepare(self, conn: Any) -> None:
        """Check the version; create the tables in a fresh index, migrate an older one.

        Raises IndexUnusable (a newer socwizard's), _Rebuild (not ours) or DatabaseError.
        """
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        if version > SCHEMA_VERSION and app == APPLICATION_ID:
            raise IndexUnusable(f"{self.path.name} was written by a newer socwizard")
        if version == SCHEMA_VERSION and app == APPLICATION_ID:
            return
        if version in (1, 2) and app == APPLICATION_ID:
            self._migrate(conn)
            return
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise _Rebuild(f"{self.path.name} is not an index of this socwizard")
        conn.executescript(_CREATE)

    def _migrate(self, conn: Any) -> None:
        """Version 1 or 2 to 3, in one transaction (another socwizard may have done it meanwhile)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 1:
                for statement in _MIGRATE_1:
                    conn.execute(statement)
            if conn.execute("PRAGMA user_version").fetchone()[0] == 2:
                for statement in _MIGRATE_2:
                    conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            raise

    # --- listing ------------------------------------------------------------------------

    def entries(self, read_entry: Callable[[Path], Entry]) -> list[Entry]:
        """Every file's entry, in filename order: from the index when its stamp matches."""
        with paused_gc():
            return self._entries(read_entry)

    def _entries(self, read_entry: Callable[[Path], Entry]) -> list[Entry]:
        import sqlite3

        files = scan(self.root)
        if not files and not os.path.lexists(self.housekeeping):
            return []  # no store yet: nothing to index, nothing to say
        for attempt in (1, 2):
            try:
                with self._connect(create=True) as conn:
                    self._prepare(conn)
                    return self._reconcile(conn, files, read_entry)
            except IndexUnusable as exc:
                return self._bypass(files, read_entry, str(exc))
            except (_Rebuild, sqlite3.DatabaseError) as exc:
                if _locked(exc):
                    return self._bypass(files, read_entry, f"{self.path.name} is locked by another socwizard")
                if attempt == 2 or not self._discard():
                    return self._bypass(files, read_entry, f"{self.path.name} is unusable ({exc})")
                self.notices.append(f"the listing index was damaged ({exc}): rebuilt from the files")
        raise AssertionError("unreachable")  # pragma: no cover

    def _reconcile(
        self, conn: Any, files: dict[str, Stamp], read_entry: Callable[[Path], Entry]
    ) -> list[Entry]:
        import sqlite3

        root = self.root
        child = _child(root)
        tables: dict[int, dict[str, str] | None] = {}
        for oid, text in conn.execute("SELECT oid, text FROM outcomes"):
            try:
                tables[oid] = _decode_outcomes(text)
            except (ValueError, TypeError):
                tables[oid] = None  # its rows are read again
        found: dict[str, Entry] = {}
        stale: list[str] = []
        touched: set[str] = set()  # the vendor keys of rows re-read or gone
        dates = _Dates()
        stamp_of_file, table_of = files.get, tables.get
        # In name order (the primary key's): when nothing is new, no sort is needed.
        for row in conn.execute(f"SELECT {_COLUMNS} FROM files ORDER BY name"):
            name = row[0]
            outcomes = table_of(row[14])
            if stamp_of_file(name) != (row[1], row[2]) or outcomes is None:
                stale.append(name)
                touched.add(_group_key(row[5], name))
                continue
            try:
                found[name] = _entry(child, row, outcomes, dates)
            except (ValueError, TypeError, OverflowError, IndexError):
                stale.append(name)
                touched.add(_group_key(row[5], name))
        fresh: list[tuple[str, Stamp, Entry]] = []
        for name, file_stamp in files.items():
            if name not in found:
                entry = read_entry(root / name)
                found[name] = entry
                fresh.append((name, file_stamp, entry))
        gone = [name for name in stale if name not in files]
        vendors_ready = _vendors_ready(conn)
        if fresh or gone or not vendors_ready:
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("DELETE FROM files WHERE name = ?", [(n,) for n in gone])
                conn.executemany(
                    f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES ({_marks()})", self._rows(conn, fresh)
                )
                conn.execute("DELETE FROM outcomes WHERE oid NOT IN (SELECT outcomes FROM files)")
                touched.update(_group_key(entry.vendor_key, name) for name, _, entry in fresh)
                _write_vendors(conn, found.values(), None if not vendors_ready else touched, files)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                reason = "locked by another socwizard" if _locked(exc) else str(exc)
                self.notices.append(f"the listing index was not updated ({reason}); the files were read")
        if not fresh:
            return list(found.values())
        return [found[name] for name in sorted(found)]

    # --- the register -------------------------------------------------------------------

    def vendors(self, *, history: bool = False) -> tuple[list[Any], list[str]] | None:
        """The register's rows from the ``vendors`` table, and the broken files' errors.

        Only when the index answers for every file as it is (each stamp matches, none is
        missing or new) and its vendor table is in step with it; None otherwise — the
        caller then lists the store (which reconciles the index and its vendor table)
        and groups the entries itself. The rows are :class:`~socwizard.core.register.StoredRow`,
        unsorted, with their histories only when ``history`` is asked for (JSON); the
        errors are in filename order, as a listing gives them.
        """
        import sqlite3

        with paused_gc():
            files = scan(self.root)
            if not os.path.lexists(self.path):
                return None
            try:
                with self._connect(create=False) as conn:
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    app = conn.execute("PRAGMA application_id").fetchone()[0]
                    if version != SCHEMA_VERSION or app != APPLICATION_ID:
                        return None
                    conn.execute("BEGIN")  # one snapshot of every table
                    try:
                        found = _read_vendors(conn, files, history=history)
                    finally:
                        conn.execute("COMMIT")
                    if found is None:
                        return None
                    if found[2]:  # the stamps matched one by one: remember this scan (best effort)
                        with contextlib.suppress(sqlite3.Error):
                            conn.execute(
                                "INSERT OR REPLACE INTO state (name, value) VALUES ('stamps', ?)",
                                (_stamps_digest(files),),
                            )
                    return found[0], found[1]
            except (IndexUnusable, sqlite3.Error):
                return None

    @staticmethod
    def _rows(conn: Any, fresh: list[tuple[str, Stamp, Entry]]) -> list[tuple[Any, ...]]:
        """The rows of freshly read files, their outcome tables stored once (in the transaction)."""
        ids: dict[str, int] = {}
        rows = []
        for name, file_stamp, entry in fresh:
            text = _outcomes_text(entry.outcomes)
            oid = ids.get(text)
            if oid is None:
                conn.execute("INSERT OR IGNORE INTO outcomes (text) VALUES (?)", (text,))
                row = conn.execute("SELECT oid FROM outcomes WHERE text = ?", (text,)).fetchone()
                oid = ids[text] = row[0]
            rows.append(_row(name, file_stamp, entry, oid))
        return rows

    def _bypass(self, files: dict[str, Stamp], read_entry: Callable[[Path], Entry], why: str) -> list[Entry]:
        if why != "no index yet":
            self.notices.append(f"listing index not used: {why}; every file was read (slower)")
        return [read_entry(self.root / name) for name in sorted(files)]

    def _discard(self) -> bool:
        """Remove a damaged index (and its journal); False when that is not possible."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(self.path.with_name(self.path.name + suffix))
            except FileNotFoundError:
                pass
            except OSError:
                return False
        return True

    # --- finding ------------------------------------------------------------------------

    def lookup(self, key: str) -> list[tuple[str, Stamp]]:
        """Files whose stem, short id or assessment id is ``key`` (filename matches first).

        Reads the index as it is (no reconciliation): the caller checks each stamp.
        Empty when there is no usable index.
        """
        import sqlite3

        try:
            with self._connect(create=False) as conn:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    return []
                rows = conn.execute(
                    "SELECT name, mtime_ns, size, name = ? OR short = ? FROM files "
                    "WHERE name = ? OR short = ? OR id = ?",
                    (key + _SUFFIX, key, key + _SUFFIX, key, key),
                ).fetchall()
        except (IndexUnusable, sqlite3.Error):
            return []
        rows.sort(key=lambda r: (not r[3], r[0]))
        return [(str(r[0]), (int(r[1]), int(r[2]))) for r in rows]


# --- the vendor table -----------------------------------------------------------------


def _group_key(vendor_key: str, name: str) -> str:
    """The register's grouping key of a file (``core.register``'s, from a row's fields)."""
    return vendor_key or "file-" + Path(name).stem


def _vendors_ready(conn: Any) -> bool:
    return _state(conn, "vendors") == 1


def _write_vendors(
    conn: Any, entries: Iterable[Entry], keys: set[str] | None, files: dict[str, Stamp]
) -> None:
    """Rebuild the vendor rows of ``keys`` (every vendor when None) from the whole listing.

    Runs inside the caller's transaction, after ``files`` was brought in step with the
    folder scan ``files``: the two tables and the scan's digest change together.
    """
    from socwizard.core import register

    if keys is None or keys:
        wanted = [e for e in entries if keys is None or register.vendor_key(e) in keys]
        fields = [register.stored_fields(row) for row in register.build(wanted)]
        if keys is None:
            conn.execute("DELETE FROM vendors")
            conn.execute("DELETE FROM histories")
        else:
            conn.executemany("DELETE FROM vendors WHERE key = ?", [(k,) for k in keys])
            conn.executemany("DELETE FROM histories WHERE key = ?", [(k,) for k in keys])
        conn.executemany(
            f"INSERT INTO vendors ({_VENDOR_COLUMNS}) VALUES ({', '.join('?' * _VENDOR_WIDTH)})",
            [f[:-1] for f in fields],
        )
        conn.executemany(
            "INSERT INTO histories (key, history) VALUES (?, ?)", [(f[0], f[-1]) for f in fields]
        )
    conn.execute("INSERT OR REPLACE INTO state (name, value) VALUES ('vendors', 1)")
    conn.execute("INSERT OR REPLACE INTO state (name, value) VALUES ('stamps', ?)", (_stamps_digest(files),))


def _stamps_digest(files: dict[str, Stamp]) -> int:
    """A 64-bit digest of a folder scan (names and stamps, in the scan's order).

    BLAKE2 from CPython's own module: ``hashlib`` would load OpenSSL, a cost a listing
    never pays. The same folder, unchanged, scans in the same order; a folder scanned in
    another order only misses this shortcut (the rows' stamps are then compared one by one).
    """
    from _blake2 import blake2b

    text = repr(files).encode("utf-8", "surrogatepass")
    return int.from_bytes(blake2b(text, digest_size=8).digest(), "big", signed=True)


def _state(conn: Any, name: str) -> int | None:
    row = conn.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


_VENDOR_COLUMNS = (
    "key, vendor, tier, verdict, outcomes, last_reviewed, next_review, assessor, status, "
    "assessments, latest_title, latest_name, broken, latest_id"
)
_VENDOR_WIDTH = len(_VENDOR_COLUMNS.split(","))


def _read_vendors(
    conn: Any, files: dict[str, Stamp], *, history: bool
) -> tuple[list[Any], list[str], bool] | None:
    """The vendor rows when ``files`` and ``vendors`` answer for every file as it is.

    The third item is True when the rows' stamps were compared one by one (the scan's
    digest was not the one stored): the caller then stores the new digest.
    """
    from socwizard.core.register import StoredRow

    if not _vendors_ready(conn):
        return None
    compared = _state(conn, "stamps") != _stamps_digest(files)
    if compared:
        stamp_of_file = files.get
        count = 0
        for name, mtime_ns, size in conn.execute("SELECT name, mtime_ns, size FROM files"):
            if stamp_of_file(name) != (mtime_ns, size):
                return None
            count += 1
        if count != len(files):
            return None
    errors: list[str] = []
    for (error,) in conn.execute("SELECT error FROM files WHERE error != '' ORDER BY name"):
        if type(error) is not str:
            return None
        errors.append(error)
    histories: dict[str, str] = {}
    if history:
        histories = dict(conn.execute("SELECT key, history FROM histories"))
    dates = _Dates()
    tables: dict[str, dict[str, str]] = {}
    rows: list[Any] = []
    total = 0
    try:
        for r in conn.execute(f"SELECT {_VENDOR_COLUMNS} FROM vendors"):
            outcomes = tables.get(r[4])
            if outcomes is None:
                outcomes = tables[r[4]] = _decode_outcomes(r[4])
            # The table is STRICT (SQLite keeps each column's type): no type check per row.
            if r[9] < 1:
                return None
            rows.append(
                StoredRow(
                    r[0], r[1], r[2], r[3], outcomes, dates[r[5]], dates[r[6]], r[7], r[8], r[9],
                    r[10], r[11], bool(r[12]), r[13], histories[r[0]] if history else "",
                )
            )  # fmt: skip
            total += r[9]
    except (ValueError, TypeError, OverflowError, IndexError, KeyError):
        return None
    if total != len(files):  # every file is some vendor's, once
        return None
    return rows, errors, compared


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a listing is built (then as it was).

    A listing allocates 50,000 small acyclic objects (entries, dates, paths): each
    collection pass walks all of them again, so with GC on, 100,000 rows cost 2.4× the
    time of 50,000 instead of 2× (BENCHMARKS.md, figure 10). Nothing it builds is a cycle.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Rebuild(Exception):
    """The index file must be discarded and built again."""


def _locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _marks() -> str:
    return ", ".join("?" * len(_COLUMNS.split(",")))


def stamp_of(path: Path) -> Stamp | None:
    """A file's stamp by lstat (None when missing or not a regular file)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if stat.S_ISREG(info.st_mode) else None
