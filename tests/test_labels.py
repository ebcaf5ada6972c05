"""Labels, never codes: every human format shows words; JSON keeps the ids and adds labels."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from socwizard.core.assessment import Loaded, read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, MultiChoice, SingleChoice
from socwizard.core.export import render_export
from socwizard.core.labels import (
    entry_headline,
    headline_for,
    humanize,
    outcome_text,
    state_label,
    status_label,
    value_label,
)
from socwizard.core.report import render
from socwizard.paths import builtin_bank_dir

EXAMPLES = Path(__file__).parent / "examples"
PUBLIC = ("team_chat.toml", "payroll_sox.toml", "payroll_sox_with_evidence.toml", "email_marketing.toml")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_dir())


def test_value_labels() -> None:
    assert value_label("not_needed") == "Not needed"
    assert value_label("type2") == "Type II"
    assert value_label("type1") == "Type I"
    assert value_label("not_reviewed") == "Not reviewed"
    assert value_label("high") == "High"
    assert value_label("some_custom_level") == "Some custom level"  # a custom bank's scale
    assert value_label("") == "—"
    assert humanize("company_wide") == "Company wide"


def test_status_and_state_labels() -> None:
    assert status_label("in_progress") == "In progress"
    assert status_label("complete") == "Complete"
    assert state_label("unknown") == "I don't know"
    assert state_label("not_applicable") == "Doesn't apply"
    assert state_label("unanswered") == "Not answered yet"


def test_a_level_is_read_with_its_report_type() -> None:
    values = {"soc1.level": "not_needed", "soc1.type": "none", "soc2.level": "required", "soc2.type": "type2"}
    assert outcome_text(values, "soc2.level") == "Required (Type II)"
    assert outcome_text(values, "soc1.level") == "Not needed"
    assert outcome_text({"soc1.level": "not_needed", "soc1.type": "type2"}, "soc1.level") == "Not needed"
    assert outcome_text({"tier": "high"}, "tier") == "High"
    headline = [("tier", "Risk tier"), ("soc1.level", "SOC 1"), ("soc2.level", "SOC 2")]
    assert (
        headline_for({**values, "tier": "medium"}, headline, provisional=True)
        == "Risk tier: Medium · SOC 1: Not needed · SOC 2: Required (Type II) (provisional)"
    )


def test_an_old_stored_headline_is_reworded_from_the_saved_outcomes(bank: Bank) -> None:
    outcomes = {"tier": "low", "soc1.level": "not_needed", "soc2.level": "recommended", "soc2.type": "type2"}
    stored = "Risk tier: low · SOC 1: not_needed · SOC 2: recommended (provisional)"
    assert entry_headline(outcomes, stored, bank) == (
        "Risk tier: Low · SOC 1: Not needed · SOC 2: Recommended (Type II) (provisional)"
    )
    assert entry_headline(outcomes, stored, None) == stored  # no bank: shown as saved
    assert entry_headline({"tier": "low"}, stored, bank) == stored  # incomplete: shown as saved
    other = "Tier: high · SOC 1: required · SOC 2: required"  # saved with another bank's labels
    assert entry_headline({**outcomes, "tier": "high"}, other, bank) == other


def _codes(bank: Bank) -> set[str]:
    """Stored ids that a person must never read: scale values, choice values, statuses, states."""
    codes = {v for scale in bank.meta.scales.values() for v in scale}
    for q in bank.questions:
        if isinstance(q, SingleChoice | MultiChoice):
            codes |= {c.value for c in q.choices}
    codes |= {"in_progress", "not_applicable", "unanswered"}
    # Only ids that cannot be ordinary words: an underscore or a digit (``company_wide``,
    # ``type2``, ``ssae18``, ``carve_out``, ``not_needed``).
    return {c for c in codes if "_" in c or re.search(r"\d", c)}


def _loaded(bank: Bank, name: str) -> Loaded:
    return read_assessment_file(EXAMPLES / name, bank)


def _raw_ids(text: str, codes: set[str]) -> list[str]:
    return sorted(c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text))


@pytest.mark.parametrize("name", PUBLIC)
def test_no_stored_id_reaches_a_human_format(bank: Bank, name: str) -> None:
    codes = _codes(bank)
    assert {"company_wide", "type2", "carve_out", "ssae18", "not_needed"} <= codes
    loaded = _loaded(bank, name)
    markdown = render_export(loaded, bank, "markdown").replace("\\", "")
    page = html.unescape(re.sub(r"<[^>]+>", " ", render_export(loaded, bank, "html").split("</style>")[1]))
    for fmt, text in (("text", render(loaded, bank)), ("markdown", markdown), ("html", page)):
        assert _raw_ids(text, codes) == [], fmt
        assert "Risk tier: " in text and ("Not needed" in text or "Required" in text), fmt


def test_exported_answers_show_the_label_picked_in_the_interview(bank: Bank) -> None:
    loaded = _loaded(bank, "team_chat.toml")
    markdown = render_export(loaded, bank, "markdown")
    assert "How widely is" in markdown and "The whole company" in markdown
    assert "company\\_wide" not in markdown and "company_wide" not in markdown
    assert "collaboration\n" not in markdown


def test_json_keeps_ids_and_adds_labels(bank: Bank) -> None:
    loaded = _loaded(bank, "payroll_sox.toml")
    data = json.loads(render_export(loaded, bank, "json"))
    assert data["recommendation"]["soc1"]["level"] == "required"  # the ids stay
    assert data["recommendation"]["soc1"]["type"] == "type2"
    outcomes = {o["id"]: o for o in data["outcomes"]}
    assert outcomes["soc1.level"] == {
        "id": "soc1.level",
        "label": "SOC 1",
        "value": "required",
        "value_label": "Required",
        "text": "Required (Type II)",
        "headline": True,
    }
    assert data["assessment"]["status"] == "complete"
    assert data["assessment"]["status_label"] == "Complete"
    rows = {q["question"]: q for s in data["answers"] for q in s["questions"]}
    assert rows["usage_breadth"]["value"] == "company_wide"
    assert rows["usage_breadth"]["answer"] != "company_wide"
    assert rows["usage_breadth"]["state_label"] == "Answered"
    for fu in data["follow_ups"]:
        assert fu["state_label"] in ("I don't know", "Not answered yet")
        for change in fu["could_change"]:
            assert len(change["possible_labels"]) == len(change["possible"])


def test_an_answered_question_never_reads_as_not_known_yet(bank: Bank) -> None:
    from socwizard.core.answers import Answer, State
    from socwizard.core.recommendation import decide

    base = read_assessment_file(EXAMPLES / "payroll_sox.toml", bank).assessment
    answers = dict(base.answers)
    answers["financial_accuracy"] = Answer(value="reviewed")  # PI recommended, not required
    result = decide(bank, answers, base.reviewed_on)
    pi = result.outcomes["soc2.criteria.processing_integrity.level"]
    texts = [r.text for r in pi.reasons]
    assert any(t.startswith("The service processes transactions or calculations you rely on") for t in texts)
    for outcome in result.outcomes.values():
        for reason in outcome.reasons:
            assert "not known yet" not in reason.text, (outcome.id, reason.text)  # all answered
    answers["other_calculations"] = Answer(state=State.UNKNOWN)
    answers["financial_processes"] = Answer(state=State.UNKNOWN)
    unknown = decide(bank, answers, base.reviewed_on)
    texts = [r.text for r in unknown.outcomes["soc2.criteria.processing_integrity.level"].reasons]
    assert any("(or it is not known yet whether it does)" in t for t in texts), texts


def test_fit_reason_drops_only_an_unknown_aside() -> None:
    from socwizard.core.answers import Answer, State
    from socwizard.core.recommendation import AnswerRef, fit_reason

    text = "It holds personal data (or it is not known yet how it uses it)."
    refs = (AnswerRef("q", "Q?", "Yes"),)
    assert fit_reason(text, refs, {"q": Answer(value=True)}) == "It holds personal data."
    assert fit_reason(text, refs, {"q": Answer(state=State.UNKNOWN)}) == text
    assert fit_reason(text, refs, {}) == text  # unanswered counts as not known
    assert fit_reason(text, (), {}) == text  # no answer named: leave the bank's words
    assert fit_reason("Plain (see the report).", refs, {"q": Answer(value=True)}) == "Plain (see the report)."


def test_as_clause_reads_after_because() -> None:
    from socwizard.core.labels import as_clause

    assert as_clause("The vendor holds data.") == "the vendor holds data."
    assert as_clause("SOC 1 is needed.") == "SOC 1 is needed."
    assert as_clause("HIPAA applies.") == "HIPAA applies."
    assert as_clause("I know.") == "I know."
