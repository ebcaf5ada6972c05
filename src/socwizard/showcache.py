"""A cache of ``socwizard show`` output, served before anything heavy is imported.

Imports are most of what ``show`` costs (pydantic, the core, argparse); the work itself is
a few milliseconds. This module answers a repeated ``show`` from the rendered output of an
earlier run, byte for byte, importing nothing but the standard library's smallest modules.

The entry is keyed by a SHA-256 of everything the output depends on:

- the command line (format, target as typed, ``--bank``/``--store``) and the working directory;
- the assessment file's bytes, every ``*.toml`` file of the bank directory, the policy file;
- the versions: socwizard's own (and the size and mtime of each of its source files, so an
  edited checkout never serves stale output), Python's, and pydantic's, pydantic-core's and
  tomli's (their version files);
- today's date. Results depend on ``reviewed_on``, not on today, but a date-dependent line
  (a review that falls due, say) must never be served stale: an entry lives one day at most.

Only a successful run (exit 0) is stored; an error always goes through the full command.
An entry is one header line and the two texts (nothing in it can execute), in a private
directory (0700, files 0600) that must be a real directory owned by the user and closed to
others (checked with lstat); each entry is capped in size and only the newest :data:`KEEP`
are kept. Anything unexpected is a miss, and a miss simply runs the command.
"""

from __future__ import annotations

import os
import stat
import sys
import time

TYPE_CHECKING = False  # not typing's: importing typing costs more than this whole module
if TYPE_CHECKING:
    from hashlib import _Hash, sha256
else:
    try:  # the small built-in SHA-256: hashlib would load OpenSSL (several ms) for the same digest
        from _sha256 import sha256
    except ImportError:  # other Pythons (3.12 names it _sha2)
        from hashlib import sha256

MAGIC = "socwizard-show"
FORMAT = 1
FORMATS = ("text", "markdown", "json")
MAX_ENTRY_BYTES = 4_000_000
MAX_ASSESSMENT_BYTES = 1_000_000  # as core.tomlsafe: larger files go the long way (and fail there)
MAX_BANK_FILE_BYTES = 4_000_000
MAX_BANK_FILES = 200
KEEP = 64
SUBDIR = "show"
# Modules whose version changes what ``show`` prints (validation messages, parsing).
DEPENDENCIES = (("pydantic", "version.py"), ("pydantic_core", "__init__.py"), ("tomli", "__init__.py"))


class Request:
    """What one ``show`` was asked: everything from the command line the output depends on."""

    __slots__ = ("bank", "format", "store", "target")

    def __init__(self, target: str, format: str, bank: str | None, store: str | None) -> None:
        self.target = target
        self.format = format
        self.bank = bank
        self.store = store

    def __repr__(self) -> str:
        return f"Request({self.target!r}, {self.format!r}, {self.bank!r}, {self.store!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Request) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


class Output:
    """A finished run: what it printed and how it exited."""

    __slots__ = ("code", "stderr", "stdout")

    def __init__(self, stdout: str, stderr: str, code: int) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.code = code


def parse_argv(argv: list[str]) -> Request | None:
    """The ``show`` request in ``argv`` (without the program name), or None when unsure.

    A strict subset of the real grammar: ``[--bank D] [--store D] show TARGET [--format F]``
    with the global options in either place, each at most once. Anything else (help,
    abbreviations, unknown options) is None and goes to the full command line.
    """
    values: dict[str, str] = {}
    target: str | None = None
    seen_command = False
    i = 0
    while i < len(argv):
        token = argv[i]
        if token.startswith("--") and len(token) > 2:
            name, eq, value = token[2:].partition("=")
            if name not in ("bank", "store", "format") or name in values:
                return None
            if name == "format" and not seen_command:
                return None
            if not eq:
                if i + 1 >= len(argv):
                    return None
                i += 1
                value = argv[i]
            if value.startswith("-") or not value:
                return None
            values[name] = value
        elif token.startswith("-"):
            return None
        elif not seen_command:
            if token != "show":
                return None
            seen_command = True
        elif target is None:
            target = token
        else:
            return None
        i += 1
    fmt = values.get("format", "text")
    if not seen_command or target is None or fmt not in FORMATS:
        return None
    return Request(target, fmt, values.get("bank"), values.get("store"))


# --- where things are (as socwizard.paths computes them, without pathlib or platformdirs) ---


