"""The validated-bank cache: a hit equals a fresh load; any change is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socwizard.core.bank.cache import load_bank_cached
from socwizard.core.bank.loader import load_bank
from socwizard.core.errors import BankError

from .helpers import MINI as MINI_BANK


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(MINI_BANK, target)
    return target


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "banks").glob("*.json"))


def test_hit_equals_a_fresh_load(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_bank_cached(bank_dir, None, cache)
    assert len(entries(cache)) == 1
    assert (cache / "banks").stat().st_mode & 0o777 == 0o700
    assert entries(cache)[0].stat().st_mode & 0o777 == 0o600
    second = load_bank_cached(bank_dir, None, cache)
    assert second == first == load_bank(bank_dir)
    assert second.content_hash == first.content_hash
    assert second.question("sla") is not None


def test_a_changed_bank_file_is_a_miss(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, None, cache)
    path = bank_dir / "basics.toml"
    path.write_text(path.read_text().replace("Anything else?", "Anything more?"))
    bank = load_bank_cached(bank_dir, None, cache)
    question = bank.question("notes")
    assert question is not None and question.prompt == "Anything more?"


def test_a_broken_bank_is_never_served_from_the_cache(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, None, cache)
    (bank_dir / "basics.toml").write_text("[[questions]]\nid = 1\n")
    with pytest.raises(BankError):
        load_bank_cached(bank_dir, None, cache)


def test_a_policy_change_is_a_miss(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\nfreshness_months = 12\n")
    assert load_bank_cached(bank_dir, policy, cache).meta.policy["freshness_months"] == 12
    policy.write_text("[policy]\nfreshness_months = 9\n")
    assert load_bank_cached(bank_dir, policy, cache).meta.policy["freshness_months"] == 9


def test_a_corrupt_entry_is_ignored_and_replaced(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, None, cache)
    entry = entries(cache)[0]
    entry.write_bytes(b"not a pickle")
    assert load_bank_cached(bank_dir, None, cache) == load_bank(bank_dir)
    assert entry.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_still_loads(bank_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be")
    assert load_bank_cached(bank_dir, None, blocker) == load_bank(bank_dir)
