"""Re-assessment: facts and notes carried over, evidence and dates reset, bank changes queued."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment, bank_changes, evaluate_assessment
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.reassess import next_assessment, reassess_file, since_previous, summary_lines
from socwizard.core.register import build
from socwizard.core.store import Store

ROOT = Path(__file__).resolve().parent.parent.parent
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"
TODAY = dt.date(2026, 12, 1)


def saved(store: Store, bank: Bank) -> Path:
    assessment = Assessment(
        title="Payroll",
        vendor="Acme",
        assessor="Ann",
        reviewed_on=dt.date(2025, 11, 30),
        status="complete",
        answers={
            "financial": Answer(value=True, note="runs our payroll"),
            "data_types": Answer(value=("customer_pii",)),
            "fye": Answer(value=dt.date(2025, 12, 31)),
            "report_end": Answer(value=dt.date(2025, 9, 30), note="SOC 1 received"),
        },
    )
    loaded = evaluate_assessment(assessment, bank, "x")
    return store.save(loaded.assessment, bank, loaded.result)[0]


def test_facts_and_notes_carried_evidence_and_dates_reset(store: Store, mini_bank: Bank) -> None:
    path = saved(store, mini_bank)
    previous = store.open(path, mini_bank).assessment
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    plan = next_assessment(previous, mini_bank, TODAY, now=now)
    a = plan.assessment
    assert set(a.answers) == {"financial", "data_types"}
    assert a.answers["financial"].note == "runs our payroll"
    assert set(plan.reset) == {"fye", "report_end"}
    assert a.reviewed_on == TODAY and a.status == "in_progress" and a.id is None
    assert a.previous == previous.id and a.vendor_key == previous.vendor_key
    assert (a.vendor, a.title, a.assessor) == ("Acme", "Payroll", "Ann")
    assert a.created == a.updated == now


def test_saved_reassessment_joins_the_vendors_history(store: Store, mini_bank: Bank) -> None:
    path = saved(store, mini_bank)
    target, _, loaded = reassess_file(store, path, mini_bank, TODAY)
    assert target != path and target.parent == store.root
    assert f'previous = "{store.open(path, mini_bank).assessment.id}"' in target.read_text()
    (row,) = build(store.list())
    assert [e.path for e in row.history] == [path, target]
    assert row.status == "reassessing" and row.standing.path == path  # standing: the complete one
    diff = since_previous(store, loaded, mini_bank)
    assert diff is not None
    lines = summary_lines(diff[0])
    assert any("not (yet) given" in line for line in lines)


def test_questions_the_bank_changed_since_are_queued(store: Store, tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "old")
    old = load_bank(tmp_path / "old")
    path = saved(store, old)
    directory = shutil.copytree(MINI, tmp_path / "new")
    basics = directory / "basics.toml"
    basics.write_text(
        basics.read_text()
        + '\n[[questions]]\nid = "new_question"\ntype = "yesno"\nprompt = "A new question?"\n'
    )
    new = load_bank(directory)
    target, _, _ = reassess_file(store, path, new, TODAY)
    reopened = store.open(target, new)
    assert reopened.assessment.bank.hash == old.content_hash  # kept until the interview saves
    changes = bank_changes(reopened.assessment, new, reopened.result.visibility.shown)
    assert "new_question" in changes.new


def test_acceptance_examples_plus_a_reassessment(tmp_path: Path) -> None:
    env = dict(os.environ, SOCWIZARD_TODAY="2026-12-01", PYTHONPATH=str(ROOT / "src"))

    def cli(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "socwizard", *args], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    imported = [
        cli("import", str(p)).split(" as ")[1].split("\n")[0]
        for p in sorted((ROOT / "tests/examples").glob("*.toml"))
    ]
    office = next(p for p in imported if "office" in p)
    out = cli("reassess", office)
    assert "Started the next assessment of Example Office Supplies" in out
    overdue = cli("register", "--overdue")
    names = {line[2:28].strip() for line in overdue.splitlines() if line.startswith("! ")}
    assert names == {"Example Payroll Inc.", "Example Chat Co."}
    every = cli("register")
    office_line = next(line for line in every.splitlines() if "Office" in line)
    assert "Re-assessing" in office_line and office_line.rstrip().endswith(" 2")
    new_id = out.split("socwizard open ")[1].split()[0]
    shown = cli("show", new_id)
    assert "SINCE THE PREVIOUS ASSESSMENT" in shown