def _xdg(variable: str, default: str) -> str | None:
    """The platformdirs user directory on Linux; None elsewhere (then ask platformdirs)."""
    if not sys.platform.startswith("linux"):
        return None
    base = os.environ.get(variable, "").strip() or os.path.expanduser(default)
    return os.path.join(base, "socwizard")


def config_dir() -> str | None:
    """``paths.config_dir()``, or None when only platformdirs knows."""
    override = os.environ.get("SOCWIZARD_CONFIG")
    return os.path.expanduser(override) if override else _xdg("XDG_CONFIG_HOME", "~/.config")


def cache_dir() -> str | None:
    """``paths.cache_dir()``, or None when only platformdirs knows."""
    override = os.environ.get("SOCWIZARD_CACHE")
    return os.path.expanduser(override) if override else _xdg("XDG_CACHE_HOME", "~/.cache")


def _package_dir() -> str:
    return os.path.dirname(os.path.realpath(__file__))


def bank_dir(override: str | None) -> str:
    """``paths.bank_dir(override)``."""
    if override:
        return os.path.expanduser(override)
    env = os.environ.get("SOCWIZARD_BANK")
    if env:
        return os.path.expanduser(env)
    packaged = os.path.join(_package_dir(), "questions")
    if os.path.isfile(os.path.join(packaged, "bank.toml")):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(_package_dir())), "questions")


# --- the key -------------------------------------------------------------------------


class _Unsure(Exception):
    """Something is not as a plain run expects: no caching."""


def _read_regular(path: str, limit: int) -> bytes:
    """A regular file's bytes (FIFOs, devices and oversize files are refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        raise _Unsure from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise _Unsure
        data = os.read(fd, limit + 1)
        if len(data) > limit:
            raise _Unsure
        return data
    except OSError:
        raise _Unsure from None
    finally:
        os.close(fd)


_CODE: list[bytes] = []  # the code fingerprint, computed once per process


def _code_fingerprint(digest: _Hash) -> None:
    """The versions: socwizard's and its sources (size, mtime), Python's and the dependencies'."""
    if not _CODE:
        _CODE.append(_code_digest())
    digest.update(_CODE[0])


def _code_digest() -> bytes:
    from socwizard import __version__

    digest = sha256()
    digest.update(f"{__version__}\0{sys.version}\0{sys.executable}\0".encode())
    package = _package_dir()
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".toml", ".tcss")):
                info = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    for module, file in DEPENDENCIES:
        for entry in sys.path:
            candidate = os.path.join(entry or ".", module, file)
            if os.path.isfile(candidate):
                digest.update(candidate.encode() + b"\0" + _read_regular(candidate, 1_000_000) + b"\0")
                break
        else:
            digest.update(f"{module}: absent\0".encode())
    return digest.digest()


def cache_key(request: Request) -> tuple[str, str, str] | None:
    """(key, bank directory, assessment file) for ``request``; None when it must not be cached.

    The file is the target itself when it is one, else the store file the id names,
    found through the store's index (:func:`find_in_index`); the command caches its
    output only when it read that same file.
    """
    config = config_dir()
    if config is None:
        return None
    target = resolve(request)
    if target is None:
        return None
    bank = bank_dir(request.bank)
    digest = sha256()
    digest.update(f"socwizard show cache {FORMAT}\0{time.strftime('%Y-%m-%d')}\0".encode())
    digest.update(repr((request, os.getcwd(), bank, config, target)).encode() + b"\0")
    try:
        _code_fingerprint(digest)
        digest.update(b"assessment\0" + _read_regular(target, MAX_ASSESSMENT_BYTES) + b"\0")
        names = sorted(n for n in os.listdir(bank) if n.endswith(".toml"))
        if len(names) > MAX_BANK_FILES:
            return None
        for name in names:
            data = _read_regular(os.path.join(bank, name), MAX_BANK_FILE_BYTES)
            digest.update(f"bank/{name}\0".encode() + data + b"\0")
        policy = os.path.join(config, "policy.toml")
        if os.path.lexists(policy):
            digest.update(b"policy\0" + _read_regular(policy, MAX_BANK_FILE_BYTES))
        else:
            digest.update(b"no policy\0")
    except (_Unsure, OSError):
        return None
    return digest.hexdigest(), bank, target


# --- ``show ID``: the store's index, read as socwizard.core.index reads it ------------

INDEX_VERSIONS = (1, 2, 3)  # core.index.SCHEMA_VERSION must be one of them (a test checks it)
INDEX_APPLICATION_ID = 0x536F6349
MAX_INDEX_BYTES = 1_000_000_000


