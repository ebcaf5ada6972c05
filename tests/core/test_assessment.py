"""Assessment files: forms, states, errors with lines, warnings, snapshots, byte-identical re-save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socwizard.core.answers import NOT_APPLICABLE, UNKNOWN, Answer, State
from socwizard.core.assessment import (
    Assessment,
    evaluate_assessment,
    read_assessment_bytes,
    read_assessment_file,
    stamp,
    to_toml,
)
from socwizard.core.bank.models import Bank
from socwizard.core.errors import AssessmentError
from socwizard.core.recommendation import decide

MINIMAL = """reviewed_on = 2026-03-31

[answers]
financial = true
data_types = ["customer_pii"]
"""


def write(tmp_path: Path, text: str, name: str = "a.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(tmp_path: Path, text: str, bank: Bank) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(AssessmentError) as info:
        read_assessment_file(path, bank)
    return [str(p) for p in info.value.problems]


def test_minimal_file_is_accepted(tmp_path: Path, mini_bank: Bank) -> None:
    loaded = read_assessment_file(write(tmp_path, MINIMAL), mini_bank)
    a = loaded.assessment
    assert a.reviewed_on == dt.date(2026, 3, 31)
    assert a.answers["financial"] == Answer(value=True)
    assert a.answers["data_types"] == Answer(value=("customer_pii",))
    assert a.status == "in_progress"
    assert loaded.warnings == ()
    assert loaded.result.value("soc1.level") == "required"
    assert loaded.result.provisional


def test_plain_and_table_forms_states_and_notes(tmp_path: Path, mini_bank: Bank) -> None:
    text = """reviewed_on = 2026-03-31
status = "complete"

