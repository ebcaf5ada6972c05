"""A cache of validated banks, so commands do not re-validate an unchanged bank.

Validating a bank means building pydantic's validators for every bank model — most of
the cost of ``socwizard show`` and of the wizard's start (see BENCHMARKS.md). The
cache holds the validated bank, keyed by a hash of every file of the bank directory,
the policy file, and the versions of socwizard, pydantic and Python; any change to
any of them is a miss, and a miss simply validates again.

The cache lives in the user's private cache directory (0700/0600) and is only ever
written by socwizard itself; it is not a file users exchange. Anything unexpected in
it (unreadable, truncated, another type) is ignored and the bank validated afresh.
``socwizard bank validate`` never uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path

from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank

MAX_FILES = 200
KEEP = 8


def _key(directory: Path, policy_file: Path | None) -> str | None:
    import pydantic

    from socwizard import __version__

    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{pydantic.VERSION}\0{sys.version}\0{directory.resolve()}".encode())
    try:
        files = sorted(p for p in directory.iterdir() if p.suffix == ".toml")
        if len(files) > MAX_FILES:
            return None
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        if policy_file is not None and policy_file.is_file():
            digest.update(b"policy\0" + policy_file.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def load_bank_cached(directory: Path, policy_file: Path | None, cache_dir: Path) -> Bank:
    """The bank from the cache when nothing changed; else :func:`load_bank` (and cache it)."""
    key = _key(directory, policy_file)
    if key is None:
        return load_bank(directory, policy_file)
    entry = cache_dir / "banks" / f"{key}.pickle"
    with contextlib.suppress(Exception):
        bank = pickle.loads(entry.read_bytes())
        if isinstance(bank, Bank):
            return bank
    bank = load_bank(directory, policy_file)
    _store(entry, bank)
    return bank


def _store(entry: Path, bank: Bank) -> None:
    """Write the cache entry atomically, best effort (a read-only cache is fine)."""
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        others = sorted(entry.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[KEEP - 1 :]:
            stale.unlink()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pickle.dumps(bank, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temp, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            temp.unlink()
