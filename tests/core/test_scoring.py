"""Scoring: visibility, weighted averages, unknown policies, N/A, multi aggregates, bands, coverage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socwizard.core.answers import NOT_APPLICABLE, UNKNOWN, Answer
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.scoring import Scores, candidates, describe, score, unknown_score, visibility

from .helpers import REVIEWED, copy_bank, replace

FULL = {
    "data_types": Answer(value=("customer_pii",)),
    "financial": Answer(value=True),
    "sla": Answer(value=99.95),
    "payroll_detail": Answer(value="billing"),
    "fye": Answer(value=dt.date(2025, 12, 31)),
    "notes": Answer(value="fine"),
}


def scores(bank: Bank, answers: dict[str, Answer]) -> Scores:
    return score(bank, visibility(bank, answers, REVIEWED))


def assert_contributions_sum(result: Scores) -> None:
    for dim in result.dimensions.values():
        assert sum(c.points for c in dim.contributions) == pytest.approx(dim.score, abs=0.01)


def test_visibility_shows_branch_only_when_condition_holds(mini_bank: Bank) -> None:
    vis = visibility(mini_bank, {"financial": Answer(value=False)}, REVIEWED)
    assert "payroll_detail" not in vis.shown
    vis = visibility(mini_bank, {"financial": Answer(value=True)}, REVIEWED)
    assert "payroll_detail" in vis.shown
    assert "payroll_detail" in vis.unanswered
    assert "report_end" in vis.shown  # optional section: shown, not expected
    assert "report_end" not in vis.expected
    assert "report_end" not in vis.unanswered


def test_hidden_branch_answers_are_set_aside_and_do_not_count(mini_bank: Bank) -> None:
    answers = {**FULL, "financial": Answer(value=False)}
    vis = visibility(mini_bank, answers, REVIEWED)
    assert vis.set_aside == ("payroll_detail",)
    assert "payroll_detail" not in vis.effective
    result = score(mini_bank, vis)
    assert result.dimensions["finance"].score == 0.0
    assert all(c.question_id != "payroll_detail" for c in result.dimensions["finance"].contributions)
    # Reopening the branch brings the kept answer back.
    assert visibility(mini_bank, FULL, REVIEWED).effective["payroll_detail"] == Answer(value="billing")


def test_unknown_answer_hides_the_branch(mini_bank: Bank) -> None:
    vis = visibility(mini_bank, {**FULL, "financial": UNKNOWN}, REVIEWED)
    assert "payroll_detail" not in vis.shown


def test_weighted_average_per_dimension(mini_bank: Bank) -> None:
    result = scores(mini_bank, FULL)
    assert result.dimensions["data"].score == 50.0  # (90 + 10) / 2
    assert result.dimensions["finance"].score == 90.0  # (100 + 80) / 2
    assert result.coverage == 1.0
    assert result.values() == {"data": 50.0, "finance": 90.0}
    assert_contributions_sum(result)


def test_weights_change_the_average(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[weights]\ndata_types = 3\n")
    bank = load_bank(copy_bank(tmp_path), policy)
    result = scores(bank, FULL)
    assert result.dimensions["data"].score == pytest.approx((3 * 90 + 10) / 4, abs=0.01)
    assert_contributions_sum(result)


@pytest.mark.parametrize(
    ("policy", "expected_data"),
    [("worst", (90 + 10) / 2), ("neutral", (45 + 10) / 2), ("best", (0 + 10) / 2), ("exclude", 10.0)],
)
def test_unknown_policies(tmp_path: Path, policy: str, expected_data: float) -> None:
    bank_dir = copy_bank(tmp_path)
    replace(bank_dir / "bank.toml", 'unknown_policy = "worst"', f'unknown_policy = "{policy}"')
    bank = load_bank(bank_dir)
    result = scores(bank, {**FULL, "data_types": UNKNOWN})
    assert result.dimensions["data"].score == pytest.approx(expected_data, abs=0.01)
    assumed = [c for c in result.dimensions["data"].contributions if c.assumed]
    assert [c.question_id for c in assumed] == ([] if policy == "exclude" else ["data_types"])
    assert result.dimensions["data"].coverage == 0.5
    assert_contributions_sum(result)


def test_question_policy_overrides_bank_default(tmp_path: Path) -> None:
    bank_dir = copy_bank(tmp_path)
    replace(bank_dir / "basics.toml", 'why = "Data drives SOC 2."', 'why = "x"\nunknown_policy = "exclude"')
    bank = load_bank(bank_dir)
    assert scores(bank, {**FULL, "data_types": UNKNOWN}).dimensions["data"].score == 10.0
    question = bank.question("data_types")
    assert question is not None
    assert unknown_score(question, "data", "worst") is None


def test_unanswered_expected_question_scores_like_unknown(mini_bank: Bank) -> None:
    answers = dict(FULL)
    del answers["data_types"]
    assert scores(mini_bank, answers).dimensions["data"].score == 50.0
    assert scores(mini_bank, answers).coverage < 1.0


def test_unknown_never_lowers_a_score_under_worst(mini_bank: Bank) -> None:
    for value in [("none",), ("confidential",), ("customer_pii",), ("customer_pii", "confidential")]:
        known = scores(mini_bank, {**FULL, "data_types": Answer(value=value)}).dimensions["data"].score
        unknown = scores(mini_bank, {**FULL, "data_types": UNKNOWN}).dimensions["data"].score
        assert unknown >= known


def test_not_applicable_is_excluded_but_covered(mini_bank: Bank) -> None:
    result = scores(mini_bank, {**FULL, "sla": NOT_APPLICABLE})
    assert result.dimensions["data"].score == 90.0
    assert result.dimensions["data"].coverage == 1.0
    assert result.coverage == 1.0
    assert all(c.question_id != "sla" for c in result.dimensions["data"].contributions)


def test_multi_aggregate_max(mini_bank: Bank) -> None:
    both = {**FULL, "data_types": Answer(value=("customer_pii", "confidential")), "sla": NOT_APPLICABLE}
    assert scores(mini_bank, both).dimensions["data"].score == 90.0
    none = {**FULL, "data_types": Answer(value=("none",)), "sla": NOT_APPLICABLE}
    assert scores(mini_bank, none).dimensions["data"].score == 0.0


def test_multi_aggregate_sum_is_capped(tmp_path: Path) -> None:
    bank_dir = copy_bank(tmp_path)
    replace(bank_dir / "basics.toml", 'why = "Data drives SOC 2."', 'why = "x"\naggregate = "sum"')
    bank = load_bank(bank_dir)
    both = {**FULL, "data_types": Answer(value=("customer_pii", "confidential")), "sla": NOT_APPLICABLE}
    assert scores(bank, both).dimensions["data"].score == 100.0
    question = bank.question("data_types")
    assert question is not None
    assert unknown_score(question, "data", "worst") == 100.0
    assert unknown_score(question, "data", "best") == 0.0


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 0.0), (50, 0.0), (99.89, 0.0), (99.9, 10.0), (100, 10.0)]
)
def test_number_bands(mini_bank: Bank, value: float, expected: float) -> None:
    answers = {**FULL, "data_types": Answer(value=("none",)), "sla": Answer(value=value)}
    assert scores(mini_bank, answers).dimensions["data"].score == expected / 2


def test_coverage_counts_weight_of_known_answers(mini_bank: Bank) -> None:
    answers = {**FULL, "data_types": UNKNOWN, "financial": UNKNOWN}
    result = scores(mini_bank, answers)
    # Shown and expected: data_types, financial, sla, fye, notes (payroll hidden) -> 3 of 5 known.
    assert result.coverage == 0.6
    assert result.dimensions["finance"].coverage == 0.0
    assert result.coverages()["overall"] == 0.6


def test_empty_answers(mini_bank: Bank) -> None:
    result = scores(mini_bank, {})
    assert result.coverage == 0.0
    assert result.dimensions["data"].score == 50.0  # worst: 90 and 10
    assert_contributions_sum(result)


def test_zero_weight_questions(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[weights]\ndata_types = 0\nsla = 0\n")
    bank = load_bank(copy_bank(tmp_path), policy)
    result = scores(bank, FULL)
    assert result.dimensions["data"].score == 0.0
    assert result.dimensions["data"].coverage == 1.0
    assert_contributions_sum(result)


def test_optional_section_counts_only_when_answered(mini_bank: Bank) -> None:
    without = scores(mini_bank, FULL)
    with_evidence = scores(mini_bank, {**FULL, "report_end": Answer(value=dt.date(2026, 1, 1))})
    assert without.coverage == with_evidence.coverage == 1.0
    assert scores(mini_bank, {**FULL, "report_end": UNKNOWN}).coverage < 1.0


def test_describe(mini_bank: Bank) -> None:
    def q(qid: str) -> object:
        question = mini_bank.question(qid)
        assert question is not None
        return question

    dt_q, fin, sla, pay = q("data_types"), q("financial"), q("sla"), q("payroll_detail")
    assert describe(dt_q, Answer(value=("confidential", "customer_pii"))) == (  # type: ignore[arg-type]
        "Customers' personal data, Confidential business data"
    )
    assert describe(dt_q, Answer(value=())) == "None selected"  # type: ignore[arg-type]
    assert describe(fin, Answer(value=True)) == "Yes"  # type: ignore[arg-type]
    assert describe(sla, Answer(value=99.9)) == "99.9%"  # type: ignore[arg-type]
    assert describe(pay, Answer(value="billing")) == "Billing"  # type: ignore[arg-type]
    assert describe(pay, UNKNOWN) == "I don't know"  # type: ignore[arg-type]
    assert describe(pay, NOT_APPLICABLE) == "Doesn't apply"  # type: ignore[arg-type]
    assert describe(pay, None) == "not answered yet"  # type: ignore[arg-type]


def test_candidates_cover_every_kind(mini_bank: Bank) -> None:
    found = {q.id: candidates(q, REVIEWED) for q in mini_bank.questions}
    assert {a.value for a in found["financial"]} == {True, False}
    assert Answer(value=("customer_pii", "confidential")) in found["data_types"]
    assert Answer(value=()) not in found["data_types"]  # has an exclusive "none"
    assert NOT_APPLICABLE in found["sla"]
    assert found["notes"] == []
    assert len(found["fye"]) == 4  # today, 3 and 12 months before, 5 years before