def resolve(request: Request) -> str | None:
    """The file ``show`` reads for ``request``, as ``cli._resolve`` finds it; None when unsure."""
    target = os.path.expanduser(request.target)
    if os.path.isfile(target):
        return target
    if os.path.lexists(target):
        return None  # a folder, a broken link: the full command says what it is
    return find_in_index(request.store, request.target)


def store_dir(override: str | None) -> str | None:
    """``paths.store_dir(override)``, or None when only platformdirs knows."""
    if override:
        return os.path.expanduser(override)
    env = os.environ.get("SOCWIZARD_HOME")
    if env:
        return os.path.expanduser(env)
    config = config_dir()
    return os.path.join(config, "assessments") if config is not None else None


def _sane_file(path: str) -> bool:
    """Absent, or a regular file of a sane size (as ``core.index`` checks its files)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return True
    return stat.S_ISREG(info.st_mode) and info.st_size <= MAX_INDEX_BYTES


def find_in_index(store_override: str | None, key: str) -> str | None:
    """The store file whose stem, short id or assessment id is ``key``, by its index row.

    What ``Store.find_by_id`` answers from the index: the rows of ``key`` (filename
    matches first, then by name), the first whose file still has the row's stamp (lstat:
    ``mtime_ns`` and size). The store must pass ``Store.check``'s test (ours, closed to
    others' writes) and its index ``core.index``'s (real files, a known version). Anything
    else — no index, a stale row, a lock, an error — is None, and the full command looks.
    The rows come from the id's pointer while the index is unchanged (no SQLite), else
    from the index, and are then kept in a pointer (see :func:`_index_pin`).
    """
    store = store_dir(store_override)
    if store is None or not key or "/" in key or "\0" in key:
        return None
    housekeeping = os.path.join(store, ".socwizard")
    index = os.path.join(housekeeping, "index.sqlite")
    try:
        info = os.stat(store)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        if not stat.S_ISDIR(os.lstat(housekeeping).st_mode) or not os.path.lexists(index):
            return None
    except OSError:
        return None
    if not all(_sane_file(index + suffix) for suffix in ("", "-journal", "-wal", "-shm")):
        return None
    pin = _index_pin(index)
    pointer = _pointer_name(store, key)
    rows = _pointed_rows(pointer, pin) if pin is not None else None
    if rows is None:
        rows = _index_rows(index, key)
        if rows is None:
            return None
        if pin is not None and _index_pin(index) == pin:  # the index did not change meanwhile
            _save_pointer(pointer, pin, rows)
    rows.sort(key=lambda r: (not r[3], r[0]))
    for name, mtime_ns, size, _ in rows:
        if not isinstance(name, str) or "/" in name or name.startswith("."):
            return None
        path = os.path.join(store, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and (info.st_mtime_ns, info.st_size) == (mtime_ns, size):
            return path
    return None


# --- ``show ID`` without SQLite: the index's answer, kept while the index is unchanged ---
#
# Importing ``_sqlite3`` and querying the index costs more than the rest of a cached
# ``show`` (BENCHMARKS.md, figure 10i). So the rows an id's query returned are kept in a
# small private *pointer* in the show cache, with the index's *pin*: its device, inode,
# mtime, size and the change counter SQLite's header holds (bumped by every transaction
# that changes the file). While the pin is the same — no write committed since, none in
# progress (no journal) — the query would return the same rows, so the pointer's rows
# are used and checked against the files exactly as the query's are (lstat stamps). A
# store changed by git behind socwizard's back changes the files (their stamps no longer
# match: the long way) and, after a listing, the index (another pin: the query again).

POINTER_MAGIC = "socwizard-show-id"
POINTER_DIR = "ids"
MAX_POINTER_BYTES = 64_000
_SQLITE_MAGIC = b"SQLite format 3\0"


def _index_pin(index: str) -> str | None:
    """What identifies the index's committed content; None while a write may be under way."""
    if any(os.path.lexists(index + suffix) for suffix in ("-journal", "-wal")):
        return None
    try:
        fd = os.open(index, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        header = os.read(fd, 100) if stat.S_ISREG(info.st_mode) else b""
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC) or header[18:20] == b"\x02\x02":
        return None  # not a database, or one in WAL mode (its header does not follow writes)
    counter = int.from_bytes(header[24:28], "big")
    return f"{info.st_dev} {info.st_ino} {info.st_mtime_ns} {info.st_size} {counter}"


