"""A team store: a shared git checkout used through ``--store DIR`` / ``SOCWIZARD_HOME``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment, evaluate_assessment
from socwizard.core.bank.models import Bank
from socwizard.core.errors import ConflictError
from socwizard.core.store import Store

MINI = Path(__file__).parent / "fixtures" / "banks" / "mini"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        GIT_CONFIG_NOSYSTEM="1",
    )
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def tree(root: Path, skip: Path | None = None, *more: Path) -> dict[str, bytes]:
    found = {}
    skips = [s for s in (skip, *more) if s is not None]
    for path in sorted(root.rglob("*")):
        if any(path == s or s in path.parents for s in skips):
            continue
        if path.is_file():
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


@pytest.fixture
def team(tmp_path: Path) -> Path:
    repo = tmp_path / "team-assessments"
    repo.mkdir()
    git(repo, "init", "-q")
    return repo


def test_resave_is_byte_identical_and_git_stays_clean(team: Path, mini_bank: Bank) -> None:
    alice, bob = Store(team), Store(team)  # two colleagues (or two windows) on one checkout
    a = Assessment(
        vendor="Acme Payroll",
        reviewed_on=dt.date(2026, 3, 31),
        answers={"financial": Answer(value=True, note="per the contract")},
    )
    loaded = evaluate_assessment(a, mini_bank, "new")
    path, _, _ = alice.save(loaded.assessment, mini_bank, loaded.result)
    assert path.parent == team and path.name.startswith("acme-payroll-") and path.suffix == ".toml"
    git(team, "add", "-A")
    git(team, "commit", "-q", "-m", "first")
    assert git(team, "status", "--porcelain", "--ignored=no") == ""
    committed = git(team, "ls-files").split()
    assert committed == [path.name], "housekeeping (.socwizard/) must not be committed"

    opened = bob.open(path, mini_bank)
    path2, _, _ = bob.save(opened.assessment, mini_bank, opened.result, path, opened.fingerprint)
    assert path2 == path  # stable filename
    assert git(team, "status", "--porcelain") == ""

    # a real change shows up as one modified file, nothing else
    changed = opened.assessment.with_answer("financial", Answer(value=False))
    fresh = evaluate_assessment(changed, mini_bank, "x")
    bob.save(fresh.assessment, mini_bank, fresh.result, path, opened.fingerprint)
    assert git(team, "status", "--porcelain").splitlines() == [f" M {path.name}"]


def test_housekeeping_is_ignored_by_git(team: Path, mini_bank: Bank) -> None:
    store = Store(team)
    loaded = evaluate_assessment(
        Assessment(vendor="X", reviewed_on=dt.date(2026, 1, 1), answers={}), mini_bank, "x"
    )
    path, _, _ = store.save(loaded.assessment, mini_bank, loaded.result)
    opened = store.open(path, mini_bank)
    edited = evaluate_assessment(
        opened.assessment.with_answer("financial", Answer(value=True)), mini_bank, "x"
    )
    store.save(edited.assessment, mini_bank, edited.result, path, opened.fingerprint)  # makes a backup
    store.delete(path)  # moves to the trash
    store.list()
    assert (team / ".socwizard").is_dir()
    assert git(team, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_stale_window_cannot_overwrite_a_colleagues_save(team: Path, mini_bank: Bank) -> None:
    alice, bob = Store(team), Store(team)
    loaded = evaluate_assessment(
        Assessment(vendor="Acme", reviewed_on=dt.date(2026, 1, 1), answers={}), mini_bank, "x"
    )
    path, _, _ = alice.save(loaded.assessment, mini_bank, loaded.result)
    mine, theirs = alice.open(path, mini_bank), bob.open(path, mini_bank)
    edited = evaluate_assessment(
        theirs.assessment.with_answer("financial", Answer(value=True)), mini_bank, "x"
    )
    bob.save(edited.assessment, mini_bank, edited.result, path, theirs.fingerprint)
    after_bob = path.read_bytes()
    mine_edit = evaluate_assessment(
        mine.assessment.with_answer("financial", Answer(value=False)), mini_bank, "x"
    )
    with pytest.raises(ConflictError):
        alice.save(mine_edit.assessment, mini_bank, mine_edit.result, path, mine.fingerprint)
    assert path.read_bytes() == after_bob


def test_the_lock_is_a_separate_file_inside_the_store(team: Path, mini_bank: Bank) -> None:
    alice, bob = Store(team), Store(team)
    target = team / "x.toml"
    with alice.lock(target):
        import socwizard.core.store as store_module

        old = store_module.LOCK_TIMEOUT_S
        store_module.LOCK_TIMEOUT_S = 0.2
        try:
            from socwizard.core.errors import StoreError

            with pytest.raises(StoreError, match="locked"), bob.lock(target):
                pass
        finally:
            store_module.LOCK_TIMEOUT_S = old
    locks = list((team / ".socwizard" / "locks").iterdir())
    assert [p.name for p in locks] == ["x.toml.lock"]


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socwizard", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_cli_on_a_team_store_writes_nothing_outside_it(team: Path, tmp_path: Path, mini_bank: Bank) -> None:
    colleague = tmp_path / "from-email" / "acme.toml"
    colleague.parent.mkdir()
    colleague.write_text(
        'vendor = "Acme"\nreviewed_on = 2026-01-31\n\n[answers]\nfinancial = true\n', encoding="utf-8"
    )
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    # The one place besides the store a command may write: the user's private cache of
    # validated banks (never shared, never in the team store).
    private_cache = tmp_path / "private-cache"
    env = dict(
        os.environ,
        SOCWIZARD_BANK=str(MINI),
        HOME=str(home),
        SOCWIZARD_CONFIG=str(home / "cfg"),
        SOCWIZARD_CACHE=str(private_cache),
    )
    env.pop("SOCWIZARD_HOME", None)
    before = tree(tmp_path, team, private_cache)
    for args in (
        ("--store", str(team), "import", str(colleague)),
        ("--store", str(team), "list"),
        ("--store", str(team), "where"),
    ):
        proc = _cli(*args, env=env)
        assert proc.returncode == 0, (args, proc.stderr)
    imported = [p for p in team.iterdir() if p.suffix == ".toml"]
    assert len(imported) == 1
    name = imported[0].stem
    for args in (("--store", str(team), "show", name), ("--store", str(team), "export", name)):
        assert _cli(*args, env=env).returncode == 0
    assert tree(tmp_path, team, private_cache) == before  # the source untouched, nothing in HOME or config
    # SOCWIZARD_HOME works the same way
    env2 = dict(env, SOCWIZARD_HOME=str(team))
    proc = _cli("list", "--json", env=env2)
    assert proc.returncode == 0, proc.stderr
    assert str(imported[0]) in proc.stdout
    git(team, "add", "-A")
    assert git(team, "status", "--porcelain").splitlines() == [f"A  {imported[0].name}"]