[answers]
data_types = { value = ["confidential", "customer_pii"], note = "per the DPA" }
financial = { state = "unknown", note = "vendor didn't say" }
sla = { state = "not_applicable" }
fye = 2025-12-31
notes = "multi\\nline \\"quoted\\" \\\\ backslash"
report_end = "2025-06-30"
"""
    loaded = read_assessment_file(write(tmp_path, text), mini_bank)
    answers = loaded.assessment.answers
    # Multi answers are put in the bank's choice order.
    assert answers["data_types"] == Answer(value=("customer_pii", "confidential"), note="per the DPA")
    assert answers["financial"].state is State.UNKNOWN
    assert answers["financial"].note == "vendor didn't say"
    assert answers["sla"] == NOT_APPLICABLE
    assert answers["fye"].value == dt.date(2025, 12, 31)
    assert answers["notes"].value == 'multi\nline "quoted" \\ backslash'
    assert answers["report_end"].value == dt.date(2025, 6, 30)  # a date string is accepted


def test_yes_no_text_and_single_string_forms(tmp_path: Path, mini_bank: Bank) -> None:
    text = 'reviewed_on = 2026-03-31\n[answers]\nfinancial = "yes"\ndata_types = "none"\nnotes = "1"\n'
    answers = read_assessment_file(write(tmp_path, text), mini_bank).assessment.answers
    assert answers["financial"].value is True
    assert answers["data_types"].value == ("none",)
    assert answers["notes"].value == "1"  # text stays text (never coerced to a bool or number)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("financial = 3", "must be true or false"),
        ('sla = "high"', "must be a number"),
        ("sla = 150", "must be at most 100"),
        ("sla = -1", "must be at least 0"),
        ('payroll_detail = "cash"', "must be one of: payroll, billing"),
        ('data_types = ["none", "customer_pii"]', "combines an exclusive choice"),
        ('data_types = ["customer_pii", "customer_pii"]', "lists a choice twice"),
        ('data_types = ["secret"]', "'secret' is not one of"),
        ('fye = "last year"', "must be a date"),
        ('fye = { state = "unknown" }', '"I don\'t know" is not allowed'),
        ('financial = { state = "not_applicable" }', '"doesn\'t apply" is not allowed'),
        ("notes = 5", "must be text"),
        ("sla = nan", "must be a finite number"),
        ("sla = inf", "must be a finite number"),
        ("financial = 2026-01-01T10:00:00", "must be text, a number, true or false"),
        ("financial = [1, 2]", "must be text, a number, true or false"),
        ('financial = { value = true, state = "unknown" }', "a value cannot go with"),
        ("financial = {}", "an answered question needs a value"),
        ('financial = { value = true, colour = "red" }', "unknown key"),
    ],
)
def test_wrong_values_name_file_line_and_key(
    tmp_path: Path, mini_bank: Bank, line: str, fragment: str
) -> None:
    text = f"reviewed_on = 2026-03-31\n\n[answers]\nreport_end = 2025-01-01\n{line}\n"
    found = errors(tmp_path, text, mini_bank)
    assert len(found) == 1, found
    qid = line.split(" ")[0]
    assert found[0].startswith(f"{tmp_path / 'a.toml'}:5: answers.{qid}")
    assert fragment in found[0]
    assert "[type=" not in found[0]


def test_all_wrong_answers_are_reported_at_once(tmp_path: Path, mini_bank: Bank) -> None:
    text = 'reviewed_on = 2026-03-31\n[answers]\nfinancial = 3\nsla = "x"\nnotes = 1\n'
    found = errors(tmp_path, text, mini_bank)
    assert [f.split(": ")[1] for f in found] == ["answers.financial", "answers.sla", "answers.notes"]
    assert [f.split(": ")[0].rsplit(":", 1)[1] for f in found] == ["3", "4", "5"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("title = 'x'\n", "reviewed_on: Field required"),
        ("reviewed_on = 'soon'\n", "reviewed_on: Input should be a valid date"),
        ("reviewed_on = 2026-03-31\nstatus = 'done'\n", "status: Input should be"),
        ("reviewed_on = 2026-03-31\ncreated = 2026-01-01T10:00:00\n", "created: needs a UTC offset"),
        ("reviewed_on = 2026-03-31\ncreated = 0001-01-01T00:00:00+01:00\n", "created: is out of range"),
        ("reviewed_on = 2026-03-31\nid = '../../etc/passwd'\n", "id: String should match pattern"),
        ("reviewed_on = 2026-03-31\ncolour = 'red'\n", "colour: unknown key"),
        ("reviewed_on = 2026-03-31\nformat = 0\n", "format: Input should be greater than or equal to 1"),
        ("reviewed_on = 2026-03-31\nanswers = 3\n", "answers: Input should be a valid dictionary"),
    ],
)
def test_structural_errors(tmp_path: Path, mini_bank: Bank, text: str, fragment: str) -> None:
    found = errors(tmp_path, text, mini_bank)
    assert any(fragment in f for f in found), found


def test_newer_format_asks_for_an_upgrade(tmp_path: Path, mini_bank: Bank) -> None:
    found = errors(tmp_path, "format = 2\nreviewed_on = 2026-03-31\nfuture_key = 1\n", mini_bank)
    assert len(found) == 1
    assert "newer socwizard" in found[0]
    assert "upgrade socwizard" in found[0]
    assert "format:" in found[0]


HOSTILE = [
    "\\u001b]52;c;aGVsbG8=\\u0007",
    "\\u001b[2J",
    "\\u202eevil",
    "\\u009b31m",
    "\\u0000",
    "\\r",
]


@pytest.mark.parametrize("escape", HOSTILE)
@pytest.mark.parametrize("where", ["title", "vendor", "assessor", "note", "answer", "key"])
def test_control_characters_are_rejected(tmp_path: Path, mini_bank: Bank, escape: str, where: str) -> None:
    text = {
        "title": f'title = "a{escape}b"\nreviewed_on = 2026-03-31\n',
        "vendor": f'vendor = "a{escape}b"\nreviewed_on = 2026-03-31\n',
        "assessor": f'assessor = "a{escape}b"\nreviewed_on = 2026-03-31\n',
        "note": f'reviewed_on = 2026-03-31\n[answers]\nfinancial = {{ value = true, note = "a{escape}b" }}\n',
        "answer": f'reviewed_on = 2026-03-31\n[answers]\nnotes = "a{escape}b"\n',
        "key": f'reviewed_on = 2026-03-31\n[answers]\n"a{escape}b" = 1\n',
    }[where]
    found = errors(tmp_path, text, mini_bank)
    assert any("contains the control character U+" in f for f in found), found
    for message in found:
        assert "\x1b" not in message and "\u202e" not in message and "\x9b" not in message


def test_unknown_question_ids_are_kept_aside_with_a_warning(tmp_path: Path, mini_bank: Bank) -> None:
    text = MINIMAL + 'old_question = "kept"\n'
    loaded = read_assessment_file(write(tmp_path, text), mini_bank)
    assert "old_question" not in loaded.assessment.answers
    assert loaded.assessment.set_aside["old_question"] == Answer(value="kept")
    assert len(loaded.warnings) == 1
    assert str(loaded.warnings[0]) == (
        f"{tmp_path / 'a.toml'}:6: answers.old_question: "
        "no such question in this bank: the answer is kept aside"
    )
    # Saved and re-read, the aside answer survives.
    again = read_assessment_bytes(to_toml(loaded.assessment).encode(), "b")[0]
    assert again.set_aside == loaded.assessment.set_aside


def test_set_aside_answers_come_back_when_the_question_returns(tmp_path: Path, mini_bank: Bank) -> None:
    text = "reviewed_on = 2026-03-31\n[answers]\n[set_aside]\nfinancial = true\nsla = 'bad'\n"
    loaded = read_assessment_file(write(tmp_path, text), mini_bank)
    assert loaded.assessment.answers["financial"] == Answer(value=True)
    assert "financial" not in loaded.assessment.set_aside
    # One that no longer fits its question stays aside instead of being lost.
    assert loaded.assessment.set_aside["sla"] == Answer(value="bad")
    assert any("answer restored" in str(w) for w in loaded.warnings)


def test_other_bank_version_or_id_gives_a_warning(tmp_path: Path, mini_bank: Bank) -> None:
    version = read_assessment_file(
        write(tmp_path, MINIMAL + '\n[bank]\nid = "mini"\nversion = "0.9"\n'), mini_bank
    )
    assert [str(w).split(": ", 1)[1] for w in version.warnings] == [
        "bank.version: was made with bank version 0.9; this is 1.0"
    ]
    other = read_assessment_file(write(tmp_path, MINIMAL + '\n[bank]\nid = "other"\n'), mini_bank)
    assert "was made with bank 'other'" in str(other.warnings[0])


def test_disagreeing_snapshot_warns_and_is_never_trusted(tmp_path: Path, mini_bank: Bank) -> None:
    text = "status = 'complete'\n" + MINIMAL
    text += '\n[result]\nprovisional = true\n[result.outcomes]\n"soc1.level" = "not_needed"\n'
    loaded = read_assessment_file(write(tmp_path, text), mini_bank)
    assert loaded.result.value("soc1.level") == "required"
    assert any(w.key == "result" and "differs from the recomputed" in w.message for w in loaded.warnings)


def test_matching_snapshot_gives_no_warning(tmp_path: Path, mini_bank: Bank) -> None:
    first = read_assessment_file(write(tmp_path, MINIMAL), mini_bank)
    stamped = stamp(first.assessment, mini_bank, first.result)
    again = read_assessment_file(write(tmp_path, to_toml(stamped, first.result), "b.toml"), mini_bank)
    assert again.warnings == ()


def test_resave_is_byte_identical(tmp_path: Path, mini_bank: Bank) -> None:
    text = """reviewed_on = 2026-03-31