def _pointer_name(store: str, key: str) -> str:
    return sha256(f"{POINTER_MAGIC}\0{os.path.abspath(store)}\0{key}".encode()).hexdigest()


def _pointer_dir() -> str | None:
    entries = _entries_dir()
    return None if entries is None else os.path.join(entries, POINTER_DIR)


def _pointed_rows(name: str, pin: str) -> list[tuple[object, ...]] | None:
    """The rows a pointer kept for this index ``pin``; None when there is none (or it is stale)."""
    data = _read_private(_pointer_dir(), name, MAX_POINTER_BYTES)
    return None if data is None else _decode_pointer(data, name, pin)


def _encode_pointer(name: str, pin: str, rows: list[tuple[object, ...]]) -> bytes | None:
    """A pointer: a header (magic, format, its own name, the pin), then one line per row."""
    lines = [f"{POINTER_MAGIC} {FORMAT} {name} {pin}"]
    for row in rows:
        if len(row) != 4:
            return None
        file, mtime_ns, size, by_name = row
        ok = type(mtime_ns) is int and type(size) is int and type(by_name) is int and by_name in (0, 1)
        if not (ok and isinstance(file, str) and file and file.isprintable()):
            return None  # (a name with a line break is looked up in the index every time)
        lines.append(f"{by_name} {mtime_ns} {size} {file}")
    data = ("\n".join(lines) + "\n").encode()
    return data if len(data) <= MAX_POINTER_BYTES else None


def _decode_pointer(data: bytes, name: str, pin: str) -> list[tuple[object, ...]] | None:
    """The rows of a pointer written by :func:`_encode_pointer` for ``name`` and ``pin``; else None."""
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return None
    header, *lines = text.split("\n")
    if header != f"{POINTER_MAGIC} {FORMAT} {name} {pin}" or lines[-1:] != [""]:
        return None
    rows: list[tuple[object, ...]] = []
    for line in lines[:-1]:
        parts = line.split(" ", 3)
        if len(parts) != 4 or parts[0] not in ("0", "1"):
            return None
        by_name, mtime_ns, size, file = parts
        if not (mtime_ns.lstrip("-").isdigit() and size.isdigit()):
            return None
        rows.append((file, int(mtime_ns), int(size), int(by_name)))
    return rows


def _save_pointer(name: str, pin: str, rows: list[tuple[object, ...]]) -> None:
    """Keep an id's rows for the next ``show`` (best effort, private, the newest few kept)."""
    directory = _pointer_dir()
    data = _encode_pointer(name, pin, rows)
    if directory is None or data is None or not _make_private_dir(directory):
        return
    temp = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    try:
        _prune(directory)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, os.path.join(directory, name))
    except OSError:
        _remove(temp)


def _index_rows(index: str, key: str) -> list[tuple[object, ...]] | None:
    """The index rows naming ``key`` (read-only, never waiting on a lock); None on any trouble."""
    if index.startswith("//"):
        return None  # would read as a URI's authority
    try:  # the C module alone: the sqlite3 package would import datetime for nothing here
        from _sqlite3 import connect
    except ImportError:  # pragma: no cover - a Python without it
        from sqlite3 import connect
    uri = "file:" + index.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    try:
        conn = connect(uri, timeout=0.05, uri=True)
    except Exception:
        return None
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        (application,) = conn.execute("PRAGMA application_id").fetchone()
        if version not in INDEX_VERSIONS or application != INDEX_APPLICATION_ID:
            return None
        name = key + ".toml"
        rows: list[tuple[object, ...]] = conn.execute(
            "SELECT name, mtime_ns, size, name = ? OR short = ? FROM files "
            "WHERE name = ? OR short = ? OR id = ?",
            (name, key, name, key, key),
        ).fetchall()
        return rows
    except Exception:
        return None
    finally:
        conn.close()


# --- the entries ----------------------------------------------------------------------


def _private(info: os.stat_result) -> bool:
    """A directory of ours, closed to group and others."""
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _private_dir(path: str) -> bool:
    """A real directory (not a symlink), ours, closed to group and others."""
    try:
        return _private(os.lstat(path))
    except OSError:
        return False


def _entries_dir() -> str | None:
    base = cache_dir()
    if base is None:
        return None
    return os.path.join(base, SUBDIR)


