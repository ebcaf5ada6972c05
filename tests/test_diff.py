"""Diff of two assessments (core/diff.py and ``socwizard diff``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, Loaded, evaluate_assessment, to_toml
from socwizard.core.bank.models import Bank
from socwizard.core.diff import diff_answers, diff_assessments, diff_json, render_diff_text

MINI = Path(__file__).parent / "fixtures" / "banks" / "mini"


def make(
    bank: Bank, answers: dict[str, Answer], reviewed_on: dt.date = dt.date(2026, 3, 31), **kw: str
) -> Loaded:
    a = Assessment.model_validate({"vendor": "Acme", "reviewed_on": reviewed_on, "answers": answers, **kw})
    return evaluate_assessment(a, bank, "test")


BEFORE = {
    "data_types": Answer(value=("confidential",)),
    "financial": Answer(value=False),
    "report_end": Answer(value=dt.date(2024, 6, 30)),
    "notes": Answer(value="keep"),
}
AFTER = {
    "data_types": Answer(value=("customer_pii", "confidential")),
    "financial": Answer(state=State.UNKNOWN, note="ask the CFO"),
    "report_end": Answer(value=dt.date(2024, 6, 30)),
    "sla": Answer(value=99.95),
}


def test_identical_assessments_have_no_differences(mini_bank: Bank) -> None:
    a = make(mini_bank, BEFORE)
    d = diff_assessments(a, a, mini_bank)
    assert d.same
    assert "No differences." in render_diff_text(d)
    assert diff_json(d)["same"] is True


def test_answers_added_removed_changed_in_interview_order(mini_bank: Bank) -> None:
    changes = diff_answers(BEFORE, AFTER, mini_bank)
    assert [(c.question_id, c.kind) for c in changes] == [
        ("data_types", "changed"),
        ("financial", "changed"),
        ("sla", "added"),
        ("notes", "removed"),
    ]
    financial = changes[1]
    assert (financial.before, financial.after) == ("No", "I don't know")
    assert (financial.note_before, financial.note_after) == ("", "ask the CFO")
    assert changes[2].before is None and changes[2].after == "99.95%"
    assert changes[3].after is None and changes[3].before == "keep"


def test_a_note_change_alone_is_a_change(mini_bank: Bank) -> None:
    changes = diff_answers(
        {"financial": Answer(value=True)}, {"financial": Answer(value=True, note="per the SOC 1")}, mini_bank
    )
    assert [(c.kind, c.before, c.after, c.note_after) for c in changes] == [
        ("changed", "Yes", "Yes", "per the SOC 1")
    ]


def test_outcome_changes_name_their_causes(mini_bank: Bank) -> None:
    d = diff_assessments(make(mini_bank, BEFORE), make(mini_bank, AFTER), mini_bank)
    by_id = {o.outcome_id: o for o in d.outcomes}
    assert set(by_id) == {"tier", "soc1.level"}
    soc1 = by_id["soc1.level"]
    assert (soc1.label, soc1.before, soc1.after, soc1.direction) == (
        "SOC 1",
        "not_needed",
        "required",  # an unknown is held where the strictest plausible answer puts it
        "up",
    )
    assert [r.rule_id for r in soc1.reasons] == ["unknown:financial"]
    assert soc1.caused_by == ("financial",) and soc1.via == "reasons"
    tier = by_id["tier"]
    assert (tier.before, tier.after) == ("low", "high")
    # tier_high is a rule on scores: its reason names the answers behind the score (or, for a
    # bank whose score rules name none, the diff falls back to the answers that moved a score)
    assert "financial" in tier.caused_by and "notes" not in tier.caused_by
    assert tier.via in ("reasons", "scores")
    text = render_diff_text(d)
    assert "SOC 1: Not needed → Required" in text
    assert "I don't know  [changed]" in text


def test_a_level_that_drops_names_the_old_reason(mini_bank: Bank) -> None:
    before = make(mini_bank, {"financial": Answer(value=True), "payroll_detail": Answer(value="payroll")})
    after = make(mini_bank, {"financial": Answer(value=False)})
    d = diff_assessments(before, after, mini_bank)
    soc1 = next(o for o in d.outcomes if o.outcome_id == "soc1.level")
    assert (soc1.before, soc1.after, soc1.direction) == ("required", "not_needed", "down")
    assert soc1.reasons == () and [r.rule_id for r in soc1.reasons_before] == ["soc1_needed"]
    assert soc1.caused_by == ("financial",)
    text = render_diff_text(d)
    assert "no rule raises it any more" in text and "no longer: It touches your financial statements." in text


def test_the_review_date_alone_can_change_the_verdict(mini_bank: Bank) -> None:
    answers = {"report_end": Answer(value=dt.date(2025, 6, 30))}
    d = diff_assessments(
        make(mini_bank, answers, dt.date(2025, 12, 31)),
        make(mini_bank, answers, dt.date(2026, 12, 31)),
        mini_bank,
    )
    verdict = next(o for o in d.outcomes if o.outcome_id == "evidence.verdict")
    assert (verdict.before, verdict.after, verdict.via, verdict.caused_by) == (
        "sufficient",
        "conditional",
        "none",
        (),
    )
    assert d.findings_added == ("The report is stale",)
    assert [m.field for m in d.metadata] == ["reviewed_on"]
    assert "the review date moved 2025-12-31 → 2026-12-31" in render_diff_text(d)


def test_text_output_is_clean_of_control_characters(mini_bank: Bank) -> None:
    a = make(mini_bank, {"notes": Answer(value="a")})
    b = make(mini_bank, {"notes": Answer(value="b\nsecond line")}, vendor="Evil [bold]x[/]")
    text = render_diff_text(diff_assessments(a, b, mini_bank, a_name="a\x1b[2J", b_name="b"))
    assert "\x1b" not in text
    assert "b second line" in text  # flattened to one line


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOCWIZARD_BANK=str(MINI))
    return subprocess.run(
        [sys.executable, "-m", "socwizard", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_cli_diff_text_json_and_exit_code(tmp_path: Path, mini_bank: Bank) -> None:
    first, second = tmp_path / "2025.toml", tmp_path / "2026.toml"
    first.write_text(to_toml(make(mini_bank, BEFORE).assessment), encoding="utf-8")
    second.write_text(to_toml(make(mini_bank, AFTER).assessment), encoding="utf-8")
    proc = _cli("diff", str(first), str(second))
    assert proc.returncode == 0, proc.stderr
    assert "RECOMMENDATION CHANGES" in proc.stdout and "ANSWERS" in proc.stdout
    proc = _cli("diff", str(first), str(second), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["schema"] == "socwizard.diff/1" and data["same"] is False
    assert {o["outcome"] for o in data["outcomes"]} == {"tier", "soc1.level"}
    assert _cli("diff", str(first), str(second), "--exit-code").returncode == 1
    assert _cli("diff", str(first), str(first), "--exit-code").returncode == 0
    proc = _cli("diff", str(first), str(tmp_path / "missing.toml"))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_core_diff_does_not_import_textual() -> None:
    code = "import sys, socwizard.core.diff, socwizard.core.export; assert 'textual' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
