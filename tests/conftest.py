"""Shared fixtures: every test runs with its own store and config directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
MINI_BANK = FIXTURES / "banks" / "mini"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the store and config at a temporary directory; never touch the real home."""
    home = tmp_path / "home"
    monkeypatch.setenv("SOCWIZARD_HOME", str(home / "store"))
    monkeypatch.setenv("SOCWIZARD_CONFIG", str(home / "config"))
    monkeypatch.setenv("SOCWIZARD_CACHE", str(home / "cache"))
    monkeypatch.delenv("SOCWIZARD_BANK", raising=False)
    monkeypatch.setenv("HOME", str(home))
    yield home


@pytest.fixture
def mini_bank() -> Bank:
    """A tiny bank exercising every question type (tests/fixtures/banks/mini)."""
    return load_bank(MINI_BANK)


@pytest.fixture
def store(isolated_home: Path) -> Store:
    """An empty store in the temporary home."""
    s = Store(isolated_home / "store")
    s.ensure()
    return s