def encode(key: str, output: Output) -> bytes:
    """An entry: one header line (magic, format, key, exit code, byte lengths), then the texts."""
    err, out = output.stderr.encode(), output.stdout.encode()
    return f"{MAGIC} {FORMAT} {key} {output.code} {len(err)} {len(out)}\n".encode() + err + out


def decode(key: str, data: bytes) -> Output | None:
    """The output in an entry written by :func:`encode` for ``key``; None if it is anything else."""
    header, newline, body = data.partition(b"\n")
    fields = header.split(b" ")
    if not newline or len(fields) != 6 or fields[0] != MAGIC.encode() or fields[2] != key.encode():
        return None
    if fields[1] != str(FORMAT).encode() or fields[3] != b"0" or not (fields[4] + fields[5]).isdigit():
        return None
    err_length, out_length = int(fields[4]), int(fields[5])
    if err_length + out_length != len(body):
        return None
    try:
        return Output(body[err_length:].decode(), body[:err_length].decode(), 0)
    except UnicodeDecodeError:
        return None


def lookup(key: str) -> Output | None:
    """The stored output for ``key``, or None (missing, damaged, or not private)."""
    data = _read_private(_entries_dir(), key, MAX_ENTRY_BYTES)
    return None if data is None else decode(key, data)


def _read_private(directory: str | None, name: str, limit: int) -> bytes | None:
    """The bytes of ``name`` in a private cache ``directory``; None when unsafe or unreadable.

    The directory is opened once (no symlink) and checked through that descriptor, so it
    cannot be swapped between the check and the read; the file must be a regular file of
    ours, no larger than ``limit``.
    """
    if directory is None:
        return None
    try:
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not _private(os.fstat(dir_fd)):
            return None
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW, dir_fd=dir_fd)
    except OSError:
        return None
    finally:
        os.close(dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > limit:
            return None
        return os.read(fd, limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _make_private_dir(path: str) -> bool:
    """Create ``path`` (and parents) as 0700 whatever the umask; True when it is private."""
    if not os.path.lexists(path):
        parent = os.path.dirname(path)
        if parent and parent != path and not os.path.lexists(parent) and not _make_private_dir(parent):
            return False
        try:
            os.mkdir(path, 0o700)
            os.chmod(path, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    return _private_dir(path)


def save(key: str, output: Output) -> None:
    """Store a successful run's output (best effort: a read-only cache is fine)."""
    directory = _entries_dir()
    payload = encode(key, output)
    if directory is None or output.code != 0 or len(payload) > MAX_ENTRY_BYTES:
        return
    if not _make_private_dir(directory):
        return
    temp = os.path.join(directory, f".{key}.{os.getpid()}.tmp")
    try:
        _prune(directory)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temp, os.path.join(directory, key))
    except OSError:
        _remove(temp)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        return


def _prune(directory: str) -> None:
    """Keep the newest ``KEEP - 1`` entries, so that with the new one there are ``KEEP``."""
    entries = []
    with os.scandir(directory) as it:
        for entry in it:
            if not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    entries.sort(reverse=True)
    for _, path in entries[KEEP - 1 :]:
        os.unlink(path)


_MISSED: dict[Request, tuple[str, str, str] | None] = {}
"""The key :func:`serve` computed for a request it could not answer (see :func:`key_before`)."""


def key_before(request: Request) -> tuple[str, str, str] | None:
    """:func:`cache_key`, as computed before the command read anything.

    The launcher's :func:`serve` has just computed it when its cache missed (before the
    command read any input), so that one is used rather than hashing everything again;
    the command still computes the key afresh after its run, to store its output only when
    no input changed meanwhile.
    """
    if request in _MISSED:
        return _MISSED.pop(request)
    return cache_key(request)


def serve(request: Request) -> int | None:
    """Print a cached ``show`` and return its exit code; None when the command must run."""
    _MISSED.clear()
    try:
        found = cache_key(request)
        output = lookup(found[0]) if found is not None else None
    except Exception:  # whatever it was, the full command handles it (and says what it is)
        return None
    if output is None:
        _MISSED[request] = found
        return None
    if output is None:
        return None
    try:
        sys.stderr.write(output.stderr)
        sys.stdout.write(output.stdout)
        sys.stdout.flush()
    except OSError as exc:  # as the full command reports it (a closed pipe, a full disk)
        sys.stderr.write(f"socwizard: error: {exc.strerror or exc}\n")
        return 2
    return output.code
