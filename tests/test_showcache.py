"""The ``show`` output cache: byte-identical hits, every input in the key, private, never trusted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from socwizard import showcache
from socwizard.cli import build_parser
from socwizard.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"
EXAMPLE = ROOT / "tests" / "examples" / "team_chat.toml"
ASSESSMENT = """reviewed_on = 2026-03-31
title = "Acme payroll"
vendor = "Acme"

[answers]
financial = true
data_types = ["customer_pii"]
gone_question = "x"
"""
# Runs the console script's entry point, then reports whether the full CLI was needed.
PROBE = (
    "import sys, json\n"
    "probe = sys.argv.pop()\n"
    "from socwizard.launcher import main\n"
    "code = main()\n"
    "sys.stdout.flush()\n"
    "with open(probe, 'w') as f:\n"
    "    json.dump({m: m in sys.modules for m in ('pydantic', 'socwizard.cli', 'argparse', '_sqlite3')}, f)\n"
    "raise SystemExit(code)\n"
)


class Run:
    """One ``socwizard`` process: its output, exit code, and whether the cache served it."""

    def __init__(self, proc: subprocess.CompletedProcess[bytes], probe: dict[str, bool]) -> None:
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.code = proc.returncode
        self.cached = not probe["socwizard.cli"]
        self.pydantic = probe["pydantic"]
        self.argparse = probe["argparse"]
        self.sqlite = probe["_sqlite3"]


def show(tmp_path: Path, *args: str) -> Run:
    """``socwizard ARGS`` through the launcher, as the console script runs it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SOCWIZARD_DEBUG", None)
    probe = tmp_path / "probe.json"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args, str(probe)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    return Run(proc, json.loads(probe.read_text()))


def entries(home: Path) -> list[Path]:
    directory = home / "cache" / "show"
    return sorted(p for p in directory.iterdir() if not p.name.startswith(".")) if directory.is_dir() else []


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_hit_is_byte_identical_to_an_uncached_run(tmp_path: Path, isolated_home: Path, fmt: str) -> None:
    """Miss, hit, and a run with the cache emptied print the same bytes; the hit imports no pydantic."""
    path = tmp_path / "acme.toml"
    path.write_text(ASSESSMENT)
    args = ("--bank", str(MINI), "show", str(path), "--format", fmt)
    first = show(tmp_path, *args)
    assert first.code == 0 and not first.cached and b"warning" in first.stderr
    assert not first.argparse  # the launcher parsed it: a miss computes it directly
    assert len(entries(isolated_home)) == 1
    second = show(tmp_path, *args)
    assert second.cached and not second.pydantic
    shutil.rmtree(isolated_home / "cache" / "show")
    third = show(tmp_path, *args)
    assert not third.cached
    for run in (second, third):
        assert (run.stdout, run.stderr, run.code) == (first.stdout, first.stderr, first.code)


def test_the_built_in_bank_and_global_options_after_the_command(tmp_path: Path, isolated_home: Path) -> None:
    first = show(tmp_path, "show", str(EXAMPLE), "--format", "markdown")
    second = show(tmp_path, "show", str(EXAMPLE), "--format", "markdown")
    assert second.cached and second.stdout == first.stdout and first.code == 0
    moved = show(tmp_path, "show", str(EXAMPLE), "--bank", str(ROOT / "questions"), "--format", "markdown")
    assert not moved.cached and moved.stdout == first.stdout  # another command line: its own entry


def test_every_input_is_in_the_key(tmp_path: Path, isolated_home: Path) -> None:
    """Changing the file, a bank file or the policy is a miss that shows the new result."""
    path = tmp_path / "acme.toml"
    path.write_text(ASSESSMENT)
    bank = tmp_path / "bank"
    shutil.copytree(MINI, bank)
    args = ("--bank", str(bank), "show", str(path))
    assert b"Acme payroll" in show(tmp_path, *args).stdout
    assert show(tmp_path, *args).cached

    path.write_text(ASSESSMENT.replace("Acme payroll", "Acme benefits"))
    changed = show(tmp_path, *args)
    assert not changed.cached and b"Acme benefits" in changed.stdout

    meta = bank / "bank.toml"
    meta.write_text(meta.read_text() + "\n# a comment changes the bank's hash\n")
    assert not show(tmp_path, *args).cached
    assert show(tmp_path, *args).cached

    (bank / "extra.toml").write_text("# a new file in the bank directory\n")
    assert not show(tmp_path, *args).cached

    policy = isolated_home / "config" / "policy.toml"
    policy.parent.mkdir(parents=True)
    policy.write_text("[weights]\n")
    assert not show(tmp_path, *args).cached
    assert show(tmp_path, *args).cached


