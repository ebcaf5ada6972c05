"""Issue 9, hardening round 2: each attack that got through, as a test that failed before."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from socwizard.core.assessment import Assessment, read_assessment_bytes
from socwizard.core.bank import cache
from socwizard.core.bank.cache import load_bank_cached
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.errors import AssessmentError, BankError, SocwizardError
from socwizard.core.private import UnsafeFolder, make_private_dir
from socwizard.core.store import Store
from socwizard.core.tomlsafe import LineFinder

from .helpers import MINI, line_of

SRC = Path(__file__).resolve().parents[2] / "src"
MINIMAL = 'reviewed_on = 2026-03-31\nstatus = "in_progress"\n\n[answers]\nsla = 99.9\n'


def run(
    *args: str, umask: int = 0o022, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "socwizard", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        umask=umask,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def copy_mini(tmp_path: Path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(MINI, target)
    return target


def one_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --- 1. private folders whatever the umask; no pickle; refuse folders others can write --


def test_umask_000_still_creates_every_folder_0700(tmp_path: Path) -> None:
    cache_dir = tmp_path / "xdg" / "cache" / "socwizard"
    store = tmp_path / "deep" / "er" / "store"
    source = tmp_path / "acme.toml"
    source.write_text(MINIMAL)
    proc = run(
        "--bank",
        str(MINI),
        "--store",
        str(store),
        "import",
        str(source),
        umask=0,
        env={"SOCWIZARD_CACHE": str(cache_dir)},
    )
    assert proc.returncode == 0, proc.stderr
    created = [
        tmp_path / "xdg",
        tmp_path / "xdg" / "cache",
        cache_dir,
        cache_dir / "banks",
        tmp_path / "deep",
        tmp_path / "deep" / "er",
        store,
        store / ".socwizard",
        store / ".socwizard" / "locks",
        store / ".socwizard" / "trash",
        store / ".socwizard" / "backups",
    ]
    for folder in created:
        assert mode(folder) == 0o700, f"{folder} is {oct(mode(folder))}"
    for file in [*store.glob("*.toml"), *(cache_dir / "banks").iterdir()]:
        assert mode(file) == 0o600, file


def test_make_private_dir_at_umask_000(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        make_private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode(folder) == 0o700


class _Planted:
    """A pickle payload that would create a file when unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.marker),))


