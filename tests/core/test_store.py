"""The store: permissions, filenames, containment, atomic saves, locking, conflicts, trash, import."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment
from socwizard.core.bank.models import Bank
from socwizard.core.errors import AssessmentError, ConflictError, StoreError
from socwizard.core.recommendation import decide
from socwizard.core.store import Store

from .helpers import MINI, REVIEWED

SRC = str(Path(__file__).resolve().parents[2] / "src")


def new(store: Store, bank: Bank, **kw: object) -> tuple[Path, Assessment]:
    a = Assessment(reviewed_on=REVIEWED, **kw)
    result = decide(bank, a.answers, a.reviewed_on, complete=a.status == "complete")
    path, stamped, _ = store.save(a, bank, result)
    return path, stamped


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_permissions(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="Acme")
    assert mode(store.root) == 0o700
    assert mode(store.housekeeping) == 0o700
    assert mode(store.trash) == 0o700
    assert mode(path) == 0o600
    lock_files = list((store.housekeeping / "locks").iterdir())
    assert lock_files and all(mode(p) == 0o600 for p in lock_files)


def test_permissions_on_a_store_created_from_scratch(tmp_path: Path, mini_bank: Bank) -> None:
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "deep" / "store")
        path, _ = new(store, mini_bank, vendor="V")
    finally:
        os.umask(old)
    assert mode(store.root) == 0o700
    assert mode(path) == 0o600


@pytest.mark.parametrize(
    "title", ["../../etc/passwd", "con", "日本語のベンダー", "", "/abs/path", "a\\b", "x" * 200, ".hidden"]
)
def test_filename_is_slug_plus_id_never_the_title(store: Store, mini_bank: Bank, title: str) -> None:
    path, stamped = new(store, mini_bank, title=title)
    assert path.parent == store.root
    assert path.suffix == ".toml"
    assert path.name.isascii()
    assert not path.name.startswith(".")
    stem = path.stem
    slug, short = stem.rsplit("-", 1)
    assert len(short) == 8 and slug
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert stem.lower() not in {"con", "prn", "aux", "nul"}
    assert stamped.id is not None


def test_filenames_are_unique(store: Store, mini_bank: Bank) -> None:
    paths = {new(store, mini_bank, vendor="Acme")[0] for _ in range(5)}
    assert len(paths) == 5


def test_inside_rejects_escapes(store: Store, tmp_path: Path) -> None:
    assert store.inside(store.root / "a.toml") == (store.root / "a.toml").resolve()
    for escape in [store.root / ".." / "x.toml", Path("/etc/passwd"), store.root / "sub" / "a.toml"]:
        with pytest.raises(StoreError, match="outside the store"):
            store.inside(escape)
    outside = tmp_path / "outside.toml"
    outside.write_text("x")
    link = store.root / "link.toml"
    link.symlink_to(outside)
    with pytest.raises(StoreError):
        store.inside(link)


def test_save_refuses_paths_outside_the_store(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    a = Assessment(reviewed_on=REVIEWED)
    target = tmp_path / "elsewhere.toml"
    with pytest.raises(StoreError):
        store.save(a, mini_bank, decide(mini_bank, {}, REVIEWED), path=target)
    assert not target.exists()


def test_open_save_round_trip_and_unchanged_save_is_a_no_op(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="T", answers={"financial": Answer(value=True)})
    opened = store.open(path, mini_bank)
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    time.sleep(0.01)
    _, _, fp = store.save(opened.assessment, mini_bank, opened.result, path=path, expected=opened.fingerprint)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    assert fp == opened.fingerprint


def test_conflict_when_the_file_changed_on_disk(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="T")
    opened = store.open(path, mini_bank)
    other = store.open(path, mini_bank)
    changed = other.assessment.with_answer("financial", Answer(value=True))
    store.save(
        changed,
        mini_bank,
        decide(mini_bank, changed.answers, REVIEWED),
        path=path,
        expected=other.fingerprint,
    )
    on_disk = path.read_bytes()
    mine = opened.assessment.with_answer("financial", Answer(value=False))
    with pytest.raises(ConflictError, match="changed on disk since it was opened"):
        store.save(
            mine, mini_bank, decide(mini_bank, mine.answers, REVIEWED), path=path, expected=opened.fingerprint
        )
    assert path.read_bytes() == on_disk


def test_conflict_when_the_file_was_deleted(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="T")
    opened = store.open(path, mini_bank)
    path.unlink()
    with pytest.raises(ConflictError, match="deleted or moved"):
        store.save(opened.assessment, mini_bank, opened.result, path=path, expected=opened.fingerprint)


def test_a_backup_of_the_previous_version_is_kept(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="T")
    first = path.read_bytes()
    opened = store.open(path, mini_bank)
    changed = opened.assessment.with_answer("financial", Answer(value=True))
    store.save(
        changed,
        mini_bank,
        decide(mini_bank, changed.answers, REVIEWED),
        path=path,
        expected=opened.fingerprint,
    )
    assert (store.housekeeping / "backups" / path.name).read_bytes() == first


def test_delete_moves_to_trash(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="T")
    data = path.read_bytes()
    moved = store.delete(path)
    assert not path.exists()
    assert moved.parent == store.root / ".socwizard" / "trash"
    assert moved.read_bytes() == data
    assert store.list() == []


def test_list_survives_a_broken_file(store: Store, mini_bank: Bank) -> None:
    good, _ = new(store, mini_bank, title="Good", vendor="Acme")
    (store.root / "broken.toml").write_bytes(b"reviewed_on = \xff\xfe")
    (store.root / "wrong.toml").write_text('title = "\\u001b]52;c;x\\u0007"\n')
    (store.root / ".hidden.toml").write_text("garbage")
    (store.root / "notes.txt").write_text("ignored")
    entries = {e.path.name: e for e in store.list()}
    assert set(entries) == {good.name, "broken.toml", "wrong.toml"}
    assert entries[good.name].error == ""
    assert entries[good.name].title == "Good"
    assert entries[good.name].headline
    assert entries["broken.toml"].error
    assert entries["broken.toml"].status == "broken"
    assert "control character" in entries["wrong.toml"].error
    assert "\x1b" not in entries["wrong.toml"].error


def test_find_by_id(store: Store, mini_bank: Bank) -> None:
    path, stamped = new(store, mini_bank, title="T")
    assert stamped.id is not None
    assert store.find_by_id(stamped.id) == path
    assert store.find_by_id(path.stem) == path
    assert store.find_by_id("nothing-here") is None


# --- import -------------------------------------------------------------------------------


def colleague_file(tmp_path: Path, assessment_id: str | None = "shared123") -> Path:
    source = tmp_path / "from-colleague.toml"
    head = f'id = "{assessment_id}"\n' if assessment_id else ""
    source.write_text(head + 'title = "Theirs"\nreviewed_on = 2026-03-31\n[answers]\nfinancial = true\n')
    source.chmod(0o644)
    return source


def test_import_copies_under_a_new_name_and_never_touches_the_source(
    store: Store, mini_bank: Bank, tmp_path: Path
) -> None:
    source = colleague_file(tmp_path)
    before = (source.read_bytes(), source.stat().st_mtime_ns, mode(source))
    path, loaded = store.import_file(source, mini_bank)
    assert (source.read_bytes(), source.stat().st_mtime_ns, mode(source)) == before
    assert path.parent == store.root
    assert path.name != source.name
    assert mode(path) == 0o600
    assert loaded.assessment.id == "shared123"
    assert store.open(path, mini_bank).assessment.answers["financial"] == Answer(value=True)


def test_import_gives_a_new_id_when_taken_or_missing(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    source = colleague_file(tmp_path)
    first, _ = store.import_file(source, mini_bank)
    second, loaded = store.import_file(source, mini_bank)
    assert first != second
    assert loaded.assessment.id != "shared123"
    _, without = store.import_file(colleague_file(tmp_path, None), mini_bank)
    assert without.assessment.id
    assert len({e.id for e in store.list()}) == 3


def test_import_refuses_symlinks(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    real = colleague_file(tmp_path)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    with pytest.raises(AssessmentError, match="symbolic link"):
        store.import_file(link, mini_bank)
    assert store.list() == []


def test_import_refuses_invalid_files(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("reviewed_on = 2026-03-31\n[answers]\nfinancial = 3\n")
    with pytest.raises(AssessmentError, match=r"answers\.financial"):
        store.import_file(bad, mini_bank)
    assert store.list() == []


# --- crashes and concurrency ---------------------------------------------------------------------

CHILD_PREAMBLE = f"""
import sys, datetime as dt
sys.path.insert(0, {SRC!r})
from pathlib import Path
from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment
from socwizard.core.bank.loader import load_bank
from socwizard.core.errors import ConflictError
from socwizard.core.recommendation import decide
from socwizard.core.store import Store
bank = load_bank(Path({str(MINI)!r}))
"""


def run_child(body: str, *args: str) -> subprocess.Popen[bytes]:
    code = CHILD_PREAMBLE + textwrap.dedent(body)
    return subprocess.Popen([sys.executable, "-c", code, *args])


def test_a_child_killed_mid_save_leaves_a_readable_file(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="Crash")
    child = run_child(
        """
        store = Store(Path(sys.argv[1]))
        path = Path(sys.argv[2])
        n = 0
        while True:
            n += 1
            note = (str(n) + " ") * 150_000
            a = Assessment(reviewed_on=dt.date(2026, 3, 31), title="Crash",
                           answers={"notes": Answer(value="x", note=note[:3999])},
                           assessor=str(n))
            a = a.model_copy(update={"set_aside": {f"k{i}": Answer(value="y" * 3999) for i in range(200)}})
            store.save(a, bank, decide(bank, a.answers, a.reviewed_on), path=path)
        """,
        str(store.root),
        str(path),
    )
    try:
        deadline = time.monotonic() + 20
        # Wait until the child is writing temp files (a save in progress), then kill it.
        writing = False
        while not writing and time.monotonic() < deadline:
            writing = bool(list(store.root.glob(".*.tmp")))
            time.sleep(0.001)
        assert writing, "the child never started saving"
        time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    opened = store.open(path, mini_bank)
    assert opened.assessment.title == "Crash"
    # No partial file is visible in the listing.
    assert [e.path for e in store.list()] == [path]
    assert all(e.error == "" for e in store.list())
    # Stale temps (older than an hour) are swept on the next start.
    temps = list(store.root.glob(".*.tmp"))
    stale = store.root / f".{path.name}.stale.tmp"
    stale.write_bytes(b"partial")
    fresh = store.root / f".{path.name}.fresh.tmp"
    fresh.write_bytes(b"in progress")
    old = time.time() - 7200
    for temp in [*temps, stale]:
        os.utime(temp, (old, old))
    store.ensure()
    assert not stale.exists()
    assert all(not t.exists() for t in temps)
    assert fresh.exists()


def test_no_lost_updates_across_processes(store: Store, mini_bank: Bank) -> None:
    path, _ = new(store, mini_bank, title="Counter", answers={"notes": Answer(value="0")})
    cycles = 50
    children = [
        run_child(
            """
            store = Store(Path(sys.argv[1]))
            path = Path(sys.argv[2])
            done = 0
            while done < int(sys.argv[3]):
                opened = store.open(path, bank)
                count = int(opened.assessment.answers["notes"].value) + 1
                changed = opened.assessment.with_answer("notes", Answer(value=str(count)))
                result = decide(bank, changed.answers, changed.reviewed_on)
                try:
                    store.save(changed, bank, result, path=path, expected=opened.fingerprint)
                except ConflictError:
                    continue
                done += 1
            """,
            str(store.root),
            str(path),
            str(cycles),
        )
        for _ in range(3)
    ]
    for child in children:
        assert child.wait(timeout=120) == 0
    final = store.open(path, mini_bank)
    assert final.assessment.answers["notes"].value == str(3 * cycles)


def test_write_new_never_replaces_a_file(tmp_path: Path) -> None:
    from socwizard.core.store import write_new

    target = tmp_path / "report.md"
    target.write_text("mine")
    second = write_new(target, b"export")
    assert second.name == "report-2.md" and second.read_bytes() == b"export"
    assert target.read_text() == "mine"
    assert second.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        write_new(target, b"x", numbered=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-2.md", "report.md"]
