"""The index's vendor table: ``register`` reads it instead of grouping every assessment.

The fast path must give what grouping the whole listing gives (``register.build``), byte
for byte, in every format and with every filter — over vendors with histories, missing,
duplicated and hostile vendor keys, broken files, and files changed, added and deleted
behind socwizard's back between runs.
"""

from __future__ import annotations

import io
import os
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from socwizard import cli
from socwizard.core import index as index_module
from socwizard.core import register
from socwizard.core.index import INDEX_NAME
from socwizard.core.store import Store

TODAY = "2026-12-01"
BODY = """\
format = 1
id = "{id}"
title = "{title}"
vendor = "{vendor}"
{key}assessor = "{assessor}"
reviewed_on = {reviewed}
status = "{status}"
{previous}
[answers]

[result]
headline = "Risk tier: {tier}"
next_review = {next}

[result.outcomes]
tier = "{tier}"
"soc1.level" = "{soc1}"
"soc1.type" = "type2"
"soc2.level" = "required"
"soc2.type" = "type1"
"evidence.verdict" = "{verdict}"
"""

FORMATS: tuple[tuple[str, ...], ...] = (
    ("register",),
    ("register", "--overdue"),
    ("register", "--due-within", "90"),
    ("register", "--tier", "high"),
    ("register", "--sort", "vendor"),
    ("register", "--sort", "tier", "--overdue"),
    ("register", "--sort", "reviewed"),
    ("register", "--format", "json"),
    ("register", "--format", "json", "--tier", "medium"),
    ("register", "--format", "csv"),
    ("register", "--format", "csv", "--due-within", "30"),
    ("register", "--format", "html"),
    ("register", "--format", "xlsx"),
    ("calendar",),
)


def write(
    store: Store,
    name: str,
    id_: str,
    vendor: str,
    *,
    key: str | None = None,
    reviewed: str = "2025-06-01",
    next_: str = "2026-06-01",
    status: str = "complete",
    tier: str = "high",
    verdict: str = "sufficient",
    assessor: str = "Ann",
    previous: str = "",
    title: str = "",
) -> Path:
    path = store.root / name
    path.write_text(
        BODY.format(
            id=id_,
            title=title or f"{vendor} review",
            vendor=vendor,
            key=f'vendor_key = "{key}"\n' if key is not None else "",
            assessor=assessor,
            reviewed=reviewed,
            status=status,
            previous=f'previous = "{previous}"\n' if previous else "",
            tier=tier,
            soc1="required" if tier == "high" else "not_needed",
            next=next_,
            verdict=verdict,
        ),
        encoding="utf-8",
    )
    bump(path)
    return path


def bump(path: Path) -> None:
    """A new stamp even on a coarse clock (git checks files out within the same tick)."""
    now = time.time_ns() + 10_000_000 * (1 + bump.n)  # type: ignore[attr-defined]
    bump.n += 1  # type: ignore[attr-defined]
    os.utime(path, ns=(now, now))


bump.n = 0  # type: ignore[attr-defined]


def populate(store: Store) -> None:
    """Vendors with histories, in-progress re-assessments, and keys of every kind."""
    for v in range(6):
        for year in range(v % 3 + 1):
            write(
                store,
                f"vendor-{v}-{year}.toml",
                f"v{v}y{year}",
                f"Vendor {v}",
                key=f"vendor-{v}",
                reviewed=f"{2023 + year}-0{v + 1}-15",
                next_=f"{2024 + year}-0{v + 1}-15",
                tier=("high", "medium", "low")[v % 3],
                verdict=("sufficient", "conditional", "insufficient", "not_reviewed")[(v + year) % 4],
                previous=f"v{v}y{year - 1}" if year else "",
            )
    write(
        store,
        "vendor-0-3.toml",
        "v0y3",
        "Vendor 0",
        key="vendor-0",
        reviewed="2026-11-01",
        status="in_progress",
    )
    write(store, "nokey-a.toml", "nk1", "No Key Ltd")  # key derived from the name
    write(store, "nokey-b.toml", "nk2", "no key  ltd", reviewed="2026-02-01", next_="2027-02-01")
    write(store, "anon.toml", "anon1", "")  # no vendor, no key: its own row
    write(store, "dup-1.toml", "d1", "Twin One", key="twin")  # a key two vendors claim
    write(store, "dup-2.toml", "d2", "Twin Two", key="twin", reviewed="2025-07-01", assessor="")
    write(store, "hostile.toml", "h1", "Evil", key="../../etc/passwd")  # rejected: a broken row
    write(store, "bidi.toml", "x1", "Evil \u202e Corp", key="evil")  # likewise
    write(store, "odd.toml", "o1", "Ünïcode Vendør", key="vendor-unicode", assessor="Zoë")
    (store.root / "broken.toml").write_text('id = "b1"\nvendor = [\n', encoding="utf-8")