def test_the_bank_cache_never_unpickles(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    marker = tmp_path / "pwned"
    key = cache._key(MINI, None)
    assert key is not None
    (cache_dir / "banks").mkdir(parents=True, mode=0o700)
    os.chmod(cache_dir, 0o700)
    (cache_dir / "banks" / f"{key}.pickle").write_bytes(pickle.dumps(_Planted(marker)))
    (cache_dir / "banks" / f"{key}.json").write_bytes(pickle.dumps(_Planted(marker)))
    bank = load_bank_cached(MINI, None, cache_dir)
    assert not marker.exists()
    assert bank == load_bank(MINI)
    # the entry written is JSON, and a hit is the same bank
    entry = cache_dir / "banks" / f"{key}.json"
    json.loads(entry.read_bytes())
    assert load_bank_cached(MINI, None, cache_dir) == bank
    assert not list((cache_dir / "banks").glob("*.pickle"))


def test_a_cached_bank_equals_the_validated_one_builtin() -> None:
    from socwizard.paths import builtin_bank_dir

    bank = load_bank(builtin_bank_dir())
    data = json.dumps(cache.encode(bank))
    again = cache.decode(data)
    assert isinstance(again, Bank)
    assert again == bank
    assert again.model_dump() == bank.model_dump()
    assert again.model_fields_set == bank.model_fields_set


@pytest.mark.parametrize("bad", [0o777, 0o770, 0o702])
def test_a_cache_folder_others_can_write_is_refused(tmp_path: Path, bad: int) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    os.chmod(cache_dir, bad)
    with pytest.raises(UnsafeFolder, match="writable by other users"):
        load_bank_cached(MINI, None, cache_dir)
    os.chmod(cache_dir, 0o700)
    (cache_dir / "banks").mkdir(mode=0o700)
    os.chmod(cache_dir / "banks", 0o777)
    with pytest.raises(UnsafeFolder, match="writable by other users"):
        load_bank_cached(MINI, None, cache_dir)


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_folders_of_another_user_are_refused(tmp_path: Path, isolated_home: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    os.chown(cache_dir, 12345, -1)
    with pytest.raises(UnsafeFolder, match="belongs to another user"):
        load_bank_cached(MINI, None, cache_dir)
    store = Store(tmp_path / "store")
    store.root.mkdir(mode=0o700)
    os.chown(store.root, 12345, -1)
    with pytest.raises(UnsafeFolder, match="belongs to another user"):
        store.list()


def test_cli_refuses_unsafe_folders_in_one_line(tmp_path: Path, isolated_home: Path) -> None:
    source = tmp_path / "acme.toml"
    source.write_text(MINIMAL)
    cache_dir = isolated_home / "cache"
    cache_dir.mkdir(parents=True)
    os.chmod(cache_dir, 0o777)
    assert "writable by other users" in one_error(run("--bank", str(MINI), "show", str(source)))
    os.chmod(cache_dir, 0o700)
    store = isolated_home / "store"
    store.mkdir()
    os.chmod(store, 0o757)
    assert "store folder is writable" in one_error(run("--bank", str(MINI), "list"))


def test_a_policy_others_can_write_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    policy = config / "policy.toml"
    policy.write_text("[policy]\nfreshness_months = 12\n")
    os.chmod(policy, 0o600)
    assert load_bank(MINI, policy).meta.policy["freshness_months"] == 12
    os.chmod(policy, 0o666)
    with pytest.raises(BankError, match="policy file is writable by other users"):
        load_bank(MINI, policy)
    os.chmod(policy, 0o600)
    os.chmod(config, 0o777)
    with pytest.raises(BankError, match="config folder is writable by other users"):
        load_bank_cached(MINI, policy, tmp_path / "cache")


# --- 2. every bank read goes through the guards, cached or not ---------------------------


def _load_in_child(bank: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import resource, sys; from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from socwizard.core.bank.cache import load_bank_cached\n"
        f"b = load_bank_cached(Path({str(bank)!r}), None, Path({str(cache_dir)!r}))\n"
        "print(len(b.questions))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


def test_a_fifo_in_the_bank_folder_does_not_hang_the_cached_loader(tmp_path: Path) -> None:
    bank = copy_mini(tmp_path)
    os.mkfifo(bank / "planted.toml")
    proc = _load_in_child(bank, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) == len(load_bank(MINI).questions)


def test_a_symlink_to_dev_zero_in_the_bank_folder_is_not_read(tmp_path: Path) -> None:
    bank = copy_mini(tmp_path)
    (bank / "zero.toml").symlink_to("/dev/zero")
    proc = _load_in_child(bank, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    # and a section file that is /dev/zero is a one-line problem, cached path or not
    (bank / "basics.toml").unlink()
    (bank / "basics.toml").symlink_to("/dev/zero")
    with pytest.raises(BankError, match="not a regular file"):
        load_bank_cached(bank, None, tmp_path / "cache")


# --- 6. nothing followed inside .socwizard/ ---------------------------------------------


INNER = [".socwizard", ".socwizard/locks", ".socwizard/backups", ".socwizard/trash"]


@pytest.mark.parametrize("inner", INNER)
def test_symlinks_in_housekeeping_are_refused(tmp_path: Path, mini_bank: Bank, inner: str) -> None:
    store = Store(tmp_path / "store")
    outside = tmp_path / "outside"
    outside.mkdir()
    store.root.mkdir(mode=0o700)
    link = store.root / inner
    link.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    link.symlink_to(outside, target_is_directory=True)
    assessment = Assessment(reviewed_on=dt.date(2026, 3, 31), title="x")
    from socwizard.core.recommendation import decide

    result = decide(mini_bank, {}, assessment.reviewed_on, complete=False)
    with pytest.raises(UnsafeFolder, match="symbolic link"):
        store.save(assessment, mini_bank, result)
    assert list(outside.iterdir()) == []


def test_special_files_in_housekeeping_are_not_read(store: Store) -> None:
    (store.root / "a.toml").write_text(MINIMAL)
    index = store.housekeeping / "index.json"
    index.symlink_to("/dev/zero")
    started = time.monotonic()
    assert [e.title for e in store.list()] == ["Untitled assessment"]
    index.unlink(missing_ok=True)
    os.mkfifo(index)
    assert [e.title for e in store.list()] == ["Untitled assessment"]
    assert time.monotonic() - started < 30
    schema = store.housekeeping / "assessment.schema.json"
    schema.unlink()
    schema.symlink_to("/dev/zero")
    with pytest.raises(UnsafeFolder, match="symbolic link"):
        store.ensure()


def test_a_planted_lock_symlink_is_refused(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    outside = tmp_path / "victim"
    outside.write_text("keep me")
    (store.housekeeping / "locks" / "a.toml.lock").symlink_to(outside)
    with pytest.raises(SocwizardError, match="symbolic link"), store.lock(store.root / "a.toml"):
        pass
    assert outside.read_text() == "keep me"


# --- 7. list --json passes no raw control characters ------------------------------------


def test_list_json_has_no_raw_controls(isolated_home: Path) -> None:
    store = isolated_home / "store"
    store.mkdir(parents=True, mode=0o700)
    (store / "evil.toml").write_text(
        MINIMAL
        + '\n[result]\nheadline = "ok \\u202e gnp.exe \\u009b2J"\n'
        + '[result.outcomes]\n"soc2.level" = "required\\u202e\\u009b31m"\n"x\\u202ey" = "z"\n',
        encoding="utf-8",
    )
    proc = run("--bank", str(MINI), "list", "--json")
    assert proc.returncode == 0, proc.stderr
    for bad in ("\u202e", "\u009b", "\x1b"):
        assert bad not in proc.stdout
    data = json.loads(proc.stdout)
    assert data[0]["outcomes"] == {}  # snapshot values that are no level are dropped
    text = run("--bank", str(MINI), "list").stdout
    assert "\u202e" not in text and "\u009b" not in text


# --- 10. strict values; ids unique across ids and file stems -----------------------------


@pytest.mark.parametrize(
    "line",
    ["format = true", 'format = "1"', "format = 1.0", 'reviewed_on = "2026-01-01"', "updated = 2026-01-01"],
)
def test_lax_values_are_rejected(line: str) -> None:
    key = line.split(" = ")[0]
    base = MINIMAL if key != "reviewed_on" else MINIMAL.replace("reviewed_on = 2026-03-31\n", "")
    with pytest.raises(AssessmentError, match=key):
        read_assessment_bytes((line + "\n" + base).encode(), "f.toml")


def test_an_imported_id_never_equals_a_file_name(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    first = tmp_path / "first.toml"
    first.write_text(MINIMAL)
    path, _ = store.import_file(first, mini_bank)
    stem = path.stem
    hostile = tmp_path / "second.toml"
    hostile.write_text(f'id = "{stem}"\n' + MINIMAL)
    second, loaded = store.import_file(hostile, mini_bank)
    assert loaded.assessment.id != stem
    assert store.find_by_id(stem) == path
    suffix = stem.rsplit("-", 1)[1]
    third = tmp_path / "third.toml"
    third.write_text(f'id = "{suffix}"\n' + MINIMAL)
    _, loaded3 = store.import_file(third, mini_bank)
    assert loaded3.assessment.id != suffix
    assert store.find_by_id(suffix) == path
    assert second != path


# --- 11. line numbers past multi-line strings; a policy change is a bank change ---------


def test_loader_lines_skip_header_like_lines_in_multiline_strings(tmp_path: Path) -> None:
    bank = copy_mini(tmp_path)
    basics = bank / "basics.toml"
    text = basics.read_text()
    fake = 'help = """\n[[questions]]\nid = "fake"\n  [answers]\n"""'
    basics.write_text(text.replace('help = "Pick all that apply."', fake))
    target = line_of(basics, 'id = "sla"') + 1
    lines = basics.read_text().split("\n")
    assert lines[target - 1] == 'type = "number"'
    lines[target - 1] = 'type = "slider"'
    basics.write_text("\n".join(lines))
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    wanted = line_of(basics, 'id = "sla"') - 1  # the [[questions]] header of sla
    assert any(p.line == wanted for p in caught.value.problems), caught.value.problems


def test_line_finder_ignores_multiline_string_content() -> None:
    text = 'note = """\nx = 1\n[answers]\nx = 2\n"""\n[answers]\nx = 3\n'
    finder = LineFinder(text)
    assert finder.key_in_table("answers", "x") == 7
    assert finder.key_in_table(None, "x") is None
    literal = "a = '''\n[[q]]\n'''\n[[q]]\nb = 1\n"
    assert LineFinder(literal).array_item("q", 0) == 4


def test_a_changed_policy_changes_the_bank_hash(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    policy = config / "policy.toml"
    plain = load_bank(MINI)
    assert load_bank(MINI, policy).content_hash == plain.content_hash  # no policy: unchanged
    policy.write_text("[policy]\nfreshness_months = 12\n")
    os.chmod(policy, 0o600)
    one = load_bank(MINI, policy)
    policy.write_text("[policy]\nfreshness_months = 9\n")
    two = load_bank(MINI, policy)
    assert len({plain.content_hash, one.content_hash, two.content_hash}) == 3


# --- 12. stale temp files swept in every folder socwizard writes -------------------------


def test_stale_temps_are_swept_everywhere(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    old = time.time() - 7200
    inner = (store.housekeeping / n for n in ("locks", "trash", "backups"))
    folders = [store.root, store.housekeeping, *inner]
    stale = [folder / f".x.toml.{i}.tmp" for i, folder in enumerate(folders)]
    fresh = store.housekeeping / "backups" / ".y.toml.9.tmp"
    for path in [*stale, fresh]:
        path.write_text("partial")
    for path in stale:
        os.utime(path, (old, old))
    store.ensure()
    assert [p for p in stale if p.exists()] == []
    assert fresh.exists()  # may belong to a save in progress
    cache_dir = tmp_path / "cache"
    (cache_dir / "banks").mkdir(parents=True, mode=0o700)
    os.chmod(cache_dir, 0o700)
    leftover = cache_dir / "banks" / ".abc.json.1.tmp"
    leftover.write_text("partial")
    os.utime(leftover, (old, old))
    load_bank_cached(MINI, None, cache_dir)
    assert not leftover.exists()
    export_dir = tmp_path / "exports"
    export_dir.mkdir()
    from socwizard.core.store import write_private

    leftover = export_dir / ".report.md.abcd.tmp"
    leftover.write_text("partial")
    os.utime(leftover, (old, old))
    write_private(export_dir / "report.md", b"# report\n")
    assert not leftover.exists()


# --- 3. loading is linear; warnings are summarised --------------------------------------


def test_many_unknown_ids_give_a_few_warnings_and_one_count(tmp_path: Path) -> None:
    extra = "".join(f'zz_{i:05d} = "x"\n' for i in range(3000))
    source = tmp_path / "many.toml"
    source.write_text(MINIMAL + extra)
    proc = run("--bank", str(MINI), "show", str(source))
    assert proc.returncode == 0, proc.stderr
    warnings = proc.stderr.strip().splitlines()
    assert len(warnings) == 6, warnings[:10]
    assert "3,000" not in warnings[-1] and "2,995 more" in warnings[-1]
    assert "zz_00000" in warnings[0]


def test_line_lookups_scan_the_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from socwizard.core import tomlsafe

    calls: list[int] = []
    original = tomlsafe.lines_inside_strings

    def counting(lines: list[str]) -> set[int]:
        calls.append(len(lines))
        return original(lines)

    monkeypatch.setattr(tomlsafe, "lines_inside_strings", counting)
    text = "[answers]\n" + "".join(f"q{i} = {i}\n" for i in range(2000))
    finder = LineFinder(text)
    assert [finder.key_in_table("answers", f"q{i}") for i in range(2000)] == list(range(2, 2002))
    assert len(calls) == 1


# --- 5. a bank update sets answers aside instead of locking the assessment out ----------


def _saved_with_mini(store: Store, mini_bank: Bank, answers: dict[str, object]) -> Path:
    from socwizard.core.answers import Answer
    from socwizard.core.recommendation import decide

    typed = {qid: Answer.model_validate({"value": value}) for qid, value in answers.items()}
    assessment = Assessment(reviewed_on=dt.date(2026, 3, 31), title="Acme", answers=typed)
    result = decide(mini_bank, assessment.answers, assessment.reviewed_on)
    path, _, _ = store.save(assessment, mini_bank, result)
    return path


BANDS = "bands = [{ at_least = 0, scores = { data = 0 } }, { at_least = 99.9, scores = { data = 10 } }]\n"


@pytest.mark.parametrize(
    ("qid", "value", "old", "new"),
    [
        ("payroll_detail", "billing", 'value = "billing"', 'value = "invoicing"'),  # choice renamed
        ("sla", 99.95, 'type = "number"\nprompt = "Uptime commitment"', 'type = "text"\nprompt = "Uptime"'),
        ("sla", 99.95, "max = 100", "max = 50"),  # range narrowed
    ],
)
def test_a_bank_update_sets_misfit_answers_aside(
    store: Store, mini_bank: Bank, tmp_path: Path, qid: str, value: object, old: str, new: str
) -> None:
    from socwizard.tui.session import Session

    answers: dict[str, object] = {"financial": True, qid: value}
    path = _saved_with_mini(store, mini_bank, answers)
    bank_dir = copy_mini(tmp_path)
    basics = bank_dir / "basics.toml"
    text = basics.read_text()
    assert old in text
    basics.write_text(text.replace(old, new, 1))
    if "text" in new:  # a text question has no bands
        basics.write_text(
            basics.read_text().replace('unit = "%"\nmin = 0\nmax = 100\n', "").replace(BANDS, "")
        )
    changed = load_bank(bank_dir)
    proc = run("--bank", str(bank_dir), "--store", str(store.root), "show", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "kept aside" in proc.stderr and qid in proc.stderr
    session, warnings = Session.open(store, changed, path)
    assert qid not in session.assessment.answers
    assert qid in session.assessment.set_aside
    assert qid in session.changes.removed
    assert any("kept aside" in w for w in warnings)


def test_a_wrong_value_for_an_unchanged_question_is_still_an_error(tmp_path: Path) -> None:
    source = tmp_path / "typo.toml"
    source.write_text(MINIMAL + 'payroll_detail = "payrol"\n')
    assert "payroll_detail" in one_error(run("--bank", str(MINI), "show", str(source)))


def test_a_policy_change_shows_in_the_bank_change_notice(store: Store, tmp_path: Path) -> None:
    from socwizard.tui.screens.notice import describe_changes
    from socwizard.tui.session import Session

    plain = load_bank(MINI)
    path = _saved_with_mini(store, plain, {"financial": True, "sla": 99.95, "data_types": ["none"]})
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    policy = config / "policy.toml"
    policy.write_text("[weights]\nsla = 7\n")
    os.chmod(policy, 0o600)
    with_policy = load_bank(MINI, policy)
    session, _ = Session.open(store, with_policy, path)
    assert session.changes.any and session.changes.rules_changed
    assert "policy.toml" in str(describe_changes(with_policy, session.changes))
    unchanged, _ = Session.open(store, plain, path)
    assert not unchanged.changes.any
