"""The SQLite listing index: reconciled by file stamps, rebuilt or bypassed when unusable."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from socwizard.core import index as index_module
from socwizard.core.index import INDEX_NAME, Entry
from socwizard.core.private import UnsafeFolder
from socwizard.core.store import Store

BODY = 'id = "{id}"\nvendor = "{vendor}"\nreviewed_on = 2026-01-31\n[answers]\n'


def write(store: Store, name: str, id_: str, vendor: str = "Acme") -> Path:
    path = store.root / name
    path.write_text(BODY.format(id=id_, vendor=vendor))
    return path


def vendors(store: Store) -> dict[str, str]:
    return {e.id: e.vendor for e in store.list()}


def counting(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    original = store.entry

    def entry(path: Path) -> Entry:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(store, "entry", entry)
    return reads


def test_index_is_sqlite_in_housekeeping_and_git_ignored(store: Store) -> None:
    write(store, "a.toml", "a1")
    store.list()
    db = store.housekeeping / INDEX_NAME
    assert db.is_file() and oct(db.stat().st_mode & 0o777) == "0o600"
    assert (store.housekeeping / ".gitignore").read_text().strip().endswith("*")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name, id FROM files").fetchall() == [("a.toml", "a1")]


def test_unchanged_files_are_not_read_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        write(store, f"f{n}.toml", f"id{n}")
    first = store.list()
    reads = counting(store, monkeypatch)
    assert store.list() == first
    assert reads == []


def test_git_adds_changes_and_deletes_are_reflected(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    write(store, "a.toml", "a1")
    b = write(store, "b.toml", "b1")
    c = write(store, "c.toml", "c1")
    store.list()
    reads = counting(store, monkeypatch)
    write(store, "d.toml", "d1", "Added")
    c.write_text(BODY.format(id="c1", vendor="Changed Inc"))
    os.utime(c, ns=(time.time_ns(), time.time_ns() + 10_000))  # a new stamp even on a coarse clock
    b.unlink()
    assert vendors(store) == {"a1": "Acme", "c1": "Changed Inc", "d1": "Added"}
    assert sorted(p.name for p in reads) == ["c.toml", "d.toml"]
    with sqlite3.connect(store.housekeeping / INDEX_NAME) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM files ORDER BY name")] == [
            "a.toml",
            "c.toml",
            "d.toml",
        ]


def test_find_by_id_uses_the_index_and_checks_the_stamp(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = write(store, "acme-1a2b3c4d.toml", "abc")
    store.list()
    monkeypatch.setattr(store, "list", lambda: pytest.fail("a full listing was not needed"))
    assert store.find_by_id("abc") == a
    assert store.find_by_id("1a2b3c4d") == a
    assert store.find_by_id("acme-1a2b3c4d") == a
    monkeypatch.undo()
    # changed behind socwizard's back: the index's answer is not trusted
    a.write_text(BODY.format(id="xyz", vendor="Acme"))
    os.utime(a, ns=(time.time_ns(), time.time_ns() + 10_000))
    b = write(store, "globex-99999999.toml", "abc")
    assert store.find_by_id("abc") == b
    assert store.find_by_id("xyz") == a
    assert store.find_by_id("nothing") is None


def test_corrupt_index_is_rebuilt_with_a_notice(store: Store) -> None:
    write(store, "a.toml", "a1")
    store.list()
    db = store.housekeeping / INDEX_NAME
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    assert vendors(store) == {"a1": "Acme"}
    assert len(store.notices) == 1 and "rebuilt" in store.notices[0]
    assert "\n" not in store.notices[0]
    assert vendors(store) == {"a1": "Acme"} and store.notices == []


def test_garbage_index_and_foreign_database_are_rebuilt(store: Store) -> None:
    write(store, "a.toml", "a1")
    db = store.housekeeping / INDEX_NAME
    db.write_bytes(b"not a database at all" * 100)
    assert vendors(store) == {"a1": "Acme"} and "rebuilt" in store.notices[0]
    db.unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE other (x)")
    assert vendors(store) == {"a1": "Acme"} and "rebuilt" in store.notices[0]
    assert vendors(store) == {"a1": "Acme"} and store.notices == []


def test_index_of_a_newer_socwizard_is_bypassed_not_destroyed(store: Store) -> None:
    write(store, "a.toml", "a1")
    store.list()
    db = store.housekeeping / INDEX_NAME
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {index_module.SCHEMA_VERSION + 1}")
    assert vendors(store) == {"a1": "Acme"}
    assert "newer socwizard" in store.notices[0]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index_module.SCHEMA_VERSION + 1


@pytest.mark.parametrize("kind", ["symlink", "fifo", "directory"])
def test_index_that_is_not_a_regular_file_is_never_followed(store: Store, tmp_path: Path, kind: str) -> None:
    write(store, "a.toml", "a1")
    db = store.housekeeping / INDEX_NAME
    elsewhere = tmp_path / "elsewhere.sqlite"
    if kind == "symlink":
        db.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(db)
    else:
        db.mkdir()
    assert vendors(store) == {"a1": "Acme"}
    assert "not a regular file" in store.notices[0]
    assert not elsewhere.exists()


def test_journal_symlink_is_refused(store: Store, tmp_path: Path) -> None:
    write(store, "a.toml", "a1")
    (store.housekeeping / (INDEX_NAME + "-journal")).symlink_to(tmp_path / "victim")
    assert vendors(store) == {"a1": "Acme"}
    assert "not a regular file" in store.notices[0]
    assert not (tmp_path / "victim").exists()


def test_housekeeping_symlink_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    (tmp_path / "other").mkdir()
    (root / ".socwizard").symlink_to(tmp_path / "other")
    store = Store(root)
    write(store, "a.toml", "a1")
    with pytest.raises(UnsafeFolder, match="symbolic link"):  # issue 9: nothing followed there
        store.list()
    assert list((tmp_path / "other").iterdir()) == []
    # the index alone, asked directly, bypasses it too
    from socwizard.core.index import Index

    index = Index(root, root / ".socwizard")
    assert [e.id for e in index.entries(store.entry)] == ["a1"]
    assert "not a folder" in index.notices[0]


def test_locked_index_is_bypassed(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    write(store, "a.toml", "a1")
    store.list()
    write(store, "b.toml", "b1")
    monkeypatch.setattr(index_module, "BUSY_TIMEOUT_S", 0.05)
    holder = sqlite3.connect(store.housekeeping / INDEX_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert vendors(store) == {"a1": "Acme", "b1": "Acme"}
        assert len(store.notices) == 1 and "locked" in store.notices[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_read_only_index_still_lists_everything(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    write(store, "a.toml", "a1")
    store.list()
    write(store, "b.toml", "b1")
    real = sqlite3.connect

    def read_only(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    assert vendors(store) == {"a1": "Acme", "b1": "Acme"}
    assert len(store.notices) == 1 and "not updated" in store.notices[0]


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE files SET updated = 'not a date'",
        "UPDATE outcomes SET text = '[1, 2]'",
        "UPDATE files SET outcomes = 12345",  # names no outcome table
    ],
)
def test_damaged_row_is_read_again(store: Store, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    write(store, "a.toml", "a1")
    write(store, "b.toml", "b1")
    store.list()
    with sqlite3.connect(store.housekeeping / INDEX_NAME) as conn:
        conn.execute(damage)
    reads = counting(store, monkeypatch)
    assert vendors(store) == {"a1": "Acme", "b1": "Acme"}
    assert sorted(p.name for p in reads) == ["a.toml", "b.toml"]
    reads.clear()
    assert vendors(store) == {"a1": "Acme", "b1": "Acme"}  # repaired: from the index again
    assert reads == []


def test_rows_share_their_outcome_table_and_unused_ones_go(store: Store) -> None:
    """Schema 2: one outcome table per distinct text, referenced by the rows; none left over."""
    for n in range(4):
        write(store, f"f{n}.toml", f"id{n}")
    store.list()
    db = store.housekeeping / INDEX_NAME
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 1
        assert conn.execute("SELECT count(DISTINCT outcomes) FROM files").fetchone()[0] == 1
    for n in range(4):
        (store.root / f"f{n}.toml").unlink()
    assert store.list() == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 0


def _downgrade_to_schema_1(db: Path) -> None:
    """The index as socwizard's schema 1 wrote it: each row holding its outcomes' JSON text."""
    with sqlite3.connect(db, isolation_level=None) as conn:
        conn.execute("ALTER TABLE files RENAME TO files_2")
        schema_1 = index_module._FILES.replace("outcomes INTEGER NOT NULL", "outcomes TEXT NOT NULL")
        conn.execute(schema_1.strip().rstrip(";"))
        conn.execute(
            f"INSERT INTO files SELECT {index_module._COLUMNS.replace('outcomes,', 'o.text,')} "
            "FROM files_2 JOIN outcomes o ON o.oid = files_2.outcomes"
        )
        conn.execute("DROP TABLE files_2")
        conn.execute("DROP TABLE outcomes")
        conn.execute("CREATE INDEX files_id ON files(id)")
        conn.execute("CREATE INDEX files_short ON files(short)")
        conn.execute("PRAGMA user_version = 1")


def test_an_index_of_schema_1_is_migrated_without_reading_the_files(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        write(store, f"f{n}.toml", f"id{n}", vendor=f"V{n}")
    first = store.list()
    db = store.housekeeping / INDEX_NAME
    _downgrade_to_schema_1(db)
    reads = counting(store, monkeypatch)
    assert store.list() == first
    assert reads == [] and store.notices == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index_module.SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 1
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"files_id", "files_short"} <= indexes


def test_broken_file_is_listed_with_its_error(store: Store) -> None:
    (store.root / "bad.toml").write_text("this is = = not toml")
    (entry,) = store.list()
    assert entry.status == "broken" and "bad.toml" in entry.error
    (entry,) = store.list()  # from the index
    assert entry.status == "broken" and "bad.toml" in entry.error