def run(capsysbinary: pytest.CaptureFixture[bytes], store: Store, *args: str) -> tuple[bytes, bytes]:
    code = cli.main(["--store", str(store.root), *args])
    out, err = capsysbinary.readouterr()
    assert code == 0, err
    return comparable(args, out), err


def comparable(args: tuple[str, ...], out: bytes) -> bytes:
    """The output without what differs by the clock alone (ics DTSTAMP, xlsx timestamps)."""
    if args[0] == "calendar":
        return b"\n".join(line for line in out.split(b"\n") if not line.startswith(b"DTSTAMP"))
    if "xlsx" in args:
        with zipfile.ZipFile(io.BytesIO(out)) as book:
            return b"".join(book.read(n) for n in sorted(book.namelist()) if n != "docProps/core.xml")
    return out


class Counter:
    """Records whether the vendor table answered (fast) or the listing was grouped (slow)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fast = 0
        self.slow = 0
        self._original = Store.vendor_rows

        def vendor_rows(store: Store, *, history: bool = False) -> Any:
            found = self._original(store, history=history)
            if found is None:
                self.slow += 1
            else:
                self.fast += 1
            return found

        monkeypatch.setattr(Store, "vendor_rows", vendor_rows)


def grouped(
    capsysbinary: pytest.CaptureFixture[bytes], store: Store, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[bytes, bytes]:
    """The output as the listing grouped by ``register.build`` gives it (no vendor table)."""
    with monkeypatch.context() as m:
        m.setattr(Store, "vendor_rows", lambda self, history=False: None)
        return run(capsysbinary, store, *args)


def assert_same_everywhere(
    capsysbinary: pytest.CaptureFixture[bytes], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counter(monkeypatch)
    for args in FORMATS:
        slow = grouped(capsysbinary, store, monkeypatch, *args)
        fast = run(capsysbinary, store, *args)
        assert fast == slow, args
    assert counter.slow == 0 and counter.fast == len(FORMATS)
    monkeypatch.setattr(Store, "vendor_rows", counter._original)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCWIZARD_TODAY", TODAY)


def test_the_vendor_table_gives_what_grouping_gives(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(store)
    first = run(capsysbinary, store, "register")  # builds the index and its vendor table
    assert b"hostile.toml" in first[1] and b"broken.toml" in first[1]
    assert_same_everywhere(capsysbinary, store, monkeypatch)
    with sqlite3.connect(store.housekeeping / INDEX_NAME) as conn:
        keys = {r[0] for r in conn.execute("SELECT key FROM vendors")}
    assert {"vendor-0", "twin", "vendor-unicode", "file-anon1"} <= keys
    assert keys == {row.key for row in register.build(store.list())}


def test_files_changed_added_and_deleted_behind_its_back(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(store)
    run(capsysbinary, store, "register")
    # Between runs, as a git pull would: a vendor's latest file changed (its standing and
    # verdict move), a file moved to another vendor, one added, one deleted (a vendor
    # disappears), a broken file fixed and a good one broken.
    write(
        store,
        "vendor-2-2.toml",
        "v2y2",
        "Vendor 2",
        key="vendor-2",
        reviewed="2026-10-01",
        verdict="insufficient",
    )
    write(store, "vendor-1-1.toml", "v1y1", "Vendor 1 renamed", key="twin", reviewed="2024-02-15")
    write(store, "new.toml", "n1", "Brand New", key="brand-new", next_="2026-12-05")
    (store.root / "vendor-3-0.toml").unlink()
    write(store, "broken.toml", "b1", "Fixed Vendor", key="fixed")
    (store.root / "odd.toml").write_text("not = [toml", encoding="utf-8")
    bump(store.root / "odd.toml")
    counter = Counter(monkeypatch)
    after = run(capsysbinary, store, "register")
    assert counter.slow == 1  # the stamps differ: the listing is grouped, the table updated
    monkeypatch.setattr(Store, "vendor_rows", counter._original)
    assert after == grouped(capsysbinary, store, monkeypatch, "register")
    assert b"Brand New" in after[0] and b"Vendor 3 " not in after[0]
    assert_same_everywhere(capsysbinary, store, monkeypatch)


def test_a_listing_keeps_the_vendor_table_in_step(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(store)
    run(capsysbinary, store, "register")
    write(store, "dup-2.toml", "d2", "Twin Two", key="twin-two")  # the shared key splits
    (store.root / "anon.toml").unlink()
    store.list()  # ``list`` (or the TUI) reconciles the index, vendor table included
    assert_same_everywhere(capsysbinary, store, monkeypatch)
    out = run(capsysbinary, store, "register", "--format", "csv")[0]
    assert b"twin-two" in out and b"file-anon1" not in out


def test_a_schema_2_index_is_upgraded_without_reading_the_files(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(store)
    store.list()
    db = store.housekeeping / INDEX_NAME
    with sqlite3.connect(db) as conn:  # as socwizard with schema 2 left it
        for table in ("vendors", "histories", "state"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP INDEX files_errors")
        conn.execute("PRAGMA user_version = 2")
    reads: list[Path] = []
    original = Store.entry

    def entry(self: Store, path: Path) -> Any:
        reads.append(path)
        return original(self, path)

    monkeypatch.setattr(Store, "entry", entry)
    counter = Counter(monkeypatch)
    first = run(capsysbinary, store, "register")
    assert counter.slow == 1 and first[1].count(b"note") == 0
    assert {p.name for p in reads} <= {"broken.toml", "hostile.toml"}  # a broken row is read again
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index_module.SCHEMA_VERSION
        assert conn.execute("SELECT value FROM state WHERE name = 'vendors'").fetchone()[0] == 1
    monkeypatch.setattr(Store, "vendor_rows", counter._original)
    assert_same_everywhere(capsysbinary, store, monkeypatch)


def test_a_damaged_vendor_table_is_not_trusted(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(store)
    expected = run(capsysbinary, store, "register")
    with sqlite3.connect(store.housekeeping / INDEX_NAME) as conn:
        conn.execute("DELETE FROM vendors WHERE key = 'twin'")  # the counts no longer add up
    counter = Counter(monkeypatch)
    assert run(capsysbinary, store, "register") == expected
    assert counter.slow == 1


def test_an_index_of_a_newer_socwizard_is_bypassed_with_one_line(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(store)
    expected = run(capsysbinary, store, "register")[0]
    with sqlite3.connect(store.housekeeping / INDEX_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {index_module.SCHEMA_VERSION + 1}")
    out, err = run(capsysbinary, store, "register")
    assert out == expected
    notes = [line for line in err.decode().splitlines() if "note" in line]
    assert len(notes) == 1 and "newer socwizard" in notes[0] and b"Traceback" not in err


def test_the_stamp_digest_is_only_a_shortcut(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale digest (a folder scanned in another order) falls back to comparing each stamp."""
    populate(store)
    expected = run(capsysbinary, store, "register")
    db = store.housekeeping / INDEX_NAME
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE state SET value = 12345 WHERE name = 'stamps'")
    counter = Counter(monkeypatch)
    assert run(capsysbinary, store, "register") == expected
    assert counter.fast == 1
    with sqlite3.connect(db) as conn:  # and the scan's digest was remembered
        assert conn.execute("SELECT value FROM state WHERE name = 'stamps'").fetchone()[0] != 12345
    # A stale digest never hides a change: the stamps are compared one by one.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE state SET value = 12345 WHERE name = 'stamps'")
    write(store, "vendor-5-2.toml", "v5y2", "Vendor 5 changed", key="vendor-5", reviewed="2025-06-15")
    changed = run(capsysbinary, store, "register")
    assert b"Vendor 5 changed" in changed[0]