def test_errors_are_never_cached(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("reviewed_on = 2026-03-31\n[answers\n")
    for _ in range(2):
        run = show(tmp_path, "--bank", str(MINI), "show", str(path))
        assert run.code == 2 and not run.cached and b"Traceback" not in run.stderr
    assert entries(isolated_home) == []


def planted(tmp_path: Path, isolated_home: Path, text: str) -> tuple[Path, tuple[str, ...]]:
    """A real entry for a show of ``acme.toml``, then rewritten to print ``text`` instead."""
    path = tmp_path / "acme.toml"
    path.write_text(ASSESSMENT)
    args = ("--bank", str(MINI), "show", str(path))
    show(tmp_path, *args)
    (entry,) = entries(isolated_home)
    output = showcache.Output(text, "", 0)
    entry.write_bytes(showcache.encode(entry.name, output))
    return entry, args


def test_a_planted_entry_is_served_only_from_a_private_directory(tmp_path: Path, isolated_home: Path) -> None:
    """The test can fail: a private entry is served; the same entry elsewhere is not."""
    entry, args = planted(tmp_path, isolated_home, "planted\n")
    assert show(tmp_path, *args).stdout == b"planted\n"

    entry.parent.chmod(0o777)  # writable by others: someone could have planted it
    assert show(tmp_path, *args).stdout != b"planted\n"
    entry.parent.chmod(0o700)

    moved = tmp_path / "elsewhere"
    entry.parent.rename(moved)
    (isolated_home / "cache" / "show").symlink_to(moved)  # a symlinked directory
    assert show(tmp_path, *args).stdout != b"planted\n"


@pytest.mark.parametrize("damage", ["truncated", "other key", "fifo", "symlink", "huge", "not utf-8"])
def test_a_damaged_entry_is_a_miss(tmp_path: Path, isolated_home: Path, damage: str) -> None:
    entry, args = planted(tmp_path, isolated_home, "planted\n")
    data = entry.read_bytes()
    entry.unlink()
    if damage == "truncated":
        entry.write_bytes(data[:-3])
    elif damage == "other key":
        entry.write_bytes(data.replace(entry.name.encode(), b"0" * 64))
    elif damage == "fifo":
        os.mkfifo(entry)
    elif damage == "symlink":
        (tmp_path / "target").write_bytes(data)
        entry.symlink_to(tmp_path / "target")
    elif damage == "huge":
        entry.write_bytes(data + b" " * showcache.MAX_ENTRY_BYTES)
    else:
        entry.write_bytes(data.replace(b"planted", b"plant\xff\xfe"))
    run = show(tmp_path, *args)
    assert run.code == 0 and not run.cached and b"Acme payroll" in run.stdout


def test_the_cache_directory_is_private_whatever_the_umask(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(ASSESSMENT)
    old = os.umask(0)
    try:
        show(tmp_path, "--bank", str(MINI), "show", str(path))
    finally:
        os.umask(old)
    directory = isolated_home / "cache" / "show"
    assert directory.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in entries(isolated_home))


def test_only_the_newest_entries_are_kept(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(showcache, "KEEP", 3)
    directory = isolated_home / "cache" / "show"
    for n in range(5):
        showcache.save(f"{n:064x}", showcache.Output(f"run {n}\n", "", 0))
        os.utime(directory / f"{n:064x}", ns=(n * 10**9, n * 10**9))
    assert [p.name for p in entries(isolated_home)] == [f"{n:064x}" for n in (2, 3, 4)]
    showcache.save("f" * 64, showcache.Output("x" * (showcache.MAX_ENTRY_BYTES + 1), "", 0))
    assert not (directory / ("f" * 64)).exists()  # over the size cap: not stored


def test_the_key_holds_the_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry lives one day at most, so a date-dependent line can never be served stale."""
    request = showcache.Request(str(EXAMPLE), "text", None, None)
    today = showcache.cache_key(request)
    monkeypatch.setattr("time.strftime", lambda _fmt: "2099-01-01")
    tomorrow = showcache.cache_key(request)
    assert today is not None and tomorrow is not None and today[0] != tomorrow[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "f.toml"],
        ["show", "f.toml", "--format", "json"],
        ["show", "--format=markdown", "f.toml"],
        ["--bank", "b", "show", "f.toml"],
        ["--store", "s", "--bank=b", "show", "f.toml", "--format", "text"],
        ["show", "f.toml", "--bank", "b", "--store", "s"],
    ],
)
def test_the_fast_parser_reads_what_argparse_reads(argv: list[str]) -> None:
    request = showcache.parse_argv(argv)
    args = build_parser().parse_args(argv)
    assert request == showcache.Request(args.target, args.format, args.bank, args.store)


@pytest.mark.parametrize(
    "argv",
    [
        ["show"],
        ["show", "--help"],
        ["show", "-h", "f.toml"],
        ["show", "a.toml", "b.toml"],
        ["show", "f.toml", "--format", "pdf"],
        ["show", "f.toml", "--form", "json"],  # argparse's abbreviations: the long way
        ["show", "f.toml", "--bank", "a", "--bank", "b"],
        ["--format", "json", "show", "f.toml"],
        ["list", "show"],
        ["show", "--", "f.toml"],
        ["show", "f.toml", "--bank"],
    ],
)
def test_anything_else_goes_the_long_way(argv: list[str]) -> None:
    assert showcache.parse_argv(argv) is None


def test_the_fast_path_imports_almost_nothing() -> None:
    """Structural speed check: the module a cached show runs loads no typing, hashlib, json or re."""
    code = (
        "import sys; before = set(sys.modules); import socwizard.showcache; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert set(out.stdout.split()) <= {"__future__", "_sha256", "socwizard", "socwizard.showcache"}


def test_its_limits_are_the_readers_limits() -> None:
    from socwizard.core.bank.cache import MAX_FILES
    from socwizard.core.tomlsafe import MAX_ASSESSMENT_BYTES, MAX_BANK_FILE_BYTES

    assert showcache.MAX_ASSESSMENT_BYTES == MAX_ASSESSMENT_BYTES
    assert showcache.MAX_BANK_FILE_BYTES == MAX_BANK_FILE_BYTES
    assert showcache.MAX_BANK_FILES == MAX_FILES


# --- ``show ID``: the id resolved through the store's index, served from the cache ----


def imported(tmp_path: Path, isolated_home: Path) -> Path:
    """The team-chat example imported into the store (its index built by a listing)."""
    run = subprocess.run(
        [sys.executable, "-m", "socwizard", "import", str(EXAMPLE)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert run.returncode == 0
    (path,) = (p for p in (isolated_home / "store").glob("*.toml") if not p.name.startswith("."))
    subprocess.run(
        [sys.executable, "-m", "socwizard", "list"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
        timeout=60,
    )
    return path


def test_show_id_is_served_from_the_cache_byte_identical(tmp_path: Path, isolated_home: Path) -> None:
    """By id, short id or file stem: a miss, then hits without pydantic, the same bytes as by path."""
    path = imported(tmp_path, isolated_home)
    by_path = show(tmp_path, "show", str(path))
    assert by_path.code == 0
    for target in (path.stem, path.stem.rsplit("-", 1)[1]):
        first = show(tmp_path, "show", target)
        second = show(tmp_path, "show", target)
        assert not first.cached and second.cached and not second.pydantic
        assert first.sqlite and not second.sqlite  # the index's answer was kept (a pointer)
        assert (first.stdout, first.stderr, first.code) == (by_path.stdout, by_path.stderr, 0)
        assert (second.stdout, second.stderr, second.code) == (first.stdout, first.stderr, 0)


def test_show_id_follows_a_file_edited_behind_socwizards_back(tmp_path: Path, isolated_home: Path) -> None:
    path = imported(tmp_path, isolated_home)
    target = path.stem
    show(tmp_path, "show", target)
    assert show(tmp_path, "show", target).cached
    path.write_text(path.read_text(encoding="utf-8").replace("Team chat", "Team talk"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000))
    assert showcache.cache_key(showcache.Request(target, "text", None, None)) is None  # the row is stale
    changed = show(tmp_path, "show", target)
    assert not changed.cached and changed.code == 0 and b"Team talk" in changed.stdout
    again = show(tmp_path, "show", target)  # the index was brought up to date by that run
    assert again.stdout == changed.stdout


def test_the_cache_finds_the_file_the_store_finds(tmp_path: Path, isolated_home: Path) -> None:
    """find_in_index answers as Store.find_by_id does from the index, and only from a fresh row."""
    from socwizard.core.store import Store

    store = Store(isolated_home / "store")
    store.ensure()
    body = 'id = "{id}"\nvendor = "Acme"\nreviewed_on = 2026-01-31\n[answers]\n'
    (store.root / "acme-1a2b3c4d.toml").write_text(body.format(id="abc"))
    (store.root / "globex-abc.toml").write_text(body.format(id="zzz"))  # short id "abc": a name match
    store.list()
    for key in ("abc", "1a2b3c4d", "acme-1a2b3c4d", "zzz", "globex-abc", "nothing"):
        expected = store.find_by_id(key)
        assert showcache.find_in_index(None, key) == (str(expected) if expected else None), key
    (store.root / "acme-1a2b3c4d.toml").write_text(body.format(id="abd") + "# edited\n")
    assert showcache.find_in_index(None, "1a2b3c4d") is None  # its stamp changed: the long way
    store.root.chmod(0o777)
    try:
        assert showcache.find_in_index(None, "zzz") is None  # a store others can write: never
    finally:
        store.root.chmod(0o700)


def test_the_cache_reads_this_socwizards_index() -> None:
    from socwizard.core import index

    assert index.SCHEMA_VERSION in showcache.INDEX_VERSIONS
    assert index.APPLICATION_ID == showcache.INDEX_APPLICATION_ID
    assert index.MAX_INDEX_BYTES == showcache.MAX_INDEX_BYTES


@pytest.mark.parametrize(("given", "expected"), [(None, "__all__"), ("logfire", "logfire")])
def test_pydantic_plugins_are_off_unless_the_user_says(given: str | None, expected: str) -> None:
    """socwizard's own models need no third-party plugin (finding them scans every package)."""
    code = (
        "import os, sys\nsys.argv = ['socwizard', '--version']\nfrom socwizard.launcher import main\n"
        "main()\nprint(os.environ['PYDANTIC_DISABLE_PLUGINS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = str(ROOT / "src")
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.splitlines()[-1] == expected


@pytest.mark.parametrize(
    "argv",
    [[], ["--store", "s"], ["--bank=b"], ["--store", "s", "--bank", "b"], ["--bank", "b", "--store=s"]],
)
def test_the_launchers_home_options_read_what_argparse_reads(argv: list[str]) -> None:
    from socwizard.launcher import home_options

    options = home_options(argv)
    args = build_parser().parse_args(argv)
    assert args.command is None and options is not None
    assert (options.get("store"), options.get("bank")) == (args.store, args.bank)


@pytest.mark.parametrize(
    "argv",
    [["list"], ["--help"], ["--store"], ["--store", "a", "--store", "b"], ["--sto", "s"], ["--confine", "d"]],
)
def test_anything_but_home_options_goes_to_the_full_command_line(argv: list[str]) -> None:
    from socwizard.launcher import home_options

    assert home_options(argv) is None


# --- the pointer: an id's index rows kept while the index is unchanged -----------------


def pointer_store(isolated_home: Path) -> tuple[Store, str]:
    """A store where "abc" is the id of acme-1a2b3c4d.toml, listed (so indexed)."""
    from socwizard.core.store import Store

    store = Store(isolated_home / "store")
    store.ensure()
    body = 'id = "{id}"\nvendor = "Acme"\nreviewed_on = 2026-01-31\n[answers]\n'
    (store.root / "acme-1a2b3c4d.toml").write_text(body.format(id="abc"))
    (store.root / "globex-5e6f7a8b.toml").write_text(body.format(id="zzz"))
    store.list()
    return store, body


def pointers(isolated_home: Path) -> list[Path]:
    directory = isolated_home / "cache" / "show" / "ids"
    return sorted(p for p in directory.iterdir() if not p.name.startswith(".")) if directory.is_dir() else []


def test_a_pointer_answers_as_the_index_until_the_index_changes(isolated_home: Path) -> None:
    """A file added behind socwizard's back that sorts first: the pointer's answer holds
    while the index is unchanged (as Store.find_by_id's), and gives way once it changes."""
    store, body = pointer_store(isolated_home)
    acme = str(store.root / "acme-1a2b3c4d.toml")
    assert showcache.find_in_index(None, "abc") == acme
    assert len(pointers(isolated_home)) == 1
    (store.root / "aaa-99999999.toml").write_text(body.format(id="abc"))  # git pull
    assert showcache.find_in_index(None, "abc") == acme == str(store.find_by_id("abc"))
    store.list()  # the index learns of it: another pin
    expected = store.find_by_id("abc")
    assert expected == store.root / "aaa-99999999.toml"
    assert showcache.find_in_index(None, "abc") == str(expected)


def test_a_pointer_is_stale_once_the_index_commits_whatever_its_mtime(isolated_home: Path) -> None:
    """SQLite's change counter is in the pin: an index rewritten within one mtime tick (or
    its mtime put back) is queried again."""
    import sqlite3

    store, _ = pointer_store(isolated_home)
    assert showcache.find_in_index(None, "abc") == str(store.root / "acme-1a2b3c4d.toml")
    index = store.root / ".socwizard" / "index.sqlite"
    before = index.stat()
    conn = sqlite3.connect(index)
    with conn:
        conn.execute("UPDATE files SET id = 'abd' WHERE id = 'abc'")
    conn.close()
    os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert index.stat().st_size == before.st_size and index.stat().st_mtime_ns == before.st_mtime_ns
    assert showcache.find_in_index(None, "abc") is None  # what the index now says
    assert showcache.find_in_index(None, "abd") == str(store.root / "acme-1a2b3c4d.toml")


@pytest.mark.parametrize("damage", ["garbage", "other-pin", "open-dir", "linked"])
def test_a_damaged_or_planted_pointer_is_not_trusted(isolated_home: Path, damage: str) -> None:
    """A pointer naming the wrong file (with that file's true stamp) is used only when it is
    exactly what this index's query wrote, in the private cache."""
    store, _ = pointer_store(isolated_home)
    globex, acme = store.root / "globex-5e6f7a8b.toml", store.root / "acme-1a2b3c4d.toml"
    assert showcache.find_in_index(None, "zzz") == str(globex)
    (pointer,) = pointers(isolated_home)
    header = pointer.read_text().splitlines()[0]
    planted = f"0 {acme.stat().st_mtime_ns} {acme.stat().st_size} {acme.name}\n"
    if damage == "garbage":
        pointer.write_bytes(b"\xff\x00 not a pointer")
    elif damage == "other-pin":
        pointer.write_text(header.rsplit(" ", 1)[0] + " 12345\n" + planted)
    elif damage == "open-dir":
        pointer.write_text(header + "\n" + planted)
        pointer.parent.chmod(0o777)
    else:
        elsewhere = isolated_home / "planted"
        elsewhere.write_text(header + "\n" + planted)
        pointer.unlink()
        pointer.symlink_to(elsewhere)
    try:
        found = showcache.find_in_index(None, "zzz")
    finally:
        pointer.parent.chmod(0o700)
    assert found == str(globex) == str(store.find_by_id("zzz"))
    # the control: the same planted row in a proper pointer is followed (the test can fail)
    if damage == "garbage":
        pointer.write_text(header + "\n" + planted)
        assert showcache.find_in_index(None, "zzz") == str(acme)
