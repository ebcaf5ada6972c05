"""Helpers for core tests: throw-away copies of the mini bank, mutated in place."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from socwizard.core.answers import Answer
from socwizard.core.bank.loader import load_bank
from socwizard.core.errors import BankError, Problem

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "banks" / "mini"
REVIEWED = dt.date(2026, 3, 31)


def copy_bank(tmp_path: Path, name: str = "bank") -> Path:
    """A private copy of the mini bank to mutate."""
    target = tmp_path / name
    shutil.copytree(MINI, target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) by ``new`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    """Append text to a file."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 0) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line]
    return hits[occurrence]


def problems(directory: Path, policy: Path | None = None) -> list[Problem]:
    """The problems of a bank that must fail to load."""
    with pytest.raises(BankError) as info:
        load_bank(directory, policy)
    return info.value.problems


def messages(directory: Path, policy: Path | None = None) -> list[str]:
    """The problems of a failing bank as strings."""
    return [str(p) for p in problems(directory, policy)]


def ans(value: Any = None, **kw: Any) -> Answer:
    """An answer; a bare value means "answered"."""
    if value is None:
        return Answer(**kw)
    return Answer(value=value, **kw)