title = "Acme — payroll"
vendor = "Acme"
created = 2026-03-01T09:30:00+02:00

[answers]
data_types = { value = ["customer_pii"], note = "line one\\nline two \\"q\\" \\\\" }
financial = { state = "unknown" }
sla = 99.95
"""
    loaded = read_assessment_file(write(tmp_path, text), mini_bank)
    stamped = stamp(loaded.assessment, mini_bank, loaded.result)
    first = to_toml(stamped, loaded.result)
    path = write(tmp_path, first, "saved.toml")
    reloaded = read_assessment_file(path, mini_bank)
    assert reloaded.assessment == stamped
    second = to_toml(stamp(reloaded.assessment, mini_bank, reloaded.result), reloaded.result)
    assert second == first
    assert reloaded.assessment.created == dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)
    assert first.startswith("#:schema ")


def test_evaluate_assessment_recomputes(mini_bank: Bank) -> None:
    a = Assessment(
        reviewed_on=dt.date(2026, 3, 31), answers={"financial": Answer(value=False)}, status="complete"
    )
    loaded = evaluate_assessment(a, mini_bank, "mem")
    assert loaded.result == decide(mini_bank, loaded.assessment.answers, a.reviewed_on, complete=True)


def test_with_answer(mini_bank: Bank) -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    a = Assessment(reviewed_on=dt.date(2026, 3, 31))
    b = a.with_answer("financial", UNKNOWN, now=now)
    assert b.answers == {"financial": UNKNOWN}
    assert b.updated == now
    assert b.with_answer("financial", None, now=now).answers == {}
    assert a.answers == {}


def test_display_title() -> None:
    assert Assessment(reviewed_on=dt.date(2026, 1, 1)).display_title == "Untitled assessment"
    assert Assessment(reviewed_on=dt.date(2026, 1, 1), vendor="V").display_title == "V"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02",
        b"\xff\xfe",
        b"reviewed_on = ",
        b"[[answers]]\nreviewed_on = 2026-01-01\n",
        b"a = " + b"[" * 10000,
    ],
)
def test_garbage_gives_only_assessment_errors(data: bytes) -> None:
    with pytest.raises(AssessmentError):
        read_assessment_bytes(data, "garbage")
