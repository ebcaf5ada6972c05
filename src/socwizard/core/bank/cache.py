"""A cache of validated banks, so commands do not re-validate an unchanged bank.

Validating a bank means building pydantic's validators for every bank model — most of
the cost of ``socwizard show`` and of the wizard's start (see BENCHMARKS.md). The
cache holds the validated bank, keyed by a hash of every file of the bank directory,
the policy file, and the versions of socwizard, pydantic and Python; any change to
any of them is a miss, and a miss simply validates again.

Safety (issue 9):

- the cache is **JSON**, never pickle: a cache entry is data, and reading one cannot
  run code. It holds the validated bank's plain field values, each model tagged with
  its class name; only the bank's own model classes (an allow-list) are rebuilt, with
  ``model_construct`` (no validators built — that is the point of the cache);
- the key is computed from bytes read through the same guards as ``bank validate``
  (:mod:`socwizard.core.tomlsafe`: regular files only, size caps, FIFOs never waited
  on), so a FIFO or a symlink to ``/dev/zero`` in the bank folder cannot hang or eat
  memory on the cached path either;
- the cache folder is created 0700 (whatever the umask) and refused with one line when
  another user owns it or can write to it (:mod:`socwizard.core.private`).

Anything unexpected in an entry (unreadable, truncated, an unknown tag) is ignored and
the bank validated afresh. ``socwizard bank validate`` never uses the cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from socwizard.core.bank import conditions, models
from socwizard.core.bank.models import Bank
from socwizard.core.private import UnsafeFolder, check_private, make_private_dir, sweep_temps
from socwizard.core.tomlsafe import MAX_BANK_FILE_BYTES, FileProblems, read_bytes

MAX_FILES = 200
KEEP = 8
MAX_ENTRY_BYTES = 32_000_000
FORMAT = 2  # 2: a model's fields inline, None defaults left out


def _key(directory: Path, policy_file: Path | None) -> str | None:
    """The cache key, or None when a file cannot be read safely (then no cache is used)."""
    import pydantic

    from socwizard import __version__

    digest = hashlib.sha256()
    digest.update(
        f"{FORMAT}\0{__version__}\0{pydantic.VERSION}\0{sys.version}\0{directory.resolve()}".encode()
    )
    try:
        files = sorted(p for p in directory.iterdir() if p.suffix == ".toml")
        if len(files) > MAX_FILES:
            return None
        for path in files:
            data = read_bytes(path, max_bytes=MAX_BANK_FILE_BYTES)
            digest.update(path.name.encode() + b"\0" + data + b"\0")
        if policy_file is not None and os.path.lexists(policy_file):
            digest.update(b"policy\0" + read_bytes(policy_file, max_bytes=MAX_BANK_FILE_BYTES))
    except (OSError, FileProblems):
        return None  # load_bank reports the problem properly
    return digest.hexdigest()


def load_bank_cached(directory: Path, policy_file: Path | None, cache_dir: Path) -> Bank:
    """The bank from the cache when nothing changed; else :func:`load_bank` (and cache it).

    Raises :class:`~socwizard.core.private.UnsafeFolder` if the cache folder could
    have been written by another user.
    """
    check_private(cache_dir, "cache folder")
    banks = cache_dir / "banks"
    check_private(banks, "cache folder")
    key = _key(directory, policy_file)
    entry = None if key is None else banks / f"{key}.json"
    if entry is not None:
        with contextlib.suppress(Exception):
            bank = decode(read_bytes(entry, max_bytes=MAX_ENTRY_BYTES, allow_symlink=False))
            if isinstance(bank, Bank):
                return bank
    # The loader and its validators only on a miss: a hit needs neither (figure 2b).
    from socwizard.core.bank.loader import load_bank

    bank = load_bank(directory, policy_file)
    if entry is not None:
        _store(entry, bank)
    return bank


# --- the JSON form: plain values, models tagged by class name ---------------------------


def _model_classes() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for module in (models, conditions):
        for value in vars(module).values():
            own = isinstance(value, type) and value.__module__ == module.__name__
            if own and issubclass(value, BaseModel):
                found[value.__name__] = value
    return found


_CLASSES = _model_classes()
_TEMPLATES: dict[str, dict[str, None]] = {
    name: dict.fromkeys(cls.model_fields) for name, cls in _CLASSES.items()
}
"""Every field of each model, in the model's order (a decoded model's ``__dict__`` keeps it)."""
_OMITTED: dict[str, frozenset[str]] = {
    name: frozenset(
        field
        for field, info in cls.model_fields.items()
        if info.default is None and info.default_factory is None
    )
    for name, cls in _CLASSES.items()
}
"""The fields an entry leaves out when they hold None, their default (most of a condition's)."""


def encode(value: Any) -> Any:
    """A validated bank (or any part of it) as JSON-able data; TypeError if it cannot be.

    A model is one object: ``$m`` its class, ``$s`` the fields set, then its fields,
    except those that are None by default and hold None.
    """
    if isinstance(value, BaseModel):
        cls = type(value)
        name = cls.__name__
        if _CLASSES.get(name) is not cls:
            raise TypeError(f"not a bank model: {name}")
        out: dict[str, Any] = {"$m": name, "$s": sorted(value.model_fields_set)}
        omitted = _OMITTED[name]
        for field in cls.model_fields:
            item = getattr(value, field)
            if item is not None or field not in omitted:
                out[field] = encode(item)
        return out
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"$fs": [encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        # Bank keys are validated ids; a "$" key would read back as a tag.
        if not all(type(k) is str and not k.startswith("$") for k in value):
            raise TypeError("only text keys, none starting with $")
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _tagged(data: dict[str, Any]) -> Any:
    """``json.loads`` object hook: rebuild the tagged values :func:`encode` wrote."""
    name = data.pop("$m", None)
    if name is not None:
        cls = _CLASSES.get(name) if type(name) is str else None
        fields_set = data.pop("$s", None)
        if cls is None or not isinstance(fields_set, list):
            raise ValueError("not a bank model")
        template = _TEMPLATES[name]
        if not data.keys() <= template.keys() or not template.keys() - data.keys() <= _OMITTED[name]:
            raise ValueError("fields do not match")
        return _construct(cls, {**template, **data}, set(fields_set))
    if len(data) == 1:
        ((tag, inner),) = data.items()
        if tag == "$t" and isinstance(inner, list):
            return tuple(inner)
        if tag == "$fs" and isinstance(inner, list):
            return frozenset(inner)
        if tag == "$dt" and isinstance(inner, str):
            return dt.datetime.fromisoformat(inner)
        if tag == "$date" and isinstance(inner, str):
            return dt.date.fromisoformat(inner)
    return data


_set = object.__setattr__


def _construct(cls: type[BaseModel], fields: dict[str, Any], fields_set: set[str]) -> BaseModel:
    """What ``cls.model_construct(**fields)`` does when every field is given, minus its overhead.

    (``model_construct`` fills defaults and checks aliases per call: 3/4 of a cache hit's
    time.) A test checks a decoded bank equals the validated one, so a pydantic change
    to these internals cannot go unnoticed.
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def decode(raw: bytes | str) -> Any:
    """The inverse of :func:`encode` (from JSON text); ValueError on anything it did not write."""
    return json.loads(raw, object_hook=_tagged)


def _store(entry: Path, bank: Bank) -> None:
    """Write the cache entry atomically, best effort (a read-only cache is fine)."""
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        data = json.dumps(encode(bank), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        make_private_dir(entry.parent)
        sweep_temps(entry.parent)
        for old in entry.parent.glob("*.pickle"):  # written by socwizard 0.1; never read
            old.unlink()
        others = sorted(entry.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[KEEP - 1 :]:
            stale.unlink()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, entry)
    except (OSError, TypeError, ValueError, UnsafeFolder):
        with contextlib.suppress(OSError):
            temp.unlink()
