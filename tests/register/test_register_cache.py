"""The register cache: the rows the TUI shows before the store is read (core, no textual)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from socwizard.core import register, register_cache
from socwizard.core.bank.loader import load_bank
from socwizard.core.reassess import reassess_file
from socwizard.core.register_cache import CachedRow
from socwizard.core.store import HOUSEKEEPING, Store

ROOT = Path(__file__).resolve().parent.parent.parent
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def examples(store: Store) -> Store:
    """The public examples plus a re-assessment (a vendor with two assessments)."""
    bank = load_bank(ROOT / "questions")
    imported = [store.import_file(p, bank)[0] for p in sorted((ROOT / "tests" / "examples").glob("*.toml"))]
    reassess_file(store, next(p for p in imported if "office" in p.name), bank, TODAY)
    return store


def fields(row: register.RegisterRow) -> tuple[object, ...]:
    """Everything the register screen, its filters, sorts and chart read of a row."""
    return (
        row.key,
        row.vendor,
        row.tier,
        row.verdict,
        *(row.outcome(o) for o in ("tier", "evidence.verdict", *register_cache.OUTCOME_IDS)),
        row.last_reviewed,
        row.next_review,
        row.assessor,
        row.status,
        row.assessments,
        row.latest_title,
        row.latest_name,
        row.broken,
        row.days_left(TODAY),
        row.overdue(TODAY),
    )


def test_the_housekeeping_folder_is_the_stores() -> None:
    assert register_cache.HOUSEKEEPING == HOUSEKEEPING


def test_saved_rows_read_back_as_the_register_showed_them(examples: Store) -> None:
    rows = register.build(examples.list())
    assert register_cache.save(examples.housekeeping, rows)
    cached = register_cache.load(examples.root)
    assert cached is not None
    assert [fields(c) for c in cached] == [fields(r) for r in rows]
    # sorting, filtering and the chart give the same answers over either
    for by in ("due", "vendor", "tier", "reviewed"):
        assert [r.key for r in register.sort_rows(cached, by)] == [
            r.key for r in register.sort_rows(rows, by)
        ]
    assert [r.key for r in register.select(cached, TODAY, overdue=True)] == [
        r.key for r in register.select(rows, TODAY, overdue=True)
    ]
    assert [r.key for r in register.select(cached, TODAY, text="office")] == [
        r.key for r in register.select(rows, TODAY, text="office")
    ]
    assert register.summarise(cached, TODAY) == register.summarise(rows, TODAY)
    office = next(c for c in cached if "Office" in c.vendor)
    assert office.assessments == 2 and office.status == "reassessing"


def test_an_unchanged_register_is_not_written_again(examples: Store) -> None:
    rows = register.build(examples.list())
    assert register_cache.save(examples.housekeeping, rows)
    path = register_cache.path_for(examples.housekeeping)
    before = path.stat()
    assert not register_cache.save(examples.housekeeping, rows)
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def _saved(store: Store) -> tuple[Path, dict[str, object]]:
    register_cache.save(store.housekeeping, register.build(store.list()))
    path = register_cache.path_for(store.housekeeping)
    data: dict[str, object] = json.loads(path.read_bytes())
    return path, data


@pytest.mark.parametrize(
    "damage",
    [
        "version",
        "format",
        "markup_level",
        "bad_date",
        "long_text",
        "short_row",
        "count_text",
        "not_json",
        "not_utf8",
        "deep",
    ],
)
def test_anything_unexpected_makes_the_whole_cache_ignored(examples: Store, damage: str) -> None:
    path, data = _saved(examples)
    rows: list[list[object]] = data["rows"]  # type: ignore[assignment]
    if damage == "version":
        data["version"] = "0.0.1"
    elif damage == "format":
        data["socwizard_register"] = 99
    elif damage == "markup_level":
        rows[0][2] = "[bold]high[/]"
    elif damage == "bad_date":
        rows[0][9] = "2026-02-31"
    elif damage == "long_text":
        rows[0][1] = "x" * 5000
    elif damage == "short_row":
        rows[0] = rows[0][:5]
    elif damage == "count_text":
        rows[0][12] = "5"
    blob = json.dumps(data).encode()
    if damage == "not_json":
        blob = blob[:-3]
    elif damage == "not_utf8":
        blob = b"\xff\xfe" + blob
    elif damage == "deep":
        blob = b"[" * 100_000 + b"]" * 100_000
    path.write_bytes(blob)
    assert register_cache.load(examples.root) is None


def test_a_cache_that_is_a_link_is_neither_read_nor_written_through(examples: Store, tmp_path: Path) -> None:
    path, _ = _saved(examples)
    outside = tmp_path / "outside.json"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    assert register_cache.load(examples.root) is None
    before = outside.read_bytes()
    rows = register.build(examples.list())
    rows = rows[:1]  # different rows: a write would be due
    assert not register_cache.save(examples.housekeeping, rows)
    assert outside.read_bytes() == before and path.is_symlink()


def test_a_cache_others_can_write_or_in_an_unsafe_store_is_not_read(examples: Store) -> None:
    path, _ = _saved(examples)
    assert register_cache.load(examples.root) is not None
    os.chmod(path, 0o620)
    assert register_cache.load(examples.root) is None
    os.chmod(path, 0o600)
    os.chmod(examples.root, 0o770)
    try:
        assert register_cache.load(examples.root) is None
    finally:
        os.chmod(examples.root, 0o700)


def test_a_read_only_housekeeping_folder_is_not_an_error(examples: Store) -> None:
    rows = register.build(examples.list())
    os.chmod(examples.housekeeping, 0o500)
    try:
        if os.access(examples.housekeeping, os.W_OK):  # root ignores the mode
            pytest.skip("running as a user who can write anywhere")
        assert not register_cache.save(examples.housekeeping, rows)
    finally:
        os.chmod(examples.housekeeping, 0o700)


def test_no_store_no_cache(tmp_path: Path) -> None:
    assert register_cache.load(tmp_path / "missing") is None
    assert register_cache.decode(b"{}") is None


def test_a_cached_row_reads_like_a_vendor_row() -> None:
    row = CachedRow(
        "k",
        "V",
        "high",
        "sufficient",
        {"soc2.level": "required"},
        None,
        TODAY,
        "",
        "complete",
        1,
        "T",
        "f",
        False,
    )
    assert row.outcome("tier") == "high" and row.outcome("evidence.verdict") == "sufficient"
    assert row.outcome("soc2.level") == "required" and row.outcome("soc1.level") == ""
    assert row.days_left(TODAY + dt.timedelta(days=3)) == -3 and row.overdue(TODAY + dt.timedelta(days=1))
